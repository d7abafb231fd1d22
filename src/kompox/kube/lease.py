"""A ``coordination.k8s.io/v1`` Lease as a :class:`~kompox.domain.lease.LeaseStore`.

Create is a ``POST`` (409 AlreadyExists → ``None``); update is a merge patch
carrying ``metadata.resourceVersion``, which the API server turns into a
precondition (409 Conflict → ``None``).  Neither is retried: a lost race is
an answer, not a fault.  Times are ``MicroTime`` (RFC 3339, microseconds, UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kompox.domain.lease import LeaseState
from kompox.kube import resources as res
from kompox.kube.api import KubeAPI, Obj, meta_of
from kompox.kube.transport import MERGE_PATCH

MANAGED_BY = {"app.kubernetes.io/managed-by": "kompox"}


def _micro_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def state_of(obj: Obj) -> LeaseState:
    spec = obj.get("spec") or {}
    seconds = spec.get("leaseDurationSeconds")
    return LeaseState(
        holder=str(spec.get("holderIdentity") or ""),
        duration=timedelta(seconds=int(seconds)) if isinstance(seconds, int) else timedelta(0),
        acquired_at=_parse_time(spec.get("acquireTime")),
        renewed_at=_parse_time(spec.get("renewTime")),
        transitions=int(spec.get("leaseTransitions") or 0),
        version=str(meta_of(obj).get("resourceVersion") or ""),
    )


def _spec(state: LeaseState) -> dict[str, Any]:
    return {
        "holderIdentity": state.holder or None,
        "leaseDurationSeconds": int(state.duration.total_seconds()),
        "acquireTime": _micro_time(state.acquired_at),
        "renewTime": _micro_time(state.renewed_at),
        "leaseTransitions": state.transitions,
    }


class KubeLease:
    """The Lease ``namespace/name`` on the cluster ``kube`` talks to."""

    def __init__(self, kube: KubeAPI, namespace: str, name: str, labels: dict[str, str] | None = None) -> None:
        self.kube = kube
        self.namespace = namespace
        self.name = name
        self.labels = {**MANAGED_BY, **(labels or {})}

    @property
    def where(self) -> str:
        return f"Lease {self.namespace}/{self.name}"

    def read(self) -> LeaseState | None:
        obj = self.kube.get(res.LEASE, self.name, self.namespace)
        return state_of(obj) if obj is not None else None

    def manifest(self, state: LeaseState) -> Obj:
        return {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": dict(self.labels)},
            "spec": {k: v for k, v in _spec(state).items() if v is not None},
        }

    def create(self, state: LeaseState) -> LeaseState | None:
        resp = self.kube.transport.request(
            "POST",
            res.LEASE.collection_path(self.namespace),
            body=self.manifest(state),
            retry=False,
            ok_statuses=frozenset({409}),
        )
        return None if resp.status == 409 else state_of(dict(resp.json()))

    def update(self, state: LeaseState, version: str) -> LeaseState | None:
        patch = {"metadata": {"resourceVersion": version}, "spec": _spec(state)}
        resp = self.kube.transport.request(
            "PATCH",
            res.LEASE.object_path(self.name, self.namespace),
            body=patch,
            content_type=MERGE_PATCH,
            retry=False,
            ok_statuses=frozenset({404, 409}),
        )
        return None if resp.status in (404, 409) else state_of(dict(resp.json()))
