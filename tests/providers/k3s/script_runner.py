"""Run the localpath helper script for real with ``sh`` (what a helper pod's container does).

``run_command`` takes the container command exactly as the helper pod carries
it (``["sh", "-c", SCRIPT, "kompox-helper", op, …]``) and runs it with
``ROOT`` pointing at a directory standing in for the node's base path.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kompox.providers.k3s.localpath_script import command


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


def run_command(argv: Sequence[str], root: Path, *, max_file_bytes: int | None = None) -> Run:
    """Run ``argv`` with ``ROOT=root``; ``max_file_bytes`` caps the size of any file written (a full disk)."""

    def limit() -> None:
        if max_file_bytes is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead of killing
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file_bytes, max_file_bytes))

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ROOT": str(root)}
    proc = subprocess.run(
        list(argv), env=env, capture_output=True, text=True, timeout=60, preexec_fn=limit, check=False
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def run_op(root: Path, op: str, *args: str, max_file_bytes: int | None = None) -> Run:
    return run_command(command(op, *args), root, max_file_bytes=max_file_bytes)
