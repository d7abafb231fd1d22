"""cluster_provision through the real deployments client and a fake ARM (driver-aks.md §9.1)."""

from __future__ import annotations

from typing import Any

import pytest

from kompox.domain.errors import DriverValidationError, ProviderAPIError
from kompox.domain.model import Cluster, ClusterIngress
from kompox.domain.options import ClusterProvisionOptions
from kompox.providers.aks.arm_template import load_template

from .conftest import CLUSTER_RG, SUB
from .fake_arm import FakeARM, Reply, error, throttled

DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/{CLUSTER_RG}"
PROVIDER = f"/subscriptions/{SUB}/providers/Microsoft.ContainerService"
AKS_PROVIDER = {
    "namespace": "Microsoft.ContainerService",
    "resourceTypes": [
        {"resourceType": "managedClusters", "locations": ["Japan East", "East US"]},
        {"resourceType": "fleets", "locations": ["West Europe"]},
    ],
}


def _deployment(state: str) -> dict[str, Any]:
    return {"name": CLUSTER_RG, "properties": {"provisioningState": state, "outputs": {}}}


def test_provision_deploys_template_at_subscription_scope(make_driver: Any, fake: FakeARM, progress: list[str]) -> None:
    fake.on("GET", DEPLOYMENT, error(404, "DeploymentNotFound", "not found"))
    fake.on("GET", PROVIDER, Reply(200, AKS_PROVIDER))
    fake.lro_put(DEPLOYMENT, _deployment("Succeeded"), running=2)
    cluster = Cluster(
        name="cluster1",
        ingress=ClusterIngress(namespace="ing", service_account="sa1"),
        settings={"AZURE_AKS_USER_VM_ZONES": "1,2", "AZURE_AKS_SYSTEM_VM_SIZE": "Standard_D4s_v5"},
    )

    make_driver().cluster_provision(cluster)

    puts = fake.seen("PUT", DEPLOYMENT)
    assert len(puts) == 1
    put = puts[0]
    assert put.api_version == "2026-06-01"
    assert put.url.startswith("https://management.azure.com/")
    assert put.headers["User-Agent"].startswith("kompoxops/aks")
    assert put.headers["Authorization"] == "Bearer fake-token"
    body = put.body
    assert body["location"] == "japaneast"
    assert body["tags"] == {
        "kompox-workspace-name": "ws1",
        "kompox-provider-name": "aks1",
        "kompox-cluster-name": "cluster1",
        "kompox-cluster-hash": "3c7zij",
        "managed-by": "kompox",
    }
    props = body["properties"]
    assert props["mode"] == "Incremental"
    assert props["template"] == load_template()
    assert props["parameters"] == {
        "environmentName": {"value": "cluster1"},
        "location": {"value": "japaneast"},
        "resourceGroupName": {"value": CLUSTER_RG},
        "ingressServiceAccountName": {"value": "sa1"},
        "ingressServiceAccountNamespace": {"value": "ing"},
        "tags": {"value": body["tags"]},
        "aksSystemVmSize": {"value": "Standard_D4s_v5"},
        "aksUserVmZones": {"value": "1,2"},
    }
    assert len(fake.seen("GET", "/fakeops/")) == 3  # two "Running" polls, then "Succeeded"
    assert any("deploying ARM template" in line for line in progress)
    assert any("succeeded" in line for line in progress)


def test_already_succeeded_is_skipped_unless_forced(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, Reply(200, _deployment("Succeeded")))
    make_driver().cluster_provision(cluster)
    assert fake.writes() == []

    fake.on("GET", PROVIDER, Reply(200, AKS_PROVIDER))
    fake.lro_put(DEPLOYMENT, _deployment("Succeeded"))
    make_driver().cluster_provision(cluster, ClusterProvisionOptions(force=True))
    assert len(fake.seen("PUT", DEPLOYMENT)) == 1


def test_failed_state_is_redeployed(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, Reply(200, _deployment("Failed")))
    fake.on("GET", PROVIDER, Reply(200, AKS_PROVIDER))
    fake.lro_put(DEPLOYMENT, _deployment("Succeeded"))
    make_driver().cluster_provision(cluster)
    assert len(fake.seen("PUT", DEPLOYMENT)) == 1


def test_throttling_and_transient_errors_are_retried_by_the_pipeline(
    make_driver: Any, fake: FakeARM, cluster: Cluster
) -> None:
    fake.on(
        "GET", DEPLOYMENT, throttled(), error(500, "InternalServerError", "boom"), Reply(200, _deployment("Succeeded"))
    )
    make_driver().cluster_provision(cluster)
    assert len(fake.seen("GET", DEPLOYMENT)) == 3
    assert fake.writes() == []


def test_location_without_aks_fails_before_any_write(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, error(404, "DeploymentNotFound", "not found"))
    fake.on("GET", PROVIDER, Reply(200, AKS_PROVIDER))
    settings = {"AZURE_SUBSCRIPTION_ID": SUB, "AZURE_LOCATION": "westeurope", "AZURE_AUTH_METHOD": "azure_cli"}
    with pytest.raises(DriverValidationError, match=r"location westeurope does not offer Microsoft.ContainerService"):
        make_driver(settings).cluster_provision(cluster)
    assert fake.writes() == []


def test_expired_credential_is_one_line_and_writes_nothing(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is past."))
    with pytest.raises(ProviderAPIError) as exc:
        make_driver().cluster_provision(cluster)
    assert str(exc.value) == (
        "failed to get subscription deployment: ExpiredAuthenticationToken: The access token expiry UTC time is past."
    )
    assert exc.value.status_code == 401
    assert fake.writes() == []


def test_too_long_deployment_name_is_rejected_before_any_request(make_driver: Any, fake: FakeARM) -> None:
    with pytest.raises(DriverValidationError, match="Azure allows 64"):
        make_driver().cluster_provision(Cluster(name="c" * 50))
    assert fake.requests == []


def test_failed_deployment_reports_failing_resource_and_message(
    make_driver: Any, fake: FakeARM, cluster: Cluster
) -> None:
    fake.on("GET", DEPLOYMENT, error(404, "DeploymentNotFound", "not found"))
    fake.on("GET", PROVIDER, Reply(200, AKS_PROVIDER))
    fake.lro_put_failing(
        DEPLOYMENT, {"code": "DeploymentFailed", "message": "At least one resource deployment operation failed."}
    )
    nested_id = (
        f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/providers/Microsoft.Resources/deployments/kompox-aks-cluster"
    )
    fake.on(
        "GET",
        DEPLOYMENT + "/operations",
        Reply(
            200,
            {
                "value": [
                    {
                        "operationId": "1",
                        "properties": {
                            "provisioningState": "Succeeded",
                            "targetResource": {
                                "resourceType": "Microsoft.Resources/resourceGroups",
                                "resourceName": CLUSTER_RG,
                            },
                        },
                    },
                    {
                        "operationId": "2",
                        "properties": {
                            "provisioningState": "Failed",
                            "targetResource": {
                                "id": nested_id,
                                "resourceType": "Microsoft.Resources/deployments",
                                "resourceName": "kompox-aks-cluster",
                            },
                        },
                    },
                ]
            },
        ),
    )
    fake.on(
        "GET",
        f"/subscriptions/{SUB}/resourcegroups/{CLUSTER_RG}/deployments/kompox-aks-cluster/operations",
        Reply(
            200,
            {
                "value": [
                    {
                        "operationId": "3",
                        "properties": {
                            "provisioningState": "Failed",
                            "targetResource": {
                                "resourceType": "Microsoft.ContainerService/managedClusters",
                                "resourceName": "aks-abc",
                            },
                            "statusMessage": {
                                "status": "Failed",
                                "error": {
                                    "code": "InvalidParameter",
                                    "message": "The VM size of Standard_X is not allowed\n in your subscription.",
                                },
                            },
                        },
                    }
                ]
            },
        ),
    )
    with pytest.raises(ProviderAPIError) as exc:
        make_driver().cluster_provision(cluster)
    text = str(exc.value)
    assert text.startswith("subscription deployment creation failed: DeploymentFailed: At least one resource")
    assert (
        "failing resources: Microsoft.ContainerService/managedClusters/aks-abc: InvalidParameter: "
        "The VM size of Standard_X is not allowed in your subscription." in text
    )
    assert "\n" not in text
