"""``kompoxops snapshot``: snapshots of the app's volumes (seed 000)."""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_snapshot() -> KompoxGroup:
    snapshot = new_group("snapshot", "Manage snapshots of the app's volumes.")
    planned(snapshot, "list", "List the snapshots of a volume.", "issue 8")
    planned(snapshot, "create", "Snapshot the assigned disk (or -S SOURCE).", "issue 8")
    planned(snapshot, "delete", "Delete a snapshot.", "issue 8")
    return snapshot
