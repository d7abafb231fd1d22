"""Node pool / zone scheduling of the app pod (converter.md §9)."""

from __future__ import annotations

from typing import Any

from kompox.domain.model import LABEL_NODE_POOL, LABEL_NODE_ZONE, AppDeployment

DEFAULT_POOL = "user"


def node_selector(deployment: AppDeployment) -> dict[str, str]:
    """``kompox.dev/node-pool`` unless ``pools`` is given; ``kompox.dev/node-zone`` for a single zone."""
    selector: dict[str, str] = {}
    if not deployment.pools:
        selector[LABEL_NODE_POOL] = deployment.pool or DEFAULT_POOL
    if not deployment.zones and deployment.zone:
        selector[LABEL_NODE_ZONE] = deployment.zone
    return selector


def affinity(deployment: AppDeployment) -> dict[str, Any] | None:
    """Required node affinity with ``In`` expressions for ``pools`` then ``zones``; None if neither."""
    expressions: list[dict[str, Any]] = []
    if deployment.pools:
        expressions.append({"key": LABEL_NODE_POOL, "operator": "In", "values": list(deployment.pools)})
    if deployment.zones:
        expressions.append({"key": LABEL_NODE_ZONE, "operator": "In", "values": list(deployment.zones)})
    if not expressions:
        return None
    return {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": expressions}]}
        }
    }
