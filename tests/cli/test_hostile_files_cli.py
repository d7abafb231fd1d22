"""Hostile input files (issue #14 point 9): each ends with one error line, exit 3, no traceback.

Devices, FIFOs and oversized files are refused by the readers before they
are read past their limit; alias bombs, deep nesting and self-including
compose files are refused by the loaders.  Cases that would hang or exhaust
memory without the fix run in a subprocess guarded by a timeout (a guard
against hanging the suite, not a speed assertion).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from kompox.kom.fs import read_regular_file

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))
from cli_project import Result, isolate_env, one_error, run_cli  # noqa: E402

WHOAMI = ROOT / "examples" / "whoami"
KOM_DIR = Path(".kompox") / "kom"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "whoami"
    shutil.copytree(WHOAMI, root, ignore=shutil.ignore_patterns("logs"))
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.chdir(root)
    return root


def validate_subprocess(root: Path) -> Result:
    """``kompoxops app validate`` in a child process (a hang or memory blow-up cannot take the suite down)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMPOX_")}
    done = subprocess.run(
        [sys.executable, "-m", "kompox.cli.main", "app", "validate"],
        capture_output=True,
        text=True,
        cwd=root,
        env={**env, "KOMPOX_LOG_OUTPUT": "none"},
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout, done.stderr)


def replace(path: Path, how: str) -> None:
    path.unlink(missing_ok=True)
    if how == "zero":
        path.symlink_to("/dev/zero")
    else:
        os.mkfifo(path)


@pytest.mark.parametrize(("how", "kind"), [("zero", "a character device"), ("fifo", "a FIFO")])
def test_compose_file_that_is_a_device_or_fifo_is_refused(project: Path, how: str, kind: str) -> None:
    replace(project / "compose.yml", how)
    line = one_error(validate_subprocess(project), 3, f"not a regular file (it is {kind})")
    assert "compose.yml" in line


@pytest.mark.parametrize(("how", "kind"), [("zero", "a character device"), ("fifo", "a FIFO")])
def test_kom_file_that_is_a_device_or_fifo_is_refused(project: Path, how: str, kind: str) -> None:
    replace(project / KOM_DIR / "hostile.yml", how)
    line = one_error(validate_subprocess(project), 3, f"not a regular file (it is {kind})")
    assert "hostile.yml" in line


@pytest.mark.parametrize("how", ["zero", "fifo"])
def test_app_file_that_is_a_device_or_fifo_is_refused(project: Path, how: str) -> None:
    replace(project / "kompoxapp.yml", how)
    one_error(validate_subprocess(project), 3, 'failed to load kompoxapp.yml from "./kompoxapp.yml": not a regular')


def test_compose_file_larger_than_the_cap_is_refused_without_reading_it_all(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (project / "compose.yml").open("r+b") as handle:
        handle.truncate(20 * 1024**3)  # sparse: 20 GiB by stat, nothing on disk
    one_error(run_cli(capsys, "app", "validate"), 3, "compose.yml\": exceeds maximum size (10485760 bytes)")


def _bomb() -> str:
    lines = ['x-a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"x-a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\nservices:\n  whoami:\n    image: nginx\n    labels:\n      bomb: *a9\n"


COMPOSE_CASES = {
    "alias bomb": (_bomb(), "yaml: document expands to more than 1000000 nodes (alias bomb?)"),
    "deep flow nesting": (
        "services: {whoami: {image: nginx}}\nx-deep: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "compose.yml:2: yaml: document nests deeper than 100 levels",
    ),
    "deep block nesting": (
        "services: {whoami: {image: nginx}}\nx-deep:\n  " + "- " * 50_000 + "x\n",
        "compose.yml:3: yaml: document nests deeper than 100 levels",
    ),
    "self-referencing anchor": ("x-a: &a [1, *a]\nservices: {whoami: {image: nginx}}\n", 'anchor "a" value contains'),
    "include of itself": (
        "include: [compose.yml]\nservices: {whoami: {image: nginx}}\n",
        "circular include: compose.yml -> compose.yml",
    ),
    "include cycle": (
        "include: [b.yml]\nservices: {whoami: {image: nginx}}\n",
        "circular include: compose.yml -> b.yml -> compose.yml",
    ),
    "not UTF-8": (
        b"services:\n  whoami:\n    image: \xff\xfe\n".decode("latin-1"),
        "compose.yml\": not valid UTF-8 (byte 31)",
    ),
}


@pytest.mark.parametrize("case", list(COMPOSE_CASES))
def test_hostile_compose_content_is_one_validation_error(
    project: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    text, expected = COMPOSE_CASES[case]
    (project / "compose.yml").write_bytes(text.encode("latin-1" if case == "not UTF-8" else "utf-8"))
    (project / "b.yml").write_text("include: [compose.yml]\nservices: {b: {image: nginx}}\n")
    one_error(run_cli(capsys, "app", "validate"), 3, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x: " + "[" * 50_000 + "]" * 50_000 + "\n", "exceeded maximum nesting depth"),  # libyaml's own limit
        ("x: " + "[" * 150 + "]" * 150 + "\n", "hostile.yml:1: document 1: YAML syntax error: document nests deeper"),
        ("x:\n  " + "- " * 50_000 + "x\n", "YAML syntax error"),
    ],
    ids=["flow-50000", "flow-150", "block-50000"],
)
def test_deeply_nested_kom_file_is_one_validation_error(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (project / KOM_DIR / "hostile.yml").write_text(text)
    one_error(run_cli(capsys, "app", "validate"), 3, expected)


def test_the_reader_caps_bytes_actually_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"x" * 11)
    assert read_regular_file(str(path), 11) == b"x" * 11
    with pytest.raises(OSError, match=r"exceeds maximum size \(10 bytes\)"):
        read_regular_file(str(path), 10)
    # /proc files are regular but report size 0: the cap still applies to what is read
    proc = Path("/proc/self/status")
    if proc.exists() and proc.stat().st_size == 0:
        assert len(read_regular_file(str(proc), 1 << 20)) > 0
        with pytest.raises(OSError, match="exceeds maximum size"):
            read_regular_file(str(proc), 8)


def test_the_reader_refuses_sockets_and_directories(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        read_regular_file(str(tmp_path), 10)
    sock_path = tmp_path / "s.yml"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(OSError, match=r"not a regular file \(it is a socket\)"):
            read_regular_file(str(sock_path), 10)


def test_the_reader_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match=r"not a regular file \(it is a FIFO\)"):
        read_regular_file(str(fifo), 10)  # without O_NONBLOCK the open would wait for a writer forever
