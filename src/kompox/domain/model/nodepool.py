"""NodePool: one DTO for list, create and update (seed 003, drivers.md §2.6).

Every field is optional: ``None`` means "not set" and is different from an
empty or zero value (``""``, ``[]``, ``{}``, ``0``).  ``update`` applies only
the fields that are not None; ``status`` is read-only (filled by results,
ignored on input).  Vendor vocabulary (AKS ``vmSize``, agent pool, …) never
appears here: drivers translate.

:func:`check_node_pool` holds the provider-neutral value rules shared by every
driver that has the node-pool capability; a driver adds its own rules (e.g.
AKS OS disk types) and decides which fields are immutable.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import DriverValidationError

LABEL_NODE_POOL = "kompox.dev/node-pool"
LABEL_NODE_ZONE = "kompox.dev/node-zone"
POOL_SYSTEM = "system"
POOL_USER = "user"
NODE_POOL_MODES: tuple[str, ...] = (POOL_SYSTEM, POOL_USER)
PRIORITY_REGULAR = "regular"
PRIORITY_SPOT = "spot"
NODE_POOL_PRIORITIES: tuple[str, ...] = (PRIORITY_REGULAR, PRIORITY_SPOT)


@dataclass
class NodePoolAutoscaling:
    """``desired`` is the fixed node count, used only when ``enabled`` is false."""

    enabled: bool = False
    min: int = 0
    max: int = 0
    desired: int | None = None


@dataclass(frozen=True)
class NodeTaint:
    """A node taint: ``key=value:effect`` (``effect`` is ``NoSchedule``, ``PreferNoSchedule`` or ``NoExecute``)."""

    key: str
    value: str
    effect: str

    def toleration(self) -> dict[str, str]:
        """The pod toleration that lets a pod onto a node with this taint (``operator: Equal``)."""
        return {"key": self.key, "operator": "Equal", "value": self.value, "effect": self.effect}


@dataclass
class NodePoolStatus:
    """Read-only facts a driver reports with a pool (ignored on create and update input).

    ``implied_taints``: the taints the provider itself puts on every node of
    the pool because of how the pool is configured, not because an operator
    asked for them (AKS: a Spot pool's
    ``kubernetes.azure.com/scalesetpriority=spot:NoSchedule``).  The converter
    tolerates them for an app that selects the pool (docs/data-safety.md,
    "Spot pools"); taints an operator adds are never tolerated automatically.
    """

    provisioning_state: str | None = None
    current_node_count: int | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    implied_taints: list[NodeTaint] = field(default_factory=list)


@dataclass
class NodePool:
    """A node pool of a cluster as the driver reports or creates it (``None``: not set)."""

    name: str | None = None
    provider_name: str | None = None
    mode: str | None = None
    labels: dict[str, str] | None = None
    zones: list[str] | None = None
    instance_type: str | None = None
    os_disk_type: str | None = None
    os_disk_size_gib: int | None = None
    priority: str | None = None
    autoscaling: NodePoolAutoscaling | None = None
    status: NodePoolStatus | None = None
    extensions: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> NodePool:
        """A deep copy (drivers never mutate the caller's DTO)."""
        return copy.deepcopy(self)


def invalid(message: str) -> DriverValidationError:
    """A node-pool validation error: the message starts with ``validation error: ``."""
    return DriverValidationError(message)


def require_pool_name(pool: NodePool) -> str:
    """The pool name, or the seed's validation error ``pool.Name is required``."""
    if pool.name is None or not pool.name.strip():
        raise invalid("pool.Name is required")
    return pool.name


def _one_of(value: str | None, allowed: tuple[str, ...], field_name: str) -> None:
    if value is None:
        return
    if value.lower() not in allowed:
        raise invalid(f"{field_name} must be one of {', '.join(allowed)} (got {value!r})")


def check_node_pool(pool: NodePool) -> None:
    """Provider-neutral rules for create and update: the name, then every field that is set.

    Raises :class:`DriverValidationError` naming the field.  Mode and priority
    are compared case-insensitively (``System`` is ``system``).
    """
    require_pool_name(pool)
    _one_of(pool.mode, NODE_POOL_MODES, "pool.Mode")
    _one_of(pool.priority, NODE_POOL_PRIORITIES, "pool.Priority")
    for name, text in (("pool.InstanceType", pool.instance_type), ("pool.OSDiskType", pool.os_disk_type)):
        if text is not None and not text.strip():
            raise invalid(f"{name} must not be empty when set")
    if pool.os_disk_size_gib is not None and pool.os_disk_size_gib < 0:
        raise invalid(f"pool.OSDiskSizeGiB must not be negative (got {pool.os_disk_size_gib})")
    for i, zone in enumerate(pool.zones or []):
        if not zone.strip():
            raise invalid(f"pool.Zones[{i}] must not be empty")
    for key in pool.labels or {}:
        if not key.strip():
            raise invalid("pool.Labels has an empty key")
    _check_autoscaling(pool.autoscaling)


def _check_autoscaling(auto: NodePoolAutoscaling | None) -> None:
    if auto is None:
        return
    if auto.enabled:
        if auto.min < 0:
            raise invalid(f"pool.Autoscaling.Min must not be negative (got {auto.min})")
        if auto.max < 1:
            raise invalid(f"pool.Autoscaling.Max must be at least 1 when autoscaling is enabled (got {auto.max})")
        if auto.min > auto.max:
            raise invalid(f"pool.Autoscaling.Min ({auto.min}) must not exceed pool.Autoscaling.Max ({auto.max})")
    elif auto.desired is not None and auto.desired < 0:
        raise invalid(f"pool.Autoscaling.Desired must not be negative (got {auto.desired})")
