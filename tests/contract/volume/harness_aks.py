"""The AKS driver's harness for the volume contract suite.

The real AKS driver and the real azure-mgmt clients talk to the stateful fake
ARM of ``tests/providers/aks/fake_arm_volumes.py`` through the azure-core
transport; the fake's clock is the harness clock.
"""

from __future__ import annotations

from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, Provider, Workspace
from kompox.providers.aks import AKSDriver
from kompox.providers.aks.arm_template import OUT_AKS_CLUSTER_PRINCIPAL_ID, OUT_AKS_KUBELET_PRINCIPAL_ID
from providers.aks.fake_arm import FakeCredential, client_kwargs
from providers.aks.fake_arm_volumes import FakeVolumeARM

from .harness import DISK_SIZE, DISK_VOLUME, FILES_SIZE, FILES_VOLUME, VolumeHarness

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
LOCATION = "japaneast"
SETTINGS = {"AZURE_SUBSCRIPTION_ID": SUBSCRIPTION, "AZURE_LOCATION": LOCATION, "AZURE_AUTH_METHOD": "azure_cli"}


def principals(cluster: Cluster) -> dict[str, str]:
    """Deployment outputs naming the cluster's identities (distinct per cluster)."""
    return {
        OUT_AKS_CLUSTER_PRINCIPAL_ID: f"cluster-principal-{cluster.name}",
        OUT_AKS_KUBELET_PRINCIPAL_ID: f"kubelet-principal-{cluster.name}",
    }


def make_aks_driver(fake: FakeVolumeARM, settings: dict[str, str] | None = None) -> AKSDriver:
    return AKSDriver(
        Workspace(id="/ws/ws1", name="ws1"),
        Provider(
            id="/ws/ws1/prv/aks1", name="aks1", workspace_id="/ws/ws1", driver="aks", settings=settings or SETTINGS
        ),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(fake),
        progress=lambda _line: None,
    )


def make_aks_harness() -> VolumeHarness:
    fake = FakeVolumeARM(location=LOCATION)
    driver = make_aks_driver(fake)
    cluster = Cluster(id="/ws/ws1/prv/aks1/cls/cluster1", name="cluster1", provider_id="/ws/ws1/prv/aks1")
    other = Cluster(id="/ws/ws1/prv/aks1/cls/cluster2", name="cluster2", provider_id="/ws/ws1/prv/aks1")
    for c in (cluster, other):
        fake.deployments[driver.names.deployment_name(c)] = principals(c)
    app = App(
        id="/ws/ws1/prv/aks1/cls/cluster1/app/app1",
        name="app1",
        cluster_id=cluster.id,
        volumes=[
            AppVolume(name=DISK_VOLUME, size=DISK_SIZE),
            AppVolume(name=FILES_VOLUME, size=FILES_SIZE, type="files"),
        ],
        deployment=AppDeployment(zone="1"),
    )
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
