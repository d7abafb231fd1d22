"""``send``/``receive``: the two ends of a snapshot transfer, run for real with ``sh`` on temporary directories.

The bytes ``send`` writes on one node are piped into ``receive`` on another,
as ``app move`` pipes one ``exec`` into the other.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from kompox.providers.k3s.localpath_script import ScriptExit, command, parse_result

from .script_runner import run_op

FILE = "k4x-abc123-app1-def456/db/snapshots/mv-1.tar"


def _run(root: Path, op: str, *args: str, stdin: bytes = b"") -> tuple[int, bytes, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "ROOT": str(root)}
    proc = subprocess.run(command(op, *args), env=env, input=stdin, capture_output=True, timeout=60, check=False)
    return proc.returncode, proc.stdout, proc.stderr.decode()


def _archive(root: Path) -> tuple[bytes, str]:
    disk = root / "k4x-abc123-app1-def456/db/disks/d1"
    disk.mkdir(parents=True)
    (disk / "data.bin").write_bytes(bytes(range(256)) * 300)
    run = run_op(root, "archive", "k4x-abc123-app1-def456/db/disks/d1", FILE)
    assert run.code == 0, run.stderr
    data = (root / FILE).read_bytes()
    assert parse_result(run.stdout)["sha256"] == hashlib.sha256(data).hexdigest()
    return data, hashlib.sha256(data).hexdigest()


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_send_piped_into_receive_copies_the_archive(tmp_path: Path) -> None:
    src, dst = tmp_path / "node-a", tmp_path / "node-b"
    dst.mkdir()
    src.mkdir()
    data, sha = _archive(src)
    code, sent, err = _run(src, "send", FILE)
    assert code == 0 and sent == data, err
    code, out, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=sent + b"trailing bytes are not read")
    assert code == 0, err
    assert parse_result(out.decode()) == {"sha256": sha, "size": str(len(data))}
    assert (dst / FILE).read_bytes() == data
    assert _files(dst) == [FILE]  # no .partial left


def test_a_corrupted_stream_is_a_checksum_mismatch_and_leaves_nothing(tmp_path: Path) -> None:
    src, dst = tmp_path / "node-a", tmp_path / "node-b"
    src.mkdir()
    dst.mkdir()
    data, sha = _archive(src)
    corrupted = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
    code, _, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=corrupted)
    assert code == ScriptExit.CHECKSUM
    assert f"recorded {sha}" in err
    assert _files(dst) == []
    code, _, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=data[: len(data) // 2])  # a stream cut short
    assert code == ScriptExit.CHECKSUM and _files(dst) == []


def test_a_partial_file_from_an_interrupted_transfer_is_overwritten(tmp_path: Path) -> None:
    src, dst = tmp_path / "node-a", tmp_path / "node-b"
    src.mkdir()
    data, sha = _archive(src)
    partial = dst / (FILE + ".partial")
    partial.parent.mkdir(parents=True)
    partial.write_bytes(b"half of an old run")
    code, _, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=data)
    assert code == 0, err
    assert (dst / FILE).read_bytes() == data and not partial.exists()


def test_receive_of_an_archive_already_in_place(tmp_path: Path) -> None:
    src, dst = tmp_path / "node-a", tmp_path / "node-b"
    src.mkdir()
    data, sha = _archive(src)
    (dst / FILE).parent.mkdir(parents=True)
    (dst / FILE).write_bytes(data)
    code, out, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=data)
    assert code == 0, err
    assert parse_result(out.decode())["existing"] == "true"
    (dst / FILE).write_bytes(b"another archive")
    code, _, err = _run(dst, "receive", FILE, sha, str(len(data)), stdin=data)
    assert code == ScriptExit.EXISTS and "another checksum" in err
    assert (dst / FILE).read_bytes() == b"another archive"


def test_send_of_a_missing_archive_and_bad_paths(tmp_path: Path) -> None:
    code, out, err = _run(tmp_path, "send", FILE)
    assert code == ScriptExit.MISSING and out == b"" and "does not exist" in err
    code, _, err = _run(tmp_path, "receive", "../x.tar", "0" * 64, "1", stdin=b"x")
    assert code == ScriptExit.USAGE and "bad path" in err
    code, _, err = _run(tmp_path, "receive", FILE, "0" * 64, "-1", stdin=b"x")
    assert code == ScriptExit.USAGE and "bad size" in err
    assert _files(tmp_path) == []
