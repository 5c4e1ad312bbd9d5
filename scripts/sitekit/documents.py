"""The documents manifest (``data/documents.yml``) and its state file.

The manifest is kept by editors; the state file is written only by
``scripts/update_documents.py`` and records what was fetched. The build reads
both to show title, date, type and size of each published document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, display_path
from .fields import (date_field, localized_text, require_mapping, slug_field, text_field,
                     unknown_fields, url_field, list_field)
from .yamlfile import load_yaml

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "data" / "documents.yml"
DOCUMENTS_DIR = ROOT / "docs" / "assets" / "dokumente"
# URL of DOCUMENTS_DIR relative to the site root
DOCUMENTS_URL = "assets/dokumente/"

# Allowed types: file extension -> (label, expected content types, magic bytes)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[str, ...], tuple[bytes, ...]]] = {
    "pdf": ("PDF", ("application/pdf",), (b"%PDF-",)),
}
ENTRY_FIELDS = {"id", "url", "title", "type", "date", "description"}
STATE_VERSION = 1


@dataclass(frozen=True)
class DocumentEntry:
    id: str
    url: str
    title: dict[str, str]
    type: str = "pdf"
    date: dt.date | None = None
    description: dict[str, str] | None = None
    line: int | None = None

    @property
    def file_name(self) -> str:
        """Stable, safe file name derived from the id (ids are slugs)."""
        return f"{self.id}.{self.type}"


@dataclass
class DocumentState:
    file: str
    sha256: str
    size: int
    content_type: str
    fetched_at: str
    etag: str | None = None
    last_modified: str | None = None
    source_url: str | None = None


@dataclass
class Manifest:
    path: Path
    entries: list[DocumentEntry] = field(default_factory=list)

    @property
    def state_path(self) -> Path:
        return state_path_for(self.path)


def state_path_for(manifest_path: Path) -> Path:
    """The state file lives next to the manifest: documents.yml -> documents.state.json."""
    return manifest_path.with_name(manifest_path.stem + ".state.json")


def load_manifest(path: str | Path = MANIFEST, display_name: str | None = None) -> Manifest:
    path = Path(path)
    name = display_name or display_path(path)
    data = load_yaml(path, name) if path.exists() else None
    if data is None:
        raise ContentError(name, "Die Datei fehlt oder ist leer.", "Sie muss mit der Zeile „documents:“ beginnen.")
    data = require_mapping(data, name, "Die Datei")
    unknown_fields(data, {"documents"}, name)
    raw_entries = list_field(data, "documents", name, optional=True) if "documents" in data else None
    if raw_entries is None:
        raise ContentError(name, "Die oberste Zeile „documents:“ fehlt.", "Beginnen Sie die Datei mit „documents:“.", 1, "documents")
    entries: list[DocumentEntry] = []
    seen: dict[str, int | None] = {}
    for raw in raw_entries:
        raw = require_mapping(raw, name, "Jeder Eintrag unter „documents:“", getattr(raw_entries, "line", None))
        unknown_fields(raw, ENTRY_FIELDS, name)
        doc_id = slug_field(raw, "id", name)
        if doc_id in seen:
            raise ContentError(name, f"Die Kennung „{doc_id}“ kommt zweimal vor (zuerst in Zeile {seen[doc_id]}).",
                               "Jedes Dokument braucht eine eigene Kennung; ändern Sie eine davon.", raw.line_of("id"), "id")
        seen[doc_id] = raw.line_of("id")
        doc_type = (text_field(raw, "type", name, optional=True) or "pdf").lower()
        if doc_type not in DOCUMENT_TYPES:
            raise ContentError(name, f"Der Dateityp „{doc_type}“ wird nicht unterstützt.",
                               f"Erlaubt: {', '.join(DOCUMENT_TYPES)}.", raw.line_of("type"), "type")
        entries.append(DocumentEntry(
            id=doc_id,
            url=url_field(raw, "url", name, schemes=("https",)),
            title=localized_text(raw, "title", name),
            type=doc_type,
            date=date_field(raw, "date", name, optional=True),
            description=localized_text(raw, "description", name, optional=True),
            line=raw.line,
        ))
    return Manifest(path=path, entries=entries)


def load_state(path: str | Path) -> dict[str, DocumentState]:
    """Read the state file; a missing file means nothing was fetched yet."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {doc_id: DocumentState(**values) for doc_id, values in raw.get("documents", {}).items()}
    except (ValueError, TypeError, AttributeError) as error:
        raise ContentError(display_path(path), f"Die Zustandsdatei ist beschädigt ({error}).",
                           "Diese Datei schreibt nur scripts/update_documents.py: stellen Sie die letzte Fassung aus Git "
                           "wieder her und starten Sie das Skript erneut.") from None


def state_to_dict(state: DocumentState) -> dict:
    return dataclasses.asdict(state)


def state_file_text(states: dict[str, DocumentState]) -> str:
    """The state file's exact text: sorted keys, indent 2, trailing newline, so PR diffs stay small."""
    data = {"version": STATE_VERSION,
            "documents": {doc_id: state_to_dict(state) for doc_id, state in states.items()}}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save_state(path: str | Path, states: dict[str, DocumentState]) -> None:
    """Write the state file atomically; readers see either the old or the new file, never a mix."""
    write_atomically(Path(path), state_file_text(states).encode("utf-8"))


def atomic_temp_pattern(path: Path) -> str:
    """Glob (in path's folder) of the temp files write_atomically leaves behind if the process is killed."""
    return f".{path.name}.*.tmp"


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temp file in the same folder, fsync, then os.replace over the target."""
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):  # keep the usual mode; mkstemp creates 0600
                os.fchmod(handle.fileno(), _file_mode(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def fsync_directory(folder: Path) -> None:
    """Make a rename durable (POSIX); other systems have no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_file_mode() -> int:
    """Mode of a newly created file under the current umask (mkstemp would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _file_mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return default_file_mode()
