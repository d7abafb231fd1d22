"""A lease: one holder at a time for an operation, with an expiry (``snapshot prune``, issue #18).

:class:`LeaseState` is what a lease says; :class:`LeaseStore` is where it is
kept, with conditional writes (the algorithm is
:mod:`kompox.usecase.prune_lease`, the Kubernetes store :mod:`kompox.kube.lease`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

DEFAULT_DURATION = timedelta(minutes=5)


@dataclass(frozen=True)
class LeaseState:
    """What the lease says; ``holder`` empty means released."""

    holder: str = ""
    duration: timedelta = DEFAULT_DURATION
    acquired_at: datetime | None = None
    renewed_at: datetime | None = None
    transitions: int = 0
    version: str = ""  # the store's optimistic-concurrency token (Kubernetes resourceVersion)

    def expires_at(self) -> datetime | None:
        return self.renewed_at + self.duration if self.renewed_at is not None else None

    def expired(self, now: datetime) -> bool:
        expiry = self.expires_at()
        return expiry is None or expiry <= now


class LeaseStore(Protocol):
    """One named lease; writes are conditional and answer ``None`` when they lose the race."""

    @property
    def where(self) -> str:
        """Where the lease lives, for messages (``Lease default/kompox-snapshot-prune.k4x-…``)."""
        ...

    def read(self) -> LeaseState | None: ...
    def create(self, state: LeaseState) -> LeaseState | None:
        """Create the lease; ``None`` when it already exists."""
        ...

    def update(self, state: LeaseState, version: str) -> LeaseState | None:
        """Replace the lease if it is still at ``version``; ``None`` when it changed (or is gone)."""
        ...
