"""The file-system view the KOM loader reads through (injectable for tests)."""

from __future__ import annotations

import errno
import os
import stat as stat_mod
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FileInfo:
    """What the KOM loader needs from ``stat``."""

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

    def read_bytes(self, path: str, limit: int) -> bytes:
        """The bytes of the regular file ``path``; at most ``limit`` bytes are read (more is an error)."""
        ...


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

    def read_bytes(self, path: str, limit: int) -> bytes:
        return read_regular_file(path, limit)


LOCAL_FS = LocalFileSystem()

# Cap for a single settings file (kompoxapp.yml, config.yml, kompoxops.yml): far above any real one.
MAX_SETTINGS_FILE_SIZE = 10 * 1024 * 1024

_READ_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


def _kind_name(mode: int) -> str:
    for test, name in (
        (stat_mod.S_ISCHR, "a character device"),
        (stat_mod.S_ISBLK, "a block device"),
        (stat_mod.S_ISFIFO, "a FIFO"),
        (stat_mod.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _require_regular(mode: int, path: str) -> None:
    if stat_mod.S_ISREG(mode):
        return
    if stat_mod.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory", path)
    kind = _kind_name(mode)
    text = kind if kind.startswith("not ") else f"not a regular file (it is {kind})"
    raise OSError(errno.EINVAL, text, path)


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file ``path`` (symlinks followed), never more than ``limit``.

    Devices, FIFOs and sockets are refused before anything is read: the file
    is opened non-blocking (a FIFO without a writer cannot hang the open) and
    checked with ``fstat`` on the open descriptor, so a swap after the first
    check is caught too.  The cap counts the bytes actually read, not the size
    ``stat`` reports (which is 0 for ``/dev/zero`` and for files that grow).
    Errors are ``OSError`` values whose ``strerror`` reads well after a path.
    """
    _require_regular(os.stat(path).st_mode, path)  # noqa: PTH116
    fd = os.open(path, _OPEN_FLAGS)
    try:
        _require_regular(os.fstat(fd).st_mode, path)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    if remaining <= 0:
        raise OSError(errno.EFBIG, f"exceeds maximum size ({limit} bytes)", path)
    return b"".join(chunks)


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
