"""A redeploy after ``app destroy`` rebinds the retained PVs to their recreated claims.

``app destroy`` deletes the PVCs; the ``Retain`` PVs become ``Released`` and
keep the deleted claim's UID in ``spec.claimRef``.  A real PV controller never
binds such a volume to a new claim, so the deploy drops exactly that stale UID
(kmock plays the PV controller's part by holding the Released state).
"""

from __future__ import annotations

from typing import Any

from kmock_server import KMockThread

from kompox.kube import resources as res
from kompox.kube.client import KubeClient
from kompox.usecase.app_deploy import deploy_app
from kompox.usecase.pv_rebind import stale_claim_refs

from .conftest import Gitea, key_of

MERGE = "application/merge-patch+json"


def _volumes(gitea: Gitea) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(PV, PVC) pairs of the plan."""
    pvcs = {o["spec"]["volumeName"]: o for o in gitea.plan.objects if o["kind"] == "PersistentVolumeClaim"}
    return [(o, pvcs[o["metadata"]["name"]]) for o in gitea.plan.objects if o["kind"] == "PersistentVolume"]


def _destroy_claims(server: KMockThread, kube: KubeClient, gitea: Gitea, *, claim_of: Any = None) -> None:
    """What ``app destroy`` plus the PV controller leave: claims gone, PVs Released with the old claim's UID."""
    held = server.objects()
    for pv, pvc in _volumes(gitea):
        kube.delete(res.PERSISTENT_VOLUME_CLAIM, pvc["metadata"]["name"], gitea.namespace)
        stored = held[key_of(pv)]
        ns, name = claim_of(pvc) if claim_of else (gitea.namespace, pvc["metadata"]["name"])
        stored["spec"]["claimRef"] = {
            "kind": "PersistentVolumeClaim",
            "namespace": ns,
            "name": name,
            "uid": "0d1e2f3a-deleted-claim",
            "resourceVersion": "17",
        }
        stored["status"] = {"phase": "Released"}
        server.put("v1/persistentvolumes", stored)


def test_redeploy_after_destroy_frees_the_stale_claim_uid_and_keeps_the_reservation(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=False)
    _destroy_claims(server, kube, gitea)
    before = len(server.kube_requests())
    progress: list[str] = []

    deploy_app(kube, gitea.plan, wait=False, progress=progress.append)

    merges = [r for r in server.kube_requests()[before:] if r.headers.get("Content-Type") == MERGE]
    pv_names = sorted(pv["metadata"]["name"] for pv, _ in _volumes(gitea))
    assert sorted(r.name for r in merges) == pv_names
    assert all(r.resource.plural == "persistentvolumes" for r in merges)
    for request in merges:
        assert request.data["spec"] == {"claimRef": {"uid": None, "resourceVersion": None}}
        assert request.data["metadata"]["resourceVersion"]  # optimistic precondition
    held = server.objects()
    for pv, pvc in _volumes(gitea):
        ref = held[key_of(pv)]["spec"]["claimRef"]
        assert ref == {"kind": "PersistentVolumeClaim", "namespace": gitea.namespace, "name": pvc["metadata"]["name"]}
        assert key_of(pvc) in held
    assert sum("rebinding it to" in line for line in progress) == 2


def test_a_released_pv_reserved_for_another_claim_is_left_alone(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=False)
    _destroy_claims(server, kube, gitea, claim_of=lambda pvc: ("someone-else", pvc["metadata"]["name"]))
    before = len(server.kube_requests())

    deploy_app(kube, gitea.plan, wait=False)

    assert [r for r in server.kube_requests()[before:] if r.headers.get("Content-Type") == MERGE] == []
    held = server.objects()
    for pv, _ in _volumes(gitea):
        assert held[key_of(pv)]["spec"]["claimRef"]["uid"] == "0d1e2f3a-deleted-claim"


def _pv(phase: str, ref: dict[str, str]) -> dict[str, Any]:
    return {
        "kind": "PersistentVolume",
        "metadata": {"name": "pv1", "resourceVersion": "9"},
        "spec": {"claimRef": ref},
        "status": {"phase": phase},
    }


def _pvc(uid: str, volume: str = "pv1", namespace: str = "ns") -> dict[str, Any]:
    return {
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": "c1", "namespace": namespace, "uid": uid},
        "spec": {"volumeName": volume},
    }


OLD = {"namespace": "ns", "name": "c1", "uid": "old"}


def test_only_a_released_pv_from_an_earlier_incarnation_of_its_own_claim_is_stale() -> None:
    cases: list[tuple[str, list[dict[str, Any]], list[str]]] = [
        ("released from the deleted claim", [_pv("Released", OLD), _pvc("new")], ["pv1"]),
        ("bound to the current claim", [_pv("Bound", {**OLD, "uid": "new"}), _pvc("new")], []),
        ("released but same uid", [_pv("Released", {**OLD, "uid": "new"}), _pvc("new")], []),
        ("released, no uid (already freed)", [_pv("Released", {"namespace": "ns", "name": "c1"}), _pvc("new")], []),
        ("claim in another namespace", [_pv("Released", {**OLD, "namespace": "other"}), _pvc("new")], []),
        ("claim names another volume", [_pv("Released", OLD), _pvc("new", volume="pv2")], []),
        ("claim not in this apply", [_pv("Released", OLD)], []),
        ("available", [_pv("Available", OLD), _pvc("new")], []),
    ]
    for label, objects, expected in cases:
        assert [s.volume for s in stale_claim_refs(objects, "ns")] == expected, label
    [stale] = stale_claim_refs([_pv("Released", OLD), _pvc("new")], "ns")
    assert (stale.resource_version, stale.claim) == ("9", "ns/c1")
