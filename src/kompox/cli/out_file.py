"""Files the CLI writes because the user named them (manifests, kubeconfigs).

A regular file (or a path that does not exist yet) is replaced atomically: the
data goes to a temporary file beside it, gets its mode, and is renamed over the
target, so a reader never sees half a file.  A symlink is followed, so the file
it points at is replaced and the link stays.  Anything else that already exists
(``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is written in place and
never renamed over or chmod-ed: replacing ``/dev/null`` with a regular file as
root would break the whole machine.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_out(path: Path, data: bytes, *, mode: int) -> None:
    """Write ``data`` to ``path``; new or regular files get ``mode`` and are replaced atomically."""
    target = Path(os.path.realpath(path))
    try:
        st = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(f"{path} is a directory")
        _write_in_place(target, data)
        return
    import tempfile  # only here: most runs write to stdout or a device

    target.parent.mkdir(parents=True, exist_ok=True, mode=0o755)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_in_place(target: Path, data: bytes) -> None:
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
