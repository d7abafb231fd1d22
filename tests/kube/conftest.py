from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from kmock_server import KMockThread

from kompox.kube.client import KubeClient
from kompox.kube.transport import RetryPolicy


@pytest.fixture()
def server() -> Iterator[KMockThread]:
    srv = KMockThread().start()
    try:
        yield srv
    finally:
        srv.stop()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture()
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture()
def client(server: KMockThread, sleeps: Sleeps) -> Iterator[KubeClient]:
    kc = KubeClient(server.kubeconfig, timeout=5, retry=RetryPolicy(sleep=sleeps))
    try:
        yield kc
    finally:
        kc.close()
