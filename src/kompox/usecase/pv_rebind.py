"""Rebinding a retained PersistentVolume to the claim that owned it.

Kompox's PVs are ``Retain``: ``app destroy`` (with or without
``--delete-namespace``) deletes the PVC and leaves the PV ``Released``, its
``spec.claimRef`` still carrying the deleted claim's UID.  The next deploy
recreates the claim under the same name (names are derived from the disk), but
a real API server's PV controller never binds a ``Released`` volume to a
claim with another UID: the pod would wait for its volume for ever.

After the apply, the answers the server gave for the PV and its PVC say
whether that happened.  The fix is the one an operator would make by hand and
nothing more: drop ``uid`` and ``resourceVersion`` from the PV's
``claimRef``, keeping its namespace and name, so the volume stays reserved for
exactly this claim (no other claim can take it in between) and the controller
binds them.  The patch carries the PV's ``resourceVersion`` as a precondition.
A PV whose claim reference names any other claim is never touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Obj = Mapping[str, Any]


@dataclass(frozen=True)
class StaleClaimRef:
    """A Released PV whose claimRef names the planned claim but a deleted incarnation of it."""

    volume: str  # the PV's name
    resource_version: str  # precondition for the patch
    claim: str  # "<namespace>/<name>" of the claim it will bind to


def stale_claim_refs(applied: Iterable[Obj], default_namespace: str) -> list[StaleClaimRef]:
    """The applied PVs that are ``Released`` from a claim that the same apply has just recreated."""
    objects = list(applied)
    claims: dict[tuple[str, str], tuple[str, str]] = {}
    for obj in objects:
        if obj.get("kind") != "PersistentVolumeClaim":
            continue
        meta = obj.get("metadata") or {}
        key = (str(meta.get("namespace") or default_namespace), str(meta.get("name") or ""))
        claims[key] = (str(meta.get("uid") or ""), str((obj.get("spec") or {}).get("volumeName") or ""))
    stale: list[StaleClaimRef] = []
    for obj in objects:
        if obj.get("kind") != "PersistentVolume":
            continue
        meta = obj.get("metadata") or {}
        name = str(meta.get("name") or "")
        if (obj.get("status") or {}).get("phase") != "Released":
            continue
        ref = (obj.get("spec") or {}).get("claimRef") or {}
        key = (str(ref.get("namespace") or ""), str(ref.get("name") or ""))
        old_uid = str(ref.get("uid") or "")
        claim = claims.get(key)
        if claim is None or not old_uid:
            continue
        new_uid, volume_name = claim
        if volume_name != name or not new_uid or new_uid == old_uid:
            continue
        stale.append(StaleClaimRef(name, str(meta.get("resourceVersion") or ""), f"{key[0]}/{key[1]}"))
    return stale
