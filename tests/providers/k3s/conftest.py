"""kmock on 127.0.0.1 and a K3s driver whose cluster settings point at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))

import kmock_fixtures
from kmock_server import KMockThread

from .localpath_fixtures import K3sVolumeCluster, make_cluster

server = kmock_fixtures.server


@pytest.fixture()
def k3s() -> Iterator[K3sVolumeCluster]:
    """A K3s cluster of its own kmock server and node directories (see localpath_fixtures)."""
    cluster = make_cluster()
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.fixture()
def kmock_rollout() -> str:
    """Deployments roll out at once on the kmock server."""
    return "ready"


@pytest.fixture()
def kubeconfig_file(server: KMockThread, tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig.yaml"
    path.write_bytes(server.kubeconfig)
    return path
