"""Wiring of ``app move``: both sides from the command's session, the use case, the plan and the summary.

The source is the app as the KOM places it; the target is the same App
placed on ``--to-cluster`` for this command only (its names derived from the
target's workspace, provider and cluster).  Progress lines go to stderr; the
plan (``--dry-run``) or the final state goes to stdout, as ``-o`` says (JSON by default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kompox.cli.runtime import Runtime

if TYPE_CHECKING:
    from kompox.domain.model import NodePool
    from kompox.usecase.app_move import MoveOptions, MovePlan
    from kompox.usecase.app_target import AppTarget
    from kompox.usecase.app_validate import AppValidation


def run_move(
    rt: Runtime,
    app_id: str,
    app_name: str,
    to_cluster: str,
    opts: MoveOptions,
    *,
    dry_run: bool,
    output: str,
    quiet: bool,
    env_files: tuple[str, ...] = (),
) -> MovePlan:
    from kompox.cli.app_run import target_ports
    from kompox.cli.session import provider_of
    from kompox.cli.validate import collect_target_validation, raise_on_errors
    from kompox.domain.errors import KompoxError
    from kompox.providers.move_support import move_refusal, needs_transfer
    from kompox.usecase.app_move import MovePorts, apply_move, plan_move, retarget

    session = rt.session()
    source = session.app(app_id, app_name)
    cluster = session.cluster(cluster_id=to_cluster)
    workspace, provider = provider_of(session.store.repos, cluster)
    dest = retarget(source, cluster, provider, workspace)

    def validate_dest() -> AppValidation:
        result = collect_target_validation(rt, dest, env_files)
        raise_on_errors(result)
        return result

    def dest_pools() -> list[NodePool] | None:
        try:
            return session.app_driver(dest).node_pool_list(cluster)
        except KompoxError:
            return None  # unknown: the zone comes from the flag or the source disk

    ports = MovePorts(
        source=target_ports(rt, source, quiet=quiet, prefix="app move: source"),
        dest=target_ports(rt, dest, quiet=quiet, prefix="app move: target"),
        validate_dest=validate_dest,
        dest_pools=dest_pools,
        refusal=move_refusal,
        transfer=source.provider is not None and provider is not None and needs_transfer(source.provider, provider),
    )
    plan = plan_move(ports, opts)
    if not plan.stop_source:
        for disk in plan.running_disks():
            rt.warn(
                f"disk {disk.name} of volume {disk.volume_name} is attached (node {disk.node or '?'}): the app on "
                f"cluster {plan.source_cluster} may still write to it; the target gets the data as of the snapshot "
                "and later writes stay on the source (--stop-source stops the source app first)"
            )
    if dry_run:
        _print(rt, plan, output, title="plan")
        return plan
    apply_move(ports, plan, opts)
    _print(rt, plan, output, title="done")
    _advise(rt, plan, source)
    return plan


def _print(rt: Runtime, plan: MovePlan, output: str, *, title: str) -> None:
    """The plan (``--dry-run``) or the final state: ``-o`` as everywhere (json default; table: one row per step)."""
    from kompox.cli.output import emit

    steps = plan.steps()
    state = {True: "done", False: "todo" if title == "plan" else "not done"}
    emit(
        rt.stdout,
        output,
        kind="disk",
        value=plan.to_json(),
        names=[v.name for v in plan.volumes],
        headers=("#", "STEP", "VOLUME", "STATE"),
        rows=[(n, s.step, s.volume or "-", state[s.done]) for n, s in enumerate(steps, 1)],
        wide_headers=("WHAT",),
        wide_rows=[(s.what,) for s in steps],
    )
    rt.say(f"app move {title}: app {plan.app} from cluster {plan.source_cluster} to cluster {plan.dest_cluster}")
    for number, s in enumerate(steps, 1):
        volume = f"volume {s.volume}: " if s.volume else ""
        rt.say(f"  {number}. {s.step}: {volume}{s.what} [{state[s.done]}]")
    if not plan.cleanup_source:
        rt.say(f"  (the app stays on cluster {plan.source_cluster}: no --cleanup-source)")
    rt.say("Source disks and snapshots are never deleted by app move.")


def _advise(rt: Runtime, plan: MovePlan, source: AppTarget) -> None:
    rt.say(
        f"app move: the KOM still places app {plan.app} on cluster {plan.source_cluster} ({source.app.id}); "
        f"to make the move permanent, change the App's ops.kompox.dev/id to {plan.dest_app_id}"
    )
    if plan.shared_disks:
        rt.say(
            f"app move: both clusters use provider disks of one app: the assigned disks are now the moved ones, "
            f"so `app deploy` to cluster {plan.source_cluster} would mount them too"
        )
