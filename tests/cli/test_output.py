"""``kompox.cli.output.emit``: one value, five outputs (kubectl's meanings)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import click
import pytest
import yaml

from kompox.cli.output import OUTPUTS, emit, plain

VALUE = [
    {"name": "a<b", "createdAt": datetime(2025, 1, 2, 3, 4, 5, 600000, tzinfo=UTC), "size": 1, "tags": None},
    {"name": "c", "createdAt": datetime(2025, 1, 1, tzinfo=UTC), "size": 20, "tags": ["x"]},
]


def render(output: str, value: object = VALUE) -> str:
    out = io.StringIO()
    emit(
        out,
        output,
        kind="thing",
        value=value,
        names=["a<b", "c"],
        headers=("NAME", "SIZE"),
        rows=[("a<b", 1), ("c", None)],
        wide_headers=("CREATED",),
        wide_rows=[("2025-01-02",), ("2025-01-01",)],
    )
    return out.getvalue()


def test_yaml_has_the_structure_of_json_times_as_rfc3339_strings() -> None:
    as_json = json.loads(render("json"))
    assert yaml.safe_load(render("yaml")) == as_json == plain(VALUE)
    assert as_json[0]["createdAt"] == "2025-01-02T03:04:05.6Z"  # Go's RFC 3339 nano, not a YAML timestamp
    assert "\\u003c" in render("json") and "a<b" in render("yaml")  # Go escapes < in JSON only
    assert list(yaml.safe_load(render("yaml"))[0]) == ["name", "createdAt", "size", "tags"]  # key order kept


def test_name_table_and_wide() -> None:
    assert render("name") == "thing/a<b\nthing/c\n"
    assert render("table") == "NAME  SIZE\na<b   1\nc\n"  # None prints as an empty cell; no trailing spaces
    assert render("wide") == "NAME  SIZE  CREATED\na<b   1     2025-01-02\nc           2025-01-01\n"


@pytest.mark.parametrize("output", OUTPUTS)
def test_every_output_ends_with_a_newline(output: str) -> None:
    assert render(output).endswith("\n")


def leaves() -> dict[str, click.Command]:
    from test_help_tree import COMMANDS

    return {path: cmd for path, cmd in COMMANDS if not isinstance(cmd, click.Group)}


ADMIN_KINDS = ("workspace", "provider", "cluster", "app", "box")
PRINTING = {
    *(f"admin {kind} {verb}" for kind in ADMIN_KINDS for verb in ("list", "get", "create", "update")),
    "app move",
    "app status",
    "box status",
    "cluster status",
    *(f"cluster nodepool {verb}" for verb in ("list", "create", "update")),
    "disk list",
    "disk create",
    "snapshot list",
    "snapshot create",
    "snapshot prune",
    "dns deploy",
    "dns destroy",
    *(f"secret {kind} {verb}" for kind in ("env", "pull") for verb in ("set", "delete")),
}  # fmt: skip


def test_every_command_that_prints_resources_takes_the_five_outputs() -> None:
    with_o = {}
    for path, cmd in leaves().items():
        for param in cmd.params:
            if "-o" in getattr(param, "opts", []):
                with_o[path] = param
    kubeconfig = with_o.pop("cluster kubeconfig")
    assert kubeconfig.opts == ["-o", "--out"]  # the one exception: an output FILE, as before
    assert set(with_o) == PRINTING
    for path, param in with_o.items():
        assert "--output" in param.opts and isinstance(param.type, click.Choice), path
        assert tuple(param.type.choices) == OUTPUTS, path
