"""The AKS driver against the strict fake ARM: one test per defect of issue #19.

Each test exercises a rule the fake models after the Azure REST API
specifications (the rule and its citation are in ``fake_arm_volumes.py`` /
``agentpool_fake.py``); before the matching driver fix, the test failed.
"""

from __future__ import annotations

import pytest

from contract.nodepool.agentpool_fake import AgentPoolARM
from contract.nodepool.harness_aks import SETTINGS as NODEPOOL_SETTINGS
from contract.volume.harness_aks import SUBSCRIPTION, make_aks_driver
from kompox.domain.errors import DriverError, DriverValidationError
from kompox.domain.model import App, AppVolume, Cluster, Provider, Workspace
from kompox.domain.options import ClusterProvisionOptions
from kompox.providers.aks import AKSDriver, volume_backend_disk

from . import volume_fixtures
from .arm_rules import ARM_RULES
from .conftest import CLUSTER_RG
from .fake_arm import FakeCredential, client_kwargs
from .fake_arm_volumes import FakeVolumeARM
from .volume_fixtures import GIB, SHARES

DISK_D1 = "k4x-b3wold_disk_db_d1_5z5nb0"

cluster = volume_fixtures.cluster
driver = volume_fixtures.driver


@pytest.fixture
def fake() -> FakeVolumeARM:
    """Every ARM rule enforced, also those still pending a driver fix."""
    return FakeVolumeARM(enforce=set(ARM_RULES))


@pytest.fixture
def app() -> App:
    return App(
        name="app1",
        volumes=[
            AppVolume("db", 10 * GIB),
            AppVolume("files", 100 * GIB, type="files"),
        ],
    )


# point 1: shares are found without list metadata ---------------------------------------------------------


def test_files_shares_found_without_list_metadata(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "files", "d1", "")
    driver.volume_disk_create(cluster, app, "files", "d2", "")

    listed = {d.name: d.assigned for d in driver.volume_disk_list(cluster, app, "files")}
    assert listed == {"d1": True, "d2": False}  # one assigned share, the first one
    driver.volume_disk_assign(cluster, app, "files", "d2")
    assert {d.name: d.assigned for d in driver.volume_disk_list(cluster, app, "files")} == {"d1": False, "d2": True}
    # no list request relies on a metadata expansion the specification does not document for FileShares_List
    assert all("metadata" not in r.query.get("$expand", "") for r in fake.seen("GET", SHARES + "$"))


# point 2: a restore never asks for a disk smaller than its source -----------------------------------------


def test_restore_from_larger_snapshot_uses_the_source_size_and_says_so(
    fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    lines: list[str] = []
    driver = make_aks_driver(fake, progress=lines.append)
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    grown = fake.disk(DISK_D1)
    assert grown is not None
    grown["properties"]["diskSizeGB"] = 64  # resized in Azure after creation (the volume still says 10Gi)
    driver.volume_snapshot_create(cluster, app, "db", "s1", "")

    restored = driver.volume_disk_create(cluster, app, "db", "r1", "s1")

    assert restored.size == 64 * GIB
    (put,) = fake.seen("PUT", r".*/disks/k4x-b3wold_disk_db_r1_5z5nb0")
    assert put.body["properties"]["diskSizeGB"] == 64
    assert any("64 GiB" in line and "10 GiB" in line for line in lines), lines


# point 3: Premium SSD v2 / Ultra snapshots are incremental and used only once copied -------------------


def test_premium_v2_snapshot_is_incremental_and_restore_waits_for_the_copy(
    fake: FakeVolumeARM, cluster: Cluster, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(volume_backend_disk, "SNAPSHOT_POLL_INTERVAL", 0.0)
    lines: list[str] = []
    driver = make_aks_driver(fake, progress=lines.append)
    app.volumes.append(AppVolume("fast", 10 * GIB, options={"sku": "PremiumV2_LRS", "iops": 4000, "mbps": 200}))
    driver.volume_disk_create(cluster, app, "fast", "d1", "")
    fake.copy_step = 40.0  # 0 → 40 → 80 → 100 over three reads

    driver.volume_snapshot_create(cluster, app, "fast", "s1", "")
    (snap_put,) = fake.seen("PUT", r".*/snapshots/.*")
    assert snap_put.body["properties"]["incremental"] is True
    driver.volume_disk_create(cluster, app, "fast", "r1", "s1")

    snapshot = fake.snapshot("k4x-b3wold_snap_fast_s1_5z5nb0")
    assert snapshot is not None and snapshot["properties"]["completionPercent"] == 100
    assert [line for line in lines if "background copy" in line], lines  # the wait was reported
    restored = fake.disk("k4x-b3wold_disk_fast_r1_5z5nb0")
    assert restored is not None and restored["properties"]["diskIOPSReadWrite"] == 4000


def test_iops_on_a_sku_without_performance_settings_is_refused_before_any_call(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    app.volumes.append(AppVolume("slow", 10 * GIB, options={"sku": "Premium_LRS", "iops": 4000}))
    with pytest.raises(DriverValidationError, match=r"iops.*PremiumV2_LRS.*UltraSSD_LRS.*Premium_LRS"):
        driver.volume_disk_create(cluster, app, "slow", "d1", "")
    assert fake.writes() == []


# point 4: deployment outputs are required, a running deployment is reported as such ----------------------


@pytest.mark.parametrize(("state", "wording"), [("Running", "still running"), ("Failed", "failed")])
def test_disk_create_needs_a_succeeded_cluster_deployment(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App, state: str, wording: str
) -> None:
    fake.deployment_states[CLUSTER_RG] = state  # a re-provision replaced the record, without outputs

    with pytest.raises(DriverError, match=wording):
        driver.volume_disk_create(cluster, app, "db", "d1", "")
    assert fake.seen("PUT", r".*/disks/.*") == [] and fake.role_assignments == []


def test_provision_during_a_running_deployment_says_a_provisioning_is_running(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster
) -> None:
    fake.deployment_states[CLUSTER_RG] = "Running"

    with pytest.raises(DriverError, match="a provisioning is still running"):
        driver.cluster_provision(cluster, ClusterProvisionOptions(force=True))


# point 5: disks in use, absent agent pools, deleted shares, resource groups, not-found codes -------------

VMSS_VM = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/MC_k4x_cluster1_japaneast/providers/"
    "Microsoft.Compute/virtualMachineScaleSets/aks-npuser1-12345678-vmss/virtualMachines/3"
)


def test_deleting_an_attached_disk_is_refused_naming_the_node(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    fake.attach(DISK_D1, VMSS_VM)

    with pytest.raises(DriverError, match=r"d1 is attached to node aks-npuser1-12345678-vmss000003 \(VM .*/3\)"):
        driver.volume_disk_delete(cluster, app, "db", "d1")
    assert fake.seen("DELETE") == [] and fake.disk(DISK_D1) is not None


def test_deleting_an_absent_node_pool_says_it_does_not_exist(cluster: Cluster) -> None:
    arm = AgentPoolARM(enforce=set(ARM_RULES)).provisioned()
    lines: list[str] = []
    driver = AKSDriver(
        Workspace(name="ws1"),
        Provider(name="aks1", driver="aks", settings=dict(NODEPOOL_SETTINGS)),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(arm),
        progress=lines.append,
    )
    driver.node_pool_delete(cluster, "gone")
    assert lines[-1] == "node pool gone does not exist"


def test_recreating_a_just_deleted_share_says_it_is_still_being_deleted(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    driver.volume_disk_create(cluster, app, "files", "d1", "")
    driver.volume_disk_delete(cluster, app, "files", "d1")

    with pytest.raises(DriverError, match=r"share files-d1 is still being deleted by Azure; retry in a minute"):
        driver.volume_disk_create(cluster, app, "files", "d1", "")
    fake.advance(60)
    assert driver.volume_disk_create(cluster, app, "files", "d1", "").name == "d1"


def test_resource_group_location_conflict_names_both_and_user_tags_are_kept(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    rg = volume_fixtures.RG
    fake.groups[rg.lower()] = {
        "id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{rg}",
        "name": rg,
        "location": "japaneast",
        "tags": {"owner": "alice", "cost-center": "42"},
        "properties": {"provisioningState": "Succeeded"},
    }
    driver.volume_disk_create(cluster, app, "db", "d1", "")
    assert fake.groups[rg.lower()]["tags"]["owner"] == "alice"  # the user's tags survive
    assert fake.groups[rg.lower()]["tags"]["kompox-app-name"] == "app1"

    fake.groups[rg.lower()]["location"] = "eastus"
    with pytest.raises(DriverError, match=r"eastus.*japaneast|japaneast.*eastus"):
        driver.volume_disk_create(cluster, app, "db", "d2", "")
    assert fake.disk("k4x-b3wold_disk_db_d2_5z5nb0") is None


def test_subscription_not_found_is_an_error_not_an_empty_list(
    driver: AKSDriver, fake: FakeVolumeARM, cluster: Cluster, app: App
) -> None:
    fake.subscriptions = {"11111111-1111-1111-1111-111111111111"}  # the driver's subscription is unknown

    with pytest.raises(DriverError, match="SubscriptionNotFound"):
        driver.volume_disk_list(cluster, app, "db")
    with pytest.raises(DriverError, match="SubscriptionNotFound"):
        driver.volume_disk_list(cluster, app, "files")
