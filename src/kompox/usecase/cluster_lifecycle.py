"""Cluster use cases: provision, deprovision, install, uninstall, status (kube-and-ops.md §13.3).

Each takes the :class:`~kompox.domain.ports.ClusterPort` and the cluster.
Gates, in order: ``existing: true`` makes provision/deprovision a logged no-op
unless ``force`` (cli.md §11.2); the protection policy (ADR-013) blocks
what it must, ``force`` notwithstanding.  Create vs update is told apart by
a status probe only when the policy needs it (``readOnly``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kompox.domain.model import Cluster, ClusterOperation, ClusterStatus
from kompox.domain.options import (
    ClusterDeprovisionOptions,
    ClusterInstallOptions,
    ClusterProvisionOptions,
    ClusterUninstallOptions,
)
from kompox.domain.ports import ClusterPort
from kompox.usecase.protection import ProtectionScope, check_protection, create_or_update, needs_probe

progress_log = logging.getLogger("kompox.progress")

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ClusterOpResult:
    """What a lifecycle use case did: ``skipped`` with the reason, or the operation performed."""

    cluster_id: str
    cluster_name: str
    skipped: bool = False
    operation: ClusterOperation | None = None
    message: str = ""


def _say(progress: Progress | None, message: str) -> None:
    """A progress line: to ``progress``, else the ``kompox.progress`` logger (run log; stderr in the CLI)."""
    (progress or progress_log.info)(message)


def _operation(port: ClusterPort, cluster: Cluster, scope: ProtectionScope) -> ClusterOperation | None:
    """``create``/``update`` when the policy needs to know, else ``None`` (no probe)."""
    if not needs_probe(cluster, scope):
        return None

    def exists() -> bool:
        status = port.status(cluster)
        return bool(status.provisioned if scope is ProtectionScope.PROVISIONING else status.installed)

    return create_or_update(exists)


def _skip_existing(cluster: Cluster, what: str, progress: Progress | None) -> ClusterOpResult:
    message = f"cluster marked as existing, skipping {what}"
    _say(progress, message)
    return ClusterOpResult(cluster.id, cluster.name, skipped=True, message=message)


def cluster_provision(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Create (or re-converge) the cloud-side cluster; ``existing`` clusters are skipped unless ``force``."""
    if cluster.existing and not force:
        return _skip_existing(cluster, "provision", progress)
    op = _operation(port, cluster, ProtectionScope.PROVISIONING)
    check_protection(cluster, ProtectionScope.PROVISIONING, op or ClusterOperation.CREATE)
    _say(progress, f"provisioning cluster {cluster.name}")
    port.provision(cluster, ClusterProvisionOptions(force=force))
    return ClusterOpResult(cluster.id, cluster.name, operation=op, message=f"cluster {cluster.name} provisioned")


def cluster_deprovision(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Delete the cloud-side cluster; ``existing`` clusters are skipped unless ``force``; protection applies."""
    if cluster.existing and not force:
        return _skip_existing(cluster, "deprovision", progress)
    check_protection(cluster, ProtectionScope.PROVISIONING, ClusterOperation.DELETE)
    _say(progress, f"deprovisioning cluster {cluster.name}")
    port.deprovision(cluster, ClusterDeprovisionOptions(force=force))
    return ClusterOpResult(
        cluster.id, cluster.name, operation=ClusterOperation.DELETE, message=f"cluster {cluster.name} deprovisioned"
    )


def cluster_install(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Install the in-cluster resources (ingress controller …); runs for ``existing`` clusters too."""
    op = _operation(port, cluster, ProtectionScope.INSTALLATION)
    check_protection(cluster, ProtectionScope.INSTALLATION, op or ClusterOperation.CREATE)
    _say(progress, f"installing cluster resources on {cluster.name}")
    port.install(cluster, ClusterInstallOptions(force=force))
    return ClusterOpResult(cluster.id, cluster.name, operation=op, message=f"cluster {cluster.name} installed")


def cluster_uninstall(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Remove the in-cluster resources install added; protection applies, ``force`` is passed on."""
    check_protection(cluster, ProtectionScope.INSTALLATION, ClusterOperation.DELETE)
    _say(progress, f"uninstalling cluster resources from {cluster.name}")
    port.uninstall(cluster, ClusterUninstallOptions(force=force))
    return ClusterOpResult(
        cluster.id, cluster.name, operation=ClusterOperation.DELETE, message=f"cluster {cluster.name} uninstalled"
    )


@dataclass(frozen=True)
class ClusterStatusResult:
    cluster_id: str
    cluster_name: str
    status: ClusterStatus

    def to_json(self) -> dict[str, Any]:
        """cli.md §10.4.5 key order; ``ingress*`` keys omitted when empty."""
        return {**self.status.to_json(), "cluster_id": self.cluster_id, "cluster_name": self.cluster_name}


def cluster_status(port: ClusterPort, cluster: Cluster) -> ClusterStatusResult:
    return ClusterStatusResult(cluster.id, cluster.name, port.status(cluster))
