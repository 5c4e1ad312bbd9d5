"""The documents manifest (``data/documents.yml``) and its state file.

The manifest is kept by editors; the state file is written only by
``scripts/update_documents.py`` and records what was fetched. The build reads
both to show title, date, type, page count and size of each published document.

State file (``documents.state.json``), version 2::

    {"version": 2, "documents": {"<id>": {"file": "<id>.pdf", "sha256": "<64 hex>",
     "size": <bytes, > 0>, "content_type": "application/pdf", "fetched_at": "2026-11-30T08:00:00Z",
     "pages": <int, > 0> | null (carried over from version 1), "document_date": "2019-02-26" | null,
     "etag": str | null, "last_modified": str | null, "source_url": str | null}}}

Version 1 (written before page counts were recorded) is read as well: it has no
``pages`` and ``document_date``; the next write turns it into version 2.
``load_state`` checks every field and reports the first problem as a German
ContentError (``make check`` and the update script both use it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError, display_path
from .fields import (SLUG, date_field, has_control_characters, list_field, localized_text, require_mapping,
                     slug_field, text_field, unknown_fields, url_field)
from .files import write_atomically
from .site import REPOSITORY
from .yamlfile import load_yaml

# Defaults of the update script: this checkout's manifest and documents folder.
MANIFEST = REPOSITORY / "data" / "documents.yml"
DOCUMENTS_DIR = REPOSITORY / "docs" / "assets" / "dokumente"
# URL of DOCUMENTS_DIR relative to the site root
DOCUMENTS_URL = "assets/dokumente/"

# Allowed types: file extension -> (label, expected content types, magic bytes)
DOCUMENT_TYPES: dict[str, tuple[str, tuple[str, ...], tuple[bytes, ...]]] = {
    "pdf": ("PDF", ("application/pdf",), (b"%PDF-",)),
}
ENTRY_FIELDS = {"id", "url", "title", "type", "date", "description"}
STATE_VERSION = 2
READABLE_STATE_VERSIONS = (1, 2)
MAX_VALIDATOR_LENGTH = 1024  # ETag / Last-Modified longer than this are not kept (see update_documents.py)


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
    pages: int | None = None  # None only in states read from version 1
    document_date: str | None = None  # ISO date from the PDF's metadata (CreationDate), if it has one

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.document_date) if self.document_date else None


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
    """Read and check the state file; a missing file means nothing was fetched yet.

    Any problem raises one ContentError in German (file, line, entry, field, what to do).
    """
    path = Path(path)
    if not path.exists():
        return {}
    return StateReader(path).read()


class StateReader:
    """Checks a state file field by field; the first problem becomes a ContentError."""

    HINT = ("Diese Datei schreibt nur scripts/update_documents.py. Stellen Sie die letzte Fassung aus Git "
            "wieder her (git checkout -- {name}) oder löschen Sie die Datei, und starten Sie dann "
            "scripts/update_documents.py erneut.")

    def __init__(self, path: Path):
        self.path = path
        self.name = display_path(path)
        self.lines: list[str] = []

    def fail(self, problem: str, doc_id: str | None = None, key: str | None = None, line: int | None = None):
        field_name = ".".join(part for part in (doc_id, key) if part) or None
        if line is None and doc_id is not None:
            line = self._line_of(doc_id, key)
        raise ContentError(self.name, problem, self.HINT.format(name=self.name), line, field_name)

    def read(self) -> dict[str, DocumentState]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.fail("Die Zustandsdatei ist beschädigt (kein UTF-8-Text).")
        except OSError as error:
            raise ContentError(self.name, f"Die Zustandsdatei kann nicht gelesen werden ({error.strerror}).",
                               "Prüfen Sie die Zugriffsrechte der Datei.") from None
        self.lines = text.splitlines()
        try:
            raw = json.loads(text, object_pairs_hook=self._no_duplicates)
        except json.JSONDecodeError as error:
            self.fail(f"Die Zustandsdatei ist beschädigt: kein gültiges JSON ({error.msg}).", line=error.lineno)
        except _DuplicateKey as duplicate:
            self.fail(f"Die Zustandsdatei ist beschädigt: der Name „{duplicate.key}“ steht zweimal im selben Abschnitt.")
        except RecursionError:
            self.fail("Die Zustandsdatei ist beschädigt: zu tief verschachtelt.")
        if not isinstance(raw, dict):
            self.fail("Die Zustandsdatei ist beschädigt: sie muss ein JSON-Objekt mit „version“ und „documents“ sein.")
        for key in raw:
            if key not in ("version", "documents"):
                self.fail(f"Die Zustandsdatei enthält das unbekannte Feld „{key}“ (erlaubt: version, documents).")
        version = raw.get("version")
        if isinstance(version, bool) or version not in READABLE_STATE_VERSIONS:
            self.fail(f"Die Zustandsdatei hat die Version {json.dumps(version, ensure_ascii=False)}; dieses Skript "
                      f"kennt die Versionen {', '.join(map(str, READABLE_STATE_VERSIONS))}.")
        documents = raw.get("documents")
        if not isinstance(documents, dict):
            self.fail("Die Zustandsdatei ist beschädigt: „documents“ fehlt oder ist kein JSON-Objekt.")
        return {doc_id: self._entry(doc_id, values, version) for doc_id, values in documents.items()}

    def _entry(self, doc_id: str, values, version: int) -> DocumentState:
        if not SLUG.fullmatch(doc_id):
            self.fail(f"Die Kennung {json.dumps(doc_id, ensure_ascii=False)} ist nicht erlaubt "
                      "(nur Kleinbuchstaben a–z, Ziffern und Bindestriche).", doc_id)
        if not isinstance(values, dict):
            self.fail(f"Der Eintrag „{doc_id}“ muss ein JSON-Objekt sein.", doc_id)
        known = {item.name for item in dataclasses.fields(DocumentState)}
        allowed = known if version >= 2 else known - {"pages", "document_date"}
        for key in values:
            if key not in allowed:
                self.fail(f"Das Feld „{key}“ ist unbekannt (erlaubt: {', '.join(sorted(allowed))}).", doc_id, key)
        # pages may be null in version 2 too: an entry carried over from version 1 has no page count yet
        required = ("file", "sha256", "size", "content_type", "fetched_at") + (("pages",) if version >= 2 else ())
        for key in required:
            if key not in values:
                self.fail(f"Das Pflichtfeld „{key}“ fehlt.", doc_id)
        check = self._checker(doc_id, values)
        file_name = check("file", str)
        stem, _, extension = file_name.rpartition(".")
        if stem != doc_id or extension not in DOCUMENT_TYPES:
            expected = " oder ".join(f"„{doc_id}.{ext}“" for ext in DOCUMENT_TYPES)
            self.fail(f"Der Dateiname „{file_name}“ passt nicht zur Kennung (erwartet: {expected}).", doc_id, "file")
        sha256 = check("sha256", str)
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            self.fail(f"„{sha256}“ ist keine SHA-256-Prüfsumme (64 Zeichen 0–9, a–f).", doc_id, "sha256")
        size = check("size", int)
        if size <= 0:
            self.fail(f"Die Größe {size} ist nicht möglich (sie muss größer als 0 sein).", doc_id, "size")
        content_type = check("content_type", str)
        if content_type not in DOCUMENT_TYPES[extension][1]:
            self.fail(f"Der Inhaltstyp „{content_type}“ passt nicht zu „.{extension}“ "
                      f"(erwartet: {', '.join(DOCUMENT_TYPES[extension][1])}).", doc_id, "content_type")
        fetched_at = check("fetched_at", str)
        if not _is_timestamp(fetched_at):
            self.fail(f"„{fetched_at}“ ist kein Zeitpunkt der Form 2026-11-30T08:00:00Z.", doc_id, "fetched_at")
        for key in ("etag", "last_modified"):
            value = check(key, str, optional=True)
            if value is not None and (len(value) > MAX_VALIDATOR_LENGTH or has_control_characters(value)):
                self.fail("Der Wert ist zu lang oder enthält Steuerzeichen.", doc_id, key)
        source_url = check("source_url", str, optional=True)
        if source_url is not None and (not source_url.startswith("https://") or has_control_characters(source_url)):
            self.fail(f"„{source_url}“ ist keine https-Adresse.", doc_id, "source_url")
        pages = check("pages", int, optional=True)
        if pages is not None and pages <= 0:
            self.fail(f"Die Seitenzahl {pages} ist nicht möglich (sie muss größer als 0 sein).", doc_id, "pages")
        document_date = check("document_date", str, optional=True)
        if document_date is not None and not _is_date(document_date):
            self.fail(f"„{document_date}“ ist kein Datum der Form 2019-02-26.", doc_id, "document_date")
        return DocumentState(file=file_name, sha256=sha256, size=size, content_type=content_type,
                             fetched_at=fetched_at, etag=values.get("etag"), last_modified=values.get("last_modified"),
                             source_url=source_url, pages=pages, document_date=document_date)

    def _checker(self, doc_id: str, values: dict):
        names = {str: "ein Text", int: "eine ganze Zahl"}

        def check(key: str, kind: type, optional: bool = False):
            value = values.get(key)
            if value is None and optional:
                return None
            if isinstance(value, bool) or not isinstance(value, kind):
                found = json.dumps(value, ensure_ascii=False)
                self.fail(f"Hier wird {names[kind]} erwartet, gefunden wurde {found}.", doc_id, key)
            return value
        return check

    def _line_of(self, doc_id: str, key: str | None) -> int | None:
        """Line of the entry (or of its field) in the file as the script writes it (indent 2, one field a line)."""
        entry_line = next((number for number, line in enumerate(self.lines, 1)
                           if line.strip().startswith(json.dumps(doc_id, ensure_ascii=False) + ":")), None)
        if entry_line is None or key is None:
            return entry_line
        prefix = json.dumps(key) + ":"
        for number in range(entry_line, len(self.lines)):
            stripped = self.lines[number].strip()
            if stripped.startswith(prefix):
                return number + 1
            if stripped.startswith("}"):
                break
        return entry_line

    @staticmethod
    def _no_duplicates(pairs: list[tuple[str, object]]) -> dict:
        result = {}
        for key, value in pairs:
            if key in result:
                raise _DuplicateKey(key)
            result[key] = value
        return result


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _is_timestamp(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", text)) and bool(
            dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return False


def _is_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        return False


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
