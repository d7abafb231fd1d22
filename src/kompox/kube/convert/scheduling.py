"""Node pool / zone scheduling of the app pod (converter.md §9).

Beyond upstream (DS-ADR-1 in docs/data-safety.md): the pod tolerates the
taints a provider itself puts on the nodes of a pool the app selects (AKS
Spot pools: ``kubernetes.azure.com/scalesetpriority=spot:NoSchedule``).  The
taints come from the driver's node pool list
(:attr:`~kompox.domain.model.nodepool.NodePoolStatus.implied_taints`); no
provider vocabulary lives here.  No such pool selected → no ``tolerations``
key, so the manifest is byte-identical to upstream's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kompox.domain.model import LABEL_NODE_POOL, LABEL_NODE_ZONE, AppDeployment
from kompox.domain.model.nodepool import NodeTaint

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


def tolerations(taints: Sequence[NodeTaint]) -> list[dict[str, str]]:
    """One ``operator: Equal`` toleration per taint, in the order given."""
    return [taint.toleration() for taint in taints]
