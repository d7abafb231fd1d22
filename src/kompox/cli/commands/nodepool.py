"""``kompoxops cluster nodepool``: node pools of the cluster (seed 003, cli.md §10.4.8).

``list`` prints the pools, ``create`` / ``update`` take the pool from a
YAML/JSON file (``-f``) and/or flags, ``delete`` removes a pool by name.  The
cluster comes from ``--cluster-id`` / ``--cluster-name`` / the default, and is
resolved before the other flags are checked.  Providers without node-pool
support (k3s) fail with their "not implemented" error (exit code 5).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from kompox.cli.argv import UsageError
from kompox.cli.base import KompoxCommand, KompoxGroup, new_group, runtime
from kompox.cli.cluster_support import ClusterTarget, cluster_options, cluster_target, progress_to_stderr
from kompox.cli.nodepool_io import PoolFlags, apply_flags, print_pool, print_pools, read_spec_file
from kompox.cli.output import output_option
from kompox.cli.runtime import Runtime
from kompox.domain.model import NodePool

if TYPE_CHECKING:
    from kompox.usecase.nodepool import NodePoolUseCases

Decorator = Callable[[Any], Any]


def _pool_options(func: Any) -> Any:
    options: list[Decorator] = [
        click.option(
            "-f", "--file", "spec_file", default="", metavar="PATH", help="YAML/JSON spec file ('-' = stdin)."
        ),
        click.option("--name", default="", help="Pool name (overrides the file's name)."),
        click.option("--provider-name", default="", help="Provider-native pool name."),
        click.option("--mode", default="", metavar="system|user", help="Pool mode."),
        click.option("--label", "labels", multiple=True, metavar="KEY=VALUE", help="Node label (repeatable)."),
        click.option("--zone", "zones", multiple=True, metavar="ZONE", help="Zone, e.g. japaneast-1 (repeatable)."),
        click.option("--instance-type", default="", help="Instance type / VM size, e.g. Standard_D4s_v5."),
        click.option("--os-disk-type", default="", metavar="TYPE", help="OS disk type, e.g. Managed, Ephemeral."),
        click.option("--os-disk-size-gib", type=int, default=None, metavar="GIB", help="OS disk size in GiB."),
        click.option("--priority", default="", metavar="regular|spot", help="VM priority."),
        click.option("--autoscaling/--no-autoscaling", default=None, help="Enable or disable autoscaling."),
        click.option("--min", "min", type=int, default=None, help="Autoscaling minimum node count."),
        click.option("--max", "max", type=int, default=None, help="Autoscaling maximum node count."),
        click.option("--desired", type=int, default=None, help="Fixed node count (autoscaling disabled)."),
        click.option(
            "--force", is_flag=True, help="Passed to the driver; the aks driver refuses it (nothing to force)."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return output_option(cluster_options(func))


def _use_cases(t: ClusterTarget) -> NodePoolUseCases:
    from kompox.usecase.nodepool import NodePoolUseCases

    return NodePoolUseCases(clusters=t.repos.clusters, pools=t.driver())


def _pool_from_input(rt: Runtime, spec_file: str, flags: PoolFlags) -> NodePool:
    if not spec_file and not flags.given():
        raise UsageError("--file or pool flags (at least --name) are required")
    pool = NodePool()
    if spec_file:
        pool, warnings = read_spec_file(spec_file, rt.stdin)
        for warning in warnings:
            rt.warn(warning)
    pool = apply_flags(pool, flags)
    if not pool.name:
        where = "in the specification file or with --name" if spec_file else "(--name)"
        raise UsageError(f"name is required {where}")
    return pool


@click.command("list", cls=KompoxCommand)
@cluster_options
@click.option("--name", default="", help="Only the pool with this exact name.")
@output_option
def list_cmd(cluster_id: str, cluster_name: str, name: str, output_format: str) -> None:
    """List the node pools of the cluster.

    \b
    Examples:
      kompoxops cluster nodepool list
      kompoxops cluster nodepool list --name np-a
      kompoxops cluster nodepool list -o wide
      kompoxops cluster nodepool list -o name
    """
    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    print_pools(rt.stdout, _use_cases(t).list(t.cluster.id, name), output_format)


def _write_cmd(op: str) -> Callable[..., None]:
    def run(cluster_id: str, cluster_name: str, output_format: str, spec_file: str, force: bool, **kw: Any) -> None:
        from kompox.logging import span

        rt = runtime(click.get_current_context())
        rt.prerun()
        t = cluster_target(rt, cluster_id, cluster_name)
        flags = PoolFlags(**kw)  # the remaining options are named after the PoolFlags fields
        pool = _pool_from_input(rt, spec_file, flags)
        uc = _use_cases(t)
        action = uc.create if op == "create" else uc.update
        with progress_to_stderr(rt.stderr), span(f"CMD:nodepool.{op}", f"{t.cluster.id}/nodepool:{pool.name}"):
            result = action(t.cluster.id, pool, force=force)
        print_pool(rt.stdout, result, output_format)

    return run


@click.command("create", cls=KompoxCommand)
@_pool_options
def create_cmd(**kw: Any) -> None:
    """Create a node pool and wait until it is ready.

    The pool comes from -f FILE (YAML/JSON with the keys name, providerName,
    mode, labels, zones, instanceType, osDiskType, osDiskSizeGiB, priority,
    autoscaling {enabled, min, max, desired} and extensions) and/or flags;
    flags override the file.  Pools are labelled
    kompox.dev/node-pool=<name> and, with zones, kompox.dev/node-zone=<first
    zone, normalised: 1 -> japaneast-1 on AKS>, which is what App
    deployment.pool / deployment.zone select.

    \b
    Examples:
      kompoxops cluster nodepool create -f np.yml
      kompoxops cluster nodepool create --name spot1 --mode user --priority spot \\
          --zone japaneast-1 --instance-type Standard_D4s_v5 --autoscaling --min 0 --max 3
    """
    _write_cmd("create")(**kw)


@click.command("update", cls=KompoxCommand)
@_pool_options
def update_cmd(**kw: Any) -> None:
    """Update a node pool: only the fields given change.

    Labels (added or overwritten) and autoscaling can change; mode,
    instance type, OS disk, priority and zones cannot (validation error).

    \b
    Examples:
      kompoxops cluster nodepool update -f np-update.json
      kompoxops cluster nodepool update --name spot1 --autoscaling --min 1 --max 5
      kompoxops cluster nodepool update --name np1 --no-autoscaling --desired 2
      kompoxops cluster nodepool update --name np1 --label tier=web
    """
    _write_cmd("update")(**kw)


@click.command("delete", cls=KompoxCommand)
@cluster_options
@click.option("--name", default="", help="Name of the pool to delete (required).")
@click.option("--force", is_flag=True, help="Passed to the driver (driver-dependent).")
def delete_cmd(cluster_id: str, cluster_name: str, name: str, force: bool) -> None:
    """Delete a node pool and wait until it is gone (a missing pool is success).

    \b
    Examples:
      kompoxops cluster nodepool delete --name np-a
    """
    from kompox.logging import span

    rt = runtime(click.get_current_context())
    rt.prerun()
    t = cluster_target(rt, cluster_id, cluster_name)
    if not name:
        raise UsageError("--name is required")
    with progress_to_stderr(rt.stderr), span("CMD:nodepool.delete", f"{t.cluster.id}/nodepool:{name}"):
        _use_cases(t).delete(t.cluster.id, name, force=force)


NODEPOOL_HELP = """Manage node pools of the cluster.

\b
Examples:
  kompoxops cluster nodepool list -o table
  kompoxops cluster nodepool create -f np.yml
  kompoxops cluster nodepool delete --name spot1
"""


def build_nodepool() -> KompoxGroup:
    nodepool = new_group("nodepool", NODEPOOL_HELP)
    for command in (list_cmd, create_cmd, update_cmd, delete_cmd):
        nodepool.add_command(command)
    return nodepool
