"""Volume use cases over the reference driver (built through the registry, as the CLI builds it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from contract.volume.reference_cloud import ReferenceCloud
from contract.volume.reference_driver import reference_factory
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, Provider, Workspace
from kompox.domain.ports import Driver
from kompox.providers import registry

DRIVER_ID = "reference-usecase-test"
GIB = 1 << 30


@dataclass
class World:
    cloud: ReferenceCloud
    port: Driver
    cluster: Cluster
    app: App

    def calls(self, name: str) -> int:
        return self.cloud.calls.count(name)


@pytest.fixture
def world() -> Iterator[World]:
    cloud = ReferenceCloud()
    registry.register(DRIVER_ID, reference_factory(cloud))
    ws = Workspace(id="/ws/w1", name="w1")
    prv = Provider(id="/ws/w1/prv/p1", name="p1", workspace_id=ws.id, driver=DRIVER_ID)
    cluster = Cluster(id="/ws/w1/prv/p1/cls/c1", name="c1", provider_id=prv.id)
    app = App(
        id="/ws/w1/prv/p1/cls/c1/app/app1",
        name="app1",
        cluster_id=cluster.id,
        volumes=[AppVolume("db", 10 * GIB, options={"sku": "Premium_LRS"}), AppVolume("share", GIB, type="files")],
        deployment=AppDeployment(zone="1"),
    )
    port = registry.new_driver(ws, prv)
    try:
        yield World(cloud, port, cluster, app)
    finally:
        registry._REGISTRY.pop(DRIVER_ID, None)
