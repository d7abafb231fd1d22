"""Per-run logging: settings precedence, file naming, run records, spans, masking, retention."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest

from kompox.cli.runtime import project_log_defaults
from kompox.domain.errors import ValidationError
from kompox.kom.project import LoggingConfig, ProjectConfig, ProjectEnv
from kompox.logging import (
    LogSettings,
    cleanup_old_logs,
    log_file_name,
    parse_level,
    register_secret,
    resolve_log_settings,
    setup_run_logging,
    span,
)


def _project(tmp_path: Path, logging_cfg: LoggingConfig) -> LogSettings:
    env = ProjectEnv(root=tmp_path, dir=tmp_path, config=ProjectConfig(logging=logging_cfg))
    return project_log_defaults(env)


def test_precedence_flag_over_env_over_config(tmp_path: Path) -> None:
    cfg = _project(tmp_path, LoggingConfig(format="human", level="debug", dir="$KOMPOX_DIR/x", retention_days=3))
    s = resolve_log_settings(flags={"format": "", "level": "", "output": ""}, env={}, defaults=cfg)
    assert (s.format, s.level, s.dir, s.retention_days) == ("human", "debug", tmp_path / "x", 3)
    s = resolve_log_settings(
        flags={"format": "json", "level": "", "output": "-"},
        env={"KOMPOX_LOG_LEVEL": "error", "KOMPOX_LOG_FORMAT": "human", "KOMPOX_LOG_DIR": str(tmp_path / "e")},
        defaults=cfg,
    )
    assert (s.format, s.level, s.output, s.dir) == ("json", "error", "-", tmp_path / "e")


def test_non_positive_retention_in_config_means_default(tmp_path: Path) -> None:
    s = resolve_log_settings(flags={}, env={}, defaults=_project(tmp_path, LoggingConfig(retention_days=0)))
    assert s.retention_days == 7 and s.dir == tmp_path / "logs"


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValidationError, match="unsupported log format: xml"):
        resolve_log_settings(flags={"format": "xml"}, env={}, defaults=LogSettings(dir=Path("/tmp")))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("DEBUG", logging.DEBUG),
        ("warn", logging.WARNING),
        ("Warning", logging.WARNING),
        ("err", logging.ERROR),
        ("x", logging.INFO),
    ],
)
def test_level_parsing_is_lenient(text: str, level: int) -> None:
    assert parse_level(text) == level


def test_log_file_name_uses_utc_milliseconds() -> None:
    from datetime import UTC, datetime

    assert log_file_name(datetime(2025, 12, 13, 9, 51, 5, 123456, tzinfo=UTC)) == "kompoxops-20251213-095105-123.log"


@pytest.mark.usefixtures("group_readable_umask")
def test_json_records_run_id_span_and_masking(tmp_path: Path) -> None:
    run = setup_run_logging(LogSettings(dir=tmp_path))
    try:
        assert run.path is not None and run.path.parent == tmp_path and run.path.name.startswith("kompoxops-")
        register_secret("s3cr3t-token-value")
        run.logger.info("CMD", extra={"attrs": {"args": ["app", "deploy", "--token=s3cr3t-token-value"]}})
        run.logger.info("event", extra={"attrs": {"clientSecret": "abc", "name": "ok"}})
        with span("CMD:app.deploy", "/ws/w/prv/p/cls/c/app/a", logger=run.logger):
            pass
        with pytest.raises(RuntimeError), span("CMD:app.destroy", "/x", logger=run.logger):
            raise RuntimeError("a very long error message that exceeds thirty-two characters")
    finally:
        run.close()
    lines = [json.loads(x) for x in run.path.read_text().splitlines()]
    assert all(r["runId"] == run.run_id and len(run.run_id) == 12 for r in lines)
    assert list(lines[0])[:4] == ["time", "level", "msg", "runId"]
    assert lines[0]["args"][2] == "--token=***"
    assert lines[1]["clientSecret"] == "***" and lines[1]["name"] == "ok"
    assert [r["msg"] for r in lines[2:]] == [
        "CMD:app.deploy/S",
        "CMD:app.deploy/EOK",
        "CMD:app.destroy/S",
        "CMD:app.destroy/EFAIL",
    ]
    assert lines[3]["err"] == "" and isinstance(lines[3]["elapsed"], float)
    assert lines[5]["err"] == "a very long error message that e..."
    assert "s3cr3t" not in run.path.read_text()
    assert oct(run.path.stat().st_mode & 0o777) == "0o600"  # the log may hold resource names and errors


def test_output_none_writes_nothing(tmp_path: Path) -> None:
    run = setup_run_logging(LogSettings(dir=tmp_path, output="NONE"))
    run.logger.info("x")
    run.close()
    assert run.path is None and list(tmp_path.iterdir()) == []


def test_retention_deletes_only_old_kompoxops_logs(tmp_path: Path) -> None:
    old = tmp_path / "kompoxops-20200101-000000-000.log"
    new = tmp_path / "kompoxops-20990101-000000-000.log"
    other = tmp_path / "other.log"
    for p in (old, new, other):
        p.write_text("x")
    week_ago = time.time() - 8 * 86400
    os.utime(old, (week_ago, week_ago))
    os.utime(other, (week_ago, week_ago))
    assert cleanup_old_logs(tmp_path, 7) == 1
    assert not old.exists() and new.exists() and other.exists()
    assert cleanup_old_logs(tmp_path, 0) == 0
