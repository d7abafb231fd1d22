"""NodePool: one DTO for list, create and update (seed 003).

Every field is optional: ``None`` means "not set" and is different from an
empty or zero value.  ``update`` applies only the fields that are not None.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    enabled: bool = False
    min: int = 0
    max: int = 0
    desired: int | None = None


@dataclass
class NodePoolStatus:
    provisioning_state: str | None = None
    current_node_count: int | None = None
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass
class NodePool:
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
