"""The file-system view the KOM loader reads through (injectable for tests)."""

from __future__ import annotations

import os
import stat as stat_mod
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FileInfo:
    is_dir: bool
    is_file: bool
    is_symlink: bool
    size: int


class FileSystem(Protocol):
    """Read-only file access; every method raises ``OSError`` like :mod:`os` does."""

    def stat(self, path: str) -> FileInfo:
        """Information about ``path``, following symlinks."""
        ...

    def lstat(self, path: str) -> FileInfo:
        """Information about ``path`` itself (a symlink is reported as a symlink)."""
        ...

    def realpath(self, path: str) -> str:
        """``path`` with every symlink resolved; raises ``OSError`` on loops and dangling links."""
        ...

    def listdir(self, path: str) -> list[str]: ...

    def read_bytes(self, path: str) -> bytes: ...


def _info(st: os.stat_result) -> FileInfo:
    return FileInfo(
        is_dir=stat_mod.S_ISDIR(st.st_mode),
        is_file=stat_mod.S_ISREG(st.st_mode),
        is_symlink=stat_mod.S_ISLNK(st.st_mode),
        size=st.st_size,
    )


class LocalFileSystem:
    """The real file system."""

    def stat(self, path: str) -> FileInfo:
        return _info(os.stat(path))  # noqa: PTH116

    def lstat(self, path: str) -> FileInfo:
        return _info(os.lstat(path))

    def realpath(self, path: str) -> str:
        return os.path.realpath(path, strict=True)

    def listdir(self, path: str) -> list[str]:
        return os.listdir(path)  # noqa: PTH208

    def read_bytes(self, path: str) -> bytes:
        with open(path, "rb") as fh:
            return fh.read()


LOCAL_FS = LocalFileSystem()


def exists(fs: FileSystem, path: str) -> bool:
    """True if ``path`` exists (following symlinks); a symlink loop counts as existing-but-broken."""
    try:
        fs.stat(path)
    except FileNotFoundError:
        try:
            fs.lstat(path)
        except OSError:
            return False
        return False  # dangling symlink
    except OSError:
        return True  # e.g. ELOOP: exists, but resolving will fail with a precise message
    return True


def os_error_text(exc: OSError) -> str:
    """``strerror`` of an ``OSError`` without Python's ``[Errno N]`` decoration."""
    return exc.strerror or str(exc)


# Lexical path helpers (Go filepath.Join/Clean/Dir semantics: no symlink resolution).


def clean_join(base: str, path: str) -> str:
    """``path`` made absolute against ``base`` and cleaned lexically (``..``/``.`` removed)."""
    return os.path.normpath(os.path.join(base, path))  # noqa: PTH118


def dir_of(path: str) -> str:
    """The directory part of ``path``."""
    return os.path.dirname(path)  # noqa: PTH120


def path_parts(path: str) -> list[str]:
    """The components of ``path`` split on the OS separator."""
    return path.split(os.sep)  # noqa: PTH206
