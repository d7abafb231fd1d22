"""kmock on 127.0.0.1 and a K3s driver whose cluster settings point at it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))

import kmock_fixtures
from kmock_server import KMockThread

server = kmock_fixtures.server


@pytest.fixture()
def kmock_rollout() -> str:
    """Deployments roll out at once on the kmock server."""
    return "ready"


@pytest.fixture()
def kubeconfig_file(server: KMockThread, tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig.yaml"
    path.write_bytes(server.kubeconfig)
    return path
