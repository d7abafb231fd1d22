"""The click-free answers of the console script equal what click prints, at every terminal width."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kompox.cli.main import run
from kompox.cli.quick import quick_answer

SRC = str(Path(__file__).resolve().parents[2] / "src")


def click_output(
    args: list[str], columns: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    assert run(args) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]])
def test_root_help_matches_click_at_every_width(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answered = 0
    for columns in range(40, 131, 3):
        quick = quick_answer(args, columns)
        if quick is None:
            continue  # click would re-wrap: the entry point lets click render it
        answered += 1
        assert quick == click_output(args, columns, monkeypatch, capsys), f"COLUMNS={columns}"
    assert answered > 10  # the usual widths (80 and up) are answered quickly
    assert quick_answer(args, 80) is not None


def test_narrow_terminals_fall_back_to_click() -> None:
    assert quick_answer(["--help"], 50) is None


@pytest.mark.parametrize("args", [["version"], ["--version"], ["-v"], ["options"]])
def test_version_and_options_match_click(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert quick_answer(args) == click_output(args, 80, monkeypatch, capsys)


@pytest.mark.parametrize(
    "args", [["version", "--help"], ["--debug", "version"], ["app"], ["--help", "app"], ["options", "--help"]]
)
def test_other_command_lines_go_to_click(args: list[str]) -> None:
    assert quick_answer(args) is None


@pytest.mark.parametrize("args", [["--help"], ["version"], ["options"]])
def test_entry_point_imports_no_click(args: list[str], tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from kompox.cli import quick\n"
        f"sys.argv = ['kompoxops', *{args!r}]\n"
        "try:\n"
        "    quick.main()\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'kubernetes', 'azure', 'yaml'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy) + '\\n')\n"
    )
    env = {**os.environ, "COLUMNS": "80", "PYTHONPATH": SRC}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY=\n" in proc.stderr
    starts = {"--help": "Usage: kompoxops", "version": "kompoxops version ", "options": "Global flags ("}
    assert proc.stdout.startswith(starts[args[0]])


def test_entry_point_runs_real_commands_through_click(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    code = "import sys; sys.argv = ['kompoxops', 'version', '--bogus']; from kompox.cli import quick; quick.main()"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path, env=env
    )
    assert proc.returncode == 2 and proc.stderr.startswith("Error: ")


def test_entry_point_with_stdout_closed_exits_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": SRC}
    code = "import sys; sys.argv = ['kompoxops', '--help']; from kompox.cli import quick; quick.main()"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env=env,
        close_fds=True,
        preexec_fn=lambda: os.close(1),
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
