"""Local file access of the converter, behind an explicit interface.

The converter reads env files and config/secret files relative to the
compose working directory, and checks bind-mount sources relative to the
process working directory (converter.md §8.1 3c, an upstream quirk kept for
identical behaviour).  It never touches the file system directly: it asks a
:class:`FileSource`.  :class:`LocalFiles` is the real one; tests pass
:class:`MemoryFiles`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from kompox.kom.fs import read_regular_file

# Cap on the bytes read from one local file (env files, config/secret files): the
# converter's own limits (1 MiB objects) are far below it, so it only stops hostile input.
MAX_READ = 10 * 1024 * 1024


class FileKind(Enum):
    FILE = "file"
    DIRECTORY = "directory"
    SYMLINK = "symlink"
    OTHER = "other"


@dataclass(frozen=True)
class FileInfo:
    """What the converter needs to know about a path: its kind and size."""

    kind: FileKind
    size: int


class FileSource(Protocol):
    """What the converter needs from a file system."""

    def lstat(self, path: str) -> FileInfo:
        """Information about ``path`` without following a final symlink.

        ``path`` is the working directory joined with a relative path.
        Raises ``FileNotFoundError`` when it does not exist, ``OSError`` on
        other failures.
        """
        ...

    def read(self, path: str) -> bytes:
        """The bytes of ``path``."""
        ...

    def cwd_kind(self, path: str) -> FileKind | None:
        """Kind of a relative path resolved against the process working directory; None if absent."""
        ...


def join(working_dir: str | None, path: str) -> str:
    """``<working_dir>/<path>`` (plain join; ``path`` is relative)."""
    if not working_dir:
        return path
    return working_dir.rstrip("/") + "/" + path


def _kind(mode: int) -> FileKind:
    if stat.S_ISLNK(mode):
        return FileKind.SYMLINK
    if stat.S_ISDIR(mode):
        return FileKind.DIRECTORY
    if stat.S_ISREG(mode):
        return FileKind.FILE
    return FileKind.OTHER


class LocalFiles:
    """The real file system; ``cwd`` overrides the process working directory for bind checks."""

    def __init__(self, cwd: str | None = None) -> None:
        self._cwd = cwd

    def lstat(self, path: str) -> FileInfo:
        st = os.lstat(path)
        return FileInfo(_kind(st.st_mode), st.st_size)

    def read(self, path: str) -> bytes:
        return read_regular_file(path, MAX_READ)

    def cwd_kind(self, path: str) -> FileKind | None:
        full = Path(self._cwd, path) if self._cwd else Path(path)
        try:
            return _kind(full.stat().st_mode)
        except OSError:
            return None


@dataclass
class MemoryFiles:
    """An in-memory file system for tests: ``files`` by full path, ``dirs`` and ``symlinks`` as sets."""

    files: dict[str, bytes] = field(default_factory=dict)
    dirs: set[str] = field(default_factory=set)
    symlinks: set[str] = field(default_factory=set)
    cwd_files: set[str] = field(default_factory=set)
    cwd_dirs: set[str] = field(default_factory=set)

    def lstat(self, path: str) -> FileInfo:
        if path in self.symlinks:
            return FileInfo(FileKind.SYMLINK, 0)
        if path in self.dirs:
            return FileInfo(FileKind.DIRECTORY, 0)
        if path in self.files:
            return FileInfo(FileKind.FILE, len(self.files[path]))
        raise FileNotFoundError(f"lstat {path}: no such file or directory")

    def read(self, path: str) -> bytes:
        try:
            return self.files[path]
        except KeyError:
            raise FileNotFoundError(f"open {path}: no such file or directory") from None

    def cwd_kind(self, path: str) -> FileKind | None:
        if path in self.cwd_dirs:
            return FileKind.DIRECTORY
        if path in self.cwd_files:
            return FileKind.FILE
        return None


def os_error_text(err: OSError) -> str:
    """Go-like error text ``<op> <path>: <reason>`` for an ``OSError``."""
    if err.filename is not None and err.strerror:
        return f"lstat {err.filename}: {err.strerror.lower()}"
    return str(err)
