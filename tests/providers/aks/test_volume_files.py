"""AKS ``files`` backend (Azure Files over SMB) through the real clients and the stateful fake ARM.

Seed 002 and driver-aks.md §12; names are Example A of driver-aks.md §5.3.
"""

from __future__ import annotations

import pytest

from contract.volume.harness_aks import SUBSCRIPTION
from kompox.domain.errors import DriverValidationError, NotFoundError, NotSupportedError, ValidationError
from kompox.domain.model import App, AppVolume, Cluster
from kompox.domain.options import VolumeDiskCreateOptions
from kompox.providers.aks import AKSDriver

from . import volume_fixtures
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import ACCOUNT, ACCOUNT_PATH, APP_TAGS, GIB, RG, SHARES

fake = volume_fixtures.fake
cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


@pytest.fixture
def app() -> App:
    return App(
        name="app1",
        volumes=[
            AppVolume("files", 100 * GIB, type="files"),
            AppVolume("media", GIB + GIB // 2, type="files", options={"protocol": "smb", "sku": "Premium_LRS"}),
        ],
    )


def test_first_share_creates_account_and_share(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    share = driver.volume_disk_create(cluster, app, "files", "d1", "")

    (role,) = fake.seen("PUT", r".*/roleAssignments/.*")
    assert role.body["properties"]["principalId"] == "kubelet-principal-cluster1"
    assert role.path.lower().startswith(f"/subscriptions/{SUBSCRIPTION}/resourcegroups/{RG}/".lower())
    assert [r.method for r in fake.seen(path=ACCOUNT_PATH + "$")] == ["GET", "PUT"]
    (put,) = fake.seen("PUT", ACCOUNT_PATH + "$")
    assert put.api_version == "2026-09-01"
    assert put.body == {
        "sku": {"name": "Standard_LRS"},
        "kind": "StorageV2",
        "location": "japaneast",
        "tags": APP_TAGS,
        "properties": {
            "allowBlobPublicAccess": False,
            "allowSharedKeyAccess": True,
            "minimumTlsVersion": "TLS1_2",
            "publicNetworkAccess": "Enabled",
            "supportsHttpsTrafficOnly": True,
            "defaultToOAuthAuthentication": False,
        },
    }
    (share_put,) = fake.seen("PUT", f"{SHARES}/.*")
    assert share_put.path == f"{SHARES}/files-d1"
    assert share_put.body == {
        "properties": {
            "shareQuota": 100,
            "metadata": {
                "kompox_volume_name": "files",
                "kompox_files_share_name": "d1",
                "kompox_files_share_assigned": "true",
            },
        }
    }
    gets = fake.seen("GET", f"{SHARES}/files-d1")
    assert gets and all("$expand" not in g.query for g in gets)  # FileShares_Get returns the metadata as is
    assert share.handle == f"{RG}#{ACCOUNT}#files-d1####{SUBSCRIPTION}"
    assert (share.name, share.volume_name, share.assigned, share.size, share.zone) == (
        "d1",
        "files",
        True,
        100 * GIB,
        "",
    )
    assert share.options == {"protocol": "smb", "quotaGiB": 100}


def test_later_share_reuses_account_and_is_unassigned(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "files", "d1", "")
    fake.requests.clear()
    second = driver.volume_disk_create(cluster, app, "files", "", "", VolumeDiskCreateOptions(zone="2"))
    assert second.assigned is False and second.zone == ""
    assert fake.seen("PUT", ACCOUNT_PATH + "$") == []
    assert fake.seen("PUT", f"{SHARES}/.*")[0].path == f"{SHARES}/files-{second.name}"
    assert len(second.name) == 12


def test_premium_sku_gets_file_storage_account_and_quota_rounds_up(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    share = driver.volume_disk_create(cluster, app, "media", "m1", "")
    body = fake.seen("PUT", ACCOUNT_PATH + "$")[0].body
    assert (body["sku"], body["kind"]) == ({"name": "Premium_LRS"}, "FileStorage")
    assert fake.seen("PUT", f"{SHARES}/media-m1")[0].body["properties"]["shareQuota"] == 2  # ceil(1.5 GiB)
    assert share.size == 2 * GIB


def test_quota_override_and_invalid_options(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    app.volumes[0].options = {"quotaGiB": 7.9}
    assert driver.volume_disk_create(cluster, app, "files", "q1", "").size == 7 * GIB
    fake.requests.clear()
    for options, message in (
        ({"protocol": "nfs"}, 'only protocol=smb is supported for Type=files, got "nfs"'),
        ({"quotaGiB": 0}, "at least 1 GiB"),
        ({"quotaGiB": "big"}, "quotaGiB must be a number"),
    ):
        app.volumes[0].options = options
        with pytest.raises(DriverValidationError, match=message):
            driver.volume_disk_create(cluster, app, "files", "q2", "")
    assert fake.requests == []


def test_source_and_snapshots_not_supported(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    with pytest.raises(NotSupportedError, match="source restoration is not supported for Type=files"):
        driver.volume_disk_create(cluster, app, "files", "d1", "snapshot:s1")
    for call in (
        lambda: driver.volume_snapshot_list(cluster, app, "files"),
        lambda: driver.volume_snapshot_create(cluster, app, "files", "s1", ""),
        lambda: driver.volume_snapshot_delete(cluster, app, "files", "s1"),
    ):
        with pytest.raises(NotSupportedError, match="operation not supported"):
            call()
    assert fake.requests == []


def test_list_pages_with_metadata_and_filters_volume(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    assert driver.volume_disk_list(cluster, app, "files") == []  # group absent
    driver.volume_disk_create(cluster, app, "media", "m1", "")
    assert driver.volume_disk_list(cluster, app, "files") == []
    for name in ("b", "a"):
        driver.volume_disk_create(cluster, app, "files", name, "")
    fake.advance(10)
    driver.volume_disk_create(cluster, app, "files", "c", "")
    fake.requests.clear()
    shares = driver.volume_disk_list(cluster, app, "files")
    assert [s.name for s in shares] == ["c", "a", "b"]
    pages = fake.seen("GET", SHARES + "$")
    assert len(pages) == 2 and all("$expand" not in p.query for p in pages)  # the list carries no metadata
    assert pages[0].api_version == "2026-09-01"
    # metadata is read per share, only for shares named like this volume's (``files-…``, not ``media-m1``)
    fetched = sorted(r.path.rsplit("/", 1)[1] for r in fake.seen("GET", f"{SHARES}/.+"))
    assert fetched == ["files-a", "files-b", "files-c"]


def test_assign_updates_metadata_and_keeps_creation_order(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    for name in ("d1", "d2"):
        driver.volume_disk_create(cluster, app, "files", name, "")
        fake.advance(60)
    before = driver.volume_disk_list(cluster, app, "files")
    fake.requests.clear()

    driver.volume_disk_assign(cluster, app, "files", "d2")

    patches = fake.seen("PATCH")
    assert [p.path for p in patches] == [f"{SHARES}/files-d2", f"{SHARES}/files-d1"]  # target first
    assert patches[0].body == {
        "properties": {
            "metadata": {
                "kompox_volume_name": "files",
                "kompox_files_share_name": "d2",
                "kompox_files_share_assigned": "true",
                "kompox_files_share_created": "2025-01-01T00:01:00+00:00",
            }
        }
    }
    assert patches[1].body["properties"]["metadata"]["kompox_files_share_assigned"] == "false"
    # the updates bumped lastModifiedTime; the listed creation times did not move
    after = driver.volume_disk_list(cluster, app, "files")
    assert [(d.name, d.created_at) for d in after] == [(d.name, d.created_at) for d in before]
    assert [(d.name, d.assigned) for d in after] == [("d2", True), ("d1", False)]
    fake.requests.clear()
    driver.volume_disk_assign(cluster, app, "files", "d2")
    assert fake.seen("PATCH") == []  # already correct: nothing written
    with pytest.raises(NotFoundError, match=r'share not found: d9 \(volume "files" has shares: d1, d2\)'):
        driver.volume_disk_assign(cluster, app, "files", "d9")


def test_duplicates_collisions_and_delete(driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App) -> None:
    driver.volume_disk_delete(cluster, app, "files", "d1")  # nothing exists yet: success
    driver.volume_disk_create(cluster, app, "files", "d1", "")
    with pytest.raises(DriverValidationError, match='share "d1" already exists'):
        driver.volume_disk_create(cluster, app, "files", "d1", "")
    with pytest.raises(ValidationError, match='must not contain "--"'):
        driver.volume_disk_create(cluster, app, "files", "a--b", "")
    fake.requests.clear()
    driver.volume_disk_delete(cluster, app, "files", "d1")
    driver.volume_disk_delete(cluster, app, "files", "d1")
    assert [r.path for r in fake.seen("DELETE")] == [f"{SHARES}/files-d1"] * 2
    assert driver.volume_disk_list(cluster, app, "files") == []
    assert fake.accounts  # the account is kept after its last share


def test_files_volume_class(driver: AKSDriver, cluster: Cluster, app: App) -> None:
    vc = driver.volume_class(cluster, app, app.volumes[0])
    assert (vc.storage_class_name, vc.csi_driver, vc.fs_type) == ("azurefile-csi", "file.csi.azure.com", "")
    assert (vc.attributes, vc.access_modes) == ({"protocol": "smb"}, ["ReadWriteMany"])
    assert (vc.reclaim_policy, vc.volume_mode) == ("Retain", "Filesystem")


def test_files_sku_name_seed_option_and_upstream_sku_alias(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    """Seed 002 names the option ``skuName``; upstream reads ``sku``: both work, equal values too."""
    app.volumes[0].options = {"skuName": "Premium_LRS", "sku": "Premium_LRS"}
    driver.volume_disk_create(cluster, app, "files", "k1", "")
    assert fake.seen("PUT", ACCOUNT_PATH + "$")[0].body["sku"] == {"name": "Premium_LRS"}


def test_files_conflicting_sku_pair_availability_and_protocol_refused_before_any_request(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    for options, field, message in (
        (
            {"skuName": "Standard_ZRS", "sku": "Premium_LRS"},
            "options.skuName",
            'skuName "Standard_ZRS" and options.sku',
        ),
        ({"availability": "zonal"}, "options.availability", "availability='zonal' is not supported for Type=files"),
        ({"skuName": ""}, "options.skuName", "must be a non-empty string"),
        ({"protocol": "nfs"}, "options.protocol", "only protocol=smb"),
    ):
        vol = AppVolume("files", 100 * GIB, type="files", options=options)
        app.volumes[0] = vol
        with pytest.raises(DriverValidationError, match=message) as caught:
            driver.volume_disk_create(cluster, app, "files", "q2", "")
        assert caught.value.field == field
        # the same refusal from volume_class, i.e. at `app validate`/conversion time: never a PV attribute
        with pytest.raises(DriverValidationError, match=message):
            driver.volume_class(cluster, app, vol)
    assert fake.requests == []
