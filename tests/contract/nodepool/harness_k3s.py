"""The K3s driver: no node-pool capability (every method raises "not implemented")."""

from __future__ import annotations

from kompox.domain.model import Cluster, ClusterIngress, Provider, Workspace
from kompox.providers.registry import new_driver

from .harness import NodePoolHarness


def make_k3s_harness() -> NodePoolHarness:
    driver = new_driver(Workspace(name="ws1"), Provider(name="k3s1", driver="k3s", settings={}))
    return NodePoolHarness(
        name="k3s",
        driver=driver,
        cluster=Cluster(name="home", ingress=ClusterIngress(), settings={}),
        capable=False,
    )
