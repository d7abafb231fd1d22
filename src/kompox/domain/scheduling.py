"""Which node pools an app may land on (converter.md §9, seed 003): pure rules shared by the
converter (spot tolerations), ``app validate`` (scheduling check) and the zone preflight.

Pods select nodes by the labels ``kompox.dev/node-pool`` and ``kompox.dev/node-zone``,
compared verbatim.  The node-pool label is set per pool.  The node-zone label is set
per pool only when the pool has one zone (or an operator set it); the nodes of a pool
with several zones get it one by one from their ``topology.kubernetes.io/zone`` label
(the node-zone labeler, docs/data-safety.md "Zone labels of multi-zone pools"), so such
a pool offers each of its zones, in the Kompox form the driver reports
(``japaneast-2``), as a node-zone label value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kompox.domain.model.app import AppDeployment
from kompox.domain.model.nodepool import LABEL_NODE_POOL, LABEL_NODE_ZONE, POOL_USER, NodePool, NodeTaint

TOPOLOGY_ZONE = "topology.kubernetes.io/zone"
_REGION_ZONE = re.compile(r"^[a-z][a-z0-9]*-[0-9]+$")


def is_region_zone(value: str) -> bool:
    """Whether ``value`` is a zone in the Kompox form ``<region>-<n>`` (``japaneast-2``; not ``0`` or ``2``)."""
    return bool(_REGION_ZONE.match(value))


def requested_pools(deployment: AppDeployment) -> tuple[list[str], str]:
    """The ``kompox.dev/node-pool`` values the app selects, and the field they come from."""
    if deployment.pools:
        return list(deployment.pools), "deployment.pools"
    if deployment.pool:
        return [deployment.pool], "deployment.pool"
    return [POOL_USER], "deployment.pool (default)"


def requested_zones(deployment: AppDeployment) -> tuple[list[str], str]:
    """The ``kompox.dev/node-zone`` values the app selects (none: any zone), and the field."""
    if deployment.zones:
        return list(deployment.zones), "deployment.zones"
    if deployment.zone:
        return [deployment.zone], "deployment.zone"
    return [], ""


def zone_label_values(pool: NodePool) -> list[str]:
    """The ``kompox.dev/node-zone`` values the pool's nodes carry ([] when none carries one).

    A pool-level label is on every node; without one, each node of a pool with
    zones is labelled with its own zone by the labeler.
    """
    label = (pool.labels or {}).get(LABEL_NODE_ZONE)
    if label is not None:
        return [label]
    return list(pool.zones or [])


def selected_pools(deployment: AppDeployment, pools: Sequence[NodePool]) -> list[NodePool]:
    """The pools with at least one node the app's nodeSelector/affinity admits."""
    wanted_pools = set(requested_pools(deployment)[0])
    wanted_zones = set(requested_zones(deployment)[0])
    chosen: list[NodePool] = []
    for pool in pools:
        if (pool.labels or {}).get(LABEL_NODE_POOL) not in wanted_pools:
            continue
        if wanted_zones and not wanted_zones.intersection(zone_label_values(pool)):
            continue
        chosen.append(pool)
    return chosen


def implied_taints(deployment: AppDeployment, pools: Sequence[NodePool] | None) -> list[NodeTaint]:
    """The provider-imposed taints of the pools the app may land on (sorted, no duplicates).

    ``None`` pools (the driver cannot list them) → none: nothing is guessed.
    """
    if not pools:
        return []
    found = {t for p in selected_pools(deployment, pools) if p.status is not None for t in p.status.implied_taints}
    return sorted(found, key=lambda t: (t.key, t.value, t.effect))
