"""``kompoxops cluster nodepool``: node pools of the cluster (seed 003, cli.md)."""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_nodepool() -> KompoxGroup:
    nodepool = new_group("nodepool", "Manage node pools of the cluster.")
    for verb, summary in (
        ("list", "List node pools as JSON."),
        ("create", "Create a node pool from -f FILE."),
        ("update", "Update a node pool from -f FILE (only set fields)."),
        ("delete", "Delete a node pool (--name)."),
    ):
        planned(nodepool, verb, summary, "issue 9")
    return nodepool
