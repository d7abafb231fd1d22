"""AKS ``disk`` backend through the real azure-mgmt clients and the stateful fake ARM (driver-aks.md §11, §14).

Names are Example A of driver-aks.md §5.3 (workspace ws1, provider aks1, app app1).
"""

from __future__ import annotations

from typing import Any

import pytest

from contract.volume.harness_aks import SUBSCRIPTION, make_aks_driver
from kompox.domain.errors import DriverError, DriverValidationError, NotFoundError, ValidationError
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster
from kompox.domain.options import VolumeDiskCreateOptions
from kompox.providers.aks import AKSDriver

from . import volume_fixtures
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import APP_TAGS, COMPUTE, GIB, RG

RG_PATH = f"/subscriptions/{SUBSCRIPTION}/resourcegroups/{RG}"
ROLE_DEFS = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions"
CONTRIBUTOR = f"{ROLE_DEFS}/b24988ac-6180-42a0-ab88-20f7382dd24c"


fake = volume_fixtures.fake
cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


@pytest.fixture
def app() -> App:
    return App(
        name="app1",
        volumes=[AppVolume("db", 10 * GIB), AppVolume("logs", 3 * GIB + 5)],
        deployment=AppDeployment(zone="1"),
    )


def test_first_disk_create_sends_group_role_and_disk(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    disk = driver.volume_disk_create(cluster, app, "db", "d1", "")

    group = fake.seen("PUT", RG_PATH + "$")
    assert len(group) == 1 and group[0].api_version == "2025-04-01"
    assert group[0].body == {"location": "japaneast", "tags": APP_TAGS}
    (role,) = fake.seen("PUT", r".*/roleAssignments/.*")
    assert role.path.lower().startswith(f"/subscriptions/{SUBSCRIPTION}/resourcegroups/{RG}/providers/".lower())
    assert role.api_version == "2022-04-01"
    assert role.body["properties"] == {
        "roleDefinitionId": CONTRIBUTOR,
        "principalId": "cluster-principal-cluster1",
        "principalType": "ServicePrincipal",
    }
    (put,) = fake.seen("PUT", f"{COMPUTE}/disks/.*")
    assert put.path == f"{COMPUTE}/disks/k4x-b3wold_disk_db_d1_5z5nb0"
    assert put.api_version == "2026-03-02"
    assert put.headers["User-Agent"].startswith("kompoxops/aks")
    assert put.body == {
        "location": "japaneast",
        "tags": {**APP_TAGS, "kompox-volume": "db", "kompox-disk-name": "d1", "kompox-disk-assigned": "true"},
        "sku": {"name": "Premium_LRS"},
        "zones": ["1"],
        "properties": {"creationData": {"createOption": "Empty"}, "diskSizeGB": 10},
    }
    assert len(fake.seen("GET", "/fakevolops/.*")) >= 2  # waited on the operation
    # the handle is the id exactly as Azure reports it (resource group upper-cased by Compute)
    assert disk.handle == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG.upper()}/providers/Microsoft.Compute/disks/"
        "k4x-b3wold_disk_db_d1_5z5nb0"
    )
    assert (disk.name, disk.volume_name, disk.assigned, disk.size, disk.zone) == ("d1", "db", True, 10 * GIB, "1")
    assert disk.options == {"sku": "Premium_LRS"}
    assert disk.created_at is not None and disk.created_at == disk.updated_at


def test_later_disk_options_zone_and_existing_role(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    app.volumes[1].options = {"sku": "PremiumV2_LRS", "iops": 3000.0, "mbps": True}
    opts = VolumeDiskCreateOptions(zone="japaneast-2", options={"mbps": 200})
    disk = driver.volume_disk_create(cluster, app, "logs", "l1", "", opts)
    second = driver.volume_disk_create(cluster, app, "db", "d2", "")

    body = fake.seen("PUT", f"{COMPUTE}/disks/k4x-b3wold_disk_logs_l1_5z5nb0")[0].body
    assert body["sku"] == {"name": "PremiumV2_LRS"}
    assert body["zones"] == ["2"]  # Kompox zone normalised to the Azure zone
    assert body["properties"] == {
        "creationData": {"createOption": "Empty"},
        "diskSizeGB": 4,  # 3 GiB + 5 bytes rounds UP (never down) to whole GiB
        "diskIOPSReadWrite": 3000,
        "diskMBpsReadWrite": 200,
    }
    assert disk.assigned is True  # first disk of volume "logs"
    assert disk.options == {"sku": "PremiumV2_LRS", "iops": 3000, "mbps": 200}
    assert second.assigned is False
    assert fake.seen("PUT", f"{COMPUTE}/disks/k4x-b3wold_disk_db_d2_5z5nb0")[0].body["tags"][
        "kompox-disk-assigned"
    ] == ("false")
    # one grant; the later 409 RoleAssignmentExists is success
    assert len(fake.role_assignments) == 1
    assert len(fake.seen("PUT", r".*/roleAssignments/.*")) == 3


def test_unknown_sku_falls_back_to_premium_lrs(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    app.volumes[0].options = {"sku": "Gold"}
    assert driver.volume_disk_create(cluster, app, "db", "d1", "").options["sku"] == "Premium_LRS"


def test_list_pages_filters_and_orders(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    assert driver.volume_disk_list(cluster, app, "db") == []  # group absent: 404 is an empty list
    for name in ("b", "a"):
        driver.volume_disk_create(cluster, app, "db", name, "")
    fake.advance(30)
    driver.volume_disk_create(cluster, app, "db", "c", "")
    driver.volume_disk_create(cluster, app, "logs", "x", "")
    foreign = dict(fake.disk("k4x-b3wold_disk_db_a_5z5nb0") or {}, name="foreign", tags={})
    fake.items[(SUBSCRIPTION, RG.lower(), "disks", "foreign")] = foreign
    fake.requests.clear()

    disks = driver.volume_disk_list(cluster, app, "db")

    assert [d.name for d in disks] == ["c", "a", "b"]
    pages = fake.seen("GET", f"{COMPUTE}/disks")
    assert len(pages) == 3 and "$skiptoken" in pages[1].query  # 5 disks, 2 per page
    assert [d.assigned for d in disks] == [False, False, True]


def test_assign_writes_only_changed_disks_target_first(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    for name in ("d1", "d2", "d3"):
        driver.volume_disk_create(cluster, app, "db", name, "")
    fake.requests.clear()

    driver.volume_disk_assign(cluster, app, "db", "d3")

    patches = fake.seen("PATCH")
    assert [p.path.rsplit("/", 1)[1] for p in patches] == [
        "k4x-b3wold_disk_db_d3_5z5nb0",
        "k4x-b3wold_disk_db_d1_5z5nb0",
    ]
    assert patches[0].api_version == "2026-03-02"
    assert patches[0].body == {
        "tags": {**APP_TAGS, "kompox-volume": "db", "kompox-disk-name": "d3", "kompox-disk-assigned": "true"}
    }
    assert patches[1].body["tags"]["kompox-disk-assigned"] == "false"
    assert {d.name: d.assigned for d in driver.volume_disk_list(cluster, app, "db")} == {
        "d1": False,
        "d2": False,
        "d3": True,
    }


def test_assign_unknown_disk_lists_existing_and_writes_nothing(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    driver.volume_disk_create(cluster, app, "db", "d2", "")
    fake.requests.clear()
    with pytest.raises(NotFoundError, match=r'disk not found: d9 \(volume "db" has disks: d1, d2\)'):
        driver.volume_disk_assign(cluster, app, "db", "d9")
    assert fake.writes() == []


def test_delete_is_idempotent(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    driver.volume_disk_delete(cluster, app, "db", "d1")  # group absent: success
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    fake.requests.clear()
    driver.volume_disk_delete(cluster, app, "db", "d1")
    driver.volume_disk_delete(cluster, app, "db", "d1")
    # the disk is read first (an attached disk is refused): the second delete finds it absent and stops there
    deletes = fake.seen("DELETE")
    assert [d.path for d in deletes] == [f"{COMPUTE}/disks/k4x-b3wold_disk_db_d1_5z5nb0"]
    assert len(fake.seen("GET", f"{COMPUTE}/disks/k4x-b3wold_disk_db_d1_5z5nb0")) == 2
    assert fake.disk("k4x-b3wold_disk_db_d1_5z5nb0") is None


def test_snapshot_of_assigned_disk(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    d2 = driver.volume_disk_create(cluster, app, "db", "d2", "")
    driver.volume_disk_assign(cluster, app, "db", "d2")
    fake.requests.clear()

    snap = driver.volume_snapshot_create(cluster, app, "db", "s1", "")

    (put,) = fake.seen("PUT", f"{COMPUTE}/snapshots/.*")
    assert put.path == f"{COMPUTE}/snapshots/k4x-b3wold_snap_db_s1_5z5nb0"
    assert put.api_version == "2026-03-02"
    assert put.body == {
        "location": "japaneast",
        "tags": {**APP_TAGS, "kompox-volume": "db", "kompox-snapshot-name": "s1"},
        "properties": {"creationData": {"createOption": "Copy", "sourceResourceId": d2.handle}},
    }
    assert (snap.name, snap.volume_name, snap.size) == ("s1", "db", 10 * GIB)
    assert snap.handle.endswith("/snapshots/k4x-b3wold_snap_db_s1_5z5nb0")
    assert [s.name for s in driver.volume_snapshot_list(cluster, app, "db")] == ["s1"]
    assert driver.volume_snapshot_list(cluster, app, "logs") == []  # filtered by kompox-volume
    fake.requests.clear()
    driver.volume_snapshot_delete(cluster, app, "db", "s1")
    driver.volume_snapshot_delete(cluster, app, "db", "s1")
    assert [(r.path, r.api_version) for r in fake.seen("DELETE")] == [
        (f"{COMPUTE}/snapshots/k4x-b3wold_snap_db_s1_5z5nb0", "2026-03-02")
    ] * 2
    assert driver.volume_snapshot_list(cluster, app, "db") == []


def test_snapshot_needs_exactly_one_assigned_disk(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    with pytest.raises(NotFoundError, match='no assigned disk found for volume "db"'):
        driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    driver.volume_disk_create(cluster, app, "db", "d2", "")
    item = fake.disk("k4x-b3wold_disk_db_d2_5z5nb0")
    assert item is not None
    item["tags"]["kompox-disk-assigned"] = "TRUE"  # a half-finished assign left two
    with pytest.raises(DriverError, match="2 assigned disks"):
        driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    assert fake.seen("PUT", f"{COMPUTE}/snapshots/.*") == []


@pytest.mark.parametrize("source", ["snapshot:s1", "s1", "SNAPSHOT:s1"])
def test_disk_from_kompox_snapshot(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, source: str
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    snap = driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    fake.requests.clear()
    disk = driver.volume_disk_create(cluster, app, "db", "r1", source)
    assert fake.seen("GET", f"{COMPUTE}/snapshots/k4x-b3wold_snap_db_s1_5z5nb0")
    body = fake.seen("PUT", f"{COMPUTE}/disks/.*")[0].body
    assert body["properties"]["creationData"] == {"createOption": "Copy", "sourceResourceId": snap.handle}
    assert fake.source_of(disk.handle) == snap.handle


def test_disk_from_disk_and_native_ids(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    d1 = driver.volume_disk_create(cluster, app, "db", "d1", "")
    clone = driver.volume_disk_create(cluster, app, "db", "c1", "disk:d1")
    assert fake.source_of(clone.handle) == d1.handle
    for name, source in (("n1", d1.handle), ("n2", "ARM:" + d1.handle), ("n3", "resourceId:" + d1.handle)):
        disk = driver.volume_disk_create(cluster, app, "db", name, source)
        assert fake.source_of(disk.handle) == d1.handle


def test_native_source_in_other_region_rejected(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    snap = driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    item = fake.snapshot("k4x-b3wold_snap_db_s1_5z5nb0")
    assert item is not None
    item["location"] = "westeurope"
    fake.requests.clear()
    with pytest.raises(DriverValidationError, match="snapshot must be in the same region as the disk"):
        driver.volume_disk_create(cluster, app, "db", "d2", snap.handle)
    missing = snap.handle.replace("s1_5z5nb0", "zz_5z5nb0")
    with pytest.raises(NotFoundError, match="source snapshot not found"):
        driver.volume_disk_create(cluster, app, "db", "d2", missing)
    assert fake.writes() == []


def test_unknown_source_names_existing(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    fake.requests.clear()
    with pytest.raises(NotFoundError, match=r'snapshot not found: s9 \(volume "db" has snapshots: s1\)'):
        driver.volume_disk_create(cluster, app, "db", "d2", "s9")
    with pytest.raises(NotFoundError, match=r'disk not found: d9 \(volume "db" has disks: d1\)'):
        driver.volume_snapshot_create(cluster, app, "db", "s2", "d9")
    assert fake.writes() == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d, c, a: d.volume_disk_create(c, a, "db", "d1", "image:x"), 'unknown source type "image"'),
        (lambda d, c, a: d.volume_disk_create(c, a, "db", "D_1", ""), 'invalid disk name "D_1"'),
        (lambda d, c, a: d.volume_disk_create(c, a, "db", "d" * 25, ""), "disk name exceeds 24"),
        (lambda d, c, a: d.volume_snapshot_create(c, a, "db", "s" * 25, ""), "snapshot name exceeds 24"),
        (lambda d, c, a: d.volume_disk_create(c, a, "db", "d1", "snapshot:Bad"), 'invalid snapshot name "Bad"'),
        (lambda d, c, a: d.volume_disk_assign(c, a, "db", ""), "disk name must not be empty"),
        (lambda d, c, a: d.volume_snapshot_delete(c, a, "db", "s" * 25), "snapshot name exceeds 24"),
    ],
)
def test_bad_input_rejected_before_any_request(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, call: Any, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        call(driver, cluster, app)
    assert fake.requests == []


def test_duplicate_names_and_foreign_resources_rejected(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    with pytest.raises(DriverValidationError, match='disk "d1" already exists in volume "db"'):
        driver.volume_disk_create(cluster, app, "db", "d1", "")
    item = fake.disk("k4x-b3wold_disk_db_d1_5z5nb0")
    assert item is not None
    item["tags"] = {}  # same Azure name, no longer a Kompox disk of this volume
    with pytest.raises(DriverValidationError, match="already exists and belongs to another volume"):
        driver.volume_disk_create(cluster, app, "db", "d1", "")
    assert len(fake.seen("PUT", f"{COMPUTE}/disks/.*")) == 1


def test_disk_volume_class(driver: AKSDriver, cluster: Cluster, app: App) -> None:
    vc = driver.volume_class(cluster, app, app.volumes[0])
    assert (vc.storage_class_name, vc.csi_driver, vc.fs_type) == ("managed-csi", "disk.csi.azure.com", "ext4")
    assert (vc.attributes, vc.access_modes) == ({"fsType": "ext4"}, ["ReadWriteOnce"])
    assert (vc.reclaim_policy, vc.volume_mode) == ("Retain", "Filesystem")


def test_disk_size_never_rounds_down_and_says_so(fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    """Seed 000: a 1.5 GiB volume gets a 2 GiB disk (Azure's unit is 1 GiB), and the rounding is reported."""
    said: list[str] = []
    driver = make_aks_driver(fake, progress=said.append)
    app.volumes[1] = AppVolume("logs", GIB + GIB // 2)
    disk = driver.volume_disk_create(cluster, app, "logs", "l1", "")
    assert fake.seen("PUT", f"{COMPUTE}/disks/k4x-b3wold_disk_logs_l1_5z5nb0")[0].body["properties"]["diskSizeGB"] == 2
    assert disk.size == 2 * GIB
    assert said == [f'volume "logs": size {GIB + GIB // 2} bytes is not a whole GiB; the disk is rounded up to 2 GiB']
    said.clear()
    driver.volume_disk_create(cluster, app, "db", "d1", "")  # 10 GiB exactly: no rounding, nothing said
    assert said == []


def test_disk_list_tells_attachment_and_node_from_managed_by(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    """``managedBy`` (a VMSS instance) → attached, node = the AKS computer name ``<vmss>`` + base-36 instance
    id in six digits; ``disk list -o wide`` shows it in ATTACHED and NODE; no extra request is made."""
    import io

    from kompox.cli.volume_cli import print_disks

    driver.volume_disk_create(cluster, app, "db", "d1", "")
    driver.volume_snapshot_create(cluster, app, "db", "s1", "")
    fake.advance(60)
    driver.volume_disk_create(cluster, app, "db", "d2", "snapshot:s1")
    vm = (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/MC_k4x_cluster1_japaneast/providers/"
        "Microsoft.Compute/virtualMachineScaleSets/aks-npuser1-12345678-vmss/virtualMachines/38"
    )
    fake.attach("k4x-b3wold_disk_db_d1_5z5nb0", vm)
    fake.requests.clear()
    d2, d1 = driver.volume_disk_list(cluster, app, "db")
    assert len(fake.requests) == 1  # the one list it always made
    assert (d1.attached, d1.node, d1.creating, d1.source) == (True, "aks-npuser1-12345678-vmss000012", False, "")
    assert (d2.attached, d2.node, d2.creating) == (False, "", False)
    assert d2.source.casefold() == f"{COMPUTE}/snapshots/k4x-b3wold_snap_db_s1_5z5nb0".casefold()  # ARM ids: any case

    out = io.StringIO()
    print_disks(out, [d2, d1], "wide")
    header, row2, row1 = out.getvalue().splitlines()
    print(out.getvalue())  # the Must-show of issue #18 (pytest -s)
    attached, node = header.index("ATTACHED"), header.index("NODE")
    assert row1[attached:].startswith("aks-npuser1-12345678-vmss000012 ")
    assert row2[attached:].startswith("no ")
    assert row1[node:].startswith("aks-npuser1-12345678-vmss000012 ")
