"""Which node a ``localpath`` disk lives on (zones are nodes on K3s).

Without ``--zone`` a disk goes to a node carrying the app's pool and zone
labels (``kompox.dev/node-pool`` / ``kompox.dev/node-zone``, the labels the
converter selects), preferring the node that already holds the app's other
disks (a pod mounts all its volumes on one node), then the first by name.
``--zone <node>`` names the node; an unknown node is a validation error naming
the nodes that exist.  A NotReady or cordoned node is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import DriverValidationError, NotFoundError, UnavailableError
from kompox.domain.model import App

POOL_LABEL = "kompox.dev/node-pool"
ZONE_LABEL = "kompox.dev/node-zone"
HOSTNAME_LABEL = "kubernetes.io/hostname"
DEFAULT_POOL = "user"


@dataclass(frozen=True)
class NodeInfo:
    """What the localpath backend reads from a Node: name, labels, readiness, cordon."""

    name: str
    labels: dict[str, str] = field(default_factory=dict)
    ready: bool = False
    cordoned: bool = False

    @property
    def hostname(self) -> str:
        """The ``kubernetes.io/hostname`` label a PV's node affinity selects (the name when unlabelled)."""
        return self.labels.get(HOSTNAME_LABEL) or self.name

    def describe(self) -> str:
        pool = self.labels.get(POOL_LABEL)
        zone = self.labels.get(ZONE_LABEL)
        parts = [f"pool={pool}" if pool else "no pool label"]
        if zone:
            parts.append(f"zone={zone}")
        if not self.ready:
            parts.append("NotReady")
        if self.cordoned:
            parts.append("cordoned")
        return f"{self.name} ({', '.join(parts)})"


def node_info(obj: dict[str, Any]) -> NodeInfo:
    meta = obj.get("metadata") or {}
    conditions = (obj.get("status") or {}).get("conditions") or []
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    return NodeInfo(
        name=str(meta.get("name") or ""),
        labels={str(k): str(v) for k, v in (meta.get("labels") or {}).items()},
        ready=ready,
        cordoned=bool((obj.get("spec") or {}).get("unschedulable")),
    )


def app_selector(app: App) -> tuple[list[str], list[str]]:
    """The pools and zones the app's pods select (as the converter's scheduling rules)."""
    dep = app.deployment
    pools = list(dep.pools) or [dep.pool or DEFAULT_POOL]
    zones = list(dep.zones) or ([dep.zone] if dep.zone else [])
    return pools, zones


def _matches(node: NodeInfo, pools: list[str], zones: list[str]) -> bool:
    if node.labels.get(POOL_LABEL) not in pools:
        return False
    return not zones or node.labels.get(ZONE_LABEL) in zones


def _selector_text(pools: list[str], zones: list[str]) -> str:
    text = f"{POOL_LABEL} in ({', '.join(pools)})" if len(pools) > 1 else f"{POOL_LABEL}={pools[0]}"
    if zones:
        text += f" and {ZONE_LABEL} in ({', '.join(zones)})" if len(zones) > 1 else f" and {ZONE_LABEL}={zones[0]}"
    return text


def _listing(nodes: Iterable[NodeInfo]) -> str:
    described = [n.describe() for n in sorted(nodes, key=lambda n: n.name)]
    return ", ".join(described) if described else "none"


def check_usable(node: NodeInfo) -> None:
    if not node.ready:
        raise UnavailableError(f"node {node.name} is NotReady; the disk's data lives there, wait for it or fix it")
    if node.cordoned:
        raise UnavailableError(f"node {node.name} is cordoned (unschedulable); uncordon it first")


def choose_node(nodes: list[NodeInfo], app: App, wanted: str = "", prefer: Iterable[str] = ()) -> NodeInfo:
    """The node of a new disk: ``wanted`` (``--zone``) or a usable node of the app's pool."""
    pools, zones = app_selector(app)
    if wanted:
        found = next((n for n in nodes if n.name == wanted), None)
        if found is None:
            raise DriverValidationError(
                f"unknown node {wanted!r} (on K3s a zone is a node); nodes: {_listing(nodes)}", field="zone"
            )
        if not _matches(found, pools, zones):
            raise DriverValidationError(
                f"node {wanted} does not carry {_selector_text(pools, zones)}, so the app's pods cannot run there; "
                f"nodes: {_listing(nodes)}",
                field="zone",
            )
        check_usable(found)
        return found
    candidates = [n for n in nodes if _matches(n, pools, zones)]
    if not candidates:
        raise NotFoundError(
            f"no node carries {_selector_text(pools, zones)} (label one: kubectl label node <name> "
            f"{POOL_LABEL}={pools[0]}); nodes: {_listing(nodes)}"
        )
    usable = sorted((n for n in candidates if n.ready and not n.cordoned), key=lambda n: n.name)
    if not usable:
        raise UnavailableError(
            f"every node with {_selector_text(pools, zones)} is NotReady or cordoned: {_listing(candidates)}"
        )
    preferred = set(prefer)
    return next((n for n in usable if n.name in preferred), usable[0])
