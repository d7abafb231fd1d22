"""Shared project scaffolding of the ``app`` CLI tests (no tests here).

A K3s project whose cluster setting ``KUBECONFIG`` (relative to the project
root) points at a local fake API server; one app ``web`` without volumes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kompox.cli.main import run
from kompox.kube.convert import app_names

KOM = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: demo
  annotations:
    ops.kompox.dev/id: /ws/demo
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: k3s1
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1
spec:
  driver: k3s
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: home
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home
spec:
  existing: true
  ingress:
    domain: home.example.com
  settings:
    KUBECONFIG: {kubeconfig}
"""

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: web
  annotations:
    ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web
spec:
  compose: file:compose.yml
  ingress:
    rules:
      - name: http
        port: 8080
        hosts: [www.example.org]
"""

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


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Project:
    root: Path
    server: Any  # KMockThread
    capsys: pytest.CaptureFixture[str]

    def configure(self, kubeconfig: str = "kube/config.yaml") -> None:
        (self.root / ".kompox" / "kom" / "cluster.yml").write_text(KOM.format(kubeconfig=kubeconfig))

    def run(self, *args: str) -> Result:
        self.capsys.readouterr()
        code = run(list(args))  # child/remote exit codes come back as the return value
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def ok(self, *args: str) -> Result:
        result = self.run(*args)
        assert result.code == 0, result.err
        return result


def make_project(root: Path, server: Any) -> None:
    (root / ".kompox" / "kom").mkdir(parents=True)
    (root / ".kompox" / "config.yml").write_text("version: 1\n")
    (root / "kube").mkdir()
    (root / "kube" / "config.yaml").write_bytes(server.kubeconfig)
    (root / "kompoxapp.yml").write_text(APP)
    (root / "compose.yml").write_text(COMPOSE)


def one_error(r: Result, code: int, text: str) -> str:
    assert r.code == code, (r.code, r.err)
    errors = [line for line in r.err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "Traceback" not in r.err, r.err
    assert text in errors[0], errors[0]
    assert r.out == ""
    return errors[0]


def writes(server: Any) -> list[Any]:
    return [r for r in server.kube_requests() if r.method.upper() in ("POST", "PATCH", "PUT", "DELETE")]
