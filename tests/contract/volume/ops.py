"""Short helpers the contract tests share (no rules in here)."""

from __future__ import annotations

from kompox.domain.model import App, VolumeDisk
from kompox.domain.options import VolumeDiskCreateOptions

from .harness import VolumeHarness


def create(h: VolumeHarness, vol: str, name: str = "", source: str = "", zone: str = "") -> VolumeDisk:
    opts = VolumeDiskCreateOptions(zone=zone) if zone else None
    return h.driver.volume_disk_create(h.cluster, h.app, vol, name, source, opts)


def listed(h: VolumeHarness, vol: str, app: App | None = None) -> list[VolumeDisk]:
    return h.driver.volume_disk_list(h.cluster, app or h.app, vol)


def flags(h: VolumeHarness, vol: str) -> dict[str, bool]:
    return {d.name: d.assigned for d in listed(h, vol)}
