"""``-o table|wide|json|yaml|name`` on every ``disk`` and ``snapshot`` command that prints resources.

Against the in-memory reference driver.  Read-only commands run once per
output and are compared with each other (``output_matrix``); a create runs
once per output with its own name.
"""

from __future__ import annotations

import json

import pytest
import yaml
from cli_project import one_error
from output_matrix import DEPRECATED, OUTPUTS, cells, check_read_outputs, table
from volume_cli_project import VolumeProject, volume_project_fixture  # noqa: F401

DISK = ("NAME", "ASSIGNED", "SIZE", "ZONE", "ATTACHED", "CREATED", "HANDLE")
DISK_WIDE = ("VOLUME", "UPDATED", "STATE", "NODE", "SOURCE", "OPTIONS")
SNAPSHOT = ("NAME", "SIZE", "CREATED", "HANDLE")
SNAPSHOT_WIDE = ("VOLUME", "UPDATED")
DISK_KEYS = [
    *("name", "volumeName", "assigned", "size", "zone", "options", "handle", "createdAt", "updatedAt"),
    *("attached", "node", "source", "creating"),  # beyond upstream (issue #18)
]
SNAPSHOT_KEYS = ["name", "volumeName", "size", "handle", "createdAt", "updatedAt"]


def two_disks(p: VolumeProject) -> None:
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.cloud.advance(10)
    p.ok("disk", "create", "-V", "db", "-N", "spare", "-O", '{"sku": "Standard_LRS"}')


def test_disk_list(volume_project: VolumeProject) -> None:
    p = volume_project
    two_disks(p)
    outs = check_read_outputs(
        p.ok,
        ["disk", "list", "-V", "db"],
        kind="disk",
        names=["spare", "main"],
        headers=DISK,
        wide_headers=DISK_WIDE,
        legacy=True,
    )
    assert [list(d) for d in json.loads(outs["json"])] == [DISK_KEYS, DISK_KEYS]
    assert cells(outs["wide"].splitlines()[1])[-4:] == ["db", "2025-01-01T00:00:10Z", "ready", "sku=Standard_LRS"]


def test_snapshot_list(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "mon")
    p.cloud.advance(60)
    p.ok("snapshot", "create", "-V", "db", "-N", "tue")
    outs = check_read_outputs(
        p.ok,
        ["snapshot", "list", "-V", "db"],
        kind="snapshot",
        names=["tue", "mon"],
        headers=SNAPSHOT,
        wide_headers=SNAPSHOT_WIDE,
        legacy=True,
    )
    assert [list(s) for s in json.loads(outs["json"])] == [SNAPSHOT_KEYS, SNAPSHOT_KEYS]


@pytest.mark.parametrize("output", OUTPUTS)
def test_disk_create_prints_the_disk(volume_project: VolumeProject, output: str) -> None:
    out = volume_project.ok("disk", "create", "-V", "db", "-N", f"d-{output}", "-o", output).out
    if output in ("json", "yaml"):
        disk = json.loads(out) if output == "json" else yaml.safe_load(out)
        assert list(disk) == DISK_KEYS and disk["name"] == f"d-{output}"  # one object, not a list
    elif output == "name":
        assert out == f"disk/d-{output}\n"
    else:
        rows = table(out, DISK + DISK_WIDE if output == "wide" else DISK)
        assert [cells(r)[0] for r in rows] == [f"d-{output}"]


@pytest.mark.parametrize("output", OUTPUTS)
def test_snapshot_create_prints_the_snapshot(volume_project: VolumeProject, output: str) -> None:
    volume_project.ok("disk", "create", "-V", "db", "-N", "main")
    out = volume_project.ok("snapshot", "create", "-V", "db", "-N", f"s-{output}", "-o", output).out
    if output in ("json", "yaml"):
        snap = json.loads(out) if output == "json" else yaml.safe_load(out)
        assert list(snap) == SNAPSHOT_KEYS and snap["name"] == f"s-{output}"
    elif output == "name":
        assert out == f"snapshot/s-{output}\n"
    else:
        rows = table(out, SNAPSHOT + SNAPSHOT_WIDE if output == "wide" else SNAPSHOT)
        assert [cells(r)[0] for r in rows] == [f"s-{output}"]


def test_create_keeps_json_as_default_and_format_as_alias(volume_project: VolumeProject) -> None:
    p = volume_project
    assert list(p.ok("disk", "create", "-V", "db", "-N", "a").json()) == DISK_KEYS
    old = p.ok("disk", "create", "-V", "db", "-N", "b", "--format", "table")
    assert [cells(r)[0] for r in table(old.out, DISK)] == ["b"] and DEPRECATED in old.err
    one_error(p.run("disk", "create", "-V", "db", "-N", "c", "-o", "yaml", "--format", "table"), 2, "disagree")
    assert sorted(d["name"] for d in p.ok("disk", "list", "-V", "db").json()) == ["a", "b"]  # c was never created


def test_bootstrap_lists_the_created_disks(volume_project: VolumeProject) -> None:
    out = volume_project.ok("disk", "create", "--bootstrap", "-o", "name").out
    names = [line.split("/", 1)[1] for line in out.splitlines()]
    assert len(names) == 2 and all(line.startswith("disk/") for line in out.splitlines())
    listed = {d["name"] for v in ("db", "share") for d in volume_project.ok("disk", "list", "-V", v).json()}
    assert set(names) == listed


def test_assign_and_delete_print_nothing_and_keep_format_as_a_hidden_no_op(volume_project: VolumeProject) -> None:
    p = volume_project
    two_disks(p)
    assigned = p.ok("disk", "assign", "-V", "db", "-N", "spare", "--format", "table")
    assert assigned.out == "" and DEPRECATED in assigned.err
    deleted = p.ok("disk", "delete", "-V", "db", "-N", "main", "--format", "json")
    assert deleted.out == "" and "deleted disk main" in deleted.err
    assert "--format" not in p.ok("disk", "assign", "--help").out
    one_error(p.run("disk", "assign", "-V", "db", "-N", "spare", "-o", "json"), 2, "No such option")


def test_snapshot_create_all(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "--bootstrap")
    by_output = {o: p.ok("snapshot", "create", "--all", "-N", f"n-{o}", "-o", o).out for o in OUTPUTS}
    created = json.loads(by_output["json"])
    assert [(r["volume"], (r["snapshot"] or {}).get("name")) for r in created] == [("db", "n-json"), ("share", None)]
    assert created[1]["skipped"]  # a files volume has no snapshots
    assert [r["snapshot"]["name"] for r in yaml.safe_load(by_output["yaml"]) if r["snapshot"]] == ["n-yaml"]
    assert by_output["name"] == "snapshot/n-name\n"  # only what was created
    rows = table(by_output["table"], ("VOLUME", "RESULT", "DETAIL"))
    assert [cells(r)[:3] for r in rows] == [["db", "created", "n-table"], ["share", "skipped", cells(rows[1])[2]]]
    wide = table(by_output["wide"], ("VOLUME", "RESULT", "DETAIL", "SIZE", "HANDLE"))
    assert cells(wide[0])[:4] == ["db", "created", "n-wide", "10Gi"] and wide[1].startswith(rows[1].split("  ")[0])


def test_snapshot_prune(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    for day in ("mon", "tue", "wed"):
        p.ok("snapshot", "create", "-V", "db", "-N", day)
        p.cloud.advance(86400)
    outs = check_read_outputs(
        p.ok,
        ["snapshot", "prune", "-V", "db", "--keep", "1", "--dry-run"],
        kind="snapshot",
        names=["tue", "mon"],  # -o name: what would be deleted
        headers=("VOLUME", "SNAPSHOT", "CREATED", "ACTION", "REASON"),
        wide_headers=(),
        rows=3,  # the table shows the kept one too
        legacy=True,
    )
    assert [r["action"] for r in json.loads(outs["json"])] == ["keep", "would-delete", "would-delete"]
    deleted = p.ok("snapshot", "prune", "-V", "db", "--keep", "1", "-o", "name")
    assert deleted.out == "snapshot/tue\nsnapshot/mon\n"
    assert [s["name"] for s in p.ok("snapshot", "list", "-V", "db").json()] == ["wed"]
