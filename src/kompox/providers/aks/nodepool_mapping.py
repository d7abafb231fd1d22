"""AKS agent pool ⇄ Kompox NodePool: zones, field mapping, validation, update merge (driver-aks.md §15).

Pure functions over ``azure-mgmt-containerservice`` ``AgentPool`` models: they
read models with ``getattr`` and build them only in :func:`create_body` (the
SDK model module is imported there, lazily).  Nothing here does I/O.

Decisions recorded here (driver-aks.md §15, [DECISION] items):

* create-time validation beyond the name: mode, priority, OS disk type and
  size, autoscaling bounds, zone vocabulary, agent pool name syntax, spot
  system pools — all ``validation error: …`` before any request;
* the immutable-field comparison normalises both sides (mode, priority and
  OS disk type case-insensitively, instance type case-insensitively, zones in
  Kompox form as sets), which is more permissive than upstream and never
  changes what is sent to Azure;
* a created single-zone pool's ``kompox.dev/node-zone`` is its zone normalised
  to the Kompox form (``2`` → ``japaneast-2``), as ``NodePool.zones`` reports it
  and as an update fills it in (upstream copies the value as given);
* a pool with several zones gets **no** pool-level ``kompox.dev/node-zone``
  (AKS node labels are per pool, and upstream's "first zone for every node"
  mislabels the nodes of the other zones): each node is labelled with its own
  zone, copied from ``topology.kubernetes.io/zone`` by the node-zone labeler
  (:mod:`kompox.kube.node_zones`, run by ``cluster install`` and by
  ``app deploy`` of a zone-pinned app); setting the label on such a pool is a
  validation error (create) or refused unless unchanged (update);
* an update keeps existing ``kompox.dev/node-pool`` / ``kompox.dev/node-zone``
  label values and only fills them in when absent, so an update never
  unschedules apps that select the existing values (e.g. ``npuser1`` labelled
  ``user`` / ``1`` by the cluster template).
"""

from __future__ import annotations

import re
from typing import Any

from kompox.domain.model.nodepool import (
    LABEL_NODE_POOL,
    LABEL_NODE_ZONE,
    POOL_SYSTEM,
    PRIORITY_SPOT,
    NodePool,
    NodePoolAutoscaling,
    NodePoolStatus,
    NodeTaint,
    check_node_pool,
    invalid,
)

OS_DISK_TYPES: tuple[str, ...] = ("Managed", "Ephemeral")
MAX_OS_DISK_SIZE_GIB = 2048
AGENT_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")
AKS_ZONE = re.compile(r"^[0-9]+$")
# AKS taints every node of a Spot pool with this (whether or not the pool's nodeTaints list it);
# reported as the pool's implied taint so that the converter tolerates it (docs/data-safety.md DS-ADR-1)
SPOT_TAINT = NodeTaint("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")


# --- zones -----------------------------------------------------------------


def zone_to_kompox(zone: str, location: str) -> str:
    """AKS ``1`` → ``<location>-1``; a value containing ``-`` is already in Kompox form."""
    return zone if "-" in zone else f"{location}-{zone}"


def zone_to_aks(zone: str) -> str:
    """Kompox ``japaneast-1`` → ``1``; a value without ``-`` is returned unchanged."""
    parts = zone.split("-")
    return parts[-1] if len(parts) > 1 else zone


def _check_zone(zone: str, index: int, location: str) -> None:
    if "-" in zone:
        region = zone.rsplit("-", 1)[0]
        if region.lower() != location.lower():
            raise invalid(
                f"pool.Zones[{index}] {zone!r} is not in the cluster's location {location} "
                f"(use {location}-<n> or the AKS zone number)"
            )
    if not AKS_ZONE.match(zone_to_aks(zone)):
        raise invalid(f"pool.Zones[{index}] {zone!r} is not an availability zone (use {location}-<n> or <n>)")


_MULTI_ZONE_LABEL = (
    f"pool.Labels {LABEL_NODE_ZONE} must not be set on a pool with several zones: each node gets its own "
    f"zone label from topology.kubernetes.io/zone (cluster install / app deploy label the nodes)"
)


# --- validation ------------------------------------------------------------


def canonical_os_disk_type(value: str) -> str:
    for allowed in OS_DISK_TYPES:
        if value.lower() == allowed.lower():
            return allowed
    raise invalid(f"pool.OSDiskType must be one of {', '.join(OS_DISK_TYPES)} (got {value!r})")


def check_aks_pool(pool: NodePool, location: str) -> str:
    """Neutral rules plus the AKS ones for every field that is set; returns the pool name."""
    check_node_pool(pool)
    name = str(pool.name)
    if not AGENT_POOL_NAME.match(name):
        raise invalid(
            f"pool.Name {name!r} is not a valid AKS agent pool name "
            "(1-12 lowercase letters and digits, starting with a letter)"
        )
    if pool.provider_name is not None and pool.provider_name != name:
        raise invalid(f"pool.ProviderName must equal pool.Name on AKS (got {pool.provider_name!r} for {name!r})")
    if pool.os_disk_type is not None:
        canonical_os_disk_type(pool.os_disk_type)
    if pool.os_disk_size_gib is not None and pool.os_disk_size_gib > MAX_OS_DISK_SIZE_GIB:
        raise invalid(f"pool.OSDiskSizeGiB must be at most {MAX_OS_DISK_SIZE_GIB} (got {pool.os_disk_size_gib})")
    for i, zone in enumerate(pool.zones or []):
        _check_zone(zone, i, location)
    if len(pool.zones or []) > 1 and LABEL_NODE_ZONE in (pool.labels or {}):
        raise invalid(_MULTI_ZONE_LABEL)
    system = pool.mode is not None and pool.mode.lower() == POOL_SYSTEM
    if system and pool.priority is not None and pool.priority.lower() == PRIORITY_SPOT:
        raise invalid("pool.Priority spot is not allowed for a system pool on AKS (use mode user)")
    auto = pool.autoscaling
    if system and auto is not None:
        if auto.enabled and auto.min < 1:
            raise invalid(f"pool.Autoscaling.Min must be at least 1 for a system pool (got {auto.min})")
        if not auto.enabled and auto.desired == 0:
            raise invalid("pool.Autoscaling.Desired must be at least 1 for a system pool")
    if pool.extensions:
        raise invalid(f"pool.Extensions are not supported by the AKS driver (got {', '.join(sorted(pool.extensions))})")
    return name


# --- agent pool -> NodePool ------------------------------------------------


def text(value: Any) -> str | None:
    """An SDK enum or string as plain text (``AgentPoolMode.SYSTEM`` → ``System``)."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _lower(value: Any) -> str | None:
    t = text(value)
    return t.lower() if t is not None else None


def agent_pool_to_node_pool(ap: Any, location: str) -> NodePool:
    name = text(getattr(ap, "name", None))
    zones = [str(z) for z in getattr(ap, "availability_zones", None) or []]
    labels = {str(k): str(v) for k, v in (getattr(ap, "node_labels", None) or {}).items() if v is not None}
    size = getattr(ap, "os_disk_size_gb", None)
    enabled = bool(getattr(ap, "enable_auto_scaling", None))
    count = getattr(ap, "count", None)
    return NodePool(
        name=name,
        provider_name=name,
        mode=_lower(getattr(ap, "mode", None)),
        labels=labels or None,
        zones=[zone_to_kompox(z, location) for z in zones] or None,
        instance_type=text(getattr(ap, "vm_size", None)),
        os_disk_type=text(getattr(ap, "os_disk_type", None)),
        os_disk_size_gib=int(size) if size is not None else None,
        priority=_lower(getattr(ap, "scale_set_priority", None)),
        autoscaling=NodePoolAutoscaling(
            enabled=enabled,
            min=int(getattr(ap, "min_count", None) or 0),
            max=int(getattr(ap, "max_count", None) or 0),
            desired=None if enabled or count is None else int(count),
        ),
        status=NodePoolStatus(
            provisioning_state=text(getattr(ap, "provisioning_state", None)),
            current_node_count=int(count) if count is not None else None,
            implied_taints=[SPOT_TAINT] if _lower(getattr(ap, "scale_set_priority", None)) == PRIORITY_SPOT else [],
        ),
    )


# --- NodePool -> agent pool ------------------------------------------------


def _capitalised(value: str) -> str:
    return value.lower().capitalize()


def create_body(pool: NodePool, location: str) -> Any:
    """The ``AgentPool`` to PUT for a new pool; only fields that are set are sent (plus labels)."""
    from azure.mgmt.containerservice import models

    name = str(pool.name)
    ap = models.AgentPool()
    if pool.mode is not None:
        ap.mode = _capitalised(pool.mode)
    if pool.instance_type is not None:
        ap.vm_size = pool.instance_type
    if pool.os_disk_type is not None:
        ap.os_disk_type = canonical_os_disk_type(pool.os_disk_type)
    if pool.os_disk_size_gib is not None:
        ap.os_disk_size_gb = pool.os_disk_size_gib
    if pool.priority is not None:
        ap.scale_set_priority = _capitalised(pool.priority)
    if pool.zones:
        ap.availability_zones = [zone_to_aks(z) for z in pool.zones]
    labels = dict(pool.labels or {})
    labels[LABEL_NODE_POOL] = name
    if pool.zones and len(pool.zones) == 1:
        # normalised (seed 003: zone normalisation is the driver's) to the Kompox form, as NodePool.zones
        # reports it and as an update fills it in: `1` and `japaneast-1` both label `japaneast-1`.
        # Several zones: no pool-level label; the nodes are labelled one by one (module docstring).
        labels[LABEL_NODE_ZONE] = zone_to_kompox(zone_to_aks(pool.zones[0]), location)
    ap.node_labels = labels
    auto = pool.autoscaling
    if auto is not None:
        ap.enable_auto_scaling = auto.enabled
        if auto.enabled:
            ap.min_count = auto.min
            ap.max_count = auto.max
            ap.count = max(auto.min, 1)  # the initial size must lie within [min, max]
        elif auto.desired is not None:
            ap.count = auto.desired
    return ap


# --- update ----------------------------------------------------------------


def immutable_changes(pool: NodePool, existing: Any, location: str) -> list[str]:
    """Messages for set fields whose value differs from the existing pool (normalised comparison)."""
    changes: list[str] = []

    def differs(label: str, wanted: Any, current: Any, key: Any = None, verb: str = "is") -> None:
        if wanted is None or current is None:
            return
        norm = key or (lambda v: v)
        if norm(wanted) != norm(current):
            changes.append(f"{label} {verb} immutable (current {_show(current)}, requested {_show(wanted)})")

    def fold(value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    differs("Mode", pool.mode, _lower(getattr(existing, "mode", None)), fold)
    differs("InstanceType", pool.instance_type, text(getattr(existing, "vm_size", None)), fold)
    differs("OSDiskType", pool.os_disk_type, text(getattr(existing, "os_disk_type", None)), fold)
    size = getattr(existing, "os_disk_size_gb", None)
    differs("OSDiskSizeGiB", pool.os_disk_size_gib, int(size) if size is not None else None)
    differs("Priority", pool.priority, _lower(getattr(existing, "scale_set_priority", None)), fold)
    if pool.zones is not None:
        current = [zone_to_kompox(str(z), location) for z in getattr(existing, "availability_zones", None) or []]
        wanted = [zone_to_kompox(z, location) for z in pool.zones]
        differs("Zones", wanted, current, sorted, "are")
    return changes


def _show(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def merge_update(existing: Any, pool: NodePool, location: str) -> None:
    """Apply the mutable fields that are set (labels, autoscaling) to the fetched agent pool.

    Raises (before changing anything) when the update sets a new ``kompox.dev/node-zone``
    on a pool with several zones.
    """
    name = str(pool.name)
    labels = {str(k): str(v) for k, v in (getattr(existing, "node_labels", None) or {}).items() if v is not None}
    zones = [str(z) for z in getattr(existing, "availability_zones", None) or []]
    wanted_zone = (pool.labels or {}).get(LABEL_NODE_ZONE)
    if len(zones) > 1 and wanted_zone is not None and wanted_zone != labels.get(LABEL_NODE_ZONE):
        raise invalid(_MULTI_ZONE_LABEL)
    labels.update(pool.labels or {})
    labels.setdefault(LABEL_NODE_POOL, name)
    if len(zones) == 1:
        labels.setdefault(LABEL_NODE_ZONE, zone_to_kompox(zones[0], location))
    existing.node_labels = labels
    auto = pool.autoscaling
    if auto is None:
        return
    existing.enable_auto_scaling = auto.enabled
    if auto.enabled:
        existing.min_count = auto.min
        existing.max_count = auto.max
        count = getattr(existing, "count", None)
        if count is not None and not auto.min <= count <= auto.max:
            existing.count = min(max(count, auto.min), auto.max)  # AKS wants count within [min, max]
        return
    existing.min_count = None  # AKS accepts min/max only while autoscaling is enabled
    existing.max_count = None
    if auto.desired is not None:
        existing.count = auto.desired
