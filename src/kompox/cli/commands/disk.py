"""``kompoxops disk``: the cloud disks (or file shares) of the app's volumes (seed 000)."""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_disk() -> KompoxGroup:
    disk = new_group("disk", "Manage the cloud disks (or file shares) of the app's volumes.")
    planned(disk, "list", "List the disks of a volume.", "issue 8")
    planned(disk, "create", "Create a disk (empty, from a snapshot with -S, or --bootstrap).", "issue 8")
    planned(disk, "assign", "Make a disk the one the app mounts.", "issue 8")
    planned(disk, "delete", "Delete a disk.", "issue 8")
    return disk
