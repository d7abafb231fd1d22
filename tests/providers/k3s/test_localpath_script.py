"""The helper pods' script, run for real with ``sh`` on temporary directories standing in for a node."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kompox.providers.k3s.localpath_script import SCRIPT, ScriptExit, command, parse_result

from .script_runner import run_op

APP = "k4x-abc123-app1-def456/db"


def _fill(disk: Path) -> None:
    (disk / "pg").mkdir()
    (disk / "pg" / "data.bin").write_bytes(bytes(range(256)) * 64)
    (disk / "notes.txt").write_text("hello\n")
    (disk / "link").symlink_to("notes.txt")


def _tree(disk: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(disk.rglob("*")):
        key = str(path.relative_to(disk))
        if path.is_symlink():
            out[key] = "-> " + str(path.readlink())
        elif path.is_file():
            out[key] = path.read_bytes()
        else:
            out[key] = "dir"
    return out


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.tmp"))


def test_command_passes_the_script_verbatim() -> None:
    assert command("create", "a/b") == ["sh", "-c", SCRIPT, "kompox-helper", "create", "a/b"]


def test_create_makes_an_empty_world_writable_directory(tmp_path: Path) -> None:
    run = run_op(tmp_path, "create", f"{APP}/disks/d1")
    assert run.code == 0, run.log
    disk = tmp_path / APP / "disks" / "d1"
    assert disk.is_dir() and list(disk.iterdir()) == []
    assert disk.stat().st_mode & 0o777 == 0o777
    assert parse_result(run.stdout) == {"created": f"{APP}/disks/d1"}
    assert _leftovers(tmp_path) == []


def test_create_refuses_an_existing_disk(tmp_path: Path) -> None:
    assert run_op(tmp_path, "create", f"{APP}/disks/d1").code == 0
    (tmp_path / APP / "disks" / "d1" / "keep").write_text("x")
    run = run_op(tmp_path, "create", f"{APP}/disks/d1")
    assert run.code == ScriptExit.EXISTS and "already exists" in run.stderr
    assert (tmp_path / APP / "disks" / "d1" / "keep").read_text() == "x"


def test_copy_duplicates_content(tmp_path: Path) -> None:
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")
    run = run_op(tmp_path, "copy", f"{APP}/disks/d1", f"{APP}/disks/clone")
    assert run.code == 0, run.log
    assert _tree(tmp_path / APP / "disks" / "clone") == _tree(tmp_path / APP / "disks" / "d1")
    assert _leftovers(tmp_path) == []


def test_copy_from_missing_disk_creates_nothing(tmp_path: Path) -> None:
    run = run_op(tmp_path, "copy", f"{APP}/disks/nosuch", f"{APP}/disks/clone")
    assert run.code == ScriptExit.MISSING, run.log
    assert not (tmp_path / APP / "disks" / "clone").exists()


def test_archive_verify_restore_roundtrip(tmp_path: Path) -> None:
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")
    run = run_op(tmp_path, "archive", f"{APP}/disks/d1", f"{APP}/snapshots/s1.tar")
    assert run.code == 0, run.log
    result = parse_result(run.stdout)
    archive = tmp_path / APP / "snapshots" / "s1.tar"
    assert result == {"sha256": hashlib.sha256(archive.read_bytes()).hexdigest(), "size": str(archive.stat().st_size)}

    verify = run_op(tmp_path, "verify", f"{APP}/snapshots/s1.tar", result["sha256"])
    assert verify.code == 0, verify.log

    restore = run_op(tmp_path, "restore", f"{APP}/snapshots/s1.tar", result["sha256"], f"{APP}/disks/restored")
    assert restore.code == 0, restore.log
    assert _tree(tmp_path / APP / "disks" / "restored") == _tree(tmp_path / APP / "disks" / "d1")
    assert _leftovers(tmp_path) == []


def test_corrupted_archive_fails_verify_and_restore_creates_nothing(tmp_path: Path) -> None:
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")
    sha = parse_result(run_op(tmp_path, "archive", f"{APP}/disks/d1", f"{APP}/snapshots/s1.tar").stdout)["sha256"]
    archive = tmp_path / APP / "snapshots" / "s1.tar"
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF  # one flipped byte inside the first file's content
    archive.write_bytes(bytes(data))

    verify = run_op(tmp_path, "verify", f"{APP}/snapshots/s1.tar", sha)
    assert verify.code == ScriptExit.CHECKSUM and "checksum mismatch" in verify.stderr
    restore = run_op(tmp_path, "restore", f"{APP}/snapshots/s1.tar", sha, f"{APP}/disks/restored")
    assert restore.code == ScriptExit.CHECKSUM, restore.log
    assert not (tmp_path / APP / "disks" / "restored").exists()
    assert _leftovers(tmp_path) == []


def test_unreadable_archive_with_matching_checksum_is_bad_archive(tmp_path: Path) -> None:
    """An archive whose bytes match the record but are no tar (e.g. written by something else) is refused."""
    archive = tmp_path / APP / "snapshots" / "junk.tar"
    archive.parent.mkdir(parents=True)
    archive.write_bytes(b"this is not a tar archive\n" * 40)
    sha = hashlib.sha256(archive.read_bytes()).hexdigest()
    run = run_op(tmp_path, "restore", f"{APP}/snapshots/junk.tar", sha, f"{APP}/disks/restored")
    assert run.code == ScriptExit.BAD_ARCHIVE, run.log
    assert not (tmp_path / APP / "disks" / "restored").exists()
    assert _leftovers(tmp_path) == []


def test_restore_of_missing_archive(tmp_path: Path) -> None:
    run = run_op(tmp_path, "restore", f"{APP}/snapshots/none.tar", "0" * 64, f"{APP}/disks/r")
    assert run.code == ScriptExit.MISSING
    assert not (tmp_path / APP / "disks" / "r").exists()


def test_archive_on_a_full_disk_fails_and_leaves_nothing(tmp_path: Path) -> None:
    """The archive outgrows the space left (file size capped at 8 KiB): write error, no archive, no temporary."""
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")  # 16 KiB of data
    run = run_op(tmp_path, "archive", f"{APP}/disks/d1", f"{APP}/snapshots/s1.tar", max_file_bytes=8192)
    assert run.code == ScriptExit.WRITE_FAILED, run.log
    assert "writing archive" in run.stderr
    assert not (tmp_path / APP / "snapshots" / "s1.tar").exists()
    assert _leftovers(tmp_path) == []


def test_copy_on_a_full_disk_fails_and_leaves_nothing(tmp_path: Path) -> None:
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")
    run = run_op(tmp_path, "copy", f"{APP}/disks/d1", f"{APP}/disks/clone", max_file_bytes=4096)
    assert run.code == ScriptExit.WRITE_FAILED, run.log
    assert not (tmp_path / APP / "disks" / "clone").exists()
    assert _leftovers(tmp_path) == []


def test_base_path_not_writable(tmp_path: Path) -> None:
    """A file where the app's directory must go: nothing can be created under it."""
    (tmp_path / "k4x-abc123-app1-def456").write_text("in the way")
    run = run_op(tmp_path, "create", f"{APP}/disks/d1")
    assert run.code == ScriptExit.NOT_WRITABLE, run.log
    missing = run_op(tmp_path / "absent", "create", "x/disks/d1")
    assert missing.code == ScriptExit.NOT_WRITABLE and "not a directory" in missing.stderr


def test_delete_removes_disks_and_archives_and_missing_is_success(tmp_path: Path) -> None:
    run_op(tmp_path, "create", f"{APP}/disks/d1")
    _fill(tmp_path / APP / "disks" / "d1")
    run_op(tmp_path, "archive", f"{APP}/disks/d1", f"{APP}/snapshots/s1.tar")
    for target in (f"{APP}/disks/d1", f"{APP}/snapshots/s1.tar", f"{APP}/disks/never"):
        run = run_op(tmp_path, "delete", target)
        assert run.code == 0, run.log
    assert not (tmp_path / APP / "disks" / "d1").exists()
    assert not (tmp_path / APP / "snapshots" / "s1.tar").exists()


@pytest.mark.parametrize("bad", ["", "/etc", "..", "../x", "a/../../x", "a/.."])
def test_bad_paths_are_refused(tmp_path: Path, bad: str) -> None:
    (tmp_path / "keep").write_text("x")
    run = run_op(tmp_path, "delete", bad)
    assert run.code == ScriptExit.USAGE, run.log
    assert (tmp_path / "keep").exists()


def test_unknown_operation(tmp_path: Path) -> None:
    run = run_op(tmp_path, "format", "x")
    assert run.code == ScriptExit.USAGE and "unknown operation" in run.stderr
