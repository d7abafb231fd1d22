"""``app move`` between two K3s clusters is refused (exit 5) before any request to either API server."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_project import CliProject, isolate_env, one_error, write_project
from kmock_server import KMockThread

KOM = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata: {name: demo, annotations: {ops.kompox.dev/id: /ws/demo}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata: {name: k3s1, annotations: {ops.kompox.dev/id: /ws/demo/prv/k3s1}}
spec: {driver: k3s}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: home, annotations: {ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home}}
spec: {existing: true, settings: {KUBECONFIG: kube/home.yaml}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: away, annotations: {ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/away}}
spec: {existing: true, settings: {KUBECONFIG: kube/away.yaml}}
"""

APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata: {name: web, annotations: {ops.kompox.dev/id: /ws/demo/prv/k3s1/cls/home/app/web}}
spec:
  compose: file:compose.yml
  volumes:
    - {name: data, size: 1Gi}
"""


def test_k3s_to_k3s_is_refused_with_zero_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home, away = KMockThread().start(), KMockThread().start()
    try:
        root = tmp_path / "proj"
        compose = "services:\n  web:\n    image: nginx\n    volumes: ['data:/data']\n"
        write_project(root, kom=KOM, app=APP, compose=compose, config="version: 1\nstore:\n  type: local\n")
        (root / "kube").mkdir()
        (root / "kube" / "home.yaml").write_bytes(home.kubeconfig)
        (root / "kube" / "away.yaml").write_bytes(away.kubeconfig)
        isolate_env(monkeypatch, home=tmp_path / "home")
        monkeypatch.chdir(root)
        p = CliProject(root, capsys)
        for extra in ((), ("--dry-run",)):
            line = one_error(
                p.run("app", "move", "--to-cluster", "away", *extra),
                5,
                "app move from cluster home to cluster away: not supported by the k3s driver: a localpath disk "
                "lives on one node of its cluster",
            )
            assert "copy the data yourself, then disk create/assign there" in line
        assert home.requests() == [] and away.requests() == []
    finally:
        away.stop()
        home.stop()
