"""Smoke test of the AKS harness for the volume contract suite (``tests/contract/volume/harness_aks.py``)."""

from __future__ import annotations

from contract.volume.harness import DISK_VOLUME, FILES_VOLUME
from contract.volume.harness_aks import make_aks_harness


def test_harness_drives_the_aks_driver_over_the_fake_arm() -> None:
    h = make_aks_harness()
    assert h.name == "aks" and h.supports_files and h.other_cluster is not None and h.source_of is not None
    d1 = h.driver.volume_disk_create(h.cluster, h.app, DISK_VOLUME, "d1", "")
    h.advance_clock(5)
    snap = h.driver.volume_snapshot_create(h.cluster, h.app, DISK_VOLUME, "s1", "")
    d2 = h.driver.volume_disk_create(h.other_cluster, h.app, DISK_VOLUME, "d2", "s1")
    share = h.driver.volume_disk_create(h.cluster, h.app, FILES_VOLUME, "f1", "")

    assert h.source_of(snap.handle) == d1.handle
    assert h.source_of(d2.handle) == snap.handle
    assert h.source_of(d1.handle) == ""
    listed = h.driver.volume_disk_list(h.other_cluster, h.app, DISK_VOLUME)
    assert [(d.name, d.assigned) for d in listed] == [("d2", False), ("d1", True)]
    assert d2.created_at is not None and d1.created_at is not None
    assert (d2.created_at - d1.created_at).total_seconds() == 5
    assert share.assigned and share.handle.count("#") == 6
    h.close()
