"""Where an app asks to run (node pools and zones) against the pools a cluster has, for ``app validate``.

:func:`scheduling_gaps` names each requested pool or zone no node pool
offers (the request is read by :mod:`kompox.domain.scheduling`).  The
node-pool CRUD use cases are :mod:`kompox.usecase.nodepool`.
"""

from __future__ import annotations

from collections.abc import Sequence

from kompox.domain.model import LABEL_NODE_POOL, LABEL_NODE_ZONE, AppDeployment, NodePool
from kompox.domain.scheduling import requested_pools, requested_zones, zone_label_values


def _label_index(pools: Sequence[NodePool], key: str) -> dict[str, list[str]]:
    """Label value → names of the pools whose nodes carry it.

    Zones: a pool's own ``kompox.dev/node-zone`` label, else each of its zones
    (the nodes of a multi-zone pool are labelled one by one,
    :func:`kompox.domain.scheduling.zone_label_values`).
    """
    index: dict[str, list[str]] = {}
    for pool in pools:
        label = (pool.labels or {}).get(key)
        values = zone_label_values(pool) if key == LABEL_NODE_ZONE else ([label] if label is not None else [])
        for value in values:
            index.setdefault(value, []).append(pool.name or "?")
    return index


def _describe(index: dict[str, list[str]]) -> str:
    if not index:
        return "none"
    return ", ".join(f"{value} ({', '.join(sorted(names))})" for value, names in sorted(index.items()))


def scheduling_gaps(deployment: AppDeployment, pools: Sequence[NodePool]) -> list[tuple[str, str]]:
    """``(code, message)`` for each requested pool or zone that no node pool of the cluster offers.

    Pods select nodes by the labels ``kompox.dev/node-pool`` and
    ``kompox.dev/node-zone`` (converter.md §9), compared verbatim, so the check
    compares the requested values with the label values the pools' nodes carry:
    ``zone: "1"`` does not match a pool labelled ``japaneast-1``, nor a node of a
    multi-zone pool (labelled ``japaneast-<n>`` from its topology zone).  Zones
    are looked up among the requested pools when those exist, else among all pools.
    """
    gaps: list[tuple[str, str]] = []
    by_pool = _label_index(pools, LABEL_NODE_POOL)
    wanted_pools, pool_field = requested_pools(deployment)
    for value in wanted_pools:
        if value not in by_pool:
            gaps.append(
                (
                    "node_pool_not_found",
                    f"node pool {value!r} ({pool_field}) does not exist in the cluster: no node pool is labelled "
                    f"{LABEL_NODE_POOL}={value} (labelled pools: {_describe(by_pool)})",
                )
            )
    wanted_zones, zone_field = requested_zones(deployment)
    if not wanted_zones:
        return gaps
    present = [v for v in wanted_pools if v in by_pool]
    selected = [p for p in pools if (p.labels or {}).get(LABEL_NODE_POOL) in present]
    scope = f"node pool {', '.join(present)}" if selected else "the cluster"
    by_zone = _label_index(selected or pools, LABEL_NODE_ZONE)
    for value in wanted_zones:
        if value not in by_zone:
            gaps.append(
                (
                    "node_zone_not_found",
                    f"zone {value!r} ({zone_field}) does not exist in {scope}: no node of a node pool "
                    f"carries {LABEL_NODE_ZONE}={value} (zone labels: {_describe(by_zone)})",
                )
            )
    return gaps
