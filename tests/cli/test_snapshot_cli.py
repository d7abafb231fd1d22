"""``kompoxops snapshot``: list/create/delete, restore through ``disk create -S`` (cli.md §10.10)."""

from __future__ import annotations

import json

import pytest
import yaml
from cli_project import one_error
from volume_cli_project import VolumeProject, volume_project_fixture  # noqa: F401

SNAPSHOT_KEYS = ["name", "volumeName", "size", "handle", "createdAt", "updatedAt"]


def test_snapshot_lifecycle_json_and_table(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    assert p.ok("snapshot", "list", "-V", "db").json() == []
    first = p.ok("snapshot", "create", "-V", "db", "--snap-name", "daily").json()
    assert list(first) == SNAPSHOT_KEYS
    assert (first["name"], first["volumeName"], first["size"]) == ("daily", "db", 10 << 30)
    p.cloud.advance(60)
    generated = p.ok("snapshot", "create", "-V", "db", "-S", "disk:main").json()
    assert len(generated["name"]) == 12
    assert [s["name"] for s in p.ok("snapshot", "list", "-V", "db").json()] == [generated["name"], "daily"]
    table = p.ok("snapshot", "list", "-V", "db", "--format", "table").out.splitlines()
    assert table[0].split() == ["NAME", "SIZE", "CREATED", "HANDLE"]
    assert table[2].split()[:3] == ["daily", "10Gi", "2025-01-01T00:00:00Z"]
    deleted = p.ok("snapshot", "delete", "-V", "db", "-N", "daily")
    assert deleted.out == "" and "deleted snapshot daily" in deleted.err
    assert [s["name"] for s in p.ok("snapshot", "list", "-V", "db").json()] == [generated["name"]]


def test_restore_is_disk_create_from_snapshot(volume_project: VolumeProject) -> None:
    p = volume_project
    main = p.ok("disk", "create", "-V", "db", "-N", "main").json()
    snap = p.ok("snapshot", "create", "-V", "db", "-N", "s1").json()
    restored = p.ok("disk", "create", "-V", "db", "-N", "restored", "-S", "s1").json()  # bare name = snapshot
    assert p.cloud.by_id(snap["handle"]).source_id == main["handle"]  # type: ignore[union-attr]
    assert p.cloud.by_id(restored["handle"]).source_id == snap["handle"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["list"], 2, "--vol-name required"),
        (["create"], 2, "--vol-name required"),
        (["delete", "-V", "db"], 2, "--name (or --snap-name) required"),
        (["create", "-V", "db", "-N", "s" * 25], 3, "snapshot name exceeds 24 characters"),
        (["create", "-V", "db", "-S", "image:x"], 3, 'unknown source type "image"'),
        (
            ["create", "-V", "nosuch"],
            4,
            "volume not defined: volume not found: nosuch (volumes of app app1: db, share)",
        ),
        (["create", "-V", "db"], 4, 'no assigned disk found for volume "db"'),
        (["delete", "-V", "db", "-N", "nope"], 4, "snapshot not found: nope (snapshots of volume db: none)"),
        (["list", "-V", "share"], 5, "operation not supported"),
        (["create", "-V", "share"], 5, "operation not supported"),
    ],
)
def test_bad_input_is_one_line(volume_project: VolumeProject, args: list[str], code: int, message: str) -> None:
    one_error(volume_project.run("snapshot", *args), code, message)
    assert [r for r in volume_project.cloud.resources if r.kind == "snapshot"] == []


def test_duplicate_snapshot_name(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "s1")
    one_error(
        p.run("snapshot", "create", "-V", "db", "-N", "s1"),
        3,
        'snapshot "s1" already exists in volume db (snapshots: s1)',
    )


def test_help_has_examples(volume_project: VolumeProject) -> None:
    for verb in ("list", "create", "delete"):
        out = volume_project.ok("snapshot", verb, "--help").out
        assert "Examples:" in out and "kompoxops snapshot" in out


def test_snapshot_list_output_formats(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "daily")
    default = p.ok("snapshot", "list", "-V", "db").out
    assert yaml.safe_load(p.ok("snapshot", "list", "-V", "db", "-o", "yaml").out) == json.loads(default)
    assert p.ok("snapshot", "list", "-V", "db", "-o", "name").out == "snapshot/daily\n"
    wide = p.ok("snapshot", "list", "-V", "db", "-o", "wide").out.splitlines()
    assert wide[0].split() == ["NAME", "SIZE", "CREATED", "HANDLE", "VOLUME", "UPDATED"]
    assert wide[1].split()[0] == "daily" and wide[1].split()[-2:] == ["db", "2025-01-01T00:00:00Z"]
