"""Shared pytest fixtures over the kmock harness (import them into a conftest or test module).

* ``server`` — a :class:`KMockThread` on 127.0.0.1, stopped after the test;
  its rollout mode comes from the ``kmock_rollout`` fixture (default: none;
  override it with ``"ready"`` where Deployments must roll out).
* ``sleeps`` — a recording ``sleep`` for the client's retry policy (no real waits).
* ``client`` — a :class:`~kompox.kube.client.KubeClient` on that server.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kmock_server import KMockThread

from kompox.kube.client import KubeClient
from kompox.kube.transport import RetryPolicy


@pytest.fixture()
def kmock_rollout() -> str | None:
    return None


@pytest.fixture()
def server(kmock_rollout: str | None) -> Iterator[KMockThread]:
    srv = KMockThread(rollout=kmock_rollout).start()
    try:
        yield srv
    finally:
        srv.stop()


class Sleeps(list[float]):
    """The retry sleeps a client asked for, in order."""

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
