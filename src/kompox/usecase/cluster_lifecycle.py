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

from kompox.domain.errors import ProviderAPIError
from kompox.domain.model import Cluster, ClusterOperation, ClusterStatus
from kompox.domain.options import (
    DEFAULT_WAIT_TIMEOUT,
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
        status = port.cluster_status(cluster)
        return bool(status.provisioned if scope is ProtectionScope.PROVISIONING else status.installed)

    return create_or_update(exists)


def _skip_existing(cluster: Cluster, what: str, progress: Progress | None) -> ClusterOpResult:
    message = f"cluster marked as existing, skipping {what}"
    _say(progress, message)
    return ClusterOpResult(cluster.id, cluster.name, skipped=True, message=message)


@dataclass(frozen=True)
class _Step:
    """One lifecycle step: its protection scope, whether it deletes, its progress and result lines."""

    scope: ProtectionScope
    deletes: bool
    start: str  # progress line; ``{name}`` = the cluster name
    done: str  # result message

    def run(
        self, port: ClusterPort, cluster: Cluster, progress: Progress | None, action: Callable[[], None]
    ) -> ClusterOpResult:
        """Protection (create/update probed only when needed), then the progress line, then ``action``."""
        op = ClusterOperation.DELETE if self.deletes else _operation(port, cluster, self.scope)
        check_protection(cluster, self.scope, op or ClusterOperation.CREATE)
        _say(progress, self.start.format(name=cluster.name))
        action()
        return ClusterOpResult(cluster.id, cluster.name, operation=op, message=self.done.format(name=cluster.name))


_PROVISION = _Step(ProtectionScope.PROVISIONING, False, "provisioning cluster {name}", "cluster {name} provisioned")
_DEPROVISION = _Step(
    ProtectionScope.PROVISIONING, True, "deprovisioning cluster {name}", "cluster {name} deprovisioned"
)
_INSTALL = _Step(
    ProtectionScope.INSTALLATION, False, "installing cluster resources on {name}", "cluster {name} installed"
)
_UNINSTALL = _Step(
    ProtectionScope.INSTALLATION, True, "uninstalling cluster resources from {name}", "cluster {name} uninstalled"
)


def cluster_provision(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Create (or re-converge) the cloud-side cluster; ``existing`` clusters are skipped unless ``force``."""
    if cluster.existing and not force:
        return _skip_existing(cluster, "provision", progress)
    options = ClusterProvisionOptions(force=force)
    return _PROVISION.run(port, cluster, progress, lambda: port.cluster_provision(cluster, options))


def cluster_deprovision(
    port: ClusterPort, cluster: Cluster, *, force: bool = False, progress: Progress | None = None
) -> ClusterOpResult:
    """Delete the cloud-side cluster; ``existing`` clusters are skipped unless ``force``; protection applies."""
    if cluster.existing and not force:
        return _skip_existing(cluster, "deprovision", progress)
    options = ClusterDeprovisionOptions(force=force)
    return _DEPROVISION.run(port, cluster, progress, lambda: port.cluster_deprovision(cluster, options))


def cluster_install(
    port: ClusterPort,
    cluster: Cluster,
    *,
    force: bool = False,
    progress: Progress | None = None,
    wait: bool = True,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
) -> ClusterOpResult:
    """Install the in-cluster resources (ingress controller …); runs for ``existing`` clusters too.

    ``wait``: until the ingress controller has rolled out, at most ``timeout`` seconds.
    """
    options = ClusterInstallOptions(force=force, wait=wait, timeout=timeout)
    return _INSTALL.run(port, cluster, progress, lambda: port.cluster_install(cluster, options))


def cluster_uninstall(
    port: ClusterPort,
    cluster: Cluster,
    *,
    force: bool = False,
    progress: Progress | None = None,
    wait: bool = True,
    timeout: float = DEFAULT_WAIT_TIMEOUT,
) -> ClusterOpResult:
    """Remove the in-cluster resources install added; protection applies, ``force`` is passed on.

    ``wait``: until a namespace the uninstall deleted is gone, at most ``timeout`` seconds.
    """
    options = ClusterUninstallOptions(force=force, wait=wait, timeout=timeout)
    return _UNINSTALL.run(port, cluster, progress, lambda: port.cluster_uninstall(cluster, options))


@dataclass(frozen=True)
class ClusterStatusResult:
    cluster_id: str
    cluster_name: str
    status: ClusterStatus

    def to_json(self) -> dict[str, Any]:
        """cli.md §10.4.5 key order; ``ingress*`` keys omitted when empty."""
        return {**self.status.to_json(), "cluster_id": self.cluster_id, "cluster_name": self.cluster_name}


def cluster_status(port: ClusterPort, cluster: Cluster) -> ClusterStatusResult:
    """The driver's status; an API server that cannot be reached or refuses the credentials is an error."""
    status = port.cluster_status(cluster)
    if status.unreachable:
        raise ProviderAPIError(status.unreachable)  # the CLI says "failed to get cluster status: …"
    return ClusterStatusResult(cluster.id, cluster.name, status)
