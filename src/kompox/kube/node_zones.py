"""The node-zone labeler: per-node ``kompox.dev/node-zone`` for pools with several zones.

AKS node labels are per pool, so a pool spread over zones 1–3 cannot carry
one correct ``kompox.dev/node-zone``; the driver sets none on such a pool
(:mod:`kompox.providers.aks.nodepool_mapping`).  Every node does carry its
own zone in the well-known ``topology.kubernetes.io/zone`` label, in the
Kompox zone form ``<region>-<n>`` (``japaneast-2``; a non-zonal AKS node
carries its fault domain, ``0``).  This copies that value to
``kompox.dev/node-zone`` on each Kompox node (one carrying
``kompox.dev/node-pool``) that has no zone label yet.  It never rewrites an
existing label (the cluster template's ``npuser1`` nodes keep ``1``) and
ignores values not in the ``<region>-<n>`` form.  Each patch carries the
node's ``resourceVersion``, so a node changed meanwhile is left for the next
run (reported, not fatal).

Run by ``cluster install`` (AKS) and by ``app deploy`` of an app pinned to
zones, before its objects are applied (docs/data-safety.md, "Zone labels of
multi-zone pools").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kompox.domain.model.nodepool import LABEL_NODE_POOL, LABEL_NODE_ZONE
from kompox.domain.scheduling import TOPOLOGY_ZONE, is_region_zone
from kompox.kube import resources as res
from kompox.kube.api import KubeAPI, meta_of
from kompox.kube.transport import KubeAPIError

NODE_SELECTOR = f"{LABEL_NODE_POOL},!{LABEL_NODE_ZONE}"


@dataclass
class NodeZoneLabels:
    """What a run did: ``(node, zone)`` per labelled node, one line per node it could not label."""

    labelled: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def label_node_zones(api: KubeAPI) -> NodeZoneLabels:
    """Label the Kompox nodes without a zone label from their topology zone (idempotent)."""
    outcome = NodeZoneLabels()
    for node in api.list_objects(res.NODE, label_selector=NODE_SELECTOR):
        meta = meta_of(node)
        name = str(meta.get("name", ""))
        zone = str((meta.get("labels") or {}).get(TOPOLOGY_ZONE, ""))
        if not name or not is_region_zone(zone):
            continue
        patch = {"metadata": {"resourceVersion": meta.get("resourceVersion"), "labels": {LABEL_NODE_ZONE: zone}}}
        if not patch["metadata"]["resourceVersion"]:
            del patch["metadata"]["resourceVersion"]
        try:
            api.patch(res.NODE, name, patch)
        except KubeAPIError as err:
            if err.status_code == 404:  # the node went away since the list
                continue
            reason = "it changed meanwhile; the next run labels it" if err.status_code == 409 else str(err)
            outcome.failed.append(f"node {name}: {LABEL_NODE_ZONE}={zone} not set: {reason}")
            continue
        outcome.labelled.append((name, zone))
    return outcome
