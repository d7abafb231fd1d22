"""``snapshot create --all`` and ``snapshot prune`` (issue #18): flags → one use case → output.

The use cases are :mod:`kompox.usecase.volume_retention`; this module parses
flags, resolves the target once and prints.  ``--format json`` (default) is
for scripts; ``-o yaml|table|wide|name`` as everywhere (``--format`` the deprecated
alias); a one-line summary goes to stderr.  ``-o name`` lists the snapshots
created (``create --all``) or deleted, would-be-deleted with ``--dry-run`` (``prune``).
A volume that failed makes the command exit 1 after every volume was tried.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from kompox.cli.base import runtime
from kompox.cli.output import emit
from kompox.cli.volume_cli import VolumeTarget, snapshot_json, volume_target
from kompox.domain.errors import KompoxError
from kompox.domain.timefmt import parse_duration, rfc3339_nano
from kompox.usecase.volume_retention import RetentionPolicy, VolumePrune, VolumeSnapshotResult

if TYPE_CHECKING:
    from kompox.usecase.prune_lease import PruneLease


class PartialFailureError(KompoxError):
    """Some volumes failed (exit 1); the others were done."""


def _target(app_id: str, app_name: str) -> VolumeTarget:
    rt = runtime(click.get_current_context())
    rt.prerun()
    return volume_target(rt, app_id, app_name)


def create_all(app_id: str, app_name: str, snapshot_name: str, output_format: str) -> None:
    from kompox.logging import span
    from kompox.usecase.volume_retention import snapshot_all

    t = _target(app_id, app_name)
    with span("CMD:snapshot.create", f"{t.app.id}/vol:*/snapshot:{snapshot_name}"):
        results = snapshot_all(t.volumes, t.cluster, t.app, snapshot_name=snapshot_name)
    created = [r.snapshot for r in results if r.snapshot is not None]
    emit(
        t.rt.stdout,
        output_format,
        kind="snapshot",
        value=[_create_json(r) for r in results],
        names=[s.name for s in created],
        headers=("VOLUME", "RESULT", "DETAIL"),
        rows=[_create_row(r) for r in results],
        wide_headers=("SIZE", "HANDLE"),
        wide_rows=[_create_wide(r) for r in results],
    )
    failed = [r.volume for r in results if r.failed]
    done = sum(1 for r in results if r.snapshot is not None)
    t.rt.say(f"snapshots created for {done} of {len(results)} volumes of app {t.app.name}")
    if failed:
        raise PartialFailureError(f"snapshot create --all: {len(failed)} volume(s) failed: {', '.join(failed)}")


def _create_row(r: VolumeSnapshotResult) -> tuple[str, str, str]:
    if r.snapshot is not None:
        return (r.volume, "created", r.snapshot.name)
    return (r.volume, "skipped", r.skipped) if r.skipped else (r.volume, "failed", r.error)


def _create_wide(r: VolumeSnapshotResult) -> tuple[str, str]:
    from kompox.kube.convert.volumes import quantity

    return (quantity(r.snapshot.size), r.snapshot.handle) if r.snapshot is not None else ("", "")


def _create_json(r: VolumeSnapshotResult) -> dict[str, Any]:
    return {
        "volume": r.volume,
        "snapshot": snapshot_json(r.snapshot) if r.snapshot is not None else None,
        "error": r.error,
        "skipped": r.skipped,
    }


def prune(
    app_id: str,
    app_name: str,
    vol_name: str,
    keep: int | None,
    older_than: str,
    dry_run: bool,
    output_format: str,
) -> None:
    from kompox.logging import span
    from kompox.usecase.volume_retention import prune_snapshots, prune_volume_names

    policy = RetentionPolicy(keep, parse_duration(older_than, "--older-than") if older_than else None)
    policy.check()  # before the target is resolved: bad flags never reach the cloud
    t = _target(app_id, app_name)
    prune_volume_names(t.app, vol_name)  # an unknown -V fails here, before the kubeconfig is fetched for the lease
    lease = None if dry_run else _prune_lease(t, app_id, app_name)
    with span("CMD:snapshot.prune", f"{t.app.id}/vol:{vol_name or '*'}"):
        outcomes = prune_snapshots(
            t.volumes,
            t.cluster,
            t.app,
            policy,
            now=datetime.now(UTC),
            volume_name=vol_name,
            dry_run=dry_run,
            lease=lease,
        )
    rows = [row for o in outcomes for row in _prune_rows(o, dry_run)]
    emit(
        t.rt.stdout,
        output_format,
        kind="snapshot",
        value=rows,
        names=[r["snapshot"] for r in rows if r["action"] in ("deleted", "would-delete")],
        headers=("VOLUME", "SNAPSHOT", "CREATED", "ACTION", "REASON"),
        rows=[tuple(r.values()) for r in rows],
    )
    planned = sum(1 for o in outcomes for d in o.decisions if d.delete)
    kept = sum(1 for o in outcomes for d in o.decisions if not d.delete)
    if dry_run:
        t.rt.say(f"dry run: would delete {planned} snapshot(s), keep {kept}; nothing was deleted")
    else:
        deleted = sum(len(o.deleted) for o in outcomes)
        t.rt.say(f"deleted {deleted} snapshot(s), kept {kept}")
    failed = [o.volume for o in outcomes if o.failed]
    if failed:
        details = "; ".join(f"{o.volume}: {', '.join(o.errors)}" for o in outcomes if o.failed)
        raise PartialFailureError(f"snapshot prune: {len(failed)} volume(s) failed ({details})")


def _prune_lease(t: VolumeTarget, app_id: str, app_name: str) -> PruneLease:
    """The app's prune lease on its cluster (a Kubernetes Lease, see docs/data-safety.md); this run's holder id."""
    from kompox.kube.lease import KubeLease
    from kompox.usecase.prune_lease import LEASE_NAMESPACE, PruneLease, prune_lease_name

    session = t.rt.session()
    names = session.app(app_id, app_name).names()
    store = KubeLease(
        session.kube(t.cluster),
        LEASE_NAMESPACE,
        prune_lease_name(names.namespace),
        labels={"kompox.dev/app-namespace": names.namespace},
    )
    holder = f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex[:8]}"
    return PruneLease(store, holder, clock=lambda: datetime.now(UTC), note=t.rt.say)


def _prune_rows(o: VolumePrune, dry_run: bool) -> list[dict[str, str]]:
    if o.skipped:
        return [{"volume": o.volume, "snapshot": "", "createdAt": "", "action": "skipped", "reason": o.skipped}]
    rows = []
    for d in o.decisions:
        if not d.delete:
            action = "keep"
        elif dry_run:
            action = "would-delete"
        else:
            action = "deleted" if d.snapshot.name in o.deleted else "failed"
        created = rfc3339_nano(d.snapshot.created_at) if d.snapshot.created_at is not None else ""
        rows.append(
            {
                "volume": o.volume,
                "snapshot": d.snapshot.name,
                "createdAt": created,
                "action": action,
                "reason": d.reason,
            }
        )
    if not o.decisions and o.errors:
        rows.append({"volume": o.volume, "snapshot": "", "createdAt": "", "action": "failed", "reason": o.errors[0]})
    return rows
