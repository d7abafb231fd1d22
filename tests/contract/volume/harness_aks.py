"""The AKS driver's harness for the volume contract suite.

The real AKS driver and the real azure-mgmt clients talk to the stateful fake
ARM of ``tests/providers/aks/fake_arm_volumes.py`` through the azure-core
transport; the fake's clock is the harness clock.
"""

from __future__ import annotations

from collections.abc import Callable

from kompox.domain.model import Cluster, Provider, Workspace
from kompox.providers.aks import AKSDriver
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_PRINCIPAL_ID, OUT_AKS_KUBELET_PRINCIPAL_ID
from providers.aks.fake_arm import FakeCredential, client_kwargs
from providers.aks.fake_arm_volumes import FakeVolumeARM

from .harness import VolumeHarness, contract_app, contract_clusters

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
LOCATION = "japaneast"
SETTINGS = {"AZURE_SUBSCRIPTION_ID": SUBSCRIPTION, "AZURE_LOCATION": LOCATION, "AZURE_AUTH_METHOD": "azure_cli"}


def principals(cluster: Cluster) -> dict[str, str]:
    """Deployment outputs naming the cluster's identities (distinct per cluster)."""
    return {
        OUT_AKS_CLUSTER_PRINCIPAL_ID: f"cluster-principal-{cluster.name}",
        OUT_AKS_KUBELET_PRINCIPAL_ID: f"kubelet-principal-{cluster.name}",
    }


def make_aks_driver(
    fake: FakeVolumeARM, settings: dict[str, str] | None = None, progress: Callable[[str], None] | None = None
) -> AKSDriver:
    return AKSDriver(
        Workspace(id="/ws/ws1", name="ws1"),
        Provider(
            id="/ws/ws1/prv/aks1", name="aks1", workspace_id="/ws/ws1", driver="aks", settings=settings or SETTINGS
        ),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(fake),
        progress=progress or (lambda _line: None),
    )


def make_aks_harness() -> VolumeHarness:
    fake = FakeVolumeARM(location=LOCATION)
    driver = make_aks_driver(fake)
    cluster, other = contract_clusters("/ws/ws1/prv/aks1")
    for c in (cluster, other):
        fake.deployments[driver.names.deployment_name(c)] = principals(c)
    app = contract_app(cluster)
    return VolumeHarness(
        name="aks",
        driver=driver,
        cluster=cluster,
        app=app,
        supports_files=True,
        advance_clock=fake.advance,
        other_cluster=other,
        source_of=fake.source_of,
    )
