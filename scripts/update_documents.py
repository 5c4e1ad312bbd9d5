#!/usr/bin/env python3
"""Fetch the documents listed in data/documents.yml into the site's documents folder.

For every manifest entry the source is asked for changes (conditional GET with
If-None-Match / If-Modified-Since from the recorded state). A changed, new or
locally damaged document is downloaded, checked and published atomically as
``<id>.<type>``; its state (sha256, size, page count, ETag, ...) goes to
``documents.state.json`` next to the manifest.

What is published: only a complete, valid document.

* HTTP: status 200, no Content-Encoding, a Content-Length (if sent) that is a
  single number and matches exactly the bytes that arrived (fewer: cut off;
  more: the server is not reliable), a chunked body that ends properly,
  --max-bytes (reading stops as soon as it is passed), the type's magic bytes
  at offset 0 (an HTML error page is never published as a PDF).
* PDF: the file must end with %%EOF and open with pypdf, page tree walked, at
  least one page, no password needed to open it (sitekit/pdf.py; this runs in a
  child process with a memory and time limit, because the file is hostile input).
* Names: the file name is always ``<id>.<type>`` from the manifest (ids are
  slugs: a-z, 0-9, hyphens, checked with fullmatch); Content-Disposition and the
  URL's file name are ignored.

Commit protocol (publish + state, under any storage fault):

1. The download is streamed into a hidden ``.<id>.<random>.part`` staging file,
   fsynced and checked. Staging happens in ``.tmp-downloads/`` next to the
   manifest (outside docs/, so a build never publishes it) if a rename from
   there into the documents folder works; a probe rename at the start decides
   (a bind mount shares st_dev with its source but renames across it fail with
   EXDEV). Otherwise the staging file goes into the documents folder itself
   (MkDocs never publishes dot files).
2. Prepare: a hard link ``.<id>.<random>.part`` to the currently published file
   (the way back), and the complete new state file written to a temp file next
   to it and fsynced (sitekit/files.py). All steps that need disk space happen
   here; if one fails (disk full, read-only, quota), nothing has changed: the
   document is reported failed and the published file and state are
   byte-identical to before.
3. Commit, with SIGINT/SIGTERM held back: rename the staging file over the
   published file, fsync the folder, rename the state temp file over the state
   file. Renames need no new space.
4. If the state rename (or the fsync before it) fails, the hard link is renamed
   back: the old file is published again and matches the old state; reported
   failed. Only if that also fails does the message say so (ACHTUNG ...).
5. A crash (SIGKILL, power loss) between the two renames leaves the new file
   with the old state; the next run sees that the file does not match the
   recorded sha256 and downloads it again unconditionally, which heals it.
   Leftover staging files, hard links and state temp files are removed at the
   start of the next run (under the lock).

The in-memory state is updated only after a successful commit, so a failed
document never leaks into the state written for the next one.

Redirects: followed by hand (at most 5), https only, no loops, and only to a
host that is listed in the manifest (the same host as the document's URL, or
the host of another entry; compared after IDNA encoding, port ignored). A
redirect to any other host, including another name for the same machine
(``localhost`` for ``127.0.0.1``), is refused with a German reason; the editor
can put the new address into the manifest if it is trustworthy.

URLs: hosts are checked with sitekit.fields.hostname_ascii (no empty label,
IDNA for umlauts), paths and queries with non-ASCII characters are sent
percent-encoded as UTF-8 (``dökument.pdf`` -> ``d%C3%B6kument.pdf``), also in
redirect Locations.

Time limits: --timeout applies to connecting and to every single read;
--deadline (default 10 x --timeout) bounds the whole download including
redirects, so a server that trickles bytes cannot hold the run forever; the PDF
check has its own limit (60 s).

One failing document, whatever the cause, does not stop the others: each ends
as new, updated, unchanged or failed with a German reason, then the summary.

Exit codes: 0 all documents fine (changed or not), 1 some documents failed
(the others were updated), 2 usage, manifest, state file or environment error
(lock folder or documents folder not writable, pypdf missing: nothing
written; or --prune could not remove something), 130/143 interrupted by
SIGINT/SIGTERM (temp files removed, nothing half-written).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import hashlib
import http.client
import importlib.util
import os
import re
import secrets
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make sitekit importable when run as a script

from sitekit.documents import (DOCUMENT_TYPES, DOCUMENTS_DIR, MANIFEST, MAX_VALIDATOR_LENGTH,  # noqa: E402
                               DocumentEntry, DocumentState, Manifest, load_manifest, load_state, state_file_text)
from sitekit.errors import ContentError, display_path  # noqa: E402
from sitekit.fields import has_control_characters, hostname_ascii, valid_port  # noqa: E402
from sitekit.files import (atomic_temp_pattern, default_file_mode, fsync_directory,  # noqa: E402
                           prepare_atomic_write, write_atomically)
from sitekit.pdf import PdfRejected, inspect_pdf  # noqa: E402

try:
    import fcntl
except ImportError:  # Windows: run without the lock
    fcntl = None

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 50 * 1000 * 1000
DEADLINE_FACTOR = 10
MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
CHUNK_SIZE = 256 * 1024
HEAD_BYTES = 24
TEMP_FOLDER_NAME = ".tmp-downloads"
PART_PATTERN = ".*.part"
PROGRESS_AFTER_SECONDS = 1.0
EXTRA_BYTES_WAIT = 1.0  # after the announced length: how long to wait for the server to close
URL_SAFE = "/%:@!$&'()*+,;=-._~"  # characters left as they are when a URL path is percent-encoded
USER_AGENT = "erkrath-integration-site/update_documents (+https://www.erkrath.de/)"

LABELS = {"added": "neu", "updated": "aktualisiert", "unchanged": "unverändert", "failed": "fehlgeschlagen"}

STATUS_REASONS = {
    400: "der Server lehnt die Anfrage ab (HTTP 400)",
    401: "die Quelle verlangt eine Anmeldung (HTTP 401)",
    403: "Zugriff verweigert (HTTP 403)",
    404: "nicht gefunden (HTTP 404) – stimmt die Adresse im Manifest noch?",
    410: "dauerhaft entfernt (HTTP 410) – die Quelle bietet das Dokument nicht mehr an",
    429: "zu viele Anfragen (HTTP 429) – später erneut versuchen",
    500: "Fehler auf dem Server (HTTP 500) – später erneut versuchen",
    502: "Fehler auf dem Server (HTTP 502) – später erneut versuchen",
    503: "Server vorübergehend nicht verfügbar (HTTP 503) – später erneut versuchen",
    504: "Server antwortet nicht rechtzeitig (HTTP 504) – später erneut versuchen",
}


class DownloadFailed(Exception):
    """One document could not be fetched; str() is the German reason shown to editors."""


class UsageError(Exception):
    """The run cannot start (German message); exit code 2, nothing written."""


class Interrupted(BaseException):
    """Raised by the SIGTERM handler so that every ``finally`` cleans up, like KeyboardInterrupt."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@dataclass(frozen=True)
class Options:
    manifest: Path
    documents_dir: Path
    dry_run: bool
    only: str | None
    prune: bool
    timeout: float
    deadline: float
    max_bytes: int


@dataclass(frozen=True)
class NotModified:
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Downloaded:
    sha256: str
    size: int
    content_type: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class Outcome:
    status: str  # a key of LABELS
    detail: str = ""


# --- command line -----------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """Bytes, optionally with a decimal suffix: 500000, 800K, 50M, 1G."""
    match = re.fullmatch(r"\s*(\d+)\s*([KMG]?)B?\s*", text, re.IGNORECASE)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 50000000 or 50M)")
    factor = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3}[match.group(2).upper()]
    size = int(match.group(1)) * factor
    if size <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return size


def positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("seconds must be positive")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="update_documents.py",
        description="Fetch the documents listed in the manifest into the site's documents folder. "
                    "Only changed documents are downloaded (conditional requests); every download is "
                    "verified and published atomically; the state file next to the manifest records "
                    "what was fetched.",
        epilog="Exit codes: 0 all fine, 1 some documents failed (the others were updated), "
               "2 usage, manifest, state file or environment error (nothing written; or --prune could not "
               "remove a file), 130/143 interrupted. Redirects are followed only to hosts listed in the manifest. "
               "Certificates are checked against the system store, or against the CA file "
               "named by the SSL_CERT_FILE environment variable.",
    )
    parser.add_argument("--manifest", type=Path, default=MANIFEST, metavar="PATH",
                        help="manifest file (default: data/documents.yml); the state file "
                             "documents.state.json is always next to it")
    parser.add_argument("--documents-dir", type=Path, default=DOCUMENTS_DIR, metavar="PATH",
                        help="folder the documents are published to (default: docs/assets/dokumente)")
    parser.add_argument("--dry-run", action="store_true",
                        help="report what would change; may make requests but writes nothing")
    parser.add_argument("--only", metavar="ID", help="process only the document with this id")
    parser.add_argument("--prune", action="store_true",
                        help="delete files in the documents folder (and state entries) that belong to no "
                             "manifest entry; without this flag nothing is ever deleted")
    parser.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"limit for connecting and for each single read (default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--deadline", type=positive_seconds, metavar="SECONDS",
                        help=f"limit for one whole document including redirects "
                             f"(default: {DEADLINE_FACTOR} x --timeout)")
    parser.add_argument("--max-bytes", type=parse_size, default=DEFAULT_MAX_BYTES, metavar="N",
                        help="largest accepted document; reading stops as soon as it is passed "
                             "(default: 50M = 50,000,000 bytes; suffixes K, M, G allowed)")
    return parser


def parse_options(argv: list[str] | None) -> Options:
    args = build_parser().parse_args(argv)
    return Options(
        manifest=args.manifest.resolve(),
        documents_dir=args.documents_dir.resolve(),
        dry_run=args.dry_run,
        only=args.only,
        prune=args.prune,
        timeout=args.timeout,
        deadline=args.deadline or args.timeout * DEADLINE_FACTOR,
        max_bytes=args.max_bytes,
    )


# --- signals ----------------------------------------------------------------------------------


def raise_interrupted(signum: int, _frame) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold back SIGINT/SIGTERM while a document and its state are committed together."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# --- workspace: lock, staging folder, leftovers --------------------------------------------------


class Workspace:
    """Holds the run lock and knows where downloads are staged; only used when the run may write."""

    def __init__(self, manifest: Path, documents_dir: Path):
        self.lock_folder = manifest.parent / TEMP_FOLDER_NAME
        self.documents_dir = documents_dir
        self._lock_handle = None
        self.temp_folder = self.lock_folder

    def open(self) -> "Workspace":
        try:
            self.lock_folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_folder / "lock", "a")
        except OSError as error:
            raise UsageError(
                f"Der Arbeitsordner „{display_path(self.lock_folder)}“ kann nicht angelegt werden ({error.strerror}). "
                f"– Was tun: Der Ordner „{display_path(self.lock_folder.parent)}“ muss beschreibbar sein (Schreibrechte, "
                "kein schreibgeschützter Datenträger); danach erneut starten.") from None
        self._take_lock(handle)
        try:
            self.temp_folder = self._staging_folder()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()  # closing releases the flock
            self._lock_handle = None

    def _take_lock(self, handle) -> None:
        if fcntl is None:
            self._lock_handle = handle
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise UsageError("Es läuft bereits eine andere Aktualisierung der Dokumente. – Was tun: "
                             "Warten Sie, bis sie fertig ist, und starten Sie dann erneut.") from None
        self._lock_handle = handle

    def _staging_folder(self) -> Path:
        """Where downloads go before they are published: a folder from which os.replace reaches the target.

        Normally that is the lock folder next to the manifest (outside docs/, so a build never
        publishes a half-finished download). Whether a rename from there into the documents
        folder works is tried with a probe file, not guessed from st_dev: a bind mount has the
        same st_dev as its source, but a rename across it fails with EXDEV. If it does not
        work, downloads are staged as hidden files in the documents folder itself (MkDocs
        never publishes dot files).
        """
        destination = existing_ancestor(self.documents_dir)
        try:
            fd, name = tempfile.mkstemp(prefix=".probe.", suffix=".part", dir=self.lock_folder)
            os.close(fd)
        except OSError as error:
            raise UsageError(f"Im Arbeitsordner „{display_path(self.lock_folder)}“ kann keine Datei angelegt werden "
                             f"({error.strerror}). – Was tun: Speicherplatz und Schreibrechte prüfen, dann erneut "
                             "starten.") from None
        probe = Path(name)
        moved = destination / probe.name
        try:
            os.rename(probe, moved)
        except OSError as error:
            probe.unlink(missing_ok=True)
            if error.errno != errno.EXDEV:
                raise self._not_writable(error) from None
        else:
            moved.unlink(missing_ok=True)
            return self.lock_folder
        try:  # another file system or mount: stage next to the target, if we may write there
            fd, name = tempfile.mkstemp(prefix=".probe.", suffix=".part", dir=destination)
            os.close(fd)
            os.unlink(name)
        except OSError as error:
            raise self._not_writable(error) from None
        return self.documents_dir

    def _not_writable(self, error: OSError) -> UsageError:
        return UsageError(f"In den Dokumentenordner „{display_path(self.documents_dir)}“ kann nicht geschrieben werden "
                          f"({error.strerror}). – Was tun: Schreibrechte des Ordners prüfen (oder einen "
                          "beschreibbaren Ordner mit --documents-dir angeben), dann erneut starten.")

    def remove_leftovers(self, state_path: Path) -> list[Path]:
        """Delete temp files of an earlier run that was killed; we hold the lock, so none is in use."""
        leftovers = [*self.lock_folder.glob(PART_PATTERN), *self.documents_dir.glob(PART_PATTERN),  # empty if absent
                     *state_path.parent.glob(atomic_temp_pattern(state_path))]
        removed = []
        for path in leftovers:
            try:
                path.unlink(missing_ok=True)
                removed.append(path)
            except OSError:
                pass  # removed by the next run that can
        return removed


def existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


class Staging:
    """One document's download in a hidden temp file; published by a rename."""

    def __init__(self, folder: Path, doc_id: str):
        self.folder = folder
        self.doc_id = doc_id
        self.path: Path | None = None
        self._file = None

    def start(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{self.doc_id}.", suffix=".part", dir=self.folder)
        except OSError as error:
            raise DownloadFailed(f"die Zwischendatei kann nicht angelegt werden ({error.strerror})") from None
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        if hasattr(os, "fchmod"):  # the published file should get the usual mode, not mkstemp's 0600
            os.fchmod(fd, default_file_mode())

    def write(self, chunk: bytes) -> None:
        try:
            self._file.write(chunk)
        except OSError as error:
            raise DownloadFailed(f"die Datei kann nicht gespeichert werden ({error.strerror})") from None

    def finish(self, expected_size: int) -> None:
        """Flush to disk and verify that what is on disk is what was received."""
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
            size_on_disk = os.fstat(self._file.fileno()).st_size
            self._file.close()
            self._file = None
        except OSError as error:
            raise DownloadFailed(f"die Datei kann nicht gespeichert werden ({error.strerror})") from None
        if size_on_disk != expected_size:
            raise DownloadFailed(f"gespeichert wurden {size_on_disk} statt {expected_size} Bytes")

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None


# --- HTTP ---------------------------------------------------------------------------------------


def make_ssl_context() -> ssl.SSLContext:
    cafile = os.environ.get("SSL_CERT_FILE") or None
    try:
        return ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as error:
        raise UsageError(f"Die Zertifikatsdatei „{cafile}“ aus SSL_CERT_FILE kann nicht gelesen werden ({error}). "
                         "– Was tun: Korrigieren Sie die Variable SSL_CERT_FILE oder entfernen Sie sie.") from None


class Watchdog:
    """Enforces the overall deadline of one document.

    Per-read socket timeouts cannot stop a server that sends one byte just before each
    timeout; when the deadline passes, the watchdog shuts the open socket down, which
    wakes up any blocked read.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._ends = time.monotonic() + seconds
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> "Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return self._ends - time.monotonic()

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            expired = self.expired
        if expired:
            self._shutdown(sock)

    def check(self) -> None:
        if self.expired or self.remaining() <= 0:
            self.expired = True
            raise DownloadFailed(self.reason())

    def reason(self) -> str:
        return f"der Download dauerte länger als {self.seconds:g} s und wurde abgebrochen"

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
        self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket | None) -> None:
        if sock is None:
            return
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # plain socket call: leaves the TLS object alone


def conditional_headers(state: DocumentState | None) -> dict[str, str]:
    headers = {}
    if state and state.etag:
        headers["If-None-Match"] = state.etag
    if state and state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


@dataclass(frozen=True)
class Target:
    """A URL split for the request: what is shown to editors and what goes over the wire."""

    url: str  # as written (may contain umlauts), for messages
    host: str  # IDNA-encoded, lower case: for DNS, TLS (SNI, certificate) and the Host header
    port: int | None
    request_path: str  # path and query, percent-encoded UTF-8: ASCII only


def parse_target(url: str) -> Target:
    """Check and encode an https URL (from the manifest or a redirect); DownloadFailed if it is unusable."""
    if has_control_characters(url):
        raise DownloadFailed(f"die Adresse {url!r} enthält Steuerzeichen")
    parts = urlsplit(url)
    host = hostname_ascii(parts.hostname or "")
    if host is None:
        raise DownloadFailed(f"die Adresse „{url}“ hat keinen gültigen Servernamen")
    if not valid_port(parts):
        raise DownloadFailed(f"die Adresse „{url}“ hat eine ungültige Portnummer")
    # Non-ASCII characters (dökument.pdf) and spaces become %-escapes of their UTF-8 bytes, as browsers do;
    # existing %-escapes stay. surrogateescape: raw bytes of a non-UTF-8 Location header are kept as they were.
    path = quote(parts.path or "/", safe=URL_SAFE, errors="surrogateescape")
    query = quote(parts.query, safe=URL_SAFE + "?", errors="surrogateescape")
    return Target(url=url, host=host, port=parts.port, request_path=path + (f"?{query}" if parts.query else ""))


def open_response(target: Target, headers: dict[str, str], options: Options, context: ssl.SSLContext,
                  watchdog: Watchdog) -> tuple[http.client.HTTPSConnection, socket.socket, http.client.HTTPResponse]:
    connect_timeout = max(0.01, min(options.timeout, watchdog.remaining()))
    connection = http.client.HTTPSConnection(target.host, target.port, timeout=connect_timeout, context=context)
    try:
        connection.connect()
        sock = connection.sock
        sock.settimeout(options.timeout)  # from now on: the limit for each single read
        watchdog.watch(sock)
        connection.request("GET", target.request_path, headers={
            "User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity",
            "Connection": "close", **headers})
        return connection, sock, connection.getresponse()
    except BaseException:
        connection.close()
        raise


def redirect_target(current: Target, response: http.client.HTTPResponse, visited: set[str],
                    allowed_hosts: frozenset[str]) -> Target:
    """Where a redirect leads, if that is allowed: https only, to a host listed in the manifest, no loop."""
    location = response.getheader("Location")
    if not location or not location.strip():
        raise DownloadFailed(f"Weiterleitung (HTTP {response.status}) ohne Zieladresse")
    # http.client decodes header bytes as Latin-1; servers send UTF-8 (dökument.pdf): take the bytes back.
    location = location.strip().encode("latin-1").decode("utf-8", "surrogateescape")
    if has_control_characters(location):
        raise DownloadFailed(f"Weiterleitung auf eine Adresse mit Steuerzeichen abgelehnt ({location!r})")
    url = urljoin(current.url, location).split("#", 1)[0]
    shown = url.encode("utf-8", "backslashreplace").decode("utf-8")  # printable even with raw bytes
    parts = urlsplit(url)
    if parts.scheme.lower() == "http":
        raise DownloadFailed(f"Weiterleitung auf die unsichere Adresse „{shown}“ abgelehnt (nur https: ist erlaubt)")
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise DownloadFailed(f"Weiterleitung auf die Adresse „{shown}“ abgelehnt (nur https: ist erlaubt)")
    try:
        target = parse_target(url)
    except DownloadFailed as failure:
        raise DownloadFailed(f"Weiterleitung abgelehnt: {failure}") from None
    if target.host not in allowed_hosts:
        raise DownloadFailed(
            f"Weiterleitung auf den Server „{parts.hostname}“ abgelehnt: weitergeleitet wird nur zu Servern, die im "
            f"Manifest stehen ({', '.join(sorted(allowed_hosts))}) – Was tun: Ist die neue Adresse „{shown}“ "
            "vertrauenswürdig, tragen Sie sie als url im Manifest ein")
    key = f"{target.host}:{target.port}{target.request_path}"
    if key in visited:
        raise DownloadFailed(f"Weiterleitungsschleife: „{shown}“ wurde bereits besucht")
    visited.add(key)
    return target


def status_reason(response: http.client.HTTPResponse) -> str:
    return STATUS_REASONS.get(
        response.status, f"unerwartete Antwort des Servers (HTTP {response.status} {response.reason})".rstrip())


def fetch(entry: DocumentEntry, headers: dict[str, str], options: Options, context: ssl.SSLContext,
          staging: Staging, progress: "Progress", allowed_hosts: frozenset[str]) -> NotModified | Downloaded:
    """GET the entry's URL, following allowed https redirects by hand, and receive the body into staging."""
    with Watchdog(options.deadline) as watchdog:
        try:
            return _fetch(entry, headers, options, context, watchdog, staging, progress, allowed_hosts)
        except (OSError, http.client.HTTPException) as error:
            raise DownloadFailed(watchdog.reason() if watchdog.expired else network_reason(error, options)) from None


def _fetch(entry: DocumentEntry, headers: dict[str, str], options: Options, context: ssl.SSLContext,
           watchdog: Watchdog, staging: Staging, progress: "Progress",
           allowed_hosts: frozenset[str]) -> NotModified | Downloaded:
    target = parse_target(entry.url)
    visited = {f"{target.host}:{target.port}{target.request_path}"}
    for _hop in range(MAX_REDIRECTS + 1):
        watchdog.check()
        connection, sock, response = open_response(target, headers, options, context, watchdog)
        try:
            if response.status in REDIRECT_STATUSES:
                target = redirect_target(target, response, visited, allowed_hosts)
                continue
            if response.status == 304 and headers:
                return NotModified(validator(response, "ETag"), validator(response, "Last-Modified"))
            if response.status != 200:
                raise DownloadFailed(status_reason(response))
            return receive_body(response, sock, entry, options, watchdog, staging, progress)
        finally:
            watchdog.watch(None)
            response.close()
            connection.close()
    raise DownloadFailed(f"mehr als {MAX_REDIRECTS} Weiterleitungen")


def validator(response: http.client.HTTPResponse, name: str) -> str | None:
    """ETag / Last-Modified to send back next time; odd values (huge, control characters) are not kept."""
    value = response.getheader(name)
    if value is None or len(value) > MAX_VALIDATOR_LENGTH or has_control_characters(value):
        return None
    return value


def declared_length(response: http.client.HTTPResponse) -> int | None:
    """Content-Length, read strictly: one value (or several equal ones), digits only; None if absent or chunked."""
    if response.chunked:
        return None
    values = {value.strip() for value in response.headers.get_all("Content-Length") or []}
    if not values:
        return None
    if len(values) > 1:
        raise DownloadFailed(f"der Server nennt widersprüchliche Längen ({', '.join(sorted(values))} Bytes)")
    (value,) = values
    if not value.isascii() or not value.isdigit():
        raise DownloadFailed(f"der Server nennt eine ungültige Länge (Content-Length: {value[:40]!r})")
    return int(value)


def receive_body(response: http.client.HTTPResponse, sock: socket.socket, entry: DocumentEntry, options: Options,
                 watchdog: Watchdog, staging: Staging, progress: "Progress") -> Downloaded:
    label, content_types, magics = DOCUMENT_TYPES[entry.type]
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise DownloadFailed(f"der Server schickt die Datei umkodiert (Content-Encoding: {encoding[:40]}), obwohl sie "
                             "unverändert angefordert wurde")
    declared = declared_length(response)
    if declared is not None and declared > options.max_bytes:
        raise DownloadFailed(too_large(declared, options.max_bytes))
    # Read to the end of the connection ourselves instead of stopping at Content-Length, so that a body
    # longer than announced is noticed (http.client would stop silently after the announced bytes).
    response.length = None
    hasher = hashlib.sha256()
    received = 0
    head = b""  # the first bytes: for the type check and for a readable failure message
    head_checked = False
    probe = max(len(magic) for magic in magics)
    staging.start()
    while True:
        watchdog.check()
        if declared is not None and received == declared:
            sock.settimeout(min(options.timeout, EXTRA_BYTES_WAIT))  # expect the end now
            try:
                extra = response.read1(1)
            except TimeoutError:
                extra = b""  # the server keeps the connection open: what it announced has arrived
            if extra:
                raise DownloadFailed(f"der Server schickt mehr Daten als angekündigt (angekündigt: {declared} Bytes) "
                                     "– die Datei ist nicht verlässlich")
            break
        want = CHUNK_SIZE if declared is None else min(CHUNK_SIZE, declared - received)
        chunk = response.read1(want)  # at most one read call, so the deadline is checked often
        if not chunk:
            break
        received += len(chunk)
        if received > options.max_bytes:
            raise DownloadFailed(too_large(received, options.max_bytes, partial=True))
        if len(head) < HEAD_BYTES:
            head += chunk[:HEAD_BYTES - len(head)]
        if not head_checked and len(head) >= probe:
            check_magic(head, label, magics)  # fail early: no need to download a whole error page
            head_checked = True
        hasher.update(chunk)
        staging.write(chunk)
        progress.update(received, declared)
    watchdog.check()  # a shut-down socket looks like the end of the body
    if declared is not None and received < declared:
        raise DownloadFailed(f"die Übertragung brach ab: {received} von {declared} Bytes empfangen")
    check_magic(head, label, magics)
    staging.finish(received)
    return Downloaded(
        sha256=hasher.hexdigest(),
        size=received,
        content_type=media_type(response.getheader("Content-Type"), content_types),
        etag=validator(response, "ETag"),
        last_modified=validator(response, "Last-Modified"),
    )


def too_large(size: int, limit: int, partial: bool = False) -> str:
    amount = f"mehr als {format_size(limit)}" if partial else format_size(size)
    return f"die Datei ist zu groß ({amount}; erlaubt sind höchstens {format_size(limit)}, siehe --max-bytes)"


def check_magic(head: bytes, label: str, magics: tuple[bytes, ...]) -> None:
    """The first bytes decide the type, not the Content-Type header (error pages often claim PDF)."""
    if any(head.startswith(magic) for magic in magics):
        return
    if not head:
        raise DownloadFailed(f"die Antwort ist leer statt einer {label}-Datei")
    preview = "".join(ch if ch.isprintable() else "·" for ch in head.decode("latin-1"))
    guess = " – vermutlich eine Fehler- oder Anmeldeseite" if head.lstrip()[:1] == b"<" else ""
    raise DownloadFailed(f"die Antwort ist keine {label}-Datei (sie beginnt mit „{preview}“){guess}")


def media_type(header: str | None, expected: tuple[str, ...]) -> str:
    """Record the server's media type when it is one we expect; otherwise the type the magic bytes proved."""
    value = (header or "").split(";", 1)[0].strip().lower()
    return value if value in expected else expected[0]


def network_reason(error: BaseException, options: Options) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "Verbindung abgelehnt – der Server ist nicht erreichbar"
    if isinstance(error, socket.gaierror):
        return "der Servername ist unbekannt – stimmt die Adresse im Manifest?"
    if isinstance(error, TimeoutError):
        return f"keine Antwort innerhalb von {options.timeout:g} s"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"das Zertifikat des Servers ist ungültig ({error.verify_message})"
    if isinstance(error, ssl.SSLError):
        return f"die verschlüsselte Verbindung ist fehlgeschlagen ({error.reason or error})"
    if isinstance(error, http.client.IncompleteRead):
        return "die Übertragung brach ab, die Datei ist unvollständig"
    if isinstance(error, http.client.LineTooLong):
        return "ungültige Antwort des Servers (eine Kopfzeile ist zu lang)"
    if isinstance(error, http.client.RemoteDisconnected):
        return "der Server hat die Verbindung ohne Antwort beendet"
    if isinstance(error, (http.client.BadStatusLine, http.client.UnknownProtocol)):
        return "ungültige Antwort des Servers (keine HTTP-Antwort)"
    if isinstance(error, http.client.HTTPException):
        if "headers" in str(error):
            return "ungültige Antwort des Servers (zu viele Kopfzeilen)"
        return "ungültige Antwort des Servers"
    if isinstance(error, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError)):
        return "der Server hat die Verbindung abgebrochen"
    return f"Netzwerkfehler ({getattr(error, 'strerror', None) or error})"


# --- output -------------------------------------------------------------------------------------


def format_size(size: int) -> str:
    if size < 1000:
        return f"{size} Bytes"
    if size < 1000**2:
        return f"{size / 1000:.0f} kB".replace(".", ",")
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB".replace(".", ",")
    return f"{size / 1000**3:.1f} GB".replace(".", ",")


class Progress:
    """Download progress on stderr, only on a terminal and only for downloads that take a while."""

    def __init__(self, doc_id: str, stream=sys.stderr):
        self.doc_id = doc_id
        self.stream = stream
        self.enabled = stream.isatty()
        self.started = time.monotonic()
        self.last_shown = 0.0
        self.shown = False

    def update(self, received: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < PROGRESS_AFTER_SECONDS or now - self.last_shown < 0.2:
            return
        self.last_shown = now
        amount = f"{format_size(received)} von {format_size(total)}" if total else format_size(received)
        self.stream.write(f"\r\x1b[K{self.doc_id}: {amount} …")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def pages_text(pages: int) -> str:
    return "1 Seite" if pages == 1 else f"{pages} Seiten"


def say(text: str) -> None:
    print(text, flush=True)  # flush: lines must appear even if the run is killed later


def report(entry: DocumentEntry, outcome: Outcome, dry_run: bool) -> None:
    label = LABELS[outcome.status]
    if outcome.status == "failed":
        say(f"{entry.id}: {label}: {outcome.detail}")
        return
    details = [detail for detail in (outcome.detail, "Probelauf, nichts gespeichert" if dry_run and
                                     outcome.status != "unchanged" else "") if detail]
    say(f"{entry.id}: {label}" + (f" ({'; '.join(details)})" if details else ""))


def summary(outcomes: list[Outcome], pruned: int | None, dry_run: bool, prune_failures: int = 0) -> str:
    counts = {status: sum(1 for outcome in outcomes if outcome.status == status) for status in LABELS}
    text = "Ergebnis: " + ", ".join(f"{counts[status]} {label}" for status, label in LABELS.items())
    if pruned is not None:
        text += f", {pruned} entfernt"
    if prune_failures:
        text += f", {prune_failures} nicht entfernt"
    if dry_run:
        text += " – Probelauf, es wurde nichts geschrieben"
    return text


# --- the run ------------------------------------------------------------------------------------


def file_sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            hasher.update(chunk)
    return hasher.hexdigest()


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def select_entries(manifest: Manifest, only: str | None) -> list[DocumentEntry]:
    if only is None:
        return manifest.entries
    chosen = [entry for entry in manifest.entries if entry.id == only]
    if not chosen:
        known = ", ".join(entry.id for entry in manifest.entries) or "(keine)"
        raise ContentError(display_path(manifest.path), f"Die Kennung „{only}“ (--only) gibt es im Manifest nicht.",
                           f"Prüfen Sie die Schreibweise. Vorhandene Kennungen: {known}.")
    return chosen


class StateNotWritten(Exception):
    """The state file could not be written; str() is the German reason."""


class Run:
    """One run over the selected entries; keeps the state and commits each change together with its file."""

    def __init__(self, options: Options, manifest: Manifest, states: dict[str, DocumentState],
                 context: ssl.SSLContext, staging_folder: Path):
        self.options = options
        self.manifest = manifest
        self.states = states
        self.context = context
        self.staging_folder = staging_folder
        self.allowed_hosts = frozenset(host for entry in manifest.entries
                                       if (host := hostname_ascii(urlsplit(entry.url).hostname or "")))
        self.prune_failures = 0

    def process(self, entry: DocumentEntry) -> Outcome:
        """Fetch, check and publish one document; whatever goes wrong ends as a failed Outcome."""
        target = self.options.documents_dir / entry.file_name
        state = self.states.get(entry.id)
        staging = Staging(self.staging_folder, entry.id)
        progress = Progress(entry.id)
        try:
            local_intact = bool(state and state.file == entry.file_name and file_sha256(target) == state.sha256)
            # Ask conditionally only if what we have locally is exactly what the state describes.
            headers = conditional_headers(state) if local_intact and state.source_url == entry.url else {}
            result = fetch(entry, headers, self.options, self.context, staging, progress, self.allowed_hosts)
            progress.clear()
            return self.conclude(entry, state, local_intact, target, result, staging)
        except (DownloadFailed, PdfRejected, StateNotWritten) as failure:
            return Outcome("failed", str(failure))
        except OSError as error:  # reading the local file, publishing (disk full, permissions ...)
            return Outcome("failed", f"speichern nicht möglich ({error.strerror or error}) – die bisherige Fassung "
                                     "bleibt unverändert")
        except Exception as error:  # noqa: BLE001 - a bug must not stop the other documents
            return Outcome("failed", f"unerwarteter Fehler ({type(error).__name__}: {error}) – die bisherige Fassung "
                                     "bleibt unverändert. Was tun: Bitte die Ausgabe an die Technik weitergeben.")
        finally:
            progress.clear()
            staging.discard()

    def conclude(self, entry: DocumentEntry, state: DocumentState | None, local_intact: bool, target: Path,
                 result: NotModified | Downloaded, staging: Staging) -> Outcome:
        if isinstance(result, NotModified):
            self.record(entry.id, replace(state, etag=result.etag or state.etag,
                                          last_modified=result.last_modified or state.last_modified))
            return Outcome("unchanged")
        if local_intact and result.sha256 == state.sha256:
            pages, document_date = state.pages, state.document_date
            if pages is None:  # a state from before page counts were recorded: fill them in
                info = inspect_pdf(staging.path)
                pages, document_date = info.pages, info.date
            self.record(entry.id, replace(state, etag=result.etag, last_modified=result.last_modified,
                                          source_url=entry.url, pages=pages, document_date=document_date))
            return Outcome("unchanged")
        info = inspect_pdf(staging.path)  # complete and opens as a PDF? Else PdfRejected: nothing is published
        status = "added" if state is None and not target.exists() else "updated"
        detail = f"{format_size(result.size)}, {pages_text(info.pages)}"
        if state is not None and result.sha256 == state.sha256:
            detail += ", lokale Datei wiederhergestellt"
        new_state = DocumentState(file=entry.file_name, sha256=result.sha256, size=result.size,
                                  content_type=result.content_type, fetched_at=now_utc(), etag=result.etag,
                                  last_modified=result.last_modified, source_url=entry.url,
                                  pages=info.pages, document_date=info.date)
        if not self.options.dry_run:
            warning = self.publish(entry.id, staging, target, new_state)
            if warning:
                detail += f"; {warning}"
        return Outcome(status, detail)

    def publish(self, doc_id: str, staging: Staging, target: Path, new_state: DocumentState) -> str | None:
        """Publish the staged file and record its state, both or neither (see the module docstring).

        1. prepare: a hard link to the published file (for the way back) and the complete new
           state file in a temp file next to it, fsynced. Everything that needs disk space
           happens here; a failure changes nothing.
        2. commit, with SIGINT/SIGTERM held back: rename the staged file over the published
           one, then the state temp file over the state file. Renames need no new space.
        3. if the state rename fails, rename the old file back: the published file is the old
           one again and matches the state.
        Returns a warning for the output if only the final fsync of the state folder failed.
        """
        states = {**self.states, doc_id: new_state}
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DownloadFailed(f"der Dokumentenordner kann nicht angelegt werden ({error.strerror})") from None
        backup = self._link_backup(target)
        try:
            try:
                prepared = prepare_atomic_write(self.manifest.state_path, state_file_text(states).encode("utf-8"))
            except OSError as error:
                raise StateNotWritten(self._state_reason(error)) from None
            with prepared, signals_deferred():
                try:
                    os.replace(staging.path, target)
                except OSError as error:  # nothing changed: the rename did not happen
                    raise DownloadFailed(f"die Datei kann nicht veröffentlicht werden ({error.strerror}) – die "
                                         "bisherige Fassung bleibt unverändert") from None
                staging.path = None
                try:
                    fsync_directory(target.parent)
                    prepared.commit(sync=False)
                except OSError as error:
                    raise StateNotWritten(self._roll_back(target, backup, error)) from None
            self.states = states
            try:
                fsync_directory(self.manifest.state_path.parent)
            except OSError as error:
                return f"Warnung: das Dateisystem bestätigt das Speichern nicht ({error.strerror})"
            return None
        finally:
            if backup is not None:
                backup.unlink(missing_ok=True)

    def _link_backup(self, target: Path) -> Path | None:
        """A second name for the published file, so it can come back if the state cannot be committed."""
        if not target.exists():
            return None
        backup = target.with_name(f".{target.stem}.{secrets.token_hex(6)}.part")
        try:
            os.link(target, backup)
        except OSError as error:
            if error.errno in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                return None  # no hard links here: the state is still prepared first, only the roll-back is missing
            raise DownloadFailed(f"die Datei kann nicht gespeichert werden ({error.strerror}) – die bisherige "
                                 "Fassung bleibt unverändert") from None
        return backup

    def _roll_back(self, target: Path, backup: Path | None, error: OSError) -> str:
        reason = self._state_reason(error)
        try:
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink()
            fsync_directory(target.parent)
        except OSError:
            return (f"{reason}. ACHTUNG: Die neue Datei ist veröffentlicht, der Zustand beschreibt noch die alte; "
                    "der nächste Lauf lädt die Datei erneut und gleicht beides an")
        return reason

    def _state_reason(self, error: OSError) -> str:
        name = display_path(self.manifest.state_path)
        return (f"die Zustandsdatei {name} kann nicht geschrieben werden ({error.strerror or error}) – die bisherige "
                "Fassung bleibt unverändert online. Was tun: Speicherplatz und Schreibrechte prüfen, dann erneut starten")

    def record(self, doc_id: str, state: DocumentState) -> None:
        """Record a changed state (no file changes): written at once, kept in memory only if that worked."""
        states = {**self.states, doc_id: state}
        try:
            self.save(states)
        except OSError as error:
            raise StateNotWritten(self._state_reason(error)) from None
        self.states = states

    def save(self, states: dict[str, DocumentState]) -> None:
        if self.options.dry_run:
            return
        path = self.manifest.state_path
        text = state_file_text(states)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return  # unchanged: don't touch the file (keeps its mtime and the Git diff empty)
        write_atomically(path, text.encode("utf-8"))

    def orphans(self) -> tuple[list[Path], list[str]]:
        """Files in the documents folder and state entries that belong to no manifest entry."""
        wanted_files = {entry.file_name for entry in self.manifest.entries}
        wanted_ids = {entry.id for entry in self.manifest.entries}
        folder = self.options.documents_dir
        files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")
                       and path.name not in wanted_files) if folder.is_dir() else []
        return files, sorted(doc_id for doc_id in self.states if doc_id not in wanted_ids)

    def prune(self) -> int:
        """Remove orphans: the state entries first (a state entry without file heals, the reverse would not)."""
        files, state_ids = self.orphans()
        verb = "würde entfernt (Probelauf)" if self.options.dry_run else "entfernt"
        if not self.options.dry_run and state_ids:
            remaining = {doc_id: state for doc_id, state in self.states.items() if doc_id not in state_ids}
            try:
                self.save(remaining)
            except OSError as error:
                self.prune_failures += 1
                say(f"Aufräumen abgebrochen: {self._state_reason(error).split(' – ')[0]} – es wurde nichts entfernt. "
                    "Was tun: Speicherplatz und Schreibrechte prüfen, dann erneut mit --prune starten.")
                return 0
            self.states = remaining
        removed = 0
        for path in files:
            if not self.options.dry_run:
                try:
                    path.unlink(missing_ok=True)
                except OSError as error:
                    self.prune_failures += 1
                    say(f"{path.name}: kann nicht entfernt werden ({error.strerror}) – Was tun: Schreibrechte des "
                        f"Ordners {display_path(path.parent)} prüfen, dann erneut mit --prune starten.")
                    continue
            removed += 1
            say(f"{path.name}: {verb}")
        for doc_id in state_ids:
            say(f"{doc_id}: Zustandseintrag {verb}")
        return removed

    def hint_orphans(self) -> None:
        files, state_ids = self.orphans()
        for path in files:
            say(f"{path.name}: gehört zu keinem Eintrag im Manifest (mit --prune entfernen)")
        for doc_id in state_ids:
            say(f"{doc_id}: Zustandseintrag ohne Eintrag im Manifest (mit --prune entfernen)")


def require_pdf_library() -> None:
    if importlib.util.find_spec("pypdf") is None:
        raise UsageError("Das Python-Paket pypdf fehlt (es prüft die heruntergeladenen PDF-Dateien). – Was tun: "
                         "python -m pip install -r requirements.txt, dann erneut starten.")


def run(options: Options) -> int:
    manifest = load_manifest(options.manifest)
    entries = select_entries(manifest, options.only)
    states = load_state(manifest.state_path)
    require_pdf_library()
    context = make_ssl_context()
    workspace = None if options.dry_run else Workspace(options.manifest, options.documents_dir).open()
    # A dry run writes nothing in the project; its downloads are checked in a temp folder of the system.
    scratch = tempfile.TemporaryDirectory(prefix="update-documents-") if options.dry_run else None
    try:
        if workspace and (leftovers := workspace.remove_leftovers(manifest.state_path)):
            say(f"Aufgeräumt: {len(leftovers)} Rest(e) eines abgebrochenen Laufs entfernt")
        current_run = Run(options, manifest, states, context,
                          Path(scratch.name) if scratch else workspace.temp_folder)
        outcomes = []
        for entry in entries:
            outcome = current_run.process(entry)
            report(entry, outcome, options.dry_run)
            outcomes.append(outcome)
        if options.prune:
            pruned = current_run.prune()
        else:
            pruned = None
            current_run.hint_orphans()
    finally:
        if workspace:
            workspace.close()
        if scratch:
            scratch.cleanup()
    say(summary(outcomes, pruned, options.dry_run, current_run.prune_failures))
    if any(outcome.status == "failed" for outcome in outcomes):
        say("Hinweis: Von fehlgeschlagenen Dokumenten bleibt die zuletzt veröffentlichte Fassung unverändert online. "
            "Was tun: Gründe oben lesen; bei Server- und Netzfehlern später erneut starten, sonst die Adresse im "
            f"Manifest ({display_path(manifest.path)}) prüfen.")
    if current_run.prune_failures:
        return EXIT_USAGE
    if any(outcome.status == "failed" for outcome in outcomes):
        return EXIT_FAILED
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)  # argparse exits with 2 on usage errors
    signal.signal(signal.SIGTERM, raise_interrupted)
    try:
        return run(options)
    except (ContentError, UsageError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:  # the environment outside any single document (folders, files) fails
        where = f" ({display_path(error.filename)})" if error.filename else ""
        print(f"Zugriff auf das Dateisystem fehlgeschlagen{where}: {error.strerror or error}. – Was tun: Schreibrechte "
              "und Speicherplatz der Ordner data/ und docs/assets/dokumente/ prüfen, dann erneut starten.",
              file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("\nAbgebrochen (Strg+C). Es wurde nichts halb geschrieben.", file=sys.stderr)
        return 128 + signal.SIGINT
    except Interrupted as stop:
        print(f"\nAbgebrochen (Signal {stop.signum}). Es wurde nichts halb geschrieben.", file=sys.stderr)
        return 128 + stop.signum


if __name__ == "__main__":
    sys.exit(main())
