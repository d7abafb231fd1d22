"""``app deploy`` of the Gitea example against kmock: objects held, idempotency, request budget."""

from __future__ import annotations

import copy
from typing import Any

from kmock_server import KMockThread, without_server_fields

from kompox.domain.naming import short_hash
from kompox.kube.client import KubeClient
from kompox.usecase.app_deploy import deploy_app

from .conftest import Gitea, key_of

HASH_ANNOTATION = "kompox.dev/compose-content-hash"


def writes(server: KMockThread) -> list[Any]:
    return [r for r in server.kube_requests() if r.method != "GET"]


def is_dry_run(request: Any) -> bool:
    return bool(request.params.get("dryRun"))


def test_first_deploy_applies_every_object_in_order_and_the_server_holds_them(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    plan = gitea.plan
    progress: list[str] = []

    result = deploy_app(kube, plan, wait=True, timeout=30, progress=progress.append)

    kinds = [o["kind"] for o in plan.objects]
    assert kinds == [
        "Namespace",
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "NetworkPolicy",
        "PersistentVolume",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "PersistentVolumeClaim",
        "Deployment",
        "Service",
        "Service",
        "Service",
        "Ingress",
        "Ingress",
    ]
    applies = [
        r
        for r in server.kube_requests()
        if r.headers.get("Content-Type") == "application/apply-patch+yaml" and not is_dry_run(r)
    ]
    assert [(r.resource.plural, r.name) for r in applies] == [
        (key_of(o)[0].rsplit("/", 1)[1], o["metadata"]["name"]) for o in plan.objects
    ]
    assert all(r.params == {"fieldManager": "kompoxops", "force": "true"} for r in applies)

    held = server.objects()
    for obj in plan.objects:
        stored = held[key_of(obj)]
        if obj["kind"] == "Deployment":
            template = stored["spec"]["template"]
            # every envFrom Secret is missing (no env_file, no override yet): hash of "" segments
            assert template["metadata"]["annotations"] == {HASH_ANNOTATION: short_hash("")}
            expected = copy.deepcopy(obj)
            expected["spec"]["template"]["metadata"]["annotations"] = {HASH_ANNOTATION: short_hash("")}
            assert without_server_fields(stored) == expected
        else:
            assert without_server_fields(stored) == obj, obj["kind"]
    pods = {k for k in held if k[0] == "v1/pods"}
    assert set(held) == {key_of(o) for o in plan.objects} | pods
    assert len(pods) == 1

    names = {o["kind"]: o["metadata"]["name"] for o in plan.objects}
    assert names["Role"] == names["RoleBinding"] == "gitea-access"
    pvs = sorted(o["metadata"]["name"] for o in plan.objects if o["kind"] == "PersistentVolume")
    ns_hash, id_hash = gitea.namespace.split("-")[1], gitea.namespace.split("-")[-1]
    handle = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/disks/data-d1"
    assert pvs[0] == f"k4x-{ns_hash}-data-{id_hash}-{short_hash(handle)}"

    assert result.applied_count == len(plan.objects)
    assert result.patched and result.pruned == [] and result.warnings == []
    assert result.rollout == 'deployment "gitea-app" successfully rolled out'
    assert progress[0] == f"applying 15 objects to namespace {gitea.namespace}"
    assert progress[-1] == result.rollout


def test_first_deploy_request_budget(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    """A new namespace: one dry run and one apply per object, the namespace created between, nothing else.

    (Before the dry-run gate: one apply per object plus a pod-hash patch; the hash is now in the first apply.)
    """
    deploy_app(kube, gitea.plan, wait=False)

    reqs = server.kube_requests()
    n = len(gitea.plan.objects)
    assert len(reqs) == kube.request_count == 2 * n + 1
    assert [(r.method, r.resource.plural) for r in reqs if r.method != "PATCH"] == [("POST", "namespaces")]
    assert len([r for r in reqs if r.method == "PATCH" and is_dry_run(r)]) == n
    assert all(r.headers["Content-Type"] == "application/apply-patch+yaml" for r in reqs if r.method == "PATCH")
    deployment = server.objects()[("apps/v1/deployments", gitea.namespace, "gitea-app")]
    assert deployment["metadata"]["generation"] == 1  # one rollout: the hash came with the first apply


def test_deploy_twice_changes_nothing_and_costs_two_reads(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    before = server.objects()
    seen = len(server.kube_requests())

    result = deploy_app(kube, gitea.plan, wait=True, timeout=30)

    after = server.objects()
    assert after == before  # resourceVersion, generation and content of every object unchanged
    again = server.kube_requests()[seen:]
    n = len(gitea.plan.objects)
    # n dry runs + n applies + three reads: the live Deployment and the namespace's Secrets (pod hash),
    # the headless Services (prune); rolled out already: the apply answer is the first observation
    assert len(again) == 2 * n + 3
    assert len([r for r in again if is_dry_run(r)]) == n
    reads = [(r.method, r.resource.plural) for r in again if r.method == "GET"]
    assert reads == [("GET", "deployments"), ("GET", "secrets"), ("GET", "services")]
    assert not result.patched and result.pruned == []
    assert result.rollout == 'deployment "gitea-app" successfully rolled out'


def test_redeploy_prunes_a_stale_headless_service_and_keeps_others(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=False)
    stale = copy.deepcopy(
        next(o for o in gitea.plan.objects if o["kind"] == "Service" and o["metadata"]["name"] == "postgres")
    )
    stale["metadata"]["name"] = "redis"  # a service removed from the compose file since the last deploy
    foreign = copy.deepcopy(stale)
    foreign["metadata"]["name"] = "other"
    foreign["metadata"]["labels"]["app"] = "gitea-box"  # another component: never pruned
    kube.apply([stale, foreign])

    result = deploy_app(kube, gitea.plan, wait=False)

    assert result.pruned == ["redis"]
    services = {k[2] for k in server.objects() if k[0] == "v1/services"}
    assert services == {"gitea-app", "gitea", "postgres", "other"}


def test_override_secret_created_later_changes_the_pod_hash_on_redeploy(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    deploy_app(kube, gitea.plan, wait=False)
    override = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "gitea-app-gitea-override",
            "namespace": gitea.namespace,
            "annotations": {HASH_ANNOTATION: "abc123"},
        },
    }
    server.put("v1/secrets", override)
    generation = server.objects()[("apps/v1/deployments", gitea.namespace, "gitea-app")]["metadata"]["generation"]

    result = deploy_app(kube, gitea.plan, wait=True, timeout=30)

    deployment = server.objects()[("apps/v1/deployments", gitea.namespace, "gitea-app")]
    assert result.patched
    assert deployment["spec"]["template"]["metadata"]["annotations"][HASH_ANNOTATION] == short_hash("abc123")
    assert deployment["metadata"]["generation"] == generation + 1


def test_python_deploy_over_an_upstream_deploy_converges_without_a_restart(
    server: KMockThread, kube: KubeClient, gitea: Gitea
) -> None:
    """Upstream applied everything but RBAC, patched the pod hash, and left a since-removed service."""
    plan = gitea.plan
    upstream = [o for o in plan.objects if o["kind"] not in ("Role", "RoleBinding")]
    stale = copy.deepcopy(next(o for o in upstream if o["metadata"]["name"] == "postgres"))
    stale["metadata"]["name"] = "memcached"
    applied = kube.apply([*upstream, stale]).objects
    kube.sync_pod_content_hash(gitea.namespace, "gitea-app", known=applied)
    deployment_key = ("apps/v1/deployments", gitea.namespace, "gitea-app")
    before = server.objects()[deployment_key]

    result = deploy_app(kube, plan, wait=True, timeout=30)

    held = server.objects()
    assert held[deployment_key]["metadata"]["generation"] == before["metadata"]["generation"]  # no new rollout
    assert held[deployment_key]["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]
    assert ("rbac.authorization.k8s.io/v1/roles", gitea.namespace, "gitea-access") in held
    assert ("rbac.authorization.k8s.io/v1/rolebindings", gitea.namespace, "gitea-access") in held
    assert result.pruned == ["memcached"] and not result.patched
