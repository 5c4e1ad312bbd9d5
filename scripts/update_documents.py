#!/usr/bin/env python3
"""Fetch the documents listed in data/documents.yml into the site's documents folder.

For every manifest entry the source is asked for changes (conditional GET with
If-None-Match / If-Modified-Since from the recorded state). A changed, new or
locally damaged document is downloaded, checked and published atomically as
``<id>.<type>``; its state (sha256, size, ETag, ...) goes to
``documents.state.json`` next to the manifest.

Safety rules (why the code looks the way it does):

* Nothing published is ever lost or half-written. Downloads stream into a
  hidden ``.<id>.<random>.part`` file in ``.tmp-downloads/`` next to the
  manifest (outside docs/, so the site build can never publish it), are
  fsynced and verified, and only then moved into place with ``os.replace``.
  The state file is written the same way, after the document is in place.
  If that folder is on another file system than the documents folder, the
  hidden temp file goes into the documents folder itself (MkDocs skips dot
  files). Leftovers of a killed run are removed at the start of the next run.
* Every download is checked: HTTP status, Content-Length against the bytes
  received, the file type's magic bytes (an HTML error page is never
  published as a PDF), --max-bytes (reading stops as soon as it is passed).
* Time limits: --timeout applies to connecting and to every single read;
  --deadline (default 10 x --timeout) bounds the whole document including
  redirects, so a server that trickles bytes cannot hold the run forever.
* Only https: sources. Redirects are followed by hand (at most 5); a redirect
  to http: or any other scheme, and a loop, are refused.
* One failing document does not stop the others.

Exit codes: 0 all documents fine (changed or not), 1 some documents failed
(the others were updated), 2 usage or manifest error (nothing written),
130/143 interrupted by SIGINT/SIGTERM (temp files removed, nothing half-written).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import http.client
import os
import re
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
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make sitekit importable when run as a script

from sitekit.documents import (DOCUMENT_TYPES, DOCUMENTS_DIR, MANIFEST, DocumentEntry,  # noqa: E402
                               DocumentState, Manifest, atomic_temp_pattern, default_file_mode,
                               display_path, fsync_directory, load_manifest, load_state, save_state,
                               state_file_text)
from sitekit.errors import ContentError  # noqa: E402

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
               "2 usage or manifest error (nothing written), 130/143 interrupted. "
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


# --- workspace: lock, temp folder, leftovers -----------------------------------------------------


class Workspace:
    """Holds the run lock and knows where temp files go; only used when the run may write."""

    def __init__(self, manifest: Path, documents_dir: Path):
        self.lock_folder = manifest.parent / TEMP_FOLDER_NAME
        self.documents_dir = documents_dir
        self._lock_handle = None
        self.temp_folder = self.lock_folder

    def open(self) -> "Workspace":
        self.lock_folder.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        # os.replace only works within one file system; otherwise stage inside the
        # documents folder under a hidden name (MkDocs never publishes dot files).
        if self.lock_folder.stat().st_dev != existing_ancestor(self.documents_dir).stat().st_dev:
            self.documents_dir.mkdir(parents=True, exist_ok=True)
            self.temp_folder = self.documents_dir
        return self

    def close(self) -> None:
        if self._lock_handle is not None:
            self._lock_handle.close()  # closing releases the flock
            self._lock_handle = None

    def _take_lock(self) -> None:
        if fcntl is None:
            return
        handle = open(self.lock_folder / "lock", "a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise UsageError("Es läuft bereits eine andere Aktualisierung der Dokumente. – Was tun: "
                             "Warten Sie, bis sie fertig ist, und starten Sie dann erneut.") from None
        self._lock_handle = handle

    def remove_leftovers(self, state_path: Path) -> list[Path]:
        """Delete temp files of an earlier run that was killed; we hold the lock, so none is in use."""
        leftovers = [*self.lock_folder.glob(PART_PATTERN), *self.documents_dir.glob(PART_PATTERN),  # empty if absent
                     *state_path.parent.glob(atomic_temp_pattern(state_path))]
        for path in leftovers:
            path.unlink(missing_ok=True)
        return leftovers


def existing_ancestor(path: Path) -> Path:
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


class Staging:
    """Where one document's bytes go while downloading; in a dry run they are only hashed."""

    def __init__(self, folder: Path | None, doc_id: str):
        self.folder = folder
        self.doc_id = doc_id
        self.path: Path | None = None
        self._file = None

    def start(self) -> None:
        if self.folder is None:
            return
        try:
            fd, name = tempfile.mkstemp(prefix=f".{self.doc_id}.", suffix=".part", dir=self.folder)
        except OSError as error:
            raise DownloadFailed(f"die Zwischendatei kann nicht angelegt werden ({error.strerror})") from None
        self.path = Path(name)
        self._file = os.fdopen(fd, "wb")
        if hasattr(os, "fchmod"):  # the published file should get the usual mode, not mkstemp's 0600
            os.fchmod(fd, default_file_mode())

    def write(self, chunk: bytes) -> None:
        if self._file is None:
            return
        try:
            self._file.write(chunk)
        except OSError as error:
            raise DownloadFailed(f"die Datei kann nicht gespeichert werden ({error.strerror})") from None

    def finish(self, expected_size: int) -> None:
        """Flush to disk and verify that what is on disk is what was received."""
        if self._file is None:
            return
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

    def publish(self, target: Path) -> None:
        assert self.path is not None and self._file is None, "finish() first"
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self.path, target)
        self.path = None
        fsync_directory(target.parent)

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


def open_response(url: str, headers: dict[str, str], options: Options, context: ssl.SSLContext,
                  watchdog: Watchdog) -> tuple[http.client.HTTPSConnection, http.client.HTTPResponse]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise DownloadFailed(f"die Adresse „{url}“ hat eine ungültige Portnummer") from None
    connect_timeout = max(0.01, min(options.timeout, watchdog.remaining()))
    connection = http.client.HTTPSConnection(parts.hostname, port, timeout=connect_timeout, context=context)
    try:
        connection.connect()
        connection.sock.settimeout(options.timeout)  # from now on: the limit for each single read
        watchdog.watch(connection.sock)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={
            "User-Agent": USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity",
            "Connection": "close", **headers})
        return connection, connection.getresponse()
    except BaseException:
        connection.close()
        raise


def redirect_target(current: str, response: http.client.HTTPResponse, visited: set[str]) -> str:
    location = response.getheader("Location")
    if not location:
        raise DownloadFailed(f"Weiterleitung (HTTP {response.status}) ohne Zieladresse")
    target = urljoin(current, location.strip()).split("#", 1)[0]
    parts = urlsplit(target)
    if parts.scheme.lower() == "http":
        raise DownloadFailed(f"Weiterleitung auf die unsichere Adresse „{target}“ abgelehnt (nur https: ist erlaubt)")
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise DownloadFailed(f"Weiterleitung auf die Adresse „{target}“ abgelehnt (nur https: ist erlaubt)")
    if target in visited:
        raise DownloadFailed(f"Weiterleitungsschleife: „{target}“ wurde bereits besucht")
    visited.add(target)
    return target


def status_reason(response: http.client.HTTPResponse) -> str:
    return STATUS_REASONS.get(
        response.status, f"unerwartete Antwort des Servers (HTTP {response.status} {response.reason})".rstrip())


def fetch(entry: DocumentEntry, headers: dict[str, str], options: Options, context: ssl.SSLContext,
          staging: Staging, progress: "Progress") -> NotModified | Downloaded:
    """GET the entry's URL, following https redirects by hand, and receive the body into staging."""
    with Watchdog(options.deadline) as watchdog:
        try:
            return _fetch(entry, headers, options, context, watchdog, staging, progress)
        except (OSError, http.client.HTTPException) as error:
            raise DownloadFailed(watchdog.reason() if watchdog.expired else network_reason(error, options)) from None


def _fetch(entry: DocumentEntry, headers: dict[str, str], options: Options, context: ssl.SSLContext,
           watchdog: Watchdog, staging: Staging, progress: "Progress") -> NotModified | Downloaded:
    url = entry.url
    visited = {url}
    for _hop in range(MAX_REDIRECTS + 1):
        watchdog.check()
        connection, response = open_response(url, headers, options, context, watchdog)
        try:
            if response.status in REDIRECT_STATUSES:
                url = redirect_target(url, response, visited)
                continue
            if response.status == 304 and headers:
                return NotModified(response.getheader("ETag"), response.getheader("Last-Modified"))
            if response.status != 200:
                raise DownloadFailed(status_reason(response))
            return receive_body(response, entry, options, watchdog, staging, progress)
        finally:
            watchdog.watch(None)
            connection.close()
    raise DownloadFailed(f"mehr als {MAX_REDIRECTS} Weiterleitungen")


def receive_body(response: http.client.HTTPResponse, entry: DocumentEntry, options: Options,
                 watchdog: Watchdog, staging: Staging, progress: "Progress") -> Downloaded:
    label, content_types, magics = DOCUMENT_TYPES[entry.type]
    declared = response.length  # Content-Length as parsed by http.client; None if absent or chunked
    if declared is not None and declared > options.max_bytes:
        raise DownloadFailed(too_large(declared, options.max_bytes))
    hasher = hashlib.sha256()
    received = 0
    head = b""  # the first bytes: for the type check and for a readable failure message
    head_checked = False
    probe = max(len(magic) for magic in magics)
    staging.start()
    while True:
        watchdog.check()
        chunk = response.read1(CHUNK_SIZE)  # at most one read call, so the deadline is checked often
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
        etag=response.getheader("ETag"),
        last_modified=response.getheader("Last-Modified"),
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
    if isinstance(error, http.client.HTTPException):
        return f"ungültige Antwort des Servers ({type(error).__name__})"
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


def summary(outcomes: list[Outcome], pruned: int | None, dry_run: bool) -> str:
    counts = {status: sum(1 for outcome in outcomes if outcome.status == status) for status in LABELS}
    text = "Ergebnis: " + ", ".join(f"{counts[status]} {label}" for status, label in LABELS.items())
    if pruned is not None:
        text += f", {pruned} entfernt"
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


class Run:
    """One run over the selected entries; keeps the state and writes it after each committed change."""

    def __init__(self, options: Options, manifest: Manifest, states: dict[str, DocumentState],
                 context: ssl.SSLContext, workspace: Workspace | None):
        self.options = options
        self.manifest = manifest
        self.states = states
        self.context = context
        self.workspace = workspace

    def process(self, entry: DocumentEntry) -> Outcome:
        target = self.options.documents_dir / entry.file_name
        state = self.states.get(entry.id)
        local_intact = bool(state and state.file == entry.file_name and file_sha256(target) == state.sha256)
        # Ask conditionally only if what we have locally is exactly what the state describes.
        headers = conditional_headers(state) if local_intact and state.source_url == entry.url else {}
        staging = Staging(self.workspace.temp_folder if self.workspace else None, entry.id)
        progress = Progress(entry.id)
        try:
            result = fetch(entry, headers, self.options, self.context, staging, progress)
            return self.conclude(entry, state, local_intact, target, result, staging)
        except DownloadFailed as failure:
            return Outcome("failed", str(failure))
        except OSError as error:  # publishing or writing the state failed (disk full, permissions ...)
            return Outcome("failed", f"speichern nicht möglich ({error.strerror or error})")
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
            self.record(entry.id, replace(state, etag=result.etag, last_modified=result.last_modified,
                                          source_url=entry.url))
            return Outcome("unchanged")
        status = "added" if state is None and not target.exists() else "updated"
        detail = format_size(result.size)
        if state is not None and result.sha256 == state.sha256:
            detail += ", lokale Datei wiederhergestellt"
        new_state = DocumentState(file=entry.file_name, sha256=result.sha256, size=result.size,
                                  content_type=result.content_type, fetched_at=now_utc(), etag=result.etag,
                                  last_modified=result.last_modified, source_url=entry.url)
        if not self.options.dry_run:
            with signals_deferred():  # the file and its state belong together
                staging.publish(target)
                self.record(entry.id, new_state)
        return Outcome(status, detail)

    def record(self, doc_id: str, state: DocumentState) -> None:
        self.states[doc_id] = state
        self.save()

    def save(self) -> None:
        if self.options.dry_run:
            return
        path = self.manifest.state_path
        text = state_file_text(self.states)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return  # unchanged: don't touch the file (keeps its mtime and the Git diff empty)
        save_state(path, self.states)

    def orphans(self) -> tuple[list[Path], list[str]]:
        """Files in the documents folder and state entries that belong to no manifest entry."""
        wanted_files = {entry.file_name for entry in self.manifest.entries}
        wanted_ids = {entry.id for entry in self.manifest.entries}
        folder = self.options.documents_dir
        files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")
                       and path.name not in wanted_files) if folder.is_dir() else []
        return files, sorted(doc_id for doc_id in self.states if doc_id not in wanted_ids)

    def prune(self) -> int:
        files, state_ids = self.orphans()
        verb = "würde entfernt (Probelauf)" if self.options.dry_run else "entfernt"
        for doc_id in state_ids:
            self.states.pop(doc_id)
        if not self.options.dry_run:
            self.save()  # forget the state first: a state entry without file heals, the reverse would not
            for path in files:
                path.unlink(missing_ok=True)
        for path in files:
            say(f"{path.name}: {verb}")
        for doc_id in state_ids:
            say(f"{doc_id}: Zustandseintrag {verb}")
        return len(files)

    def hint_orphans(self) -> None:
        files, state_ids = self.orphans()
        for path in files:
            say(f"{path.name}: gehört zu keinem Eintrag im Manifest (mit --prune entfernen)")
        for doc_id in state_ids:
            say(f"{doc_id}: Zustandseintrag ohne Eintrag im Manifest (mit --prune entfernen)")


def run(options: Options) -> int:
    manifest = load_manifest(options.manifest)
    entries = select_entries(manifest, options.only)
    states = load_state(manifest.state_path)
    context = make_ssl_context()
    workspace = None if options.dry_run else Workspace(options.manifest, options.documents_dir).open()
    try:
        if workspace and (leftovers := workspace.remove_leftovers(manifest.state_path)):
            say(f"Aufgeräumt: {len(leftovers)} Rest(e) eines abgebrochenen Laufs entfernt")
        current_run = Run(options, manifest, states, context, workspace)
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
    say(summary(outcomes, pruned, options.dry_run))
    if any(outcome.status == "failed" for outcome in outcomes):
        say("Hinweis: Von fehlgeschlagenen Dokumenten bleibt die zuletzt veröffentlichte Fassung online.")
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
    except KeyboardInterrupt:
        print("\nAbgebrochen (Strg+C). Es wurde nichts halb geschrieben.", file=sys.stderr)
        return 128 + signal.SIGINT
    except Interrupted as stop:
        print(f"\nAbgebrochen (Signal {stop.signum}). Es wurde nichts halb geschrieben.", file=sys.stderr)
        return 128 + stop.signum


if __name__ == "__main__":
    sys.exit(main())
