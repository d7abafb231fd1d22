"""Ports: the interfaces use cases depend on, implemented by adapters.

``Driver`` is the provider-driver contract (drivers.md §3, seeds 000 and 003),
composed of the three narrower ports the use cases take (``ClusterPort``,
``VolumePort``, ``NodePoolPort``) with the same method names, so a driver is
passed to a use case as it is: a new driver method is declared here once and
implemented by the drivers.  The repositories give use cases read access to
the resources.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

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

if TYPE_CHECKING:  # annotations only: a port user need not define every options class
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


class ClusterPort(Protocol):
    """The cluster lifecycle and DNS methods of :class:`Driver` (what the cluster use cases call)."""

    def cluster_provision(self, cluster: Cluster, opts: ClusterProvisionOptions | None = None) -> None: ...
    def cluster_deprovision(self, cluster: Cluster, opts: ClusterDeprovisionOptions | None = None) -> None: ...
    def cluster_status(self, cluster: Cluster) -> ClusterStatus: ...
    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None: ...
    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None: ...
    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None: ...


class VolumePort(Protocol):
    """The disk and snapshot methods of :class:`Driver` (what the volume use cases call)."""

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


class NodePoolPort(Protocol):
    """The node-pool methods of :class:`Driver`."""

    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]: ...
    def node_pool_create(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None
    ) -> NodePool: ...
    def node_pool_update(
        self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None
    ) -> NodePool: ...
    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None: ...


@runtime_checkable
class Driver(ClusterPort, VolumePort, NodePoolPort, Protocol):
    """The provider-driver contract: 22 methods, one instance per provider and command.

    Every method is declared once: the lifecycle, volume and node-pool groups
    above are the narrower ports use cases take (a driver satisfies each);
    the identity, kubeconfig and volume-class methods are declared here.
    """

    # identity
    def id(self) -> str: ...
    def workspace_name(self) -> str: ...
    def provider_name(self) -> str: ...

    def cluster_kubeconfig(self, cluster: Cluster) -> bytes: ...
    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass: ...


DriverFactory = Callable[[Workspace | None, Provider], Driver]
"""``factory(workspace, provider) -> Driver``: validates settings, makes no network call."""


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
