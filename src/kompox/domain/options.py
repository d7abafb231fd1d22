"""Option objects for driver operations (upstream functional options).

Every method takes one optional options object; ``None`` means all defaults.
Every options object is accepted by every driver; a ``force`` the driver
cannot honour is refused with :func:`refuse_force` (issue #18: never accepted
and ignored; docs/data-safety.md lists what ``force`` means per method).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kompox.domain.force import refuse_force as refuse_force  # its home; re-exported here


@dataclass(frozen=True)
class ClusterProvisionOptions:
    force: bool = False


@dataclass(frozen=True)
class ClusterDeprovisionOptions:
    force: bool = False


DEFAULT_WAIT_TIMEOUT = 300.0
"""Seconds ``cluster install`` waits for the ingress controller and ``cluster uninstall`` for its namespace."""


@dataclass(frozen=True)
class ClusterInstallOptions:
    force: bool = False
    wait: bool = True  # wait until the ingress controller has rolled out
    timeout: float = DEFAULT_WAIT_TIMEOUT


@dataclass(frozen=True)
class ClusterUninstallOptions:
    force: bool = False
    wait: bool = False  # wait until a deleted ingress namespace is gone (the CLI asks for it by default)
    timeout: float = DEFAULT_WAIT_TIMEOUT

    @property
    def wait_timeout(self) -> float:
        """Seconds to wait for the namespace; 0 = do not wait."""
        return self.timeout if self.wait else 0.0


@dataclass(frozen=True)
class ClusterDNSApplyOptions:
    zone_hint: str = ""
    strict: bool = False
    dry_run: bool = False


@dataclass(frozen=True)
class VolumeDiskListOptions:
    force: bool = False


@dataclass(frozen=True)
class VolumeDiskCreateOptions:
    """``zone`` overrides ``app.deployment.zone``; ``options`` merge over ``AppVolume.options``."""

    force: bool = False
    zone: str = ""
    options: dict[str, Any] | None = None


@dataclass(frozen=True)
class VolumeDiskDeleteOptions:
    force: bool = False


@dataclass(frozen=True)
class VolumeDiskAssignOptions:
    force: bool = False


@dataclass(frozen=True)
class VolumeSnapshotListOptions:
    force: bool = False


@dataclass(frozen=True)
class VolumeSnapshotCreateOptions:
    force: bool = False


@dataclass(frozen=True)
class VolumeSnapshotDeleteOptions:
    force: bool = False


@dataclass(frozen=True)
class NodePoolListOptions:
    """``name`` filters by exact pool name (this replaces a ``get``)."""

    name: str = ""


@dataclass(frozen=True)
class NodePoolCreateOptions:
    force: bool = False


@dataclass(frozen=True)
class NodePoolUpdateOptions:
    force: bool = False


@dataclass(frozen=True)
class NodePoolDeleteOptions:
    force: bool = False
