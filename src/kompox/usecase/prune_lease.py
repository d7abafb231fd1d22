"""The lease that keeps two ``snapshot prune`` runs of one app from deleting at the same time (issue #18).

The algorithm is here; where the lease is stored is a :class:`LeaseStore`
(:mod:`kompox.domain.lease`; the cluster's ``coordination.k8s.io/v1``
Lease is :mod:`kompox.kube.lease`).
Every write is conditional: a create fails when the lease exists, an update
fails when the lease changed since it was read (``resourceVersion``).  So of
two runs racing for the lease exactly one wins, whatever the interleaving.

* :meth:`PruneLease.acquire`: no lease → create it; a lease held by another
  holder and not expired → :class:`~kompox.domain.errors.LeaseHeldError`
  (exit 10, nothing deleted); released or expired (``renewTime +
  leaseDurationSeconds`` in the past, by this machine's clock) → taken over.
* :meth:`PruneLease.check` before every delete: renews the lease when a
  third of its duration has passed since the last renewal; a renewal that
  loses (someone took the lease over after it expired) raises
  :class:`~kompox.domain.errors.LeaseHeldError` and the run stops deleting.
* :meth:`PruneLease.release`: clears the holder (conditional too: a lease
  taken over meanwhile is left to its new holder).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta

from kompox.domain.errors import LeaseHeldError
from kompox.domain.lease import DEFAULT_DURATION, LeaseState, LeaseStore
from kompox.domain.timefmt import rfc3339_nano

log = logging.getLogger("kompox.usecase")

LEASE_NAMESPACE = "default"
"""Where the prune lease lives: a namespace every cluster has and none can delete, so the lease
outlives ``app destroy --delete-namespace`` (a prune after a destroy is still serialised)."""


def prune_lease_name(app_namespace: str) -> str:
    """``kompox-snapshot-prune.<app namespace>``: one lease per app and cluster, readable in ``kubectl get lease``."""
    return f"kompox-snapshot-prune.{app_namespace}"


def _describe(state: LeaseState) -> str:
    renewed = rfc3339_nano(state.renewed_at) if state.renewed_at is not None else "never"
    return f"held by {state.holder}, last renewed {renewed}, lease duration {int(state.duration.total_seconds())}s"


class PruneLease:
    """The lease of one run (``holder`` is unique per run); ``clock`` gives the current UTC time."""

    def __init__(
        self,
        store: LeaseStore,
        holder: str,
        *,
        clock: Callable[[], datetime],
        duration: timedelta = DEFAULT_DURATION,
        what: str = "snapshot prune",
        note: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.holder = holder
        self.clock = clock
        self.duration = duration
        self.what = what
        self.note = note or (lambda _text: None)
        self.state: LeaseState | None = None  # what this run last wrote

    def _held_elsewhere(self, detail: str) -> LeaseHeldError:
        return LeaseHeldError(f"{self.what}: another run holds {self.store.where} ({detail}); nothing was deleted")

    def acquire(self) -> LeaseState:
        now = self.clock()
        current = self.store.read()
        mine = LeaseState(self.holder, self.duration, now, now)
        if current is None:
            won = self.store.create(mine)
            if won is None:
                raise self._held_elsewhere("it was created by another run just now")
        else:
            if current.holder and current.holder != self.holder and not current.expired(now):
                expiry = current.expires_at()
                left = int((expiry - now).total_seconds()) if expiry is not None else 0
                raise self._held_elsewhere(f"{_describe(current)}, expires in {left}s")
            if current.holder and current.holder != self.holder:
                self.note(f"{self.what}: taking over the expired lease {self.store.where} ({_describe(current)})")
            won = self.store.update(replace(mine, transitions=current.transitions + 1), current.version)
            if won is None:
                raise self._held_elsewhere("another run took it between our read and our write")
        self.state = won
        log.info("UC:lease:acquired", extra={"attrs": {"lease": self.store.where, "holder": self.holder}})
        return won

    def check(self) -> None:
        """Before a delete: still ours; renewed when a third of the duration has passed."""
        if self.state is None:
            raise LeaseHeldError(f"{self.what}: the lease {self.store.where} is not held by this run")
        now = self.clock()
        renewed = self.state.renewed_at
        if renewed is not None and now - renewed < self.duration / 3:
            return
        won = self.store.update(replace(self.state, renewed_at=now), self.state.version)
        if won is None:
            self.state = None
            raise LeaseHeldError(
                f"{self.what}: lost the lease {self.store.where} (it expired and another run took it over); "
                "stopped before the next delete"
            )
        self.state = won

    def release(self) -> None:
        """Clear the holder; a lease another run took over meanwhile is left alone."""
        if self.state is None:
            return
        state, self.state = self.state, None
        released = replace(state, holder="", renewed_at=self.clock())
        if self.store.update(released, state.version) is None:
            log.warning("lease changed before release", extra={"attrs": {"lease": self.store.where}})

    @contextmanager
    def held(self) -> Iterator[PruneLease]:
        self.acquire()
        try:
            yield self
        finally:
            self.release()
