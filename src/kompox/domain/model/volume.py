"""Volume artefacts: disks (or file shares), snapshots and the provider's VolumeClass.

For ``files`` volumes a :class:`VolumeDisk` is one file share: ``name`` is the
Kompox share name, ``handle`` the CSI volume handle of the share, ``size`` the
share quota in bytes, ``zone`` is always empty (shares are regional) and
``options`` carries the observed protocol, SKU and quota.

Beyond upstream's fields (issue #18), a disk says what a driver can tell
cheaply from the listing it already makes: ``source`` (the handle of the
snapshot or disk it was made from, ``""`` for an empty disk or when the
provider does not say), ``creating`` (the provider is still making it, so
its source must not be deleted), ``attached`` (``None``: the driver cannot
tell without extra requests) and ``node`` (the node it is attached to, or
for a node-local disk the node it lives on).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ACCESS_MODES: tuple[str, ...] = ("ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod")
RECLAIM_POLICIES: tuple[str, ...] = ("Retain", "Delete")
VOLUME_MODES: tuple[str, ...] = ("Filesystem", "Block")
DISK_OPTION_PATH = "path"
DISK_OPTION_NODE_AFFINITY = "nodeAffinity"


@dataclass
class VolumeDisk:
    """A provider disk (or share) of an app volume; at most one is assigned."""

    name: str = ""
    volume_name: str = ""
    assigned: bool = False
    size: int = 0
    zone: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    handle: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    source: str = ""
    creating: bool = False
    attached: bool | None = None
    node: str = ""


@dataclass
class VolumeSnapshot:
    """A provider snapshot of an app volume."""

    name: str = ""
    volume_name: str = ""
    size: int = 0
    handle: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class VolumeClass:
    """Provider opinion for PV/PVC generation; an empty field means "no opinion".

    ``local`` (K3s ``localpath``): the PV is a ``local`` volume instead of a
    CSI one; the assigned disk supplies the directory (``options["path"]``)
    and the required node affinity (``options["nodeAffinity"]``, a mapping
    node label → value), see :data:`DISK_OPTION_PATH` and
    :data:`DISK_OPTION_NODE_AFFINITY`.
    """

    storage_class_name: str = ""
    csi_driver: str = ""
    fs_type: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    access_modes: list[str] = field(default_factory=list)
    reclaim_policy: str = ""
    volume_mode: str = ""
    local: bool = False

    @property
    def bindable(self) -> bool:
        """A PV can be generated: a CSI driver is named, or the volume is ``local``."""
        return bool(self.csi_driver.strip()) or self.local

    def is_empty(self) -> bool:
        return self == VolumeClass()
