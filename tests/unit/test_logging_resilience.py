"""Logging never stops a command, never leaks (issue #14 point 11).

An unusable log location gives one warning and the run goes on without a log
file; log files are created 0600; the logged argv has no secret flag values
and nothing after ``--``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import sys
from pathlib import Path

import pytest

from kompox.logging import MASK, LogSettings, _LogFileHandler, redact_argv, setup_run_logging

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "cli"))
from cli_project import isolate_env, run_cli  # noqa: E402


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["app", "exec", "--", "env", "PGPASSWORD=hunter2", "psql"], ["app", "exec", "--", MASK, MASK, MASK]),
        (["app", "tunnel", "-S", "db", "--", "psql", "--", "x"], ["app", "tunnel", "-S", "db", "--", MASK, MASK, MASK]),
        (["--token", "abc", "app", "status"], ["--token", MASK, "app", "status"]),
        (
            ["--client-secret=abc", "--api-key", "k", "--password"],
            ["--client-secret=***", "--api-key", MASK, "--password"],
        ),
        (["--db-url", "postgres://u:pw@h/db"], ["--db-url", "postgres://u:***@h/db"]),
        (["--db-url=postgresql://u:p@w@h:5/d"], ["--db-url=postgresql://u:***@h:5/d"]),
        (["--db-url", "file:kompoxops.yml", "-A", "/ws/w"], ["--db-url", "file:kompoxops.yml", "-A", "/ws/w"]),
        (["app", "validate", "--out-manifest", "-"], ["app", "validate", "--out-manifest", "-"]),
    ],
)
def test_redact_argv(argv: list[str], expected: list[str]) -> None:
    assert redact_argv(argv) == expected


def test_log_directory_that_cannot_be_created_turns_logging_off_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "logs"
    blocker.write_text("a file where the log directory should be")
    run = setup_run_logging(LogSettings(dir=blocker))
    run.logger.info("still fine")
    run.close()
    assert run.path is None
    assert run.warning.startswith(f"cannot write the log file {blocker}/kompoxops-")
    assert f"{blocker}: " in run.warning and run.warning.endswith("logging is off for this run")


def test_log_output_in_a_missing_directory_is_not_created(tmp_path: Path) -> None:
    run = setup_run_logging(LogSettings(dir=tmp_path / "logs", output=str(tmp_path / "missing" / "x.log")))
    run.close()
    assert run.path is None and "No such file or directory" in run.warning
    assert not (tmp_path / "missing").exists()


@pytest.mark.usefixtures("group_readable_umask")
def test_created_log_files_are_private(tmp_path: Path) -> None:
    for output in ("", "named.log"):
        run = setup_run_logging(LogSettings(dir=tmp_path / "logs", output=output))
        run.logger.info("x")
        run.close()
        assert run.path is not None and run.warning == ""
        assert run.path.stat().st_mode & 0o777 == 0o600


def test_a_failing_log_write_warns_once_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("/dev/full is needed to make writes fail")
    logger = logging.getLogger("kompox.test.full")
    logger.propagate = False
    stream = full.open("a", encoding="utf-8")
    handler = _LogFileHandler(stream, full)
    logger.addHandler(handler)
    try:
        for i in range(3):
            logger.warning("record %d", i)
        handler.flush()
    finally:
        logger.removeHandler(handler)
        with contextlib.suppress(OSError):
            stream.close()
    err = capsys.readouterr().err
    assert err.count("Warning: writing the log file /dev/full failed") == 1, err
    assert "Traceback" not in err and "Logging error" not in err


@pytest.fixture
def whoami(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "whoami"
    shutil.copytree(ROOT / "examples" / "whoami", root, ignore=shutil.ignore_patterns("logs"))
    isolate_env(monkeypatch, home=tmp_path / "home")
    monkeypatch.delenv("KOMPOX_LOG_OUTPUT")
    monkeypatch.chdir(root)
    return root


def test_unwritable_log_directory_does_not_stop_app_validate(
    whoami: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (whoami / ".kompox" / "logs").write_text("not a directory")
    result = run_cli(capsys, "app", "validate")
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "log file" in line]
    assert len(warnings) == 1 and warnings[0].startswith("Warning: cannot write the log file"), result.err
    assert "internal error" not in result.err


def test_log_output_to_a_missing_directory_does_not_stop_app_validate(
    whoami: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "--log-output", str(whoami / "nope" / "run.log"), "app", "validate")
    assert result.code == 0, result.err
    assert result.err.count("Warning: cannot write the log file") == 1, result.err


@pytest.mark.usefixtures("group_readable_umask")
def test_the_logged_command_line_hides_what_follows_the_double_dash(
    whoami: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(
        capsys, "--log-output", "run.log", "app", "exec", "--", "env", "PGPASSWORD=hunter2", "psql"
    )
    assert result.code != 0  # no cluster to reach; the start record is written before the command runs
    log = whoami / ".kompox" / "logs" / "run.log"
    assert log.stat().st_mode & 0o777 == 0o600
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0]["msg"] == "CMD" and records[0]["args"][-4:] == ["--", MASK, MASK, MASK]
    assert "hunter2" not in log.read_text()
