"""``kompoxops disk``: flags, validation order, JSON/table output and one-line errors (cli.md §10.8–10.9)."""

from __future__ import annotations

import json

import pytest
import yaml
from cli_project import one_error
from volume_cli_project import VolumeProject, volume_project_fixture  # noqa: F401

DISK_KEYS = [
    "name",
    "volumeName",
    "assigned",
    "size",
    "zone",
    "options",
    "handle",
    "createdAt",
    "updatedAt",
    "attached",
    "node",
    "source",
    "creating",
]


def test_list_create_json_in_wire_order(volume_project: VolumeProject) -> None:
    p = volume_project
    assert p.ok("disk", "list", "-V", "db").json() == []
    created = p.ok("disk", "create", "-V", "db").json()
    assert list(created) == DISK_KEYS
    assert created["volumeName"] == "db" and created["assigned"] is True
    assert (created["size"], created["zone"], created["options"]) == (10 << 30, "1", {"sku": "Premium_LRS"})
    assert created["createdAt"] == "2025-01-01T00:00:00Z"
    p.cloud.advance(10)
    second = p.ok("disk", "create", "-V", "db", "--disk-name", "d2", "-Z", "3", "-O", '{"sku": "Standard_LRS"}').json()
    assert (second["name"], second["assigned"], second["zone"], second["options"]) == (
        "d2",
        False,
        "3",
        {"sku": "Standard_LRS"},
    )
    listed = p.ok("disk", "list", "-V", "db").json()
    assert [(d["name"], d["assigned"]) for d in listed] == [("d2", False), (created["name"], True)]
    assert p.ok("disk", "list", "-V", "db").out.startswith('[\n  {\n    "name": "d2",\n')


def test_table_output(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    lines = p.ok("disk", "list", "-V", "db", "--format", "table").out.splitlines()
    assert lines[0].split() == ["NAME", "ASSIGNED", "SIZE", "ZONE", "ATTACHED", "CREATED", "HANDLE"]
    assert lines[1].split()[:6] == ["main", "yes", "10Gi", "1", "no", "2025-01-01T00:00:00Z"]
    row = p.ok("disk", "create", "-V", "db", "-N", "spare", "--format", "table").out.splitlines()[1]
    assert row.split()[:2] == ["spare", "10Gi"]  # not assigned: the ASSIGNED cell is empty


def test_restore_flow_and_assign(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "daily")
    restored = p.ok("disk", "create", "-V", "db", "-N", "restored", "--source", "snapshot:daily").json()
    assert restored["assigned"] is False
    assigned = p.ok("disk", "assign", "-V", "db", "-N", "restored")
    assert assigned.out == "" and "assigned disk restored to volume db" in assigned.err
    flags = {d["name"]: d["assigned"] for d in p.ok("disk", "list", "-V", "db").json()}
    assert flags == {"main": False, "restored": True}
    deleted = p.ok("disk", "delete", "-V", "db", "-N", "main")
    assert deleted.out == "" and "deleted disk main" in deleted.err
    assert [d["name"] for d in p.ok("disk", "list", "-V", "db").json()] == ["restored"]


def test_deprecated_short_source_still_restores_with_a_note(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "daily")
    old = p.ok("disk", "create", "-V", "db", "-N", "restored", "-S", "snapshot:daily")
    assert old.json()["name"] == "restored"
    note = "Warning: -S for --source is deprecated; use --source (-S is --service elsewhere)"
    assert note in old.err.splitlines()
    new = p.ok("disk", "create", "-V", "db", "-N", "again", "--source", "snapshot:daily")
    assert "deprecated" not in new.err
    both = p.run("disk", "create", "-V", "db", "-S", "snapshot:daily", "--source", "disk:main")
    one_error(both, 2, "-S and --source both given; use --source only")
    assert sorted(d["name"] for d in p.ok("disk", "list", "-V", "db").json()) == ["again", "main", "restored"]


def test_bootstrap_creates_once_then_skips(volume_project: VolumeProject) -> None:
    p = volume_project
    created = p.ok("disk", "create", "--bootstrap", "-Z", "2").json()
    assert [(d["volumeName"], d["assigned"]) for d in created] == [("db", True), ("share", True)]
    assert created[0]["zone"] == "2" and created[1]["zone"] == ""
    again = p.ok("disk", "create", "--bootstrap")
    assert again.json() == [] and "bootstrap skipped: already initialized" in again.err


def test_bootstrap_mixed_state_is_an_error(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "share", "-N", "s1")
    one_error(p.run("disk", "create", "--bootstrap"), 1, "bootstrap invalid state: db(assigned=0,total=0)")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bootstrap", "-V", "db", "-N", "x"], "--vol-name must not be specified with --bootstrap"),
        ([], "--vol-name required"),
        (["-N", "x"], "--vol-name required"),
        (["--bootstrap", "-N", "x"], "--name/--disk-name must not be specified with --bootstrap"),
    ],
)
def test_create_flag_validation_order(volume_project: VolumeProject, args: list[str], message: str) -> None:
    one_error(volume_project.run("disk", "create", *args), 2, message)
    assert volume_project.cloud.calls == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list"], "--vol-name required"),
        (["assign", "-V", "db"], "--name (or --disk-name) required"),
        (["delete", "-V", "db"], "--name (or --disk-name) required"),
    ],
)
def test_required_flags(volume_project: VolumeProject, args: list[str], message: str) -> None:
    one_error(volume_project.run("disk", *args), 2, message)


@pytest.mark.parametrize(
    ("options", "message"),
    [("{bad", "invalid JSON in --options: "), ("[1, 2]", "invalid JSON in --options: expected an object, got list")],
)
def test_options_must_be_a_json_object(volume_project: VolumeProject, options: str, message: str) -> None:
    one_error(volume_project.run("disk", "create", "-V", "db", "-O", options), 3, message)
    assert volume_project.cloud.calls == []


def test_bad_input_is_one_line(volume_project: VolumeProject) -> None:
    p = volume_project
    one_error(
        p.run("disk", "list", "-V", "nosuch"),
        4,
        "volume not defined: volume not found: nosuch (volumes of app app1: db, share)",
    )
    one_error(p.run("disk", "create", "-V", "db", "-N", "x" * 25), 3, "disk name exceeds 24 characters")
    one_error(p.run("disk", "create", "-V", "v" * 17), 3, "volume name exceeds 16 characters")
    p.ok("disk", "create", "-V", "db", "-N", "main")
    one_error(
        p.run("disk", "create", "-V", "db", "-N", "main"), 3, 'disk "main" already exists in volume db (disks: main)'
    )
    one_error(p.run("disk", "create", "-V", "db", "-S", "tape:x"), 3, 'unknown source type "tape"')
    one_error(
        p.run("disk", "create", "-V", "db", "--source", "snapshot:gone"),
        4,
        "snapshot not found: gone (snapshots of volume db: none)",
    )
    one_error(p.run("disk", "assign", "-V", "db", "-N", "nope"), 4, "disk not found: nope (disks of volume db: main)")
    one_error(p.run("disk", "delete", "-V", "db", "-N", "nope"), 4, "disk not found: nope (disks of volume db: main)")
    one_error(
        p.run("disk", "delete", "-V", "db", "-N", "main"),
        3,
        "disk main is assigned; assign another disk first before deletion",
    )
    assert [d["name"] for d in p.ok("disk", "list", "-V", "db").json()] == ["main"]
    p.ok("disk", "delete", "-V", "db", "-N", "main", "--force")
    assert p.ok("disk", "list", "-V", "db").json() == []


def test_app_selection_and_flags_before_command_words(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("-A", "/ws/ws1/prv/ref1/cls/c1/app/app1", "-V", "db", "disk", "create", "-N", "d1")
    assert [d["name"] for d in p.ok("disk", "--app-name", "app1", "list", "-V", "db").json()] == ["d1"]
    one_error(p.run("disk", "list", "-V", "db", "--app-name", "other"), 4, 'app "other" not found')


def test_span_records_for_mutations(volume_project: VolumeProject) -> None:
    p = volume_project
    log = p.root / "run.log"
    p.ok("--log-output", str(log), "disk", "create", "-V", "db", "-N", "d1")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    spans = [(r["msg"], r.get("resourceId")) for r in records if r["msg"].startswith("CMD:")]
    rid = "/ws/ws1/prv/ref1/cls/c1/app/app1/vol:db/disk:d1"
    assert spans == [("CMD:disk.create/S", rid), ("CMD:disk.create/EOK", rid)]


def test_help_has_examples(volume_project: VolumeProject) -> None:
    for verb in ("list", "create", "assign", "delete"):
        out = volume_project.ok("disk", verb, "--help").out
        assert "Examples:" in out and "kompoxops disk" in out


def test_list_output_formats_with_kubectl_meanings(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.cloud.advance(10)
    p.ok("disk", "create", "-V", "db", "-N", "spare", "-O", '{"sku": "Standard_LRS"}')
    default = p.ok("disk", "list", "-V", "db").out  # JSON stays the default (upstream's)
    assert p.ok("disk", "list", "-V", "db", "-o", "json").out == default
    assert yaml.safe_load(p.ok("disk", "list", "-V", "db", "-o", "yaml").out) == json.loads(default)
    assert p.ok("disk", "list", "-V", "db", "-o", "name").out == "disk/spare\ndisk/main\n"
    table = p.ok("disk", "list", "-V", "db", "-o", "table").out
    assert table == p.ok("disk", "list", "-V", "db", "--format", "table").out  # the deprecated alias still works
    wide = p.ok("disk", "list", "-V", "db", "-o", "wide").out.splitlines()
    assert wide[0].split() == [
        *("NAME", "ASSIGNED", "SIZE", "ZONE", "ATTACHED", "CREATED", "HANDLE"),
        *("VOLUME", "UPDATED", "STATE", "NODE", "SOURCE", "OPTIONS"),
    ]
    assert wide[1].split()[-4:] == ["db", "2025-01-01T00:00:10Z", "ready", "sku=Standard_LRS"]
    assert wide[1].startswith(table.splitlines()[1].rstrip())  # wide = the table's columns, then more
    one_error(p.run("disk", "list", "-V", "db", "-o", "xml"), 2, "'xml' is not one of")


def test_list_shows_whether_each_disk_is_attached_and_to_which_node(volume_project: VolumeProject) -> None:
    p = volume_project
    p.ok("disk", "create", "-V", "db", "-N", "main")
    p.ok("snapshot", "create", "-V", "db", "-N", "daily")
    p.cloud.advance(10)
    p.ok("disk", "create", "-V", "db", "-N", "restored", "-S", "snapshot:daily")
    p.cloud.attach("main", "aks-npuser1-12345678-vmss000002")  # a pod of the app mounts it
    listed = {d["name"]: d for d in p.ok("disk", "list", "-V", "db").json()}
    assert (listed["main"]["attached"], listed["main"]["node"]) == (True, "aks-npuser1-12345678-vmss000002")
    assert (listed["restored"]["attached"], listed["restored"]["node"]) == (False, "")
    assert listed["restored"]["source"] == p.cloud.resources[1].id and listed["restored"]["creating"] is False
    rows = by_header(p.ok("disk", "list", "-V", "db", "-o", "wide").out)
    assert [(r["NAME"], r["ATTACHED"], r["NODE"], r["STATE"]) for r in rows] == [
        ("restored", "no", "", "ready"),
        ("main", "aks-npuser1-12345678-vmss000002", "aks-npuser1-12345678-vmss000002", "ready"),
    ]
    assert rows[0]["SOURCE"] == listed["restored"]["source"] and rows[1]["SOURCE"] == ""
    # a files volume's shares have no attachment to tell: "-" (JSON null)
    p.ok("disk", "create", "-V", "share", "-N", "s1")
    (share,) = p.ok("disk", "list", "-V", "share").json()
    assert share["attached"] is None
    assert by_header(p.ok("disk", "list", "-V", "share", "-o", "table").out)[0]["ATTACHED"] == "-"


def by_header(out: str) -> list[dict[str, str]]:
    """Table rows as {header: cell}, cut at the header's column starts (so empty cells stay empty)."""
    header, *lines = out.splitlines()
    names = header.split()
    starts = [header.index(f" {n} ") + 1 if i else 0 for i, n in enumerate(names[:-1])] + [header.rindex(names[-1])]
    bounds = [*starts[1:], None]
    return [{n: line[a:b].strip() for n, a, b in zip(names, starts, bounds, strict=True)} for line in lines]
