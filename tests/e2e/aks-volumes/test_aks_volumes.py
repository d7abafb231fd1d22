"""Opt-in end-to-end run of AKS disks, snapshots, files and node pools that records ARM (skipped without credentials).

Every scenario drives the AKS driver against real Azure through a recording
transport (``tests/providers/aks/recording.py``) and writes the sanitised
exchanges as ``aks-<scenario>.json`` in the Azure SDK test-proxy format to
``$KOMPOX_E2E_RECORD_DIR`` (default ``tests/providers/aks/recordings/real/``),
where ``tests/providers/aks/test_recordings.py`` checks the strict fakes
against them on every run.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REQUIRED = ("KOMPOX_E2E_AKS", "AZURE_SUBSCRIPTION_ID", "AZURE_LOCATION", "AZURE_AUTH_METHOD")
MISSING = [k for k in REQUIRED if not os.environ.get(k)]
if MISSING:
    pytest.skip(f"AKS e2e needs {', '.join(MISSING)}", allow_module_level=True)

TESTS = Path(__file__).resolve().parents[2]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import requests  # noqa: E402
from azure.core.pipeline.transport import RequestsTransport  # noqa: E402

from kompox.domain.errors import DriverError  # noqa: E402
from kompox.domain.model import (  # noqa: E402
    App,
    AppDeployment,
    AppVolume,
    Cluster,
    ClusterIngress,
    NodePool,
    NodePoolAutoscaling,
    Provider,
    Workspace,
)
from kompox.domain.options import NodePoolListOptions  # noqa: E402
from kompox.providers.aks import AKSDriver  # noqa: E402
from providers.aks.recording import RecordingAdapter  # noqa: E402

SETTINGS_KEYS = (
    "AZURE_SUBSCRIPTION_ID",
    "AZURE_LOCATION",
    "AZURE_AUTH_METHOD",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CLOUD",
)
GIB = 1 << 30
RECORD_DIR = Path(os.environ.get("KOMPOX_E2E_RECORD_DIR") or TESTS / "providers" / "aks" / "recordings" / "real")


@dataclass
class Env:
    workspace: Workspace
    provider: Provider
    cluster: Cluster
    app: App

    @contextmanager
    def recorded(self, scenario: str) -> Iterator[AKSDriver]:
        """A driver whose ARM traffic is recorded to ``aks-<scenario>.json`` (written even when the scenario fails)."""
        adapter = RecordingAdapter()
        session = requests.Session()
        session.mount("https://", adapter)
        transport = RequestsTransport(session=session, session_owner=False)
        driver = AKSDriver(self.workspace, self.provider, client_kwargs={"transport": transport}, progress=print)
        try:
            yield driver
        finally:
            RECORD_DIR.mkdir(parents=True, exist_ok=True)
            adapter.recording.comment = f"Recorded by tests/e2e/aks-volumes ({scenario}) on {time.strftime('%Y-%m-%d')}"
            adapter.recording.save(RECORD_DIR / f"aks-{scenario}.json")


@pytest.fixture(scope="module")
def env() -> Iterator[Env]:
    reuse = os.environ.get("KOMPOX_E2E_AKS_WORKSPACE", "")
    workspace = Workspace(name=reuse or f"aks-e2e-vol-{time.strftime('%Y%m%d-%H%M%S')}")
    settings = {k: os.environ[k] for k in SETTINGS_KEYS if os.environ.get(k)}
    provider = Provider(name="aks1", driver="aks", settings=settings)
    cluster = Cluster(
        name="cluster1",
        ingress=ClusterIngress(cert_email="noreply@example.com"),
        settings={"AZURE_AKS_USER_VM_PRIORITY": "Regular", "AZURE_AKS_USER_VM_ZONES": "1"},
    )
    app = App(
        name="rec",
        volumes=[
            AppVolume("db", 4 * GIB),
            AppVolume("fast", 4 * GIB, options={"sku": "PremiumV2_LRS", "iops": 3000, "mbps": 125}),
            AppVolume("files", 100 * GIB, type="files"),
        ],
        deployment=AppDeployment(zone="1"),
    )
    driver = AKSDriver(workspace, provider, progress=print)
    if not reuse:
        driver.cluster_provision(cluster)
    try:
        yield Env(workspace, provider, cluster, app)
    finally:
        if not reuse:
            driver.cluster_deprovision(cluster)


def test_disks(env: Env) -> None:
    """Records: resource group ensure, disk PUT (Empty), list, PATCH tags (assign), DELETE, DELETE of an absent disk."""
    with env.recorded("disks") as driver:
        d1 = driver.volume_disk_create(env.cluster, env.app, "db", "d1", "")
        d2 = driver.volume_disk_create(env.cluster, env.app, "db", "d2", "")
        assert (d1.assigned, d2.assigned) == (True, False)
        driver.volume_disk_assign(env.cluster, env.app, "db", "d2")
        assert [d.name for d in driver.volume_disk_list(env.cluster, env.app, "db") if d.assigned] == ["d2"]
        driver.volume_disk_delete(env.cluster, env.app, "db", "d1")
        driver.volume_disk_delete(env.cluster, env.app, "db", "d1")  # absent: success
        driver.volume_disk_delete(env.cluster, env.app, "db", "d2")


def test_snapshots(env: Env) -> None:
    """Records: full snapshot (Premium_LRS), incremental snapshot and its background copy (PremiumV2_LRS),
    restore into a disk no smaller than its source, and the deletes."""
    with env.recorded("snapshots") as driver:
        driver.volume_disk_create(env.cluster, env.app, "db", "d1", "")
        driver.volume_snapshot_create(env.cluster, env.app, "db", "s1", "")
        restored = driver.volume_disk_create(env.cluster, env.app, "db", "r1", "s1")
        assert restored.size >= 4 * GIB
        driver.volume_disk_create(env.cluster, env.app, "fast", "f1", "")
        driver.volume_snapshot_create(env.cluster, env.app, "fast", "fs1", "")
        driver.volume_disk_create(env.cluster, env.app, "fast", "fr1", "fs1")  # waits for the copy
        for vol, disks, snaps in (("db", ("d1", "r1"), ("s1",)), ("fast", ("f1", "fr1"), ("fs1",))):
            for disk in disks:
                driver.volume_disk_delete(env.cluster, env.app, vol, disk)
            for snap in snaps:
                driver.volume_snapshot_delete(env.cluster, env.app, vol, snap)


def test_files(env: Env) -> None:
    """Records: storage account ensure, share PUT, list (no metadata), GET (metadata), PATCH, DELETE, and
    re-creating a just-deleted share (ShareBeingDeleted while Azure is still deleting it)."""
    with env.recorded("files") as driver:
        driver.volume_disk_create(env.cluster, env.app, "files", "f1", "")
        driver.volume_disk_create(env.cluster, env.app, "files", "f2", "")
        driver.volume_disk_assign(env.cluster, env.app, "files", "f2")
        assert [d.name for d in driver.volume_disk_list(env.cluster, env.app, "files") if d.assigned] == ["f2"]
        driver.volume_disk_delete(env.cluster, env.app, "files", "f1")
        try:
            driver.volume_disk_create(env.cluster, env.app, "files", "f1", "")
        except DriverError as err:  # the documented answer while the old share is being deleted
            assert "still being deleted" in str(err)
        for name in ("f1", "f2"):
            driver.volume_disk_delete(env.cluster, env.app, "files", name)


def test_node_pools(env: Env) -> None:
    """Records: agent pool list, PUT with its operation, GET, DELETE, and DELETE of an absent pool (204)."""
    pool = NodePool(
        name="rec1",
        mode="user",
        zones=[f"{os.environ['AZURE_LOCATION'].lower()}-1"],
        instance_type=os.environ.get("KOMPOX_E2E_AKS_VM_SIZE", "Standard_D2s_v5"),
        autoscaling=NodePoolAutoscaling(enabled=False, desired=1),
    )
    with env.recorded("nodepools") as driver:
        driver.node_pool_create(env.cluster, pool)
        assert [p.name for p in driver.node_pool_list(env.cluster, NodePoolListOptions(name="rec1"))] == ["rec1"]
        driver.node_pool_delete(env.cluster, "rec1")
        driver.node_pool_delete(env.cluster, "rec1")  # absent: AgentPools_Delete answers 204
        assert driver.node_pool_list(env.cluster, NodePoolListOptions(name="rec1")) == []
