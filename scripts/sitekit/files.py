"""Atomic file writes: the one implementation for the whole project.

A reader (the site build, a person, ``git``) sees either the old or the new file,
never a half-written one, and after a crash or power loss the file is one of the
two as well: the bytes go to a hidden temp file in the same folder, are fsynced,
the temp file replaces the target with ``os.replace`` (atomic on POSIX and
Windows within one file system), and the folder is fsynced so the rename itself
is durable. The target keeps its file mode; a new file gets the usual mode under
the current umask (``mkstemp`` alone would give 0600).

``prepare_atomic_write`` splits this in two steps for callers that must commit
several files together (see ``scripts/update_documents.py``): everything that
needs disk space happens in ``prepare`` (which can fail without changing
anything), ``commit`` is only a rename.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

TEMP_SUFFIX = ".tmp"


def atomic_temp_pattern(path: Path) -> str:
    """Glob (in path's folder) of the temp files a write to ``path`` leaves behind if the process is killed."""
    return f".{Path(path).name}.*{TEMP_SUFFIX}"


def default_file_mode() -> int:
    """Mode of a newly created file under the current umask (mkstemp would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def file_mode(path: Path) -> int:
    """The mode ``path`` has, or the mode a new file would get."""
    try:
        return Path(path).stat().st_mode & 0o777
    except FileNotFoundError:
        return default_file_mode()


def fsync_directory(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); other systems have no directory handles to sync."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class PreparedWrite:
    """New content for ``path``, complete and fsynced in a hidden temp file next to it."""

    def __init__(self, path: Path, temp: Path):
        self.path = path
        self.temp: Path | None = temp
        self.committed = False

    def commit(self, sync: bool = True) -> None:
        """Replace the target by the prepared file (a rename: needs no new space)."""
        assert self.temp is not None, "commit() or discard() was called already"
        os.replace(self.temp, self.path)
        self.temp = None
        self.committed = True
        if sync:
            fsync_directory(self.path.parent)

    def discard(self) -> None:
        if self.temp is not None:
            self.temp.unlink(missing_ok=True)
            self.temp = None

    def __enter__(self) -> "PreparedWrite":
        return self

    def __exit__(self, *exc_info) -> None:
        self.discard()


def prepare_atomic_write(path: Path, data: bytes) -> PreparedWrite:
    """Write ``data`` to a hidden temp file next to ``path`` and fsync it; the target is not touched.

    Raises OSError (disk full, read-only, no permission ...) with nothing left behind.
    """
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), file_mode(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return PreparedWrite(path, Path(temp_name))


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` atomically and durably (temp file, fsync, rename, fsync folder)."""
    prepared = prepare_atomic_write(Path(path), data)
    try:
        prepared.commit()
    finally:
        prepared.discard()


def write_text_atomically(path: Path, text: str) -> None:
    """UTF-8 text (LF line endings as given), written atomically; creates the folder if needed."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomically(Path(path), text.encode("utf-8"))


@contextlib.contextmanager
def locked(lock_file: Path):
    """One writer at a time for a shared data file (e.g. several translators importing at once)."""
    if fcntl is None:  # Windows: no concurrent imports there
        yield
        return
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
