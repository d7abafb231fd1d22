"""Opt-in end-to-end run of AKS node pools against real Azure (skipped without credentials)."""

from __future__ import annotations

import os
import time

import pytest

pytestmark = pytest.mark.e2e

REQUIRED = ("KOMPOX_E2E_AKS", "AZURE_SUBSCRIPTION_ID", "AZURE_LOCATION", "AZURE_AUTH_METHOD")
MISSING = [k for k in REQUIRED if not os.environ.get(k)]
if MISSING:
    pytest.skip(f"AKS e2e needs {', '.join(MISSING)}", allow_module_level=True)

from kompox.compose import load_project  # noqa: E402
from kompox.domain.errors import DriverValidationError  # noqa: E402
from kompox.domain.model import (  # noqa: E402
    LABEL_NODE_POOL,
    LABEL_NODE_ZONE,
    App,
    AppDeployment,
    Cluster,
    ClusterIngress,
    NodePool,
    NodePoolAutoscaling,
    Provider,
    Workspace,
)
from kompox.domain.options import NodePoolListOptions  # noqa: E402
from kompox.providers.aks import AKSDriver  # noqa: E402
from kompox.usecase.app_validate import validate_app  # noqa: E402

SETTINGS_KEYS = (
    "AZURE_SUBSCRIPTION_ID",
    "AZURE_LOCATION",
    "AZURE_AUTH_METHOD",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_CLOUD",
)
POOL = "spot1"
COMPOSE = "services:\n  web:\n    image: nginx:1.27\n    ports: ['8080:80']\n"
SPOT_TOLERATION = {
    "key": "kubernetes.azure.com/scalesetpriority",
    "operator": "Equal",
    "value": "spot",
    "effect": "NoSchedule",
}


def _pool(driver: AKSDriver, cluster: Cluster) -> NodePool | None:
    found = driver.node_pool_list(cluster, NodePoolListOptions(name=POOL))
    return found[0] if found else None


def _deploy_pinned_app(driver: AKSDriver, cluster: Cluster, workspace: Workspace, provider: Provider, zone: str) -> str:
    """Validate + convert an app pinned to the pool, apply it, wait, check the node; returns the namespace."""
    from kompox.kube.client import KubeClient

    app = App(name="np-e2e", deployment=AppDeployment(pool=POOL, zone=zone))
    result = validate_app(
        app=app,
        cluster=cluster,
        provider=provider,
        workspace=workspace,
        project=load_project(COMPOSE, working_dir="/tmp"),
        list_disks=None,
        volume_class=None,
        list_node_pools=lambda: driver.node_pool_list(cluster),
    )
    assert result.ok, result.errors
    assert not [i for i in result.warnings if i.code.startswith("node_")], result.warnings
    objects = [dict(o) for o in result.objects]
    deployment = next(o for o in objects if o["kind"] == "Deployment")
    pod_spec = deployment["spec"]["template"]["spec"]
    assert pod_spec["nodeSelector"] == {LABEL_NODE_POOL: POOL, LABEL_NODE_ZONE: zone}
    assert pod_spec["tolerations"] == [SPOT_TOLERATION]  # the converter's, for the spot pool (DS-ADR-1)
    kube = KubeClient(driver.cluster_kubeconfig(cluster))
    kube.apply(objects)
    namespace = deployment["metadata"]["namespace"]
    kube.wait_for_rollout(namespace, deployment["metadata"]["name"], timeout=15 * 60, progress=print)
    pods = kube.list_pods(namespace, f"app={app.name}-app")
    assert pods, "no pod of the pinned app"
    node_name = pods[0]["spec"]["nodeName"]
    node = kube.get(kube.resource_for("v1", "Node"), node_name)
    assert node is not None
    assert node["metadata"]["labels"][LABEL_NODE_POOL] == POOL
    assert node["metadata"]["labels"]["kubernetes.azure.com/scalesetpriority"] == "spot"
    return str(namespace)


def test_spot_pool_create_deploy_scale_delete() -> None:
    location = os.environ["AZURE_LOCATION"].lower()
    reuse = os.environ.get("KOMPOX_E2E_AKS_WORKSPACE", "")
    workspace = Workspace(name=reuse or f"aks-e2e-np-{time.strftime('%Y%m%d-%H%M%S')}")
    settings = {k: os.environ[k] for k in SETTINGS_KEYS if os.environ.get(k)}
    provider = Provider(name="aks1", driver="aks", settings=settings)
    driver = AKSDriver(workspace, provider, progress=print)
    cluster = Cluster(
        name="cluster1",
        ingress=ClusterIngress(cert_email="noreply@example.com"),
        settings={"AZURE_AKS_USER_VM_PRIORITY": "Regular", "AZURE_AKS_USER_VM_ZONES": "1"},
    )
    zone = f"{location}-1"
    namespace = ""
    try:
        if not reuse:
            driver.cluster_provision(cluster)
        created = driver.node_pool_create(
            cluster,
            NodePool(
                name=POOL,
                mode="user",
                priority="spot",
                zones=[zone],
                instance_type=os.environ.get("KOMPOX_E2E_AKS_SPOT_VM_SIZE", "Standard_D2s_v5"),
                autoscaling=NodePoolAutoscaling(enabled=False, desired=1),
            ),
        )
        assert created.priority == "spot" and created.zones == [zone]
        assert created.labels is not None and created.labels[LABEL_NODE_ZONE] == zone
        assert created.status is not None and created.status.provisioning_state == "Succeeded"

        namespace = _deploy_pinned_app(driver, cluster, workspace, provider, zone)

        scaled = driver.node_pool_update(
            cluster, NodePool(name=POOL, autoscaling=NodePoolAutoscaling(enabled=False, desired=2))
        )
        assert scaled.status is not None and scaled.status.current_node_count == 2
        auto = driver.node_pool_update(
            cluster, NodePool(name=POOL, autoscaling=NodePoolAutoscaling(enabled=True, min=1, max=3))
        )
        assert auto.autoscaling == NodePoolAutoscaling(enabled=True, min=1, max=3)
        with pytest.raises(DriverValidationError, match="Priority is immutable"):
            driver.node_pool_update(cluster, NodePool(name=POOL, priority="regular"))
        after = _pool(driver, cluster)
        assert after is not None and after.labels is not None and after.labels[LABEL_NODE_ZONE] == zone
    finally:
        if namespace:
            from kompox.kube.client import KubeClient

            KubeClient(driver.cluster_kubeconfig(cluster)).delete_namespace(namespace)
        driver.node_pool_delete(cluster, POOL)
        assert _pool(driver, cluster) is None
        driver.node_pool_delete(cluster, POOL)  # idempotent
        if not reuse:
            driver.cluster_deprovision(cluster)
