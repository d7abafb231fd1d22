"""Zone preflight (issue #18): where an app may land, against its assigned zonal RWO disks."""

from __future__ import annotations

from kompox.domain.model import AppDeployment, NodePool, VolumeClass, VolumeDisk
from kompox.kube.convert import VolumeBinding
from kompox.usecase.zone_preflight import app_landing, normal_zone, zone_conflicts

RWO = VolumeClass(csi_driver="disk.csi.azure.com", access_modes=["ReadWriteOnce"])
RWX = VolumeClass(csi_driver="file.csi.azure.com", access_modes=["ReadWriteMany"])
LOCAL = VolumeClass(storage_class_name="kompox-localpath", local=True, access_modes=["ReadWriteOnce"])


def pool(name: str, label: str, zones: list[str] | None = None, zone_label: str | None = None) -> NodePool:
    labels = {"kompox.dev/node-pool": label}
    if zone_label is not None:
        labels["kompox.dev/node-zone"] = zone_label
    return NodePool(name=name, zones=zones, labels=labels)


def bound(zone: str, vclass: VolumeClass = RWO, vol: str = "db", disk: str = "d1") -> VolumeBinding:
    return VolumeBinding(vol, VolumeDisk(name=disk, volume_name=vol, assigned=True, zone=zone, handle="h"), vclass)


POOLS = [
    pool("npuser1", "user", zone_label="1"),  # cluster template pool: label only
    pool("npuser2", "user", zone_label="2"),
    pool("np3", "batch", zones=["japaneast-3"]),
    pool("npsystem", "system"),
]


def test_normal_zone_treats_region_and_provider_spellings_alike() -> None:
    assert [normal_zone(z) for z in ("japaneast-1", "1", " 2 ", "zone-a", "node-b")] == [
        "1",
        "1",
        "2",
        "zone-a",
        "node-b",
    ]


def test_pinned_zone_without_pools_is_the_landing() -> None:
    landing = app_landing(AppDeployment(zone="japaneast-1"), None)
    assert landing is not None and landing.zones == {"1"} and landing.described == "deployment.zone japaneast-1"
    assert app_landing(AppDeployment(), None) is None  # unknown: no check


def test_selected_pools_give_the_zones_and_a_pin_narrows_them() -> None:
    landing = app_landing(AppDeployment(), POOLS)  # default pool "user"
    assert landing is not None and landing.zones == {"1", "2"}
    assert "node pools npuser1 (zones 1), npuser2 (zones 2)" in landing.described
    pinned = app_landing(AppDeployment(pool="user", zone="2"), POOLS)
    assert pinned is not None and pinned.zones == {"2"}
    batch = app_landing(AppDeployment(pool="batch"), POOLS)
    assert batch is not None and batch.zones == {"3"}
    assert app_landing(AppDeployment(pool="system"), POOLS) is None  # a pool without known zones: no check


def test_conflicts_name_volume_disk_zone_and_landing() -> None:
    deployment = AppDeployment(pool="batch")
    (message,) = zone_conflicts(deployment, [bound("1"), bound("3", vol="logs", disk="l1")], POOLS)
    assert message.startswith(
        "volume db: assigned disk d1 is in zone 1, which no node the app may land on can reach "
        "(the app may land in zones: 3; from deployment.pool batch → node pools np3 (zones 3))"
    )


def test_no_refusal_where_it_cannot_know_or_does_not_apply() -> None:
    pinned = AppDeployment(zone="1")
    assert zone_conflicts(pinned, [bound("")], None) == []  # regional disk
    assert zone_conflicts(pinned, [bound("2", RWX)], None) == []  # RWX share
    assert zone_conflicts(pinned, [bound("node-b", LOCAL)], None) == []  # K3s: the zone is a node
    assert zone_conflicts(AppDeployment(), [bound("2")], None) == []  # no pin, no pools
    assert zone_conflicts(pinned, [VolumeBinding("db")], None) == []  # unbound (warned elsewhere)
    assert zone_conflicts(pinned, [bound("japaneast-1")], None) == []
    assert len(zone_conflicts(pinned, [bound("2")], None)) == 1


def test_a_multi_zone_pool_offers_each_zone_per_node_and_a_pin_admits_only_its_zone() -> None:
    """Per-node zone labels (kompox.kube.node_zones): a pin selects the nodes of that zone only."""
    web = [pool("npweb", "web", zones=["japaneast-1", "japaneast-2", "japaneast-3"])]
    landing = app_landing(AppDeployment(pool="web"), web)
    assert landing is not None and landing.zones == {"1", "2", "3"}
    pinned = app_landing(AppDeployment(pool="web", zone="japaneast-2"), web)
    assert pinned is not None and pinned.zones == {"2"}
    assert zone_conflicts(AppDeployment(pool="web", zone="japaneast-2"), [bound("2")], web) == []
    (message,) = zone_conflicts(AppDeployment(pool="web", zone="japaneast-2"), [bound("3")], web)
    assert "(the app may land in zones: 2; from deployment.zone japaneast-2; deployment.pool web → node pools " in (
        message
    )
    assert "npweb (zones 1, 2, 3))" in message


def test_a_pool_level_zone_label_on_a_multi_zone_pool_admits_every_node_of_the_pool() -> None:
    """A multi-zone pool labelled with its first zone (upstream's create): every node carries that
    label, so an app pinned to it may run in any of the pool's zones and reach a disk in zone 2."""
    legacy = [pool("npold", "web", zones=["japaneast-1", "japaneast-2"], zone_label="japaneast-1")]
    pinned = app_landing(AppDeployment(pool="web", zone="1"), legacy)
    assert pinned is not None and pinned.zones == {"1", "2"}
    assert zone_conflicts(AppDeployment(pool="web", zone="1"), [bound("2")], legacy) == []
    other = app_landing(AppDeployment(pool="web", zone="2"), legacy)  # no node carries "2"
    assert other is not None and other.zones == set()
