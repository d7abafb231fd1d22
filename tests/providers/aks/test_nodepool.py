"""AKS node pools through the real ContainerServiceClient and a fake ARM (driver-aks.md §15).

Asserts on what the SDK sent: method, URL, api-version and body.
"""

from __future__ import annotations

import logging

import pytest

from contract.nodepool.agentpool_fake import DEPLOYMENT, OUTPUTS, POOLS, AgentPoolARM, agent_pool, pool_path
from kompox.domain.errors import DriverError, DriverValidationError, NotFoundError, ProviderAPIError
from kompox.domain.model import Cluster, NodePool, NodePoolAutoscaling
from kompox.domain.options import NodePoolListOptions
from kompox.providers.aks import AKSDriver

from .conftest import SETTINGS
from .fake_arm import BASE, FakeARM, FakeCredential, Reply, client_kwargs, error, throttled

API_VERSION = "2026-08-01"


@pytest.fixture
def arm() -> AgentPoolARM:
    return AgentPoolARM().provisioned()


@pytest.fixture
def driver(arm: AgentPoolARM, progress: list[str]) -> AKSDriver:
    return _driver(arm, progress)


def _driver(fake: FakeARM, progress: list[str] | None = None) -> AKSDriver:
    from kompox.domain.model import Provider, Workspace

    return AKSDriver(
        Workspace(name="ws1"),
        Provider(name="aks1", driver="aks", settings=dict(SETTINGS)),
        credential=FakeCredential(),
        client_kwargs=client_kwargs(fake),
        progress=progress.append if progress is not None else None,
    )


# --- create -------------------------------------------------------------------


def test_create_sends_one_put_with_the_mapped_body(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster, progress: list[str]
) -> None:
    pool = NodePool(
        name="spot1",
        mode="user",
        zones=["japaneast-1"],
        instance_type="Standard_D4s_v5",
        os_disk_type="Managed",
        os_disk_size_gib=64,
        priority="spot",
        labels={"team": "a"},
        autoscaling=NodePoolAutoscaling(enabled=True, min=0, max=2),
    )
    created = driver.node_pool_create(cluster, pool)

    writes = arm.writes()
    assert [(w.method, w.path) for w in writes] == [("PUT", pool_path("spot1"))]
    put = writes[0]
    assert put.api_version == API_VERSION
    assert put.url.startswith(f"{BASE}/subscriptions/")
    assert put.headers["User-Agent"].startswith("kompoxops/aks")
    assert put.body == {
        "properties": {
            "mode": "User",
            "vmSize": "Standard_D4s_v5",
            "osDiskType": "Managed",
            "osDiskSizeGB": 64,
            "scaleSetPriority": "Spot",
            "availabilityZones": ["1"],
            "nodeLabels": {"team": "a", "kompox.dev/node-pool": "spot1", "kompox.dev/node-zone": "japaneast-1"},
            "enableAutoScaling": True,
            "minCount": 0,
            "maxCount": 2,
            "count": 1,
        }
    }
    assert created.name == "spot1" and created.zones == ["japaneast-1"] and created.priority == "spot"
    assert created.status is not None and created.status.provisioning_state == "Succeeded"
    assert progress[0].startswith("creating node pool spot1 in AKS cluster aks-tok123")
    assert progress[-1] == "node pool spot1 created"
    assert pool.labels == {"team": "a"}  # the caller's DTO is untouched


def test_create_reads_the_cluster_name_from_deployment_outputs(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster
) -> None:
    driver.node_pool_create(cluster, NodePool(name="np1"))
    assert [r.method + " " + r.path for r in arm.requests[:1]] == [f"GET {DEPLOYMENT}"]


def test_create_validation_fails_before_any_request(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    with pytest.raises(DriverValidationError, match=r"^validation error: pool.Priority must be one of regular, spot"):
        driver.node_pool_create(cluster, NodePool(name="np1", priority="low"))
    assert arm.requests == []


def test_create_failure_of_the_operation_is_reported(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.lro_put_failing(pool_path("np1"), {"code": "QuotaExceeded", "message": "Insufficient regional vcpu quota"})
    with pytest.raises(ProviderAPIError) as exc:
        _driver(fake).node_pool_create(cluster, NodePool(name="np1"))
    assert str(exc.value).startswith("wait for agent pool creation: ")
    assert "QuotaExceeded" in str(exc.value) or "Insufficient" in str(exc.value)


def test_create_rejected_at_once_is_reported(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.on("PUT", pool_path("np1"), error(400, "InvalidParameter", "vmSize Standard_X is not allowed"))
    with pytest.raises(ProviderAPIError) as exc:
        _driver(fake).node_pool_create(cluster, NodePool(name="np1", instance_type="Standard_X"))
    assert str(exc.value) == "begin create agent pool: InvalidParameter: vmSize Standard_X is not allowed"
    assert exc.value.status_code == 400 and exc.value.error_code == "InvalidParameter"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            error(404, "DeploymentNotFound", "no deployment"),
            "get AKS cluster name: get deployment outputs: failed to get subscription deployment: "
            "DeploymentNotFound: no deployment",
        ),
        (
            Reply(200, {"properties": {"outputs": {"AZURE_RESOURCE_GROUP_NAME": {"value": "x"}}}}),
            "get AKS cluster name: AZURE_AKS_CLUSTER_NAME not found in deployment outputs",
        ),
        (Reply(200, {"properties": {}}), "get AKS cluster name: get deployment outputs: deployment has no outputs"),
    ],
)
def test_cluster_name_errors(cluster: Cluster, reply: Reply, message: str) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, reply)
    with pytest.raises(DriverError) as exc:
        _driver(fake).node_pool_list(cluster)
    assert str(exc.value) == message
    assert fake.writes() == []


# --- update -------------------------------------------------------------------


def test_update_sends_existing_pool_with_only_set_fields_changed(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster
) -> None:
    existing = agent_pool("np1", zones=["1", "2"], labels={"team": "a"}, autoscale=(1, 3), count=2)
    arm.add(existing)
    result = driver.node_pool_update(cluster, NodePool(name="np1", labels={"tier": "web"}))

    puts = arm.seen("PUT", POOLS)
    assert len(puts) == 1 and puts[0].path == pool_path("np1") and puts[0].api_version == API_VERSION
    sent = puts[0].body["properties"]
    expected = {
        k: v for k, v in existing["properties"].items() if k not in ("provisioningState", "currentOrchestratorVersion")
    }
    # zones 1 and 2: no pool-level node-zone label (each node gets its own from its topology label)
    expected["nodeLabels"] = {"team": "a", "tier": "web", "kompox.dev/node-pool": "np1"}
    assert sent == expected  # everything else is sent back exactly as read
    assert result.labels == expected["nodeLabels"]
    assert [r.method for r in arm.requests if "/agentpools/" in r.path.lower()] == ["GET", "PUT", "GET"]


def test_update_autoscaling_only(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    arm.add(agent_pool("np1", labels={"kompox.dev/node-pool": "np1"}, autoscale=(1, 3), count=2))
    result = driver.node_pool_update(cluster, NodePool(name="np1", autoscaling=NodePoolAutoscaling(desired=4)))
    sent = arm.seen("PUT", POOLS)[0].body["properties"]
    assert (sent["enableAutoScaling"], sent["count"]) == (False, 4)
    assert "minCount" not in sent and "maxCount" not in sent
    assert sent["nodeLabels"] == {"kompox.dev/node-pool": "np1"}
    assert result.autoscaling == NodePoolAutoscaling(enabled=False, min=0, max=0, desired=4)


def test_update_immutable_change_is_refused_before_any_write(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster
) -> None:
    arm.add(agent_pool("np1", zones=["1"]))
    with pytest.raises(DriverValidationError) as exc:
        driver.node_pool_update(cluster, NodePool(name="np1", instance_type="Standard_D8s_v5", zones=["2"]))
    assert str(exc.value) == (
        "validation error: cannot modify immutable fields: "
        "InstanceType is immutable (current Standard_D2s_v3, requested Standard_D8s_v5), "
        "Zones are immutable (current japaneast-1, requested japaneast-2)"
    )
    assert arm.writes() == []
    assert [r.path for r in arm.requests] == [DEPLOYMENT, pool_path("np1")]  # reads only


def test_update_invalid_value_is_refused_before_any_request(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster
) -> None:
    with pytest.raises(DriverValidationError, match=r"pool\.Autoscaling\.Min"):
        driver.node_pool_update(cluster, NodePool(name="np1", autoscaling=NodePoolAutoscaling(True, 5, 2)))
    assert arm.requests == []


def test_update_without_changes_writes_nothing(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    arm.add(agent_pool("np1", zones=["1"], labels={"kompox.dev/node-pool": "np1", "kompox.dev/node-zone": "1"}))
    result = driver.node_pool_update(cluster, NodePool(name="np1", mode="user", labels={"kompox.dev/node-zone": "1"}))
    assert arm.writes() == []
    assert result.name == "np1"


def test_update_of_missing_pool_is_not_found(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    with pytest.raises(
        NotFoundError, match="get existing agent pool: node pool np9 not found in AKS cluster aks-tok123"
    ):
        driver.node_pool_update(cluster, NodePool(name="np9", labels={"a": "b"}))
    assert arm.writes() == []


# --- delete -------------------------------------------------------------------


def test_delete_waits_for_the_operation(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster, progress: list[str]
) -> None:
    arm.add(agent_pool("np1"))
    driver.node_pool_delete(cluster, "np1")
    deletes = arm.seen("DELETE")
    assert [(d.path, d.api_version) for d in deletes] == [(pool_path("np1"), API_VERSION)]
    assert len(arm.seen("GET", "/fakepoolops/")) == 2  # one "running" answer, then done
    assert "np1" not in arm.pools
    assert progress[-1] == "node pool np1 deleted"


def test_delete_absent_pool_is_success(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster, progress: list[str]
) -> None:
    driver.node_pool_delete(cluster, "gone")
    # AgentPools_Delete answers 204 for an absent pool (indistinguishable from a finished delete): read first
    assert [d.path for d in arm.seen("GET", "/agentPools/")] == [pool_path("gone")]
    assert arm.seen("DELETE") == []
    assert progress[-1] == "node pool gone does not exist"


def test_delete_404_while_polling_is_success(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.on("GET", pool_path("np1"), Reply(200, agent_pool("np1")))
    fake.on("DELETE", pool_path("np1"), Reply(202, None, {"Location": f"{BASE}/fakeloc/x", "Retry-After": "0"}))
    fake.on("GET", "/fakeloc/x", Reply(202, None, {"Retry-After": "0"}), error(404, "NotFound", "gone"))
    _driver(fake).node_pool_delete(cluster, "np1")
    assert len(fake.seen("GET", "/fakeloc/x")) == 2


def test_delete_other_failure_is_reported(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.on("GET", pool_path("npsystem"), Reply(200, agent_pool("npsystem", mode="System")))
    fake.on("DELETE", pool_path("npsystem"), error(400, "OperationNotAllowed", "cannot delete the last system pool"))
    with pytest.raises(ProviderAPIError, match=r"^begin delete agent pool: OperationNotAllowed: cannot delete"):
        _driver(fake).node_pool_delete(cluster, "npsystem")


def test_delete_requires_a_name(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    with pytest.raises(DriverValidationError, match=r"pool\.Name is required"):
        driver.node_pool_delete(cluster, "")
    assert arm.requests == []


# --- list ---------------------------------------------------------------------


def test_list_maps_sorts_and_filters(driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster) -> None:
    arm.add(agent_pool("npuser1", zones=["1"], labels={"kompox.dev/node-pool": "user"}, autoscale=(0, 3), count=0))
    arm.add(agent_pool("npsystem", mode="System", labels={"kompox.dev/node-pool": "system"}, count=2))
    pools = driver.node_pool_list(cluster)
    assert [p.name for p in pools] == ["npsystem", "npuser1"]
    assert pools[0].mode == "system" and pools[0].autoscaling == NodePoolAutoscaling(False, 0, 0, 2)
    assert pools[1].zones == ["japaneast-1"] and pools[1].labels == {"kompox.dev/node-pool": "user"}
    assert [p.name for p in driver.node_pool_list(cluster, NodePoolListOptions(name="npuser1"))] == ["npuser1"]
    listing = arm.seen("GET", f"{POOLS}$")
    assert listing and listing[0].api_version == API_VERSION
    assert arm.writes() == []


def test_list_follows_pages_skips_nameless_and_retries_throttling(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    page2 = f"{BASE}/fakepage/2"
    fake.on(
        "GET",
        POOLS,
        throttled(),
        Reply(200, {"value": [agent_pool("npb"), {"properties": {"mode": "User"}}], "nextLink": page2}),
    )
    fake.on("GET", "/fakepage/2", Reply(200, {"value": [agent_pool("npa")]}))
    assert [p.name for p in _driver(fake).node_pool_list(cluster)] == ["npa", "npb"]
    assert len(fake.seen("GET", f"{POOLS}$")) == 2  # the 429 was retried by the SDK pipeline


def test_list_of_absent_cluster_is_empty(cluster: Cluster) -> None:
    fake = AgentPoolARM(cluster_exists=False).provisioned()
    assert _driver(fake).node_pool_list(cluster) == []


def test_list_failure_is_reported(cluster: Cluster) -> None:
    fake = FakeARM()
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.on("GET", POOLS, error(403, "AuthorizationFailed", "no read permission"))
    with pytest.raises(ProviderAPIError) as exc:
        _driver(fake).node_pool_list(cluster)
    assert str(exc.value) == "list agent pools: AuthorizationFailed: no read permission"
    assert exc.value.status_code == 403


# --- span logging and default progress ----------------------------------------------


def test_methods_are_span_logged_and_progress_defaults_to_the_progress_logger(
    arm: AgentPoolARM, cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    driver = _driver(arm, None)
    with caplog.at_level(logging.INFO):
        driver.node_pool_create(cluster, NodePool(name="np1"))
    spans = [r.getMessage() for r in caplog.records if r.name == "kompox.providers.aks"]
    assert spans[0] == "AKS:NodePoolCreate/S" and spans[-1] == "AKS:NodePoolCreate/EOK"
    progress = [r.getMessage() for r in caplog.records if r.name == "kompox.progress"]
    assert progress[0].startswith("creating node pool np1") and progress[-1] == "node pool np1 created"
    caplog.clear()
    with caplog.at_level(logging.INFO), pytest.raises(DriverValidationError):
        driver.node_pool_create(cluster, NodePool(name="np1", mode="x"))
    assert [r.getMessage() for r in caplog.records if r.name == "kompox.providers.aks"][
        -1
    ] == "AKS:NodePoolCreate/EFAIL"


# --- Spot pools: the implied taint reaches the converter (DS-ADR-1) ------------------


def _template_pools(arm: AgentPoolARM) -> None:
    """The AKS cluster template's pools: Regular system pool, one Spot user pool per zone."""
    arm.add(agent_pool("npsystem", mode="System", labels={"kompox.dev/node-pool": "system"}, count=2))
    for zone in "123":
        labels = {"kompox.dev/node-pool": "user", "kompox.dev/node-zone": zone}
        arm.add(agent_pool(f"npuser{zone}", priority="Spot", zones=[zone], labels=labels, autoscale=(0, 3)))


def test_list_reports_the_spot_taint_and_validate_tolerates_it(
    driver: AKSDriver, arm: AgentPoolARM, cluster: Cluster
) -> None:
    from convert.helpers import k8s_validate, project
    from kompox.compose.model import Service
    from kompox.domain.model import App, AppDeployment, Provider, Workspace
    from kompox.domain.model.nodepool import NodeTaint
    from kompox.usecase.app_validate import validate_app

    _template_pools(arm)
    pools = {p.name: p for p in driver.node_pool_list(cluster)}
    spot = NodeTaint("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule")
    assert pools["npuser2"].priority == "spot" and pools["npuser2"].status is not None
    assert pools["npuser2"].status.implied_taints == [spot]
    assert pools["npsystem"].status is not None and pools["npsystem"].status.implied_taints == []

    def pod_of(deployment: AppDeployment) -> dict[str, object]:
        result = validate_app(
            app=App(name="app1", deployment=deployment),
            cluster=cluster,
            provider=Provider(name="aks1", driver="aks"),
            workspace=Workspace(name="ws1"),
            project=project(Service(name="web", image="nginx")),
            list_disks=None,
            volume_class=None,
            list_node_pools=lambda: driver.node_pool_list(cluster),
        )
        assert result.errors == [] and result.warnings == []
        dep = next(o for o in result.objects if o["kind"] == "Deployment")
        k8s_validate([dep])
        return dict(dep["spec"]["template"]["spec"])

    default = pod_of(AppDeployment())
    assert default["nodeSelector"] == {"kompox.dev/node-pool": "user"}
    assert default["tolerations"] == [
        {"key": "kubernetes.azure.com/scalesetpriority", "operator": "Equal", "value": "spot", "effect": "NoSchedule"}
    ]
    assert "tolerations" not in pod_of(AppDeployment(pool="system"))
    lists = arm.seen("GET", f"{POOLS}$")
    assert len(lists) == 3 and all(r.api_version == API_VERSION for r in lists)
    assert arm.writes() == []
