"""The K3s driver: clusters that already exist, reached by kubeconfig.

Current behaviour follows upstream (drivers.md §12): cluster lifecycle,
kubeconfig and volume methods raise a typed "not implemented" error naming the
method, DNS apply is a no-op, ``volume_class`` has no opinion and node pools
are not supported.  The kubeconfig-based cluster operations arrive with the
Kubernetes-side issue.
"""

from __future__ import annotations

from typing import NoReturn

from kompox.domain.errors import CapabilityNotImplementedError, DriverConfigError
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
)

DRIVER_ID = "k3s"


class K3sDriver:
    def __init__(self, workspace: Workspace | None, provider: Provider) -> None:
        self._workspace_name = workspace.name if workspace is not None else NIL_WORKSPACE
        self._provider = provider

    def _missing(self, method: str) -> NoReturn:
        raise CapabilityNotImplementedError(method, DRIVER_ID)

    # identity
    def id(self) -> str:
        return DRIVER_ID

    def workspace_name(self) -> str:
        return self._workspace_name

    def provider_name(self) -> str:
        return self._provider.name

    # cluster
    def cluster_provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None:
        self._missing("ClusterProvision")

    def cluster_deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None:
        self._missing("ClusterDeprovision")

    def cluster_status(self, cluster: Cluster) -> ClusterStatus:
        self._missing("ClusterStatus")

    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
        self._missing("ClusterInstall")

    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
        self._missing("ClusterUninstall")

    def cluster_kubeconfig(self, cluster: Cluster) -> bytes:
        self._missing("ClusterKubeconfig")

    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None:
        return None  # K3s manages no DNS zone: applying a record is a successful no-op.

    # volumes
    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        self._missing("VolumeDiskList")

    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        self._missing("VolumeDiskCreate")

    def volume_disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None:
        self._missing("VolumeDiskDelete")

    def volume_disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None:
        self._missing("VolumeDiskAssign")

    def volume_snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]:
        self._missing("VolumeSnapshotList")

    def volume_snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot:
        self._missing("VolumeSnapshotCreate")

    def volume_snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None:
        self._missing("VolumeSnapshotDelete")

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        return VolumeClass()

    # node pools
    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        self._missing("NodePoolList")

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        self._missing("NodePoolCreate")

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        self._missing("NodePoolUpdate")

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        self._missing("NodePoolDelete")


def new_k3s_driver(workspace: Workspace | None, provider: Provider) -> K3sDriver:
    """Factory: refuses a provider disabled by its settings (``disabled: "true"``)."""
    if (provider.settings or {}).get("disabled") == "true":
        raise DriverConfigError("k3s provider disabled by settings", field="settings.disabled")
    return K3sDriver(workspace, provider)
