"""Zone preflight through the CLI (issue #18): a zonal RWO disk the app cannot reach refuses validate/deploy."""

from __future__ import annotations

from cli_project import one_error
from volume_cli_project import VolumeProject, volume_project_fixture  # noqa: F401

EXPECTED = (
    "volume db: assigned disk d2z is in zone 2, which no node the app may land on can reach "
    "(the app may land in zones: 1; from deployment.zone 1)"
)


def test_app_pinned_to_zone_1_with_its_disk_in_zone_2_is_refused_by_validate(volume_project: VolumeProject) -> None:
    p = volume_project  # App app1: deployment.zone "1"; volume db is a zonal RWO disk
    p.ok("disk", "create", "-V", "db", "-N", "d2z", "-Z", "2")  # first disk: assigned
    p.ok("disk", "create", "-V", "share", "-N", "s1")
    line = one_error(p.run("app", "validate"), 3, EXPECTED)
    assert "pin the app to zone 2 (deployment.zone)" in line
    # deploy refuses it the same way, before touching the cluster
    one_error(p.run("app", "deploy"), 3, EXPECTED)


def test_disk_in_the_pinned_zone_passes_and_a_reassign_fixes_the_refusal(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "d2z", "-Z", "2")
    p.ok("disk", "create", "-V", "db", "-N", "d1z", "-Z", "japaneast-1")  # Kompox spelling of zone 1
    p.ok("disk", "create", "-V", "share", "-N", "s1")
    assert p.run("app", "validate").code == 3
    p.ok("disk", "assign", "-V", "db", "-N", "d1z")
    result = p.run("app", "validate")
    assert result.code == 0, result.err
    assert "no node the app may land on" not in result.err
