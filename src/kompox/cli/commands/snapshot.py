"""``kompoxops snapshot``: snapshots of the app's volumes (seed 000, cli.md §10.10).

There is no ``snapshot restore``: restore is ``disk create -V <vol> -S snapshot:<name>``,
then ``disk assign`` and ``app deploy``.
"""

from __future__ import annotations

import click

from kompox.cli.base import KompoxCommand, KompoxGroup, new_group
from kompox.cli.volume_cli import VolumeCommands, print_snapshot, print_snapshots
from kompox.logging import span

snapshot = VolumeCommands("--snap-name", "Snapshot name (alias --snap-name).")


@click.command("list", cls=KompoxCommand)
@snapshot.options
def list_cmd(app_id: str, app_name: str, vol_name: str, name: str, output_format: str) -> None:
    """List the snapshots of a volume, newest first.

    \b
    Examples:
      kompoxops snapshot list -V db
      kompoxops snapshot list -V db --format table
    """
    from kompox.usecase.volume_snapshot import list_snapshots

    t = snapshot.target(app_id, app_name, vol_name)
    print_snapshots(t.rt.stdout, list_snapshots(t.volumes, t.cluster, t.app, vol_name), output_format)


@click.command("create", cls=KompoxCommand)
@snapshot.options
@click.option(
    "-S",
    "--source",
    default="",
    metavar="SOURCE",
    help="disk:<name>, a disk name, snapshot:<name> or a provider id; default: the assigned disk.",
)
def create_cmd(app_id: str, app_name: str, vol_name: str, name: str, output_format: str, source: str) -> None:
    """Snapshot the volume's assigned disk (or the disk given with -S).

    \b
    Examples:
      kompoxops snapshot create -V db -N daily-20250928
      kompoxops snapshot create -V db -S disk:restored
      kompoxops disk create -V db -N restored -S snapshot:daily-20250928   # restore
    """
    from kompox.usecase.volume_snapshot import create_snapshot

    t = snapshot.target(app_id, app_name, vol_name)
    with span("CMD:snapshot.create", t.resource(vol_name, "snapshot", name)):
        snap = create_snapshot(t.volumes, t.cluster, t.app, vol_name, snapshot_name=name, source=source)
    print_snapshot(t.rt.stdout, snap, output_format)


@click.command("delete", cls=KompoxCommand)
@snapshot.options
def delete_cmd(app_id: str, app_name: str, vol_name: str, name: str, output_format: str) -> None:
    """Delete a snapshot.

    \b
    Examples:
      kompoxops snapshot delete -V db -N daily-20250928
    """
    from kompox.usecase.volume_snapshot import delete_snapshot

    t = snapshot.target(app_id, app_name, vol_name, required_name=name)
    with span("CMD:snapshot.delete", t.resource(vol_name, "snapshot", name)):
        delete_snapshot(t.volumes, t.cluster, t.app, vol_name, name)
    t.rt.say(f"deleted snapshot {name} of volume {vol_name}")


def build_snapshot() -> KompoxGroup:
    group = new_group("snapshot", "Manage snapshots of the app's volumes.")
    for cmd in (list_cmd, create_cmd, delete_cmd):
        group.add_command(cmd)
    return group
