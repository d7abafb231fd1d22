"""Shared parts of ``kompoxops disk`` and ``kompoxops snapshot``: flags, target, output.

The volume port is the cluster's driver, built once per command by the
session (resolved from the app's cluster → provider → workspace; a missing
workspace is an error, never a silent ``(nil)`` that would change every
derived name).

Output: JSON (default) prints upstream's JSON objects with the wire field
order (cli.md §10.8, §10.10); ``list`` and ``create`` take ``-o
table|wide|json|yaml|name`` (``--format`` their deprecated alias); ``assign``
and ``delete`` print nothing on stdout and keep ``--format`` only as a hidden
no-op for old scripts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

import click

from kompox.cli.argv import UsageError
from kompox.cli.base import runtime
from kompox.cli.output import emit, no_output_format_option, output_option
from kompox.cli.runtime import Runtime
from kompox.domain.errors import NotFoundError, ValidationError
from kompox.domain.model import App, Cluster, VolumeDisk, VolumeSnapshot
from kompox.domain.ports import VolumePort
from kompox.domain.timefmt import rfc3339_nano

GO_ZERO_TIME = "0001-01-01T00:00:00Z"

Decorator = Callable[[Any], Any]


def require_flag(value: str, message: str) -> None:
    if not value:
        raise UsageError(message)


def parse_options_json(text: str) -> dict[str, Any] | None:
    """``-O/--options``: a JSON object, or None when not given."""
    if not text:
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise ValidationError(f"invalid JSON in --options: {err}", field="--options") from err
    if not isinstance(value, dict):
        raise ValidationError(
            f"invalid JSON in --options: expected an object, got {type(value).__name__}", field="--options"
        )
    return value


@dataclass
class VolumeTarget:
    rt: Runtime
    app: App
    cluster: Cluster

    @property
    def volumes(self) -> VolumePort:
        """The cluster's driver, built on first use (once per command)."""
        return self.rt.session().driver_for(self.cluster)

    def resource(self, volume: str, kind: str, name: str) -> str:
        """Span resource id: ``<appID>/vol:<vol>/<kind>:<name>``."""
        return f"{self.app.id}/vol:{volume}/{kind}:{name}"


def volume_target(rt: Runtime, app_id: str, app_name: str) -> VolumeTarget:
    session = rt.session()
    ctx = session.app(app_id, app_name)
    if ctx.cluster is None:
        raise NotFoundError(f"cluster not found: {ctx.app.cluster_id or '(none)'} (cluster of app {ctx.app.name})")
    return VolumeTarget(rt, ctx.app, ctx.cluster)


@dataclass(frozen=True)
class VolumeCommands:
    """What every command of one group (``disk`` or ``snapshot``) shares: its flags and its target.

    ``name_alias`` is the group's alias of ``-N/--name`` (``--disk-name``, ``--snap-name``).
    """

    name_alias: str
    name_help: str

    def options(self, func: Any) -> Any:
        """``-A/--app-id``, ``--app-name``, ``-V/--vol-name``, ``-N/--name`` (and its alias), hidden ``--format``."""
        return self._options(func, no_output_format_option)

    def output_options(self, func: Any) -> Any:
        """:meth:`options` with ``-o/--output table|wide|json|yaml|name`` (``--format`` its alias): list, create."""
        return self._options(func, output_option)

    list_options = output_options

    def _options(self, func: Any, output: Decorator) -> Any:
        options: list[Decorator] = [
            click.option("-A", "--app-id", default="", help="App Resource ID (or name); default: ./kompoxapp.yml."),
            click.option("--app-name", default="", help="App name (backward-compatible selector)."),
            click.option("-V", "--vol-name", default="", metavar="VOLUME", help="Volume name (App spec.volumes)."),
            click.option("-N", "--name", self.name_alias, "name", default="", metavar="NAME", help=self.name_help),
            output,
        ]
        for option in reversed(options):
            func = option(func)
        return func

    def target(self, app_id: str, app_name: str, vol_name: str, *, required_name: str | None = None) -> VolumeTarget:
        """Prerun, check ``--vol-name`` (and ``--name`` when ``required_name`` is passed), resolve the target."""
        rt = runtime(click.get_current_context())
        rt.prerun()
        require_flag(vol_name, "--vol-name required")
        if required_name is not None:
            require_flag(required_name, f"--name (or {self.name_alias}) required")
        return volume_target(rt, app_id, app_name)


# --- output -----------------------------------------------------------------


def _time(value: datetime | None) -> str:
    return rfc3339_nano(value) if value is not None else GO_ZERO_TIME


def disk_json(d: VolumeDisk) -> dict[str, Any]:
    return {
        "name": d.name,
        "volumeName": d.volume_name,
        "assigned": d.assigned,
        "size": d.size,
        "zone": d.zone,
        "options": dict(sorted(d.options.items())) if d.options is not None else None,
        "handle": d.handle,
        "createdAt": _time(d.created_at),
        "updatedAt": _time(d.updated_at),
        # beyond upstream (issue #18): null "attached" means the driver cannot tell cheaply
        "attached": d.attached,
        "node": d.node,
        "source": d.source,
        "creating": d.creating,
    }


def attached_text(d: VolumeDisk) -> str:
    """ATTACHED column: the node it is attached to (``yes`` when the node is unknown), ``no``, or ``-`` unknown."""
    if d.attached is None:
        return "-"
    if d.attached:
        return d.node or "yes"
    return "no"


def snapshot_json(s: VolumeSnapshot) -> dict[str, Any]:
    return {
        "name": s.name,
        "volumeName": s.volume_name,
        "size": s.size,
        "handle": s.handle,
        "createdAt": _time(s.created_at),
        "updatedAt": _time(s.updated_at),
    }


def _size(value: int) -> str:
    from kompox.kube.convert.volumes import quantity

    return quantity(value)


def print_disks(out: TextIO, disks: Sequence[VolumeDisk], output_format: str, *, single: bool = False) -> None:
    """The disks in ``output_format``; ``single`` prints one JSON/YAML object rather than a list."""
    emit(
        out,
        output_format,
        kind="disk",
        value=disk_json(disks[0]) if single else [disk_json(d) for d in disks],
        names=[d.name for d in disks],
        headers=("NAME", "ASSIGNED", "SIZE", "ZONE", "ATTACHED", "CREATED", "HANDLE"),
        rows=[
            (
                d.name,
                "yes" if d.assigned else "",
                _size(d.size),
                d.zone,
                attached_text(d),
                _time(d.created_at),
                d.handle,
            )
            for d in disks
        ],
        wide_headers=("VOLUME", "UPDATED", "STATE", "NODE", "SOURCE", "OPTIONS"),
        wide_rows=[
            (
                d.volume_name,
                _time(d.updated_at),
                "creating" if d.creating else "ready",
                d.node,
                d.source,
                _options(d.options),
            )
            for d in disks
        ],
    )


def _options(options: dict[str, Any] | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((options or {}).items()))


def print_snapshots(out: TextIO, snaps: Sequence[VolumeSnapshot], output_format: str, *, single: bool = False) -> None:
    """The snapshots in ``output_format``; ``single`` prints one JSON/YAML object rather than a list."""
    emit(
        out,
        output_format,
        kind="snapshot",
        value=snapshot_json(snaps[0]) if single else [snapshot_json(s) for s in snaps],
        names=[s.name for s in snaps],
        headers=("NAME", "SIZE", "CREATED", "HANDLE"),
        rows=[(s.name, _size(s.size), _time(s.created_at), s.handle) for s in snaps],
        wide_headers=("VOLUME", "UPDATED"),
        wide_rows=[(s.volume_name, _time(s.updated_at)) for s in snaps],
    )


def print_disk(out: TextIO, disk: VolumeDisk, output_format: str) -> None:
    print_disks(out, [disk], output_format, single=True)


def print_snapshot(out: TextIO, snap: VolumeSnapshot, output_format: str) -> None:
    print_snapshots(out, [snap], output_format, single=True)
