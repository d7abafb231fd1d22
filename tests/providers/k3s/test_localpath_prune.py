"""``snapshot prune`` on K3s ``localpath`` (issue #18): a snapshot feeding a disk still being created is kept,
and the prune lease lives on the K3s cluster itself (the same Lease as for AKS apps).

A ``disk create -S snapshot:…`` writes the disk's record in state
``creating`` before its helper pod copies the archive; while a record says
so, its source snapshot must survive a prune.  The records are the real
ConfigMaps on kmock; the snapshots are real archives made by the helper
script on the node directories.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from kompox.domain.errors import LeaseHeldError
from kompox.domain.model import App, AppVolume
from kompox.kube.client import KubeClient
from kompox.kube.lease import KubeLease
from kompox.kube.transport import RetryPolicy
from kompox.usecase.prune_lease import LEASE_NAMESPACE, PruneLease, prune_lease_name
from kompox.usecase.volume_retention import RetentionPolicy, prune_snapshots

from .localpath_fixtures import K3sVolumeCluster, make_app

GIB = 1 << 30
RECORDS = "v1/configmaps"


@pytest.fixture
def app(k3s: K3sVolumeCluster) -> App:
    return make_app(k3s.cluster, [AppVolume("db", GIB)])


def record_of(k3s: K3sVolumeCluster, kind: str, name: str) -> dict[str, Any]:
    (found,) = [
        o
        for o in k3s.objects(RECORDS).values()
        if o["data"].get("name") == name and o["metadata"]["name"].startswith(kind)
    ]
    return found


def test_prune_keeps_the_snapshot_a_creating_disk_record_is_made_from(k3s: K3sVolumeCluster, app: App) -> None:
    driver, cluster = k3s.driver, k3s.cluster
    driver.volume_disk_create(cluster, app, "db", "main", "")
    for name in ("mon", "tue", "wed"):
        k3s.time.advance(86400)
        driver.volume_snapshot_create(cluster, app, "db", name, "")
    mon = next(s for s in driver.volume_snapshot_list(cluster, app, "db") if s.name == "mon")
    driver.volume_disk_create(cluster, app, "db", "restored", "snapshot:mon")
    # another machine's restore from mon that has not finished: its record still says "creating"
    record = record_of(k3s, "disk-", "restored")
    record["data"]["state"] = "creating"
    k3s.server.put(RECORDS, record)
    (restored,) = [d for d in driver.volume_disk_list(cluster, app, "db") if d.name == "restored"]
    assert restored.creating and restored.source == mon.handle and restored.node == "node-a"
    assert restored.attached is None  # localpath: whether a pod mounts it is not looked up on a list

    now = k3s.time.now + timedelta(hours=1)
    (db,) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=1), now=now)
    assert [(d.snapshot.name, d.delete) for d in db.decisions] == [("wed", False), ("tue", True), ("mon", False)]
    assert db.decisions[2].reason == "source of disk restored (volume db), still being created (2d1h old)"
    assert db.deleted == ["tue"] and not db.failed
    assert [s.name for s in driver.volume_snapshot_list(cluster, app, "db")] == ["wed", "mon"]
    deletes = [r.args for r in k3s.executor.runs if r.op == "delete"]  # helper pods that ran on the node
    assert len(deletes) == 1 and deletes[0][0].endswith("/db/snapshots/tue.tar")


def test_the_prune_lease_on_the_k3s_cluster_keeps_a_second_run_from_deleting(k3s: K3sVolumeCluster, app: App) -> None:
    driver, cluster = k3s.driver, k3s.cluster
    driver.volume_disk_create(cluster, app, "db", "main", "")
    for name in ("mon", "tue", "wed"):
        k3s.time.advance(86400)
        driver.volume_snapshot_create(cluster, app, "db", name, "")
    kube = KubeClient(k3s.server.kubeconfig, timeout=5, retry=RetryPolicy(sleep=lambda _s: None))
    try:

        def lease(holder: str) -> PruneLease:
            store = KubeLease(kube, LEASE_NAMESPACE, prune_lease_name("k4x-k3s1-app1"))
            return PruneLease(store, holder, clock=k3s.time.clock)

        first = lease("node-cron/1/aaaa")
        first.acquire()  # a prune on another machine is running
        now = k3s.time.now + timedelta(hours=1)
        with pytest.raises(
            LeaseHeldError, match=re.escape("another run holds Lease default/kompox-snapshot-prune.k4x-k3s1-app1")
        ):
            prune_snapshots(driver, cluster, app, RetentionPolicy(keep=1), now=now, lease=lease("laptop/2/bbbb"))
        assert [r for r in k3s.executor.runs if r.op == "delete"] == []  # no helper pod deleted anything
        first.release()
        (db,) = prune_snapshots(driver, cluster, app, RetentionPolicy(keep=1), now=now, lease=lease("laptop/2/cccc"))
        assert db.deleted == ["tue", "mon"]
    finally:
        kube.close()
