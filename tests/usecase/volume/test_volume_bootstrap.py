"""``bootstrap_disks`` (cli.md §10.9.2): create-and-assign once, skip when done, refuse mixed states."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from kompox.domain.errors import CapabilityNotImplementedError, ExitCode
from kompox.domain.model import App, Cluster, VolumeDisk
from kompox.domain.options import VolumeDiskCreateOptions, VolumeDiskListOptions
from kompox.usecase.volume_bootstrap import BootstrapError, bootstrap_disks
from kompox.usecase.volume_disk import create_disk, list_disks

from .conftest import World


def state(w: World) -> dict[str, list[tuple[str, bool]]]:
    return {v.name: [(d.name, d.assigned) for d in list_disks(w.port, w.cluster, w.app, v.name)] for v in w.app.volumes}


def test_no_volumes_is_skipped(world: World) -> None:
    app = dataclasses.replace(world.app, volumes=[])
    result = bootstrap_disks(world.port, world.cluster, app)
    assert (result.created, result.skipped, result.reason) == ([], True, "no volumes defined")
    assert world.cloud.calls == []


def test_fresh_app_gets_one_assigned_disk_per_volume_then_skips(world: World) -> None:
    result = bootstrap_disks(world.port, world.cluster, world.app, zone="2", options={"sku": "Standard_LRS"})
    assert not result.skipped and result.reason == ""
    assert [d.volume_name for d in result.created] == ["db", "share"]
    assert all(d.assigned for d in result.created)
    after = state(world)
    assert after == {v: [(result.created[i].name, True)] for i, v in enumerate(["db", "share"])}
    db = list_disks(world.port, world.cluster, world.app, "db")[0]
    assert (db.zone, db.options["sku"]) == ("2", "Standard_LRS")

    again = bootstrap_disks(world.port, world.cluster, world.app)
    assert (again.created, again.skipped, again.reason) == ([], True, "already initialized")
    assert state(world) == after


def test_unassigned_leftovers_are_bootstrapped(world: World) -> None:
    """Upstream counts only assigned disks: a volume holding only unassigned disks is bootstrapped."""
    create_disk(world.port, world.cluster, world.app, "db", disk_name="old")
    create_disk(world.port, world.cluster, world.app, "db", disk_name="older")
    world.cloud.resources = [r for r in world.cloud.resources if r.tags["kompox-disk-name"] != "old"]
    assert state(world)["db"] == [("older", False)]
    result = bootstrap_disks(world.port, world.cluster, world.app)
    assert [d.volume_name for d in result.created] == ["db", "share"]
    db = dict(state(world)["db"])
    assert db["older"] is False and db[result.created[0].name] is True


def test_mixed_state_is_an_error_naming_every_volume_sorted(world: World) -> None:
    create_disk(world.port, world.cluster, world.app, "share", disk_name="s1")
    create_disk(world.port, world.cluster, world.app, "share", disk_name="s2")
    creates = world.calls("volume_disk_create")
    with pytest.raises(BootstrapError) as info:
        bootstrap_disks(world.port, world.cluster, world.app)
    assert str(info.value) == "bootstrap invalid state: db(assigned=0,total=0) share(assigned=1,total=2)"
    assert world.calls("volume_disk_create") == creates


class RacingPort:
    """Delegates to the real port; a concurrent actor assigns a disk of ``share`` after the first pass."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.lists = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world.port, name)

    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        self.lists += 1
        if self.lists == len(app.volumes) + 2:  # the re-check of the second volume
            self.world.port.volume_disk_create(cluster, app, vol_name, "intruder", "")
        return self.world.port.volume_disk_list(cluster, app, vol_name, opts)


def test_concurrent_assignment_aborts(world: World) -> None:
    with pytest.raises(BootstrapError, match="bootstrap aborted: concurrent assignment detected for volume share"):
        bootstrap_disks(RacingPort(world), world.cluster, world.app)  # type: ignore[arg-type]
    assert [v for v, disks in state(world).items() if any(a for _, a in disks)] == ["db", "share"]


class BrokenCreatePort(RacingPort):
    def volume_disk_create(
        self,
        cluster: Cluster,
        app: App,
        vol_name: str,
        disk_name: str,
        source: str,
        opts: VolumeDiskCreateOptions | None = None,
    ) -> VolumeDisk:
        raise CapabilityNotImplementedError("VolumeDiskCreate", "broken")

    def volume_disk_list(
        self, cluster: Cluster, app: App, vol_name: str, opts: VolumeDiskListOptions | None = None
    ) -> list[VolumeDisk]:
        return self.world.port.volume_disk_list(cluster, app, vol_name, opts)


def test_failed_step_names_the_volume_and_keeps_the_category(world: World) -> None:
    with pytest.raises(BootstrapError) as info:
        bootstrap_disks(BrokenCreatePort(world), world.cluster, world.app)  # type: ignore[arg-type]
    assert (
        str(info.value) == "disk create failed for volume db: VolumeDiskCreate is not implemented for broken provider"
    )
    assert info.value.exit_code is ExitCode.NOT_SUPPORTED
