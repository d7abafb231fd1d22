"""The idempotency key of ``app move``: one deterministic name per (source app instance, volume, disk, target).

The snapshot and the disk a move makes for a volume share that name,
``mv-<target cluster hash>-<key>``, so a re-run finds what an earlier run made.
"""

from __future__ import annotations

from kompox.domain.model import VolumeDisk
from kompox.domain.naming import short_hash

MOVE_PREFIX = "mv"
KEY_LEN = 8


def move_prefix(dest_cluster_hash: str) -> str:
    """``mv-<target cluster hash>-``: every snapshot and disk a move to that cluster makes starts so."""
    return f"{MOVE_PREFIX}-{dest_cluster_hash}-"


def move_name(source_instance_hash: str, volume: str, disk: VolumeDisk, dest_cluster_hash: str) -> str:
    """The one name of the snapshot and the new disk of ``volume`` (18 characters, a DNS-1123 label).

    The disk's creation time is part of the key, so a disk deleted and made
    again under the same name is a new move, never an old snapshot reused.
    """
    stamp = disk.created_at.isoformat() if disk.created_at is not None else ""
    key = short_hash(
        f"kompox-app-move:{source_instance_hash}:{volume}:{disk.name}:{stamp}:{dest_cluster_hash}", KEY_LEN
    )
    return move_prefix(dest_cluster_hash) + key
