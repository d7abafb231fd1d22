"""The project of the ``app`` CLI tests (no tests here).

A K3s project whose cluster setting ``KUBECONFIG`` (relative to the project
root) points at a local fake API server; one app ``web`` without volumes.
The machinery is :mod:`cli_project`'s.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from cli_project import KubeProject, k3s_kom, kube_project, web_app

from kompox.kube.convert import app_names

KOM = k3s_kom("domain: home.example.com")

APP = web_app("www.example.org")

COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports:
      - "8080:80"
  cache:
    image: redis:7
"""

NAMES = app_names("demo", "k3s1", "home", "web")
NS = NAMES.namespace


def app_project(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    *,
    rollout: str | None = None,
) -> AbstractContextManager[KubeProject]:
    """The app project in ``tmp_path/proj`` against a fresh kmock server (see :func:`cli_project.kube_project`)."""
    return kube_project(tmp_path, monkeypatch, capsys, kom=KOM, app=APP, compose=COMPOSE, rollout=rollout)


@contextmanager
def ws_app_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kubeconfig: bytes
) -> Iterator[KubeProject]:
    """:func:`app_project` whose cluster ``KUBECONFIG`` is ``kubeconfig`` (the websocket fake's, ``kube/ws.yaml``)."""
    with app_project(tmp_path, monkeypatch, capsys) as p:
        (p.root / "kube" / "ws.yaml").write_bytes(kubeconfig)
        p.configure("kube/ws.yaml")
        yield p
