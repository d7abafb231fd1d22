"""Deployment rollout evaluation (the ``kubectl rollout status`` rules), pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kompox.domain.errors import ProviderAPIError


@dataclass(frozen=True)
class RolloutStatus:
    """One observation of a Deployment rollout (the ``kubectl rollout status`` rules)."""

    done: bool
    message: str
    replicas: int = 0
    updated: int = 0
    ready: int = 0
    available: int = 0


def rollout_status(deployment: Mapping[str, Any]) -> RolloutStatus:
    """Evaluate a Deployment object; raises ``ProviderAPIError`` when the progress deadline passed."""
    meta = deployment.get("metadata") or {}
    spec = deployment.get("spec") or {}
    status = deployment.get("status") or {}
    name = meta.get("name", "")
    want = int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)
    updated = int(status.get("updatedReplicas") or 0)
    total = int(status.get("replicas") or 0)
    ready = int(status.get("readyReplicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    counts = {"replicas": want, "updated": updated, "ready": ready, "available": available}
    if int(meta.get("generation") or 0) > int(status.get("observedGeneration") or 0):
        return RolloutStatus(False, f'waiting for deployment "{name}" spec update to be observed', **counts)
    for cond in status.get("conditions") or []:
        if cond.get("type") == "Progressing" and cond.get("reason") == "ProgressDeadlineExceeded":
            raise ProviderAPIError(
                f'deployment "{name}" exceeded its progress deadline', error_code="ProgressDeadlineExceeded"
            )
    if updated < want:
        msg = f'waiting for deployment "{name}" rollout: {updated} of {want} new replicas updated'
        return RolloutStatus(False, msg, **counts)
    if total > updated:
        msg = f'waiting for deployment "{name}" rollout: {total - updated} old replicas pending termination'
        return RolloutStatus(False, msg, **counts)
    if available < updated:
        msg = f'waiting for deployment "{name}" rollout: {available} of {updated} updated replicas available'
        return RolloutStatus(False, msg, **counts)
    return RolloutStatus(True, f'deployment "{name}" successfully rolled out', **counts)
