"""Zone preflight: an assigned zonal RWO disk must be reachable by a node the app may land on.

A ReadWriteOnce cloud disk (Azure Managed Disk) lives in one availability
zone and attaches only to a node in that zone.  An app whose pods are pinned
(``deployment.zone(s)``) or whose selected node pools (``deployment.pool(s)``,
default ``user``) live only in other zones would deploy, and its pod would
then hang in ``Pending`` with a volume-node-affinity conflict.  This check
refuses it before anything is applied (``app validate`` / ``app deploy``,
exit 3), naming the volume, its disk, the disk's zone and where the app may
land.

Zones are compared normalised: Kompox's ``<region>-<n>`` and the provider's
``<n>`` name the same zone (``japaneast-1`` == ``1``); other values are
compared as written.  Where the app may land:

* without a pool list: the pinned zones (``deployment.zones``/``zone``);
* else, per selected pool, the zones its nodes are in (its ``zones``, else its
  ``kompox.dev/node-zone`` label) that the pin admits: a pool-level
  ``kompox.dev/node-zone`` label is on every node of the pool (all or none of
  its zones), while the nodes of a multi-zone pool without one carry their own
  zone (:mod:`kompox.kube.node_zones`), so the pin admits exactly the pinned
  zones; without a pin, all of them.

The check says nothing (never a false refusal) when it cannot know: a disk
without a zone (regional, or Azure Files), a node-local volume (K3s
``localpath``: its "zone" is a node, placed at creation on a node carrying
the app's labels), no pin and no pool list, or a selected pool whose zones
are unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kompox.domain.model import AppDeployment, NodePool
from kompox.domain.model.nodepool import LABEL_NODE_POOL, LABEL_NODE_ZONE
from kompox.domain.scheduling import requested_pools, requested_zones
from kompox.kube.convert import VolumeBinding

_REGION_ZONE = re.compile(r"^.+-([0-9]+)$")


def normal_zone(zone: str) -> str:
    """``japaneast-1`` → ``1``; ``1`` → ``1``; anything else unchanged (stripped)."""
    value = zone.strip()
    match = _REGION_ZONE.match(value)
    return match.group(1) if match else value


@dataclass(frozen=True)
class Landing:
    """Where the app's pods may run: normalised zones, and how that was derived (for messages)."""

    zones: frozenset[str]
    described: str


def _pool_zones(pool: NodePool) -> list[str] | None:
    """The (normalised) zones the pool's nodes are in; ``None`` when unknown."""
    if pool.zones:
        return [normal_zone(z) for z in pool.zones]
    label = (pool.labels or {}).get(LABEL_NODE_ZONE)
    return [normal_zone(label)] if label else None


def _reached(pool: NodePool, pinned: frozenset[str]) -> list[str] | None:
    """The zones of the pool's nodes that the pin admits (all of them without a pin); ``None``: unknown.

    A pool-level ``kompox.dev/node-zone`` is on every node, whatever zone the node is in (a
    multi-zone pool upstream labelled with its first zone): the pin admits all or none of
    them.  Without one, each node carries its own zone (the node-zone labeler), so the pin
    admits the pinned zones of the pool.
    """
    zones = _pool_zones(pool)
    if zones is None or not pinned:
        return zones
    label = (pool.labels or {}).get(LABEL_NODE_ZONE)
    if label is not None:
        return zones if normal_zone(label) in pinned else []
    return [z for z in zones if z in pinned]


def app_landing(deployment: AppDeployment, pools: Sequence[NodePool] | None) -> Landing | None:
    """The zones the app may land in, or ``None`` when that cannot be known."""
    wanted_pools, pool_field = requested_pools(deployment)
    wanted_zones, zone_field = requested_zones(deployment)
    pinned = frozenset(normal_zone(z) for z in wanted_zones)
    pinned_text = f"{zone_field} {', '.join(wanted_zones)}"
    if pools is None:
        return Landing(pinned, pinned_text) if pinned else None
    selected = [p for p in pools if (p.labels or {}).get(LABEL_NODE_POOL) in wanted_pools]
    per_pool = [(p.name or "?", _pool_zones(p), _reached(p, pinned)) for p in selected]
    if not selected or any(zones is None for _, zones, _ in per_pool):
        # no selected pool (reported by the scheduling check) or one without known zones
        return Landing(pinned, pinned_text) if pinned else None
    reached = frozenset(z for _, _, zones in per_pool for z in zones or [])
    pools_text = f"{pool_field} {', '.join(wanted_pools)} → node pools " + ", ".join(
        f"{name} (zones {', '.join(sorted(zones or [])) or 'none'})" for name, zones, _ in per_pool
    )
    if pinned:
        return Landing(reached, f"{pinned_text}; {pools_text}")
    return Landing(reached, pools_text)


def zone_conflicts(
    deployment: AppDeployment, bindings: Sequence[VolumeBinding], pools: Sequence[NodePool] | None
) -> list[str]:
    """One message per assigned zonal RWO disk that no node the app may land on can attach."""
    landing: Landing | None = None
    computed = False
    messages: list[str] = []
    for binding in bindings:
        disk, vclass = binding.disk, binding.volume_class
        if disk is None or vclass is None or vclass.local or "ReadWriteOnce" not in vclass.access_modes:
            continue
        if not disk.zone.strip():
            continue
        if not computed:
            landing, computed = app_landing(deployment, pools), True
        if landing is None:
            return []
        zone = normal_zone(disk.zone)
        if zone in landing.zones:
            continue
        reachable = ", ".join(sorted(landing.zones)) or "none"
        messages.append(
            f"volume {binding.name}: assigned disk {disk.name} is in zone {disk.zone}, which no node the app "
            f"may land on can reach (the app may land in zones: {reachable}; from {landing.described}); "
            f"pin the app to zone {zone} (deployment.zone), select a node pool in that zone, or restore the disk "
            f"into a reachable zone (snapshot create, then disk create --zone … --source snapshot:…, disk assign)"
        )
    return messages
