"""The idempotency key of ``app move``: one deterministic name per (source app instance, volume, disk, target)."""

from __future__ import annotations

from datetime import UTC, datetime

from kompox.domain.model import VolumeDisk
from kompox.domain.naming import is_dns1123_label, new_hashes, validate_resource_name
from kompox.usecase.app_move_names import move_name, move_prefix

SOURCE = new_hashes("ws1", "aks1", "c1", "app1")
TARGET = new_hashes("ws1", "aks1", "c2", "app1")
MADE = datetime(2025, 1, 1, tzinfo=UTC)


def disk(name: str = "d1", created: datetime | None = MADE) -> VolumeDisk:
    return VolumeDisk(name=name, volume_name="db", created_at=created)


def test_the_name_is_deterministic_and_a_valid_snapshot_and_disk_name() -> None:
    name = move_name(SOURCE.app_instance, "db", disk(), TARGET.cluster)
    assert name == move_name(SOURCE.app_instance, "db", disk(), TARGET.cluster)  # a re-run finds it
    assert name.startswith(move_prefix(TARGET.cluster)) and name.startswith(f"mv-{TARGET.cluster}-")
    assert len(name) == 18 and is_dns1123_label(name)
    for kind in ("disk", "snapshot"):
        validate_resource_name(kind, name)  # within the contract's 24 characters


def test_each_input_changes_the_key() -> None:
    base = move_name(SOURCE.app_instance, "db", disk(), TARGET.cluster)
    other_target = new_hashes("ws1", "aks1", "c3", "app1").cluster
    variants = [
        move_name(SOURCE.app_instance, "logs", disk(), TARGET.cluster),  # another volume
        move_name(SOURCE.app_instance, "db", disk("d2"), TARGET.cluster),  # another source disk
        move_name(new_hashes("ws1", "aks1", "c9", "app1").app_instance, "db", disk(), TARGET.cluster),  # source
        move_name(SOURCE.app_instance, "db", disk(), other_target),  # another target
        # the same disk name deleted and made again: a new move, never the old snapshot
        move_name(SOURCE.app_instance, "db", disk(created=datetime(2025, 6, 1, tzinfo=UTC)), TARGET.cluster),
    ]
    assert base not in variants and len(set(variants)) == len(variants)
