"""The reference driver's harness for the volume contract suite."""

from __future__ import annotations

from kompox.domain.model import Provider, Workspace

from .harness import VolumeHarness, contract_app, contract_clusters
from .reference_driver import ReferenceCloud, ReferenceDriver


def make_reference_harness() -> VolumeHarness:
    cloud = ReferenceCloud()
    workspace = Workspace(id="/ws/ws1", name="ws1")
    provider = Provider(id="/ws/ws1/prv/ref1", name="ref1", workspace_id=workspace.id, driver="reference")
    cluster, other = contract_clusters(provider.id)
    app = contract_app(cluster)
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
