"""Files the CLI writes on request: atomic for regular files, in place for devices and FIFOs.

Regression: ``app validate --out-manifest /dev/null`` used to write a temporary
file beside the target and rename it over it, so run as root it replaced
``/dev/null`` with a regular 0644 file (and broke every later ``2>/dev/null``
of unprivileged programs on the machine).  The FIFO here stands in for the
device: it must still be a FIFO afterwards and must have received the data.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kompox.cli.out_file import write_out
from kompox.cli.private_file import write_private

ROOT = Path(__file__).resolve().parents[2]


def _drain(fifo: Path, sink: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            sink.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return reader


def test_new_file_gets_the_mode_and_the_data(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.yaml"
    write_out(target, b"a: 1\n", mode=0o644)
    assert target.read_bytes() == b"a: 1\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_regular_file_is_replaced_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    target = tmp_path / "kubeconfig"
    target.write_bytes(b"old contents that are longer\n")
    target.chmod(0o644)
    write_private(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kubeconfig"]


def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    write_out(link, b"new\n", mode=0o644)
    assert link.is_symlink()
    assert real.read_bytes() == b"new\n"


def test_fifo_is_written_in_place_and_stays_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o600)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    write_out(fifo, b"kind: List\n", mode=0o644)
    reader.join(timeout=10)
    assert got == [b"kind: List\n"]
    st = fifo.lstat()
    assert stat.S_ISFIFO(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_out(tmp_path, b"x", mode=0o644)


def test_validate_out_manifest_into_a_fifo_keeps_the_fifo(tmp_path: Path) -> None:
    project = tmp_path / "whoami"
    shutil.copytree(ROOT / "examples" / "whoami", project, ignore=shutil.ignore_patterns("logs"))
    fifo = tmp_path / "manifest.pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    proc = subprocess.run(
        [sys.executable, "-m", "kompox.cli.main", "-C", str(project), "app", "validate", "--out-manifest", str(fifo)],
        capture_output=True,
        text=True,
        env={**env, "KOMPOX_LOG_OUTPUT": "none"},
        timeout=120,
        check=False,
    )
    reader.join(timeout=10)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and b"kind: Deployment" in got[0]
