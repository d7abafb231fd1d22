"""``kompoxops snapshot``: snapshots of the app's volumes (seed 000, cli.md §10.10).

There is no ``snapshot restore``: restore is ``disk create -V <vol> --source snapshot:<name>``,
then ``disk assign`` and ``app deploy``.
"""

from __future__ import annotations

import click

from kompox.cli.argv import UsageError
from kompox.cli.base import KompoxCommand, KompoxGroup, deprecated_short, new_group
from kompox.cli.output import output_option
from kompox.cli.snapshot_retention import create_all, prune
from kompox.cli.volume_cli import VolumeCommands, print_snapshot, print_snapshots
from kompox.logging import span

snapshot = VolumeCommands("--snap-name", "Snapshot name (alias --snap-name).")


@click.command("list", cls=KompoxCommand)
@snapshot.list_options
def list_cmd(app_id: str, app_name: str, vol_name: str, name: str, output_format: str) -> None:
    """List the snapshots of a volume, newest first.

    \b
    Examples:
      kompoxops snapshot list -V db                 # JSON, the default
      kompoxops snapshot list -V db -o table
      kompoxops snapshot list -V db -o wide
      kompoxops snapshot list -V db -o name
    """
    from kompox.usecase.volume_snapshot import list_snapshots

    t = snapshot.target(app_id, app_name, vol_name)
    print_snapshots(t.rt.stdout, list_snapshots(t.volumes, t.cluster, t.app, vol_name), output_format)


@click.command("create", cls=KompoxCommand)
@snapshot.output_options
@deprecated_short("-S", "source", "--source", "-S is --service elsewhere", metavar="SOURCE")
@click.option(
    "--source",
    default="",
    metavar="SOURCE",
    help="disk:<name>, a disk name, snapshot:<name> or a provider id; default: the assigned disk.",
)
@click.option(
    "--all",
    "all_volumes",
    is_flag=True,
    help="Snapshot the assigned disk of every volume (no -V/--source); goes on past a failure, exits 1 if any failed.",
)
def create_cmd(
    app_id: str, app_name: str, vol_name: str, name: str, output_format: str, source: str, all_volumes: bool
) -> None:
    """Snapshot the volume's assigned disk (or the disk given with --source), or every volume's with --all.

    \b
    Examples:
      kompoxops snapshot create -V db -N daily-20250928
      kompoxops snapshot create -V db --source disk:restored
      kompoxops snapshot create --all -o table        # every volume, one line each
      kompoxops disk create -V db -N restored --source snapshot:daily-20250928   # restore
    """
    from kompox.usecase.volume_snapshot import create_snapshot

    if all_volumes:
        if vol_name or source:
            raise UsageError("--all snapshots every volume's assigned disk: do not combine it with -V or -S")
        create_all(app_id, app_name, name, output_format)
        return

    t = snapshot.target(app_id, app_name, vol_name)
    with span("CMD:snapshot.create", t.resource(vol_name, "snapshot", name)):
        snap = create_snapshot(t.volumes, t.cluster, t.app, vol_name, snapshot_name=name, source=source)
    print_snapshot(t.rt.stdout, snap, output_format)


@click.command("delete", cls=KompoxCommand)
@snapshot.options
def delete_cmd(app_id: str, app_name: str, vol_name: str, name: str) -> None:
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


@click.command("prune", cls=KompoxCommand)
@click.option("-A", "--app-id", default="", help="App Resource ID (or name); default: ./kompoxapp.yml.")
@click.option("--app-name", default="", help="App name (backward-compatible selector).")
@click.option("-V", "--vol-name", default="", metavar="VOLUME", help="Only this volume (default: every volume).")
@click.option("--keep", type=click.IntRange(min=1), default=None, metavar="N", help="Keep the N newest snapshots.")
@click.option(
    "--older-than", default="", metavar="DURATION", help="Delete only snapshots older than this (30d, 12h, 1w, 1d12h)."
)
@click.option("--dry-run", is_flag=True, help="Print what would be deleted and delete nothing.")
@output_option
def prune_cmd(
    app_id: str, app_name: str, vol_name: str, keep: int | None, older_than: str, dry_run: bool, output_format: str
) -> None:
    """Delete old snapshots of the app's volumes; the newest of each volume is always kept.

    With both --keep and --older-than a snapshot goes only when both say so.
    A snapshot that a disk is still being created from is always kept.
    Safe to re-run and to run from cron: what is already gone is not an
    error, and concurrent runs for the same app are serialised by a lease on
    the app's cluster (Lease default/kompox-snapshot-prune.<app namespace>,
    5 minutes, renewed while deleting, taken over once expired): a second run
    exits 10 and deletes nothing.  --dry-run takes no lease.  One row per
    snapshot: keep, would-delete (--dry-run), deleted or failed; exit 1 if a
    delete failed.

    \b
    Examples:
      kompoxops snapshot prune --keep 7 --dry-run -o table
      kompoxops snapshot prune -V db --keep 7
      kompoxops snapshot prune --older-than 30d --keep 3
    """
    prune(app_id, app_name, vol_name, keep, older_than, dry_run, output_format)


SNAPSHOT_HELP = """Manage snapshots of the app's volumes.

\b
Examples:
  kompoxops snapshot create -V db -N daily-20250928
  kompoxops snapshot list -V db -o table
  kompoxops snapshot prune --keep 7 --dry-run
  kompoxops disk create -V db -N restored --source snapshot:daily-20250928   # restore
"""


def build_snapshot() -> KompoxGroup:
    group = new_group("snapshot", SNAPSHOT_HELP)
    for cmd in (list_cmd, create_cmd, delete_cmd, prune_cmd):
        group.add_command(cmd)
    return group
