"""``kompoxops disk``: the cloud disks (or file shares) of the app's volumes (seed 000, cli.md §10.8).

Restore from a snapshot is ``disk create --source snapshot:<name>`` followed by
``disk assign`` and ``app deploy`` (there is no ``snapshot restore``).
"""

from __future__ import annotations

import logging

import click

from kompox.cli.argv import UsageError
from kompox.cli.base import KompoxCommand, KompoxGroup, deprecated_short, new_group, runtime
from kompox.cli.volume_cli import (
    VolumeCommands,
    parse_options_json,
    print_disk,
    print_disks,
    require_flag,
    volume_target,
)
from kompox.logging import span

log = logging.getLogger("kompox.cli")

disk = VolumeCommands("--disk-name", "Disk name (alias --disk-name).")


@click.command("list", cls=KompoxCommand)
@disk.list_options
def list_cmd(app_id: str, app_name: str, vol_name: str, name: str, output_format: str) -> None:
    """List the disks of a volume, newest first.

    \b
    Examples:
      kompoxops disk list -V db                     # JSON, the default
      kompoxops disk list -V db -o table
      kompoxops disk list -V db -o wide
      kompoxops disk list -V db -o yaml
      kompoxops disk list -V db -o name
    """
    from kompox.usecase.volume_disk import list_disks

    t = disk.target(app_id, app_name, vol_name)
    print_disks(t.rt.stdout, list_disks(t.volumes, t.cluster, t.app, vol_name), output_format)


@click.command("create", cls=KompoxCommand)
@disk.output_options
@click.option(
    "-Z", "--zone", default="", metavar="ZONE", help="Override App spec.deployment.zone (K3s: the node of the disk)."
)
@click.option(
    "-O", "--options", "options_json", default="", metavar="JSON", help="JSON object merged over the volume's options."
)
@click.option(
    "--source",
    default="",
    metavar="SOURCE",
    help="snapshot:<name>, disk:<name>, a snapshot name, or a provider id.",
)
@deprecated_short("-S", "source", "--source", "-S is --service elsewhere", metavar="SOURCE")
@click.option("--bootstrap", is_flag=True, help="Create and assign one disk per volume when none is assigned yet.")
def create_cmd(
    app_id: str,
    app_name: str,
    vol_name: str,
    name: str,
    output_format: str,
    zone: str,
    options_json: str,
    source: str,
    bootstrap: bool,
) -> None:
    """Create a disk: empty, or from a snapshot or disk with --source.

    The size always comes from App spec.volumes; the first disk of a volume is
    assigned, later ones are not (use `disk assign`).  With --bootstrap, every
    volume gets one new assigned disk, but only when no volume has one yet.

    \b
    Examples:
      kompoxops disk create -V db                       # empty disk, generated name
      kompoxops disk create -V db -N restored --source snapshot:daily-20250928
      kompoxops disk create -V db -N clone --source disk:main -Z 2
      kompoxops disk create --bootstrap
    """
    from kompox.usecase.volume_bootstrap import bootstrap_disks
    from kompox.usecase.volume_disk import create_disk

    rt = runtime(click.get_current_context())
    rt.prerun()
    if bootstrap and vol_name:
        raise UsageError("--vol-name must not be specified with --bootstrap")
    if not bootstrap:
        require_flag(vol_name, "--vol-name required")
    if bootstrap and name:
        raise UsageError("--name/--disk-name must not be specified with --bootstrap")
    options = parse_options_json(options_json)
    t = volume_target(rt, app_id, app_name)
    if bootstrap:
        with span("CMD:disk.create", f"{t.app.id}/disk:*"):
            result = bootstrap_disks(t.volumes, t.cluster, t.app, zone=zone, options=options)
        if result.skipped:
            rt.say(f"bootstrap skipped: {result.reason}")
        print_disks(rt.stdout, result.created, output_format)
        return
    with span("CMD:disk.create", t.resource(vol_name, "disk", name)):
        created = create_disk(
            t.volumes, t.cluster, t.app, vol_name, disk_name=name, source=source, zone=zone, options=options
        )
    print_disk(rt.stdout, created, output_format)


@click.command("assign", cls=KompoxCommand)
@disk.options
def assign_cmd(app_id: str, app_name: str, vol_name: str, name: str) -> None:
    """Make a disk the one the app mounts (every other disk of the volume is unassigned).

    Run `kompoxops app deploy` afterwards: the PV/PVC names follow the assigned disk.

    \b
    Examples:
      kompoxops disk assign -V db -N restored
    """
    from kompox.usecase.volume_disk import assign_disk

    t = disk.target(app_id, app_name, vol_name, required_name=name)
    assign_disk(t.volumes, t.cluster, t.app, vol_name, name)
    log.info("assign volume disk", extra={"attrs": {"app": t.app.name, "volume": vol_name, "disk": name}})
    t.rt.say(f"assigned disk {name} to volume {vol_name}")


@click.command("delete", cls=KompoxCommand)
@disk.options
@click.option("--force", is_flag=True, help="Delete even the assigned disk (the app loses its data volume).")
def delete_cmd(app_id: str, app_name: str, vol_name: str, name: str, force: bool) -> None:
    """Delete a disk.  The assigned disk is refused unless --force.

    \b
    Examples:
      kompoxops disk delete -V db -N old-disk
    """
    from kompox.usecase.volume_disk import delete_disk

    t = disk.target(app_id, app_name, vol_name, required_name=name)
    with span("CMD:disk.delete", t.resource(vol_name, "disk", name)):
        delete_disk(t.volumes, t.cluster, t.app, vol_name, name, force=force)
    t.rt.say(f"deleted disk {name} of volume {vol_name}")


DISK_HELP = """Manage the cloud disks (or file shares) of the app's volumes.

\b
Examples:
  kompoxops disk list -V db -o table
  kompoxops disk create -V db -N restored --source snapshot:daily-20250928
  kompoxops disk assign -V db -N restored
  kompoxops disk create --bootstrap                # one disk per volume that has none
"""


def build_disk() -> KompoxGroup:
    group = new_group("disk", DISK_HELP)
    for cmd in (list_cmd, create_cmd, assign_cmd, delete_cmd):
        group.add_command(cmd)
    return group
