"""The fake cloud behind the reference driver: tagged resources and a manual clock."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

TAG_MEMBER = "kompox-member"  # value: kompox-<vol>-<idHASH> (seed 000)
TAG_DISK_NAME = "kompox-disk-name"
TAG_SNAPSHOT_NAME = "kompox-snapshot-name"
TAG_ASSIGNED = "kompox-disk-assigned"

EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Resource:
    """One cloud resource: a disk, a file share or a snapshot."""

    kind: str  # "disk" | "share" | "snapshot"
    id: str  # provider-native id; the Kompox handle
    tags: dict[str, str]
    size: int
    zone: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    source_id: str = ""  # what it was copied from ("" = empty)
    attached_node: str = ""  # disks: the node holding it ("" = not attached); set by tests with attach()
    created_at: datetime = EPOCH
    updated_at: datetime = EPOCH


class ReferenceCloud:
    """The fake cloud shared by every driver instance (drivers are built per operation)."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._now = start
        self.resources: list[Resource] = []
        self.lock = threading.RLock()
        self.calls: list[str] = []  # method names, for tests that check what was (not) called
        self.kubeconfig: bytes | None = None  # the cluster's API server, when a test serves one (kmock)

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def attach(self, disk_name: str, node: str) -> None:
        """Mark the disk named ``disk_name`` attached to ``node`` (what a CSI attach does)."""
        (disk,) = [r for r in self.resources if r.kind == "disk" and r.tags.get(TAG_DISK_NAME) == disk_name]
        disk.attached_node = node

    def find(self, kind: str, id: str) -> Resource | None:
        return next((r for r in self.resources if r.kind == kind and r.id == id), None)

    def by_id(self, id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == id), None)

    def members(self, kinds: Iterable[str], member: str) -> list[Resource]:
        wanted = set(kinds)
        return [r for r in self.resources if r.kind in wanted and r.tags.get(TAG_MEMBER) == member]
