"""Private files the CLI writes on the user's request (kubeconfigs): mode 0600, replaced atomically."""

from __future__ import annotations

from pathlib import Path

from kompox.cli.out_file import write_out


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 (parent directories 0755), replacing it atomically."""
    write_out(path, data, mode=0o600)
