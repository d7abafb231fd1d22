"""``app status`` and ``box status`` in every ``-o`` output.

JSON (the default) is upstream's object, keys as upstream's Go tags name them
(snake_case: ``app_id``, ``ingress_hosts``, …); YAML is the same structure.
``-o table`` prints one row, ``-o wide`` adds columns, ``-o name`` prints
``app/<app>`` or ``box/<box>``.
"""

from __future__ import annotations

from typing import Any, TextIO

from kompox.cli.output import emit


def _ready(status: dict[str, Any]) -> str:
    return "yes" if status.get("ready") else "no"


def _csv(values: list[str] | None) -> str:
    return ",".join(values or [])


def print_app_status(out: TextIO, status: dict[str, Any], output_format: str) -> None:
    emit(
        out,
        output_format,
        kind="app",
        value=status,
        names=[status["app_name"]],
        headers=("NAME", "READY", "POD", "NODE", "HOSTS"),
        rows=[(status["app_name"], _ready(status), status["pod"], status["node"], _csv(status["ingress_hosts"]))],
        wide_headers=("NAMESPACE", "DEPLOYMENT", "CONTAINER", "IMAGE", "CLUSTER"),
        wide_rows=[
            (status["namespace"], status["deployment"], status["container"], status["image"], status["cluster_name"])
        ],
    )


def print_box_status(out: TextIO, box: str, status: dict[str, Any], output_format: str) -> None:
    emit(
        out,
        output_format,
        kind="box",
        value=status,
        names=[box],
        headers=("NAME", "READY", "POD", "NODE"),
        rows=[(box, _ready(status), status["pod"], status["node"])],
        wide_headers=("NAMESPACE", "DEPLOYMENT", "CONTAINER", "IMAGE"),
        wide_rows=[(status["namespace"], status["deployment"], status["container"], status["image"])],
    )
