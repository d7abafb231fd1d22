"""The reference driver's harness for the volume contract suite."""

from __future__ import annotations

from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, Provider, Workspace

from .harness import DISK_SIZE, DISK_VOLUME, FILES_SIZE, FILES_VOLUME, VolumeHarness
from .reference_driver import ReferenceCloud, ReferenceDriver


def make_reference_harness() -> VolumeHarness:
    cloud = ReferenceCloud()
    workspace = Workspace(id="/ws/ws1", name="ws1")
    provider = Provider(id="/ws/ws1/prv/ref1", name="ref1", workspace_id=workspace.id, driver="reference")
    cluster = Cluster(id="/ws/ws1/prv/ref1/cls/cluster1", name="cluster1", provider_id=provider.id)
    other = Cluster(id="/ws/ws1/prv/ref1/cls/cluster2", name="cluster2", provider_id=provider.id)
    app = App(
        id="/ws/ws1/prv/ref1/cls/cluster1/app/app1",
        name="app1",
        cluster_id=cluster.id,
        volumes=[
            AppVolume(name=DISK_VOLUME, size=DISK_SIZE),
            AppVolume(name=FILES_VOLUME, size=FILES_SIZE, type="files"),
        ],
        deployment=AppDeployment(zone="1"),
    )
    return VolumeHarness(
        name="reference",
        driver=ReferenceDriver(cloud, workspace, provider),
        cluster=cluster,
        app=app,
        supports_files=True,
        advance_clock=cloud.advance,
        other_cluster=other,
        source_of=lambda handle: _source_of(cloud, handle),
    )


def _source_of(cloud: ReferenceCloud, handle: str) -> str:
    resource = cloud.by_id(handle)
    if resource is None:
        raise KeyError(f"no resource with handle {handle}")
    return resource.source_id
