"""Snapshot retention: ``snapshot create --all`` and ``snapshot prune`` (issue #18; beyond upstream).

* :func:`snapshot_all` snapshots the assigned disk of every volume of the app,
  continuing past a failure; a volume whose type cannot be snapshotted
  (``NotSupportedError``, e.g. Azure Files) is *skipped*, not failed.
* :func:`plan_prune` decides, per volume, which snapshots go:

  - the newest snapshot of a volume is never deleted;
  - ``keep=N`` (N ≥ 1): the N newest are kept;
  - ``older_than=D``: only snapshots created before ``now - D`` may go, a
    snapshot without a creation time is kept (its age is unknown);
  - both given: a snapshot goes only when both say so (the safe intersection).

* :func:`prune_snapshots` plans every selected volume and, unless
  ``dry_run``, deletes the planned snapshots one by one, continuing past a
  failure.  A re-run plans again from what exists (idempotent; a snapshot
  already gone is the driver's NotFound-as-success).  With a ``lease``
  (:class:`~kompox.usecase.prune_lease.PruneLease`) the run takes it before
  listing anything and checks it before every delete, so of two concurrent
  runs one deletes and the other stops with exit 10 having deleted nothing.

A snapshot that is the source of a disk still being created (any volume of
the app, :mod:`kompox.usecase.restore_sources`) is kept: checked when
planning and again right before each delete.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kompox.domain.errors import KompoxError, LeaseHeldError, NotSupportedError, ValidationError
from kompox.domain.model import App, Cluster, VolumeSnapshot
from kompox.domain.naming import validate_optional_resource_name
from kompox.domain.ports import VolumePort
from kompox.usecase.prune_lease import PruneLease
from kompox.usecase.restore_sources import SourcesInCreation, sources_in_creation
from kompox.usecase.volume_common import check_names, declared_volume
from kompox.usecase.volume_snapshot import create_snapshot

# --- create --all --------------------------------------------------------------


@dataclass(frozen=True)
class VolumeSnapshotResult:
    """One volume of ``snapshot create --all``: the snapshot, or why there is none."""

    volume: str
    snapshot: VolumeSnapshot | None = None
    error: str = ""
    skipped: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.error)


def snapshot_all(
    volumes: VolumePort, cluster: Cluster, app: App, *, snapshot_name: str = ""
) -> list[VolumeSnapshotResult]:
    """Snapshot every volume's assigned disk (app order); never stops at a failed volume."""
    validate_optional_resource_name("snapshot", snapshot_name)  # checked once, before any volume is touched
    results: list[VolumeSnapshotResult] = []
    for vol in app.volumes:
        try:
            snap = create_snapshot(volumes, cluster, app, vol.name, snapshot_name=snapshot_name)
        except NotSupportedError as err:
            results.append(VolumeSnapshotResult(vol.name, skipped=str(err) or f"type {vol.type} has no snapshots"))
        except KompoxError as err:
            results.append(VolumeSnapshotResult(vol.name, error=str(err)))
        else:
            results.append(VolumeSnapshotResult(vol.name, snapshot=snap))
    return results


# --- prune ---------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionPolicy:
    keep: int | None = None
    older_than: timedelta | None = None

    def check(self) -> None:
        if self.keep is None and self.older_than is None:
            raise ValidationError("snapshot prune needs --keep N and/or --older-than DURATION", field="--keep")
        if self.keep is not None and self.keep < 1:
            raise ValidationError(
                f"--keep must be at least 1 (the newest snapshot is always kept), got {self.keep}", field="--keep"
            )
        if self.older_than is not None and self.older_than <= timedelta(0):
            raise ValidationError("--older-than must be a positive duration", field="--older-than")


@dataclass(frozen=True)
class PruneDecision:
    snapshot: VolumeSnapshot
    delete: bool
    reason: str


def _age_text(created: datetime | None, now: datetime) -> str:
    if created is None:
        return "creation time unknown"
    age = now - created
    days, rest = divmod(int(age.total_seconds()), 86400)
    return f"{days}d{rest // 3600}h old" if days else f"{rest // 3600}h{rest % 3600 // 60}m old"


def plan_prune(
    snapshots: Sequence[VolumeSnapshot],
    policy: RetentionPolicy,
    now: datetime,
    in_creation: SourcesInCreation | None = None,
) -> list[PruneDecision]:
    """One decision per snapshot, newest first (the order is recomputed here, not trusted).

    A snapshot feeding a disk still being created (``in_creation``) is kept
    and takes no ``--keep`` slot.
    """
    policy.check()
    ordered = sorted(
        snapshots, key=lambda s: (-(s.created_at.timestamp() if s.created_at is not None else 0.0), s.name)
    )
    cutoff = now - policy.older_than if policy.older_than is not None else None
    decisions: list[PruneDecision] = []
    for index, snap in enumerate(ordered):
        age = _age_text(snap.created_at, now)
        if index == 0:
            decisions.append(PruneDecision(snap, False, f"newest snapshot of the volume ({age})"))
            continue
        if policy.keep is not None and index < policy.keep:
            decisions.append(PruneDecision(snap, False, f"within the {policy.keep} newest ({age})"))
            continue
        if cutoff is not None and (snap.created_at is None or snap.created_at >= cutoff):
            decisions.append(PruneDecision(snap, False, f"not older than {policy.older_than} ({age})"))
            continue
        feeding = in_creation.feeds(snap) if in_creation is not None else ""
        if feeding:
            decisions.append(PruneDecision(snap, False, f"{feeding} ({age})"))
            continue
        reasons = []
        if policy.keep is not None:
            reasons.append(f"beyond the {policy.keep} newest")
        if cutoff is not None:
            reasons.append(f"older than {policy.older_than}")
        decisions.append(PruneDecision(snap, True, f"{' and '.join(reasons)} ({age})"))
    return decisions


@dataclass
class VolumePrune:
    """The outcome for one volume: decisions, what was deleted, and failures."""

    volume: str
    decisions: list[PruneDecision] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors)


def prune_volume_names(app: App, volume_name: str = "") -> list[str]:
    """The volumes a prune covers: the named one (checked: a declared volume) or every volume."""
    if volume_name:
        check_names(volume_name)
        return [declared_volume(app, volume_name).name]
    return [v.name for v in app.volumes]


def prune_snapshots(
    volumes: VolumePort,
    cluster: Cluster,
    app: App,
    policy: RetentionPolicy,
    *,
    now: datetime,
    volume_name: str = "",
    dry_run: bool = False,
    lease: PruneLease | None = None,
) -> list[VolumePrune]:
    """Plan (and unless ``dry_run`` apply) the policy on one volume or, without a name, on every volume.

    ``lease`` (not taken on a dry run, which deletes nothing) is held from
    before the first list until after the last delete; a lease held by
    another run raises :class:`~kompox.domain.errors.LeaseHeldError` before
    anything is listed.
    """
    policy.check()
    names = prune_volume_names(app, volume_name)
    held: AbstractContextManager[object] = lease.held() if lease is not None and not dry_run else nullcontext()
    with held:
        return _prune_volumes(volumes, cluster, app, policy, names, now=now, dry_run=dry_run, lease=lease)


def _prune_volumes(
    volumes: VolumePort,
    cluster: Cluster,
    app: App,
    policy: RetentionPolicy,
    names: list[str],
    *,
    now: datetime,
    dry_run: bool,
    lease: PruneLease | None,
) -> list[VolumePrune]:
    outcomes: list[VolumePrune] = []
    in_creation = sources_in_creation(volumes, cluster, app)
    for name in names:
        outcome = VolumePrune(name)
        outcomes.append(outcome)
        try:
            snaps = volumes.volume_snapshot_list(cluster, app, name)
        except NotSupportedError as err:
            outcome.skipped = str(err) or "snapshots not supported"
            continue
        except KompoxError as err:
            outcome.errors.append(f"list snapshots: {err}")
            continue
        outcome.decisions = plan_prune(snaps, policy, now, in_creation)
        if dry_run:
            if in_creation.error:  # the real run would delete nothing: say so
                outcome.errors.append(in_creation.error)
            continue
        for index, decision in enumerate(outcome.decisions):
            if not decision.delete:
                continue
            if lease is not None:
                _still_held(lease, outcomes)
            fresh = sources_in_creation(volumes, cluster, app)  # a restore may have started since the plan
            if fresh.error:
                outcome.errors.append(f"delete snapshot {decision.snapshot.name}: {fresh.error}")
                continue
            feeding = fresh.feeds(decision.snapshot)
            if feeding:
                outcome.decisions[index] = PruneDecision(decision.snapshot, False, feeding)
                continue
            try:
                volumes.volume_snapshot_delete(cluster, app, name, decision.snapshot.name)
            except KompoxError as err:
                outcome.errors.append(f"delete snapshot {decision.snapshot.name}: {err}")
            else:
                outcome.deleted.append(decision.snapshot.name)
    return outcomes


def _still_held(lease: PruneLease, outcomes: list[VolumePrune]) -> None:
    """Renew or confirm the lease before a delete; losing it stops the run here."""
    try:
        lease.check()
    except LeaseHeldError as err:
        done = sum(len(o.deleted) for o in outcomes)
        raise LeaseHeldError(f"{err} ({done} snapshot(s) were deleted before that)") from err
