"""Fixtures shared by the CLI tests (the project helpers are :mod:`cli_project` and :mod:`app_cli_project`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_cli_project import app_project
from cli_project import KubeProject


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[KubeProject]:
    """The ``app`` project against kmock whose rollouts become ready (modules needing another project override it)."""
    with app_project(tmp_path, monkeypatch, capsys, rollout="ready") as p:
        yield p


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The poll sleeps of a wait (recorded, not slept)."""
    recorded: list[float] = []
    monkeypatch.setattr("time.sleep", recorded.append)
    return recorded
