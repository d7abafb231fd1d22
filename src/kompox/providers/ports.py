"""Port adapters: ClusterPort, VolumePort and NodePoolPort backed by the driver registry.

Each call resolves the cluster's provider (and workspace), builds a fresh
driver through the registry and delegates (drivers.md §8).  Unlike upstream,
a workspace lookup failure is an error, never a silent ``(nil)`` workspace
that would change every hash (drivers.md §8.3 recommendation).
"""

from __future__ import annotations

from kompox.domain.errors import KompoxError, NotFoundError
from kompox.domain.model import (
    App,
    Cluster,
    ClusterStatus,
    DNSRecordSet,
    NodePool,
    VolumeDisk,
    VolumeSnapshot,
    Workspace,
)
from kompox.domain.options import (
    ClusterDeprovisionOptions,
    ClusterDNSApplyOptions,
    ClusterInstallOptions,
    ClusterProvisionOptions,
    ClusterUninstallOptions,
    NodePoolCreateOptions,
    NodePoolDeleteOptions,
    NodePoolListOptions,
    NodePoolUpdateOptions,
    VolumeDiskAssignOptions,
    VolumeDiskCreateOptions,
    VolumeDiskDeleteOptions,
    VolumeDiskListOptions,
    VolumeSnapshotCreateOptions,
    VolumeSnapshotDeleteOptions,
    VolumeSnapshotListOptions,
)
from kompox.domain.ports import Driver, ProviderRepository, WorkspaceRepository
from kompox.providers.registry import new_driver


class DriverResolver:
    """Builds the driver responsible for a cluster."""

    def __init__(self, workspaces: WorkspaceRepository, providers: ProviderRepository) -> None:
        self._workspaces = workspaces
        self._providers = providers

    def for_cluster(self, cluster: Cluster | None) -> Driver:
        if cluster is None:
            raise KompoxError("cluster is nil")
        try:
            provider = self._providers.get(cluster.provider_id)
        except NotFoundError as err:
            raise NotFoundError(f"failed to get provider {cluster.provider_id}: {err}") from err
        workspace: Workspace | None = None
        if provider.workspace_id:
            try:
                workspace = self._workspaces.get(provider.workspace_id)
            except NotFoundError as err:
                raise NotFoundError(
                    f"failed to get workspace {provider.workspace_id} of provider {provider.name}: {err}"
                ) from err
        return new_driver(workspace, provider)


class ClusterPortAdapter:
    def __init__(self, resolver: DriverResolver) -> None:
        self._resolver = resolver

    def status(self, cluster: Cluster) -> ClusterStatus:
        return self._resolver.for_cluster(cluster).cluster_status(cluster)

    def provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).cluster_provision(cluster, opts)

    def deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).cluster_deprovision(cluster, opts)

    def install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).cluster_install(cluster, opts)

    def uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).cluster_uninstall(cluster, opts)

    def dns_apply(self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).cluster_dns_apply(cluster, rset, opts)


class VolumePortAdapter:
    def __init__(self, resolver: DriverResolver) -> None:
        self._resolver = resolver

    def disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        return self._resolver.for_cluster(cluster).volume_disk_list(cluster, app, vol_name, opts)

    def disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        return self._resolver.for_cluster(cluster).volume_disk_create(cluster, app, vol_name, disk_name, source, opts)

    def disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None:
        self._resolver.for_cluster(cluster).volume_disk_delete(cluster, app, vol_name, disk_name, opts)

    def disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None:
        self._resolver.for_cluster(cluster).volume_disk_assign(cluster, app, vol_name, disk_name, opts)

    def snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]:
        return self._resolver.for_cluster(cluster).volume_snapshot_list(cluster, app, vol_name, opts)

    def snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot:
        return self._resolver.for_cluster(cluster).volume_snapshot_create(
            cluster, app, vol_name, snap_name, source, opts
        )

    def snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None:
        self._resolver.for_cluster(cluster).volume_snapshot_delete(cluster, app, vol_name, snap_name, opts)


class NodePoolPortAdapter:
    def __init__(self, resolver: DriverResolver) -> None:
        self._resolver = resolver

    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        return self._resolver.for_cluster(cluster).node_pool_list(cluster, opts)

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        return self._resolver.for_cluster(cluster).node_pool_create(cluster, pool, opts)

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        return self._resolver.for_cluster(cluster).node_pool_update(cluster, pool, opts)

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        self._resolver.for_cluster(cluster).node_pool_delete(cluster, pool_name, opts)
