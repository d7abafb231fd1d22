"""Spot pools: the pod tolerates the taints the provider puts on the pools it may land on (DS-ADR-1).

The node pools are the domain DTOs a driver's ``node_pool_list`` returns;
the AKS driver reports a Spot pool's taint as ``status.implied_taints``
(tests/providers/aks/test_nodepool.py checks that mapping through the fake ARM).
"""

from __future__ import annotations

from typing import Any

import pytest

from kompox.compose.model import Service
from kompox.domain.model import App, AppDeployment, NodePool, NodePoolStatus
from kompox.domain.model.nodepool import NodeTaint
from kompox.kube.convert import convert, to_yaml
from kompox.kube.podhash import pod_content_hash

from .helpers import (
    REF_BASE,
    bind,
    check_golden,
    context,
    k8s_validate,
    project,
    run,
    worked_example_app,
    worked_example_files,
    worked_example_project,
)

SPOT = NodeTaint("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")
SPOT_TOLERATION = {
    "key": "kubernetes.azure.com/scalesetpriority",
    "operator": "Equal",
    "value": "spot",
    "effect": "NoSchedule",
}


def _pool(
    name: str, pool_label: str, *, zone_label: str | None = None, zones: list[str] | None = None, spot: bool = False
) -> NodePool:
    labels = {"kompox.dev/node-pool": pool_label}
    if zone_label is not None:
        labels["kompox.dev/node-zone"] = zone_label
    return NodePool(
        name=name,
        labels=labels,
        zones=zones,
        priority="spot" if spot else "regular",
        status=NodePoolStatus(implied_taints=[SPOT] if spot else []),
    )


# The AKS template: a Regular system pool and one Spot user pool per zone, labelled 1/2/3.
TEMPLATE = [
    _pool("npsystem", "system"),
    *(_pool(f"npuser{z}", "user", zone_label=z, zones=[f"japaneast-{z}"], spot=True) for z in "123"),
]
# Regular user pools plus a Spot pool only reachable by name or zone 3; a multi-zone regular pool.
MIXED = [
    _pool("npsystem", "system"),
    _pool("npreg", "user", zone_label="1", zones=["japaneast-1"]),
    _pool("npspot", "batch", zone_label="3", zones=["japaneast-3"], spot=True),
    _pool("npmulti", "web", zones=["japaneast-1", "japaneast-2"]),
    _pool("npmultispot", "web", zones=["japaneast-2", "japaneast-3"], spot=True),
]


def _pod(deployment: AppDeployment, pools: list[NodePool] | None) -> dict[str, Any]:
    app = App(name="app1", ref_base=REF_BASE, deployment=deployment)
    conv = run(app, project(Service(name="web", image="nginx")), domain="", node_pools=pools)
    dep = next(o for o in conv.objects if o["kind"] == "Deployment")
    k8s_validate([dep])
    return dict(dep["spec"]["template"]["spec"])


@pytest.mark.parametrize(
    ("deployment", "pools", "tolerated"),
    [
        pytest.param(AppDeployment(), TEMPLATE, True, id="default-user-on-template-spot-pools"),
        pytest.param(AppDeployment(zone="2"), TEMPLATE, True, id="zone-2-selects-npuser2"),
        pytest.param(AppDeployment(pool="system"), TEMPLATE, False, id="system-pool-is-regular"),
        pytest.param(AppDeployment(), None, False, id="pools-unknown-nothing-guessed"),
        pytest.param(AppDeployment(), [], False, id="no-pools"),
        pytest.param(AppDeployment(), MIXED, False, id="user-pools-all-regular"),
        pytest.param(AppDeployment(pool="batch"), MIXED, True, id="spot-pool-by-name"),
        pytest.param(AppDeployment(pools=["user", "batch"]), MIXED, True, id="pools-one-of-them-spot"),
        pytest.param(AppDeployment(pools=["user", "batch"], zones=["1"]), MIXED, False, id="zone-excludes-spot"),
        pytest.param(AppDeployment(pool="web", zone="japaneast-1"), MIXED, False, id="multizone-per-node-zone-1"),
        pytest.param(AppDeployment(pool="web", zone="japaneast-3"), MIXED, True, id="multizone-per-node-zone-3"),
        pytest.param(AppDeployment(pool="web", zone="3"), MIXED, False, id="zone-label-compared-verbatim"),
    ],
)
def test_toleration_iff_a_selected_pool_is_spot(
    deployment: AppDeployment, pools: list[NodePool] | None, tolerated: bool
) -> None:
    pod = _pod(deployment, pools)
    without_pools = _pod(deployment, None)
    if tolerated:
        assert pod["tolerations"] == [SPOT_TOLERATION]
        assert {k: v for k, v in pod.items() if k != "tolerations"} == without_pools
    else:
        assert "tolerations" not in pod
        assert pod == without_pools


def test_several_spot_pools_give_one_toleration_and_it_is_golden() -> None:
    app = App(name="app1", ref_base=REF_BASE, deployment=AppDeployment(zones=["1", "2", "3"]))
    conv = run(app, project(Service(name="web", image="nginx")), domain="", node_pools=TEMPLATE)
    dep = next(o for o in conv.objects if o["kind"] == "Deployment")
    text = check_golden("scheduling_spot", [dep])  # kubernetes-validate strict, then byte comparison
    assert dep["spec"]["template"]["spec"]["tolerations"] == [SPOT_TOLERATION]
    assert (
        "      tolerations:\n      - effect: NoSchedule\n        key: kubernetes.azure.com/scalesetpriority\n" in text
    )


def test_regular_pools_leave_the_worked_example_byte_identical_to_its_golden() -> None:
    """With a pool list that has no Spot pool the app selects, the output is upstream's (the golden)."""
    app = worked_example_app()  # deployment.zone "1": selects npreg only
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    conv = convert(
        ws, prv, cls, app, worked_example_project(), bind(app), files=worked_example_files(), node_pools=MIXED
    )
    check_golden("worked_example", conv.objects)


def test_the_pod_content_hash_ignores_the_toleration() -> None:
    """The runtime hash (converter.md §14.2) covers Secrets/ConfigMaps only: spot or not, same value."""
    app = worked_example_app()
    app.deployment = AppDeployment(zone="1")
    ws, prv, cls, _ = context(app, cert_resolver="staging")
    pods = []
    for pools in (None, TEMPLATE):
        conv = convert(
            ws, prv, cls, app, worked_example_project(), bind(app), files=worked_example_files(), node_pools=pools
        )
        pods.append(next(o for o in conv.objects if o["kind"] == "Deployment")["spec"]["template"]["spec"])
    assert "tolerations" not in pods[0] and pods[1]["tolerations"] == [SPOT_TOLERATION]
    index = {"app1-app-base": "aaaaaa", "app1-app-nginx-conf": "bbbbbb", "app1-app-api-key": "cccccc"}
    plain, spot = pod_content_hash(pods[0], index), pod_content_hash(pods[1], index)
    assert plain and plain == spot
    assert to_yaml([{"spec": pods[0]}]) != to_yaml([{"spec": pods[1]}])
