"""The K3s driver: any existing conformant cluster, reached by kubeconfig.

* ``cluster_kubeconfig`` reads the cluster settings ``KUBECONFIG`` /
  ``KUBECONFIG_CONTEXT``, else the standard ``$KUBECONFIG`` / ``~/.kube/config``
  resolution (:mod:`kompox.providers.k3s.kubeconfig_source`).
* ``cluster_status``, ``cluster_install`` and ``cluster_uninstall`` work on
  that cluster through :class:`kompox.kube.ingress_install.TraefikInstaller`:
  a Traefik that already owns IngressClass ``traefik`` (K3s ships one in
  ``kube-system``) is adopted, never duplicated, and never uninstalled.
* ``cluster_dns_apply`` writes nothing (K3s manages no DNS zone) but refuses
  invalid input with a validation error (:func:`check_record_set`).
* Volumes (``disk`` type) are directories on one node, managed by the
  ``localpath`` backend (:mod:`kompox.providers.k3s.localpath_backend`,
  docs/k3s-volumes.md); ``files`` volumes raise ``NotSupportedError``.
* Provisioning and node pools raise
  :class:`~kompox.domain.errors.CapabilityNotImplementedError` naming the
  method (upstream wording ``<Method> is not implemented for k3s provider``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, NoReturn

from kompox.domain.errors import CapabilityNotImplementedError, DriverConfigError, KompoxError
from kompox.domain.force import refuse_force
from kompox.domain.model import (
    App,
    AppVolume,
    Cluster,
    NodePool,
    Provider,
    VolumeClass,
    VolumeDisk,
    VolumeSnapshot,
    Workspace,
    ingress_namespace,
    ingress_service_account,
)
from kompox.domain.naming import NIL_WORKSPACE
from kompox.providers.k3s.kubeconfig_source import KubeconfigEnv, cluster_kubeconfig
from kompox.providers.k3s.localpath_backend import LocalPathBackend, app_names

if TYPE_CHECKING:
    from kompox.domain.model import ClusterStatus, DNSRecordSet
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
    from kompox.kube.client import KubeClient
    from kompox.kube.ingress_install import TraefikInstaller

DRIVER_ID = "k3s"
log = logging.getLogger("kompox.providers.k3s")
KubeFactory = Callable[[bytes], "KubeClient"]


def _default_kube(kubeconfig: bytes) -> KubeClient:
    from kompox.kube.client import KubeClient

    return KubeClient(kubeconfig)


class K3sDriver:
    """``env`` feeds kubeconfig resolution; ``kube`` builds the client; ``rollout_timeout`` bounds install.

    ``clock`` (creation times of disks/snapshots), ``sleep`` and ``monotonic``
    (helper pod polling) are injectable for tests.
    """

    def __init__(
        self,
        workspace: Workspace | None,
        provider: Provider,
        *,
        env: KubeconfigEnv | None = None,
        kube: KubeFactory | None = None,
        progress: Callable[[str], None] | None = None,
        rollout_timeout: float | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._workspace_name = workspace.name if workspace is not None else NIL_WORKSPACE
        self._provider = provider
        self._env = env or KubeconfigEnv()
        self._kube_factory = kube or _default_kube
        self._progress = progress
        self._rollout_timeout = rollout_timeout
        self._volumes = LocalPathBackend(
            lambda cluster: self._kube_factory(self.cluster_kubeconfig(cluster)),
            lambda app: app_names(self._workspace_name, provider.name, app),
            clock=clock,
            sleep=sleep,
            monotonic=monotonic,
            progress=progress,
        )

    def _installer(self, kube: KubeClient, opts: ClusterInstallOptions | None = None) -> TraefikInstaller:
        from kompox.domain.options import ClusterInstallOptions
        from kompox.kube.ingress_install import TraefikInstaller

        opts = opts or ClusterInstallOptions()
        timeout = opts.timeout if self._rollout_timeout is None else self._rollout_timeout
        timeout = timeout if opts.wait else 0.0  # --no-wait: applied, not awaited
        return TraefikInstaller(kube, progress=self._progress, rollout_timeout=timeout)

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
        """``provisioned``: the API server answered; ``installed``: a Traefik serves the cluster.

        Configuration errors (bad ``KUBECONFIG``) raise; an unreachable or
        refusing server is reported as not provisioned, with the reason in
        ``unreachable``.
        """
        from kompox.domain.model import ClusterStatus

        result = ClusterStatus(existing=cluster.existing)
        kube = self._kube_factory(self.cluster_kubeconfig(cluster))
        try:
            state = self._installer(kube).state(ingress_namespace(cluster))
        except KompoxError as err:
            log.debug("cluster status: %s", err)  # reported by the caller (cluster status fails on it)
            result.unreachable = str(err)
            return result
        finally:
            kube.close()
        result.provisioned = True
        result.installed = state.installed
        result.ingress_global_ip = state.ip
        result.ingress_fqdn = state.hostname
        return result

    def cluster_install(self, cluster: Cluster, opts: ClusterInstallOptions | None = None) -> None:
        """Install Traefik in the ingress namespace, or adopt the Traefik that already serves the cluster."""
        from kompox.kube.traefik import base_values

        refuse_force(
            opts, "ClusterInstall", "k3s", "install re-applies on each run; an adopted Traefik is never replaced"
        )
        kube = self._kube_factory(self.cluster_kubeconfig(cluster))
        try:
            values = base_values(
                ingress_namespace(cluster),
                ingress_service_account(cluster),
                cluster.ingress.cert_email if cluster.ingress else "",
            )
            self._installer(kube, opts).install(values)
        finally:
            kube.close()

    def cluster_uninstall(self, cluster: Cluster, opts: ClusterUninstallOptions | None = None) -> None:
        """Remove the Traefik Kompox installed (and the namespace if Kompox created it); adopted ones stay."""
        refuse_force(opts, "ClusterUninstall", "k3s", "an adopted Traefik is never removed")
        kube = self._kube_factory(self.cluster_kubeconfig(cluster))
        try:
            installer = self._installer(kube)
            ns = ingress_namespace(cluster)
            outcome = installer.uninstall(ns, ingress_service_account(cluster))
            if not outcome.adopted:
                from kompox.domain.options import ClusterUninstallOptions

                wait = (opts or ClusterUninstallOptions()).wait_timeout
                installer.delete_namespace(ns, only_if_created=True, wait_timeout=wait)
        finally:
            kube.close()

    def cluster_kubeconfig(self, cluster: Cluster) -> bytes:
        """Kubeconfig bytes from the cluster settings or the standard locations (never written anywhere)."""
        return cluster_kubeconfig(cluster, self._env)

    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None:
        # K3s manages no DNS zone: a valid record is a successful no-op; invalid input is still
        # refused (seed 000: dns_apply validates its input whatever the provider does with it).
        from kompox.domain.model.dns import check_record_set

        check_record_set(rset)

    # volumes (localpath backend)
    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        refuse_force(opts, "VolumeDiskList", "k3s", "nothing in a listing can be forced")
        return self._volumes.disk_list(cluster, app, vol_name)

    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        refuse_force(opts, "VolumeDiskCreate", "k3s", "an existing name is never overwritten")
        from kompox.domain.options import VolumeDiskCreateOptions

        return self._volumes.disk_create(cluster, app, vol_name, disk_name, source, opts or VolumeDiskCreateOptions())

    def volume_disk_delete(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskDeleteOptions | None = None
    ) -> None:
        self._volumes.disk_delete(cluster, app, vol_name, disk_name, force=bool(opts and opts.force))

    def volume_disk_assign(
        self, cluster: Cluster, app: App, vol_name: str, disk_name: str, opts: VolumeDiskAssignOptions | None = None
    ) -> None:
        refuse_force(opts, "VolumeDiskAssign", "k3s", "assigning is always allowed")
        self._volumes.disk_assign(cluster, app, vol_name, disk_name)

    def volume_snapshot_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeSnapshotListOptions | None = None
    ) -> list[VolumeSnapshot]:
        refuse_force(opts, "VolumeSnapshotList", "k3s", "nothing in a listing can be forced")
        return self._volumes.snapshot_list(cluster, app, vol_name)

    def volume_snapshot_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        source: str,
        opts: VolumeSnapshotCreateOptions | None = None,
    ) -> VolumeSnapshot:
        refuse_force(opts, "VolumeSnapshotCreate", "k3s", "an existing name is never overwritten")
        return self._volumes.snapshot_create(cluster, app, vol_name, snap_name, source)

    def volume_snapshot_transfer(
        self, cluster: Cluster, app: App, vol_name: str, snap_name: str, dest: Cluster, dest_app: App, zone: str
    ) -> VolumeSnapshot:
        """Copy a snapshot's archive to a node of cluster ``dest`` (``app move``); see the localpath backend."""
        return self._volumes.snapshot_transfer(cluster, app, vol_name, snap_name, dest, dest_app, zone)

    def volume_snapshot_delete(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        snap_name: str,
        opts: VolumeSnapshotDeleteOptions | None = None,
    ) -> None:
        refuse_force(opts, "VolumeSnapshotDelete", "k3s", "a snapshot delete is never refused")
        self._volumes.snapshot_delete(cluster, app, vol_name, snap_name)

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        return self._volumes.volume_class(cluster, app, vol)

    # node pools
    def node_pool_list(self, cluster: Cluster, opts: NodePoolListOptions | None = None) -> list[NodePool]:
        self._missing("NodePoolList")

    def node_pool_create(self, cluster: Cluster, pool: NodePool, opts: NodePoolCreateOptions | None = None) -> NodePool:
        self._missing("NodePoolCreate")

    def node_pool_update(self, cluster: Cluster, pool: NodePool, opts: NodePoolUpdateOptions | None = None) -> NodePool:
        self._missing("NodePoolUpdate")

    def node_pool_delete(self, cluster: Cluster, pool_name: str, opts: NodePoolDeleteOptions | None = None) -> None:
        self._missing("NodePoolDelete")


def new_k3s_driver(workspace: Workspace | None, provider: Provider, env: Mapping[str, str] | None = None) -> K3sDriver:
    """Factory: refuses a provider disabled by its settings (``disabled: "true"``).

    Kubeconfig resolution reads ``env`` (default: the process environment,
    where the CLI has exported ``KOMPOX_ROOT``/``KOMPOX_DIR``) once, here.
    """
    if (provider.settings or {}).get("disabled") == "true":
        raise DriverConfigError("k3s provider disabled by settings", field="settings.disabled")
    return K3sDriver(workspace, provider, env=KubeconfigEnv.from_environ(os.environ if env is None else env))
