"""Ports: the interfaces use cases depend on, implemented by adapters.

``Driver`` is the provider-driver contract (drivers.md §3, seeds 000 and 003).
The three port protocols expose the subset use cases call through the port
adapters; the repositories give use cases read access to the resources.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from kompox.domain.model import (
    App,
    AppVolume,
    Box,
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


@runtime_checkable
class Driver(Protocol):
    """The provider-driver contract: 22 methods, one instance per operation."""

    # identity
    def id(self) -> str: ...
    def workspace_name(self) -> str: ...
    def provider_name(self) -> str: ...

    # cluster
    def cluster_provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None: ...
    def cluster_deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None: ...
    def cluster_status(self, cluster: Cluster) -> ClusterStatus: ...
    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None: ...
    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None: ...
    def cluster_kubeconfig(self, cluster: Cluster) -> bytes: ...
    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None: ...

    # volumes
    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]: ...
    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk: ...
    def volume_disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None: ...
    def volume_disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None: ...
    def volume_snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]: ...
    def volume_snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot: ...
    def volume_snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None: ...
    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass: ...

    # node pools
    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]: ...
    def node_pool_create(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None
    ) -> NodePool: ...
    def node_pool_update(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None
    ) -> NodePool: ...
    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None: ...


DriverFactory = Callable[[Workspace | None, Provider], Driver]
"""``factory(workspace, provider) -> Driver``: validates settings, makes no network call."""


class ClusterPort(Protocol):
    def status(self, cluster: Cluster) -> ClusterStatus: ...
    def provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None: ...
    def deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None: ...
    def install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None: ...
    def uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None: ...
    def dns_apply(self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None) -> None: ...


class VolumePort(Protocol):
    def disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]: ...
    def disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk: ...
    def disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None: ...
    def disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None: ...
    def snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]: ...
    def snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot: ...
    def snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None: ...


class NodePoolPort(Protocol):
    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]: ...
    def node_pool_create(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None
    ) -> NodePool: ...
    def node_pool_update(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None
    ) -> NodePool: ...
    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None: ...


class WorkspaceRepository(Protocol):
    def get(self, id: str) -> Workspace: ...
    def list(self) -> list[Workspace]: ...


class ProviderRepository(Protocol):
    def get(self, id: str) -> Provider: ...
    def list(self) -> list[Provider]: ...


class ClusterRepository(Protocol):
    def get(self, id: str) -> Cluster: ...
    def list(self) -> list[Cluster]: ...


class AppRepository(Protocol):
    def get(self, id: str) -> App: ...
    def list(self) -> list[App]: ...


class BoxRepository(Protocol):
    def get(self, id: str) -> Box: ...
    def list(self) -> list[Box]: ...


class Repositories(Protocol):
    """The read side of a store: one repository per resource kind."""

    @property
    def workspaces(self) -> WorkspaceRepository: ...
    @property
    def providers(self) -> ProviderRepository: ...
    @property
    def clusters(self) -> ClusterRepository: ...
    @property
    def apps(self) -> AppRepository: ...
    @property
    def boxes(self) -> BoxRepository: ...


@dataclass(frozen=True)
class StoredResource:
    """One resource as a database store keeps it: the KOM document bytes exactly as given."""

    id: str
    kind: str
    name: str
    parent_id: str
    document: bytes
    version: int
    created_at: datetime
    updated_at: datetime


class ResourceStore(Protocol):
    """The write side of a database store (``sqlite:``/``postgresql://``); rows carry an optimistic version.

    ``update`` and ``delete`` take the version the caller read and raise ``ConflictError`` when
    another writer changed the row since; ``get`` raises ``NotFoundError``.
    """

    def list(self, kind: str | None = None) -> list[StoredResource]: ...
    def get(self, id: str) -> StoredResource: ...
    def create(self, kind: str, id: str, name: str, parent_id: str, document: bytes) -> StoredResource: ...
    def update(self, id: str, document: bytes, expected_version: int) -> StoredResource: ...
    def delete(self, ids: builtins.list[tuple[str, int]]) -> None: ...
