"""Writing files so that readers (the build, a web server, the next run) never see half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_temp_pattern(path: Path) -> str:
    """Glob (in path's folder) of the temp files write_atomically leaves behind if the process is killed."""
    return f".{path.name}.*.tmp"


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temp file in the same folder, fsync, then os.replace over the target."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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


def write_text_atomically(path: Path, text: str) -> None:
    """UTF-8 with LF line endings, as editors' files are kept in git."""
    write_atomically(path, text.encode("utf-8"))


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
