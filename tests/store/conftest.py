"""Fixtures of the store suite: every test that takes ``db_url`` runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from :mod:`pg_server` (started once per session, stopped at the end).  Outside CI a
machine without the server binaries skips the PostgreSQL half with the reason shown; with ``CI=true``
an unavailable server fails those tests instead.  The summary prints how many store tests passed per backend.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from pg_server import PgServer, PgUnavailable

_PASSED: Counter[str] = Counter()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = PgServer()
        server.start()
    except PgUnavailable as err:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL test server unavailable in CI: {err}")
        pytest.skip(f"PostgreSQL test server unavailable: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:{tmp_path / 'kompox.db'}"
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "tests/store/" in report.nodeid.replace("\\", "/"):
        params = report.nodeid.rpartition("[")[2].rstrip("]").split("-")
        for backend in ("sqlite", "postgresql"):
            if backend in params:
                _PASSED[backend] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _PASSED:
        terminalreporter.write_line(
            f"store suite: {_PASSED['sqlite']} passed on SQLite, {_PASSED['postgresql']} passed on PostgreSQL"
        )
