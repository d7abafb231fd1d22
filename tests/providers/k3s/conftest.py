"""kmock on 127.0.0.1 and a K3s driver whose cluster settings point at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))

from kmock_server import KMockThread


@pytest.fixture()
def server() -> Iterator[KMockThread]:
    srv = KMockThread(rollout="ready").start()
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture()
def kubeconfig_file(server: KMockThread, tmp_path: Path) -> Path:
    path = tmp_path / "kubeconfig.yaml"
    path.write_bytes(server.kubeconfig)
    return path
