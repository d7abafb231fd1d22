"""The AKS driver: factory and the 22 contract methods (driver-aks.md §3, drivers.md §3)."""

from __future__ import annotations

from typing import Any

from kompox.domain.model import (
    App,
    AppVolume,
    Cluster,
    ClusterStatus,
    DNSRecordSet,
    NodePool,
    Provider,
    VolumeClass,
    VolumeDisk,
    VolumeSnapshot,
    Workspace,
)
from kompox.domain.naming import NIL_WORKSPACE
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
    refuse_force,
)
from kompox.providers.aks import cluster as cluster_ops
from kompox.providers.aks import install as install_ops
from kompox.providers.aks import nodepool as nodepool_ops
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.cluster_dns import dns_apply
from kompox.providers.aks.context import AKSContext
from kompox.providers.aks.kube_seam import KubeConnector
from kompox.providers.aks.naming import AKSNames, resource_prefix
from kompox.providers.aks.settings import parse_provider_settings
from kompox.providers.aks.span import Progress
from kompox.providers.aks.volume import backend_for_type, backend_for_volume, new_backends, sort_disks
from kompox.providers.aks.volume_backend import VolumeBackend

DRIVER_ID = "aks"


class AKSDriver:
    """One instance per operation; holds validated settings, never caches cloud state."""

    def __init__(
        self,
        workspace: Workspace | None,
        provider: Provider,
        *,
        credential: Any | None = None,
        client_kwargs: dict[str, Any] | None = None,
        kube_connector: KubeConnector | None = None,
        progress: Progress | None = None,
    ) -> None:
        settings = parse_provider_settings(provider.settings)
        self._workspace_name = workspace.name if workspace is not None else NIL_WORKSPACE
        self._provider_name = provider.name
        prefix = resource_prefix(self._workspace_name, provider.name, settings.resource_prefix_override)
        self._ctx = AKSContext(
            settings=settings,
            names=AKSNames(self._workspace_name, provider.name, prefix),
            clients=AzureClients(settings, credential, client_kwargs),
            progress=progress,
            kube_connector=kube_connector,
        )
        self._backends: dict[str, VolumeBackend] = new_backends(self._ctx)

    # identity
    def id(self) -> str:
        return DRIVER_ID

    def workspace_name(self) -> str:
        return self._workspace_name

    def provider_name(self) -> str:
        return self._provider_name

    def resource_group_base_name(self) -> str:
        """The resource prefix (upstream ``ResourceGroupBaseName``)."""
        return self._ctx.names.prefix

    @property
    def names(self) -> AKSNames:
        return self._ctx.names

    # cluster
    def cluster_provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None:
        cluster_ops.provision(self._ctx, cluster, opts)

    def cluster_deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None:
        cluster_ops.deprovision(self._ctx, cluster, opts)

    def cluster_status(self, cluster: Cluster) -> ClusterStatus:
        return cluster_ops.status(self._ctx, cluster)

    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
        refuse_force(opts, "ClusterInstall", "aks", "install re-applies every step on each run")
        install_ops.install(self._ctx, cluster, opts)

    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
        refuse_force(opts, "ClusterUninstall", "aks", "uninstall always removes everything install added")
        install_ops.uninstall(self._ctx, cluster, opts)

    def cluster_kubeconfig(self, cluster: Cluster) -> bytes:
        return cluster_ops.kubeconfig(self._ctx, cluster)

    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None:
        dns_apply(self._ctx, cluster, rset, opts)

    # volumes
    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        refuse_force(opts, "VolumeDiskList", "aks", "nothing in a listing can be forced")
        return sort_disks(backend_for_volume(self._backends, app, vol_name).disk_list(cluster, app, vol_name))

    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        refuse_force(opts, "VolumeDiskCreate", "aks", "an existing name is never overwritten")
        backend = backend_for_volume(self._backends, app, vol_name)
        return backend.disk_create(cluster, app, vol_name, disk_name, source, opts or VolumeDiskCreateOptions())

    def volume_disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None:
        backend_for_volume(self._backends, app, vol_name).disk_delete(cluster, app, vol_name, disk_name)

    def volume_disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None:
        refuse_force(opts, "VolumeDiskAssign", "aks", "assigning is always allowed")
        backend_for_volume(self._backends, app, vol_name).disk_assign(cluster, app, vol_name, disk_name)

    def volume_snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]:
        refuse_force(opts, "VolumeSnapshotList", "aks", "nothing in a listing can be forced")
        return backend_for_volume(self._backends, app, vol_name).snapshot_list(cluster, app, vol_name)

    def volume_snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot:
        refuse_force(opts, "VolumeSnapshotCreate", "aks", "an existing name is never overwritten")
        backend = backend_for_volume(self._backends, app, vol_name)
        return backend.snapshot_create(cluster, app, vol_name, snap_name, source)

    def volume_snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None:
        refuse_force(opts, "VolumeSnapshotDelete", "aks", "a snapshot delete is never refused")
        backend_for_volume(self._backends, app, vol_name).snapshot_delete(cluster, app, vol_name, snap_name)

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        return backend_for_type(self._backends, vol.type).volume_class(cluster, app, vol)

    # node pools
    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        return nodepool_ops.node_pool_list(self._ctx, cluster, opts)

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        refuse_force(opts, "NodePoolCreate", "aks", "the pool is created as given")
        return nodepool_ops.node_pool_create(self._ctx, cluster, pool)

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        refuse_force(opts, "NodePoolUpdate", "aks", "immutable fields cannot be changed by force")
        return nodepool_ops.node_pool_update(self._ctx, cluster, pool)

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        refuse_force(opts, "NodePoolDelete", "aks", "a pool delete is never refused")
        nodepool_ops.node_pool_delete(self._ctx, cluster, pool_name)


def new_aks_driver(workspace: Workspace | None, provider: Provider) -> AKSDriver:
    """Registry factory: validates settings up front; no network I/O, credential built on first use."""
    return AKSDriver(workspace, provider)
