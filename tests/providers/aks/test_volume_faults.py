"""ARM faults during volume operations: retries by the SDK pipeline, clear errors, repairable interruptions."""

from __future__ import annotations

import pytest

from kompox.domain.errors import ProviderAPIError
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster
from kompox.providers.aks import AKSDriver

from . import volume_fixtures
from .fake_arm import BASE, Reply, error, throttled
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import COMPUTE, GIB, SHARES


def disk_path(name: str) -> str:
    return f"{COMPUTE}/disks/k4x-b3wold_disk_db_{name}_5z5nb0"


def server_error() -> Reply:
    return error(500, "InternalServerError", "try again")


fake = volume_fixtures.fake
cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


@pytest.fixture
def app() -> App:
    return App(
        name="app1",
        volumes=[AppVolume("db", 10 * GIB), AppVolume("files", 10 * GIB, type="files")],
        deployment=AppDeployment(zone="1"),
    )


def flags(driver: AKSDriver, cluster: Cluster, app: App, vol: str = "db") -> dict[str, bool]:
    return {d.name: d.assigned for d in driver.volume_disk_list(cluster, app, vol)}


def test_throttling_and_server_errors_are_retried_by_the_pipeline(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    fake.inject("PUT", disk_path("d1"), throttled(), server_error())
    fake.inject("GET", f"{COMPUTE}/disks", server_error())
    fake.inject("PUT", f"{SHARES}/files-f1", throttled())
    disk = driver.volume_disk_create(cluster, app, "db", "d1", "")
    share = driver.volume_disk_create(cluster, app, "files", "f1", "")
    assert (disk.assigned, share.assigned) == (True, True)
    assert len(fake.seen("PUT", disk_path("d1") + "$")) == 3
    assert len(fake.seen("PUT", f"{SHARES}/files-f1")) == 2
    assert [d.name for d in driver.volume_disk_list(cluster, app, "db")] == ["d1"]


def test_conflict_is_not_retried_and_names_the_step(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    fake.inject("PUT", disk_path("d1"), error(409, "OperationNotAllowed", "disk quota exceeded"))
    with pytest.raises(ProviderAPIError, match="create disk: OperationNotAllowed: disk quota exceeded") as exc:
        driver.volume_disk_create(cluster, app, "db", "d1", "")
    assert exc.value.status_code == 409
    assert len(fake.seen("PUT", disk_path("d1") + "$")) == 1
    assert driver.volume_disk_list(cluster, app, "db") == []


def test_retries_exhausted_gives_one_line_error(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    fake.inject("GET", f"{COMPUTE}/disks", *[server_error()] * 4)
    with pytest.raises(ProviderAPIError, match=r"^list disks: InternalServerError: try again$"):
        driver.volume_disk_list(cluster, app, "db")
    assert len(fake.seen("GET", f"{COMPUTE}/disks$")) == 4  # first try + retry_total=3


def test_failed_long_running_operation(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    op = f"{BASE}/failed-op"
    fake.inject("PUT", disk_path("d1"), Reply(202, None, {"Azure-AsyncOperation": op, "Retry-After": "0"}))
    fake.on("GET", "/failed-op", Reply(200, {"status": "Failed", "error": {"code": "ZonalAllocationFailed"}}))
    with pytest.raises(ProviderAPIError, match="poll disk"):
        driver.volume_disk_create(cluster, app, "db", "d1", "")


@pytest.mark.parametrize("broken", ["d3", "d1"])
def test_interrupted_assign_is_repaired_by_rerun(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, broken: str
) -> None:
    """The PATCH of ``broken`` fails (after the SDK's retries); re-running assign leaves exactly one assigned."""
    for name in ("d1", "d2", "d3"):
        driver.volume_disk_create(cluster, app, "db", name, "")
    fake.inject("PATCH", disk_path(broken), *[server_error()] * 4)
    with pytest.raises(ProviderAPIError, match=f"update disk k4x-b3wold_disk_db_{broken}_5z5nb0"):
        driver.volume_disk_assign(cluster, app, "db", "d3")
    interrupted = flags(driver, cluster, app)
    # target first: either nothing changed, or the new disk is assigned next to the old one
    expected = {"d1": True, "d2": False, "d3": broken == "d1"}
    assert interrupted == expected
    driver.volume_disk_assign(cluster, app, "db", "d3")
    assert flags(driver, cluster, app) == {"d1": False, "d2": False, "d3": True}


def test_interrupted_share_assign_is_repaired_by_rerun(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    for name in ("f1", "f2"):
        driver.volume_disk_create(cluster, app, "files", name, "")
    fake.inject("PATCH", f"{SHARES}/files-f1", *[server_error()] * 4)
    with pytest.raises(ProviderAPIError, match="update share files-f1"):
        driver.volume_disk_assign(cluster, app, "files", "f2")
    assert flags(driver, cluster, app, "files") == {"f1": True, "f2": True}
    driver.volume_disk_assign(cluster, app, "files", "f2")
    assert flags(driver, cluster, app, "files") == {"f1": False, "f2": True}


def test_missing_role_permission_stops_before_the_disk(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    fake.inject("PUT", r".*/roleAssignments/.*", error(403, "AuthorizationFailed", "no roleAssignments/write"))
    with pytest.raises(ProviderAPIError, match="ensure resource group: failed to create role assignment"):
        driver.volume_disk_create(cluster, app, "db", "d1", "")
    assert fake.seen("PUT", f"{COMPUTE}/disks/.*") == []


def test_unprovisioned_cluster_is_an_error_before_any_write(driver: AKSDriver, fake: FakeVolumeARM, app: App) -> None:
    """No deployment (cluster never provisioned): an error, never a disk without its role assignment."""
    with pytest.raises(ProviderAPIError, match=r"cluster elsewhere: read deployment outputs: .*DeploymentNotFound"):
        driver.volume_disk_create(Cluster(name="elsewhere"), app, "db", "d1", "")
    assert fake.writes() == []
