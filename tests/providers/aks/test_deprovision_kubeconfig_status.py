"""Deprovision, kubeconfig and status through the real SDK clients and a fake ARM."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from kompox.domain.errors import DriverError, ProviderAPIError
from kompox.domain.model import Cluster

from .conftest import CLUSTER_RG, SUB
from .fake_arm import BASE, FakeARM, Reply, error

DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/{CLUSTER_RG}"
RG = f"/subscriptions/{SUB}/resourcegroups/{CLUSTER_RG}"
RESOURCES = f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/resources"
CREDS = (
    f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/providers/Microsoft.ContainerService/"
    "managedClusters/aks-tok123/listClusterAdminCredential"
)
KUBECONFIG = b"apiVersion: v1\nkind: Config\nusers: [{name: admin, user: {token: secret}}]\n"
OUTPUTS = {
    "azurE_RESOURCE_GROUP_NAME": {"type": "String", "value": CLUSTER_RG},
    "AZURE_AKS_CLUSTER_NAME": {"type": "String", "value": "aks-tok123"},
}


def _purge(name: str) -> str:
    return f"/subscriptions/{SUB}/providers/Microsoft.KeyVault/locations/japaneast/deletedVaults/{name}/purge"


def test_deprovision_deletes_deployment_group_and_purges_vaults(
    make_driver: Any, fake: FakeARM, cluster: Cluster, progress: list[str]
) -> None:
    fake.lro_delete(DEPLOYMENT)
    fake.on("GET", RG, Reply(200, {"name": CLUSTER_RG, "location": "japaneast"}))
    fake.on(
        "GET",
        RESOURCES,
        Reply(
            200,
            {
                "value": [{"name": "kv-aaa", "type": "Microsoft.KeyVault/vaults"}],
                "nextLink": f"{BASE}{RESOURCES}?page=2&api-version=2025-04-01",
            },
        ),
        Reply(200, {"value": [{"name": "kv-bbb"}]}),
    )
    fake.lro_delete(RG, running=2)
    fake.on("POST", _purge("kv-aaa"), Reply(202, None, {"Location": f"{BASE}/never-polled"}))
    fake.on("POST", _purge("kv-bbb"), error(409, "Conflict", "purge in progress"))

    make_driver().cluster_deprovision(cluster)

    deletes = [r.path for r in fake.seen("DELETE")]
    assert deletes == [DEPLOYMENT, RG]
    listed = fake.seen("GET", RESOURCES)
    assert listed[0].query["$filter"] == "resourceType eq 'Microsoft.KeyVault/vaults'"
    assert listed[1].query.get("page") == "2"
    purges = fake.seen("POST", "/purge$")
    assert [p.path for p in purges] == [_purge("kv-aaa"), _purge("kv-bbb")]
    assert fake.seen("GET", "/never-polled") == []  # fire-and-forget
    assert any("deleting resource group" in line for line in progress)


def test_deprovision_of_absent_group_is_success(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("DELETE", DEPLOYMENT, error(404, "DeploymentNotFound", "gone"))
    fake.on("GET", RG, error(404, "ResourceGroupNotFound", "gone"))
    make_driver().cluster_deprovision(cluster)
    assert [r.path for r in fake.seen("DELETE")] == [DEPLOYMENT]
    assert fake.seen("POST") == []


def test_deprovision_group_delete_failure_is_reported(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.lro_delete(DEPLOYMENT)
    fake.on("GET", RG, Reply(200, {"name": CLUSTER_RG}))
    fake.on("GET", RESOURCES, Reply(200, {"value": []}))
    fake.on("DELETE", RG, error(409, "ScopeLocked", "The scope is locked."))
    with pytest.raises(
        ProviderAPIError, match=r"failed to start resource group deletion: ScopeLocked: The scope is locked."
    ):
        make_driver().cluster_deprovision(cluster)


def test_kubeconfig_returns_admin_credentials_bytes(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"provisioningState": "Succeeded", "outputs": OUTPUTS}}))
    fake.on(
        "POST",
        CREDS,
        Reply(200, {"kubeconfigs": [{"name": "clusterAdmin", "value": base64.b64encode(KUBECONFIG).decode()}]}),
    )
    assert make_driver().cluster_kubeconfig(cluster) == KUBECONFIG
    post = fake.seen("POST", CREDS)[0]
    assert post.api_version == "2026-08-01"


@pytest.mark.parametrize(
    ("deployment", "creds", "message"),
    [
        (
            error(404, "DeploymentNotFound", "nope"),
            None,
            "failed to get deployment outputs: failed to get subscription deployment: DeploymentNotFound: nope",
        ),
        (
            Reply(200, {"properties": {"outputs": {"AZURE_AKS_CLUSTER_NAME": {"value": "x"}}}}),
            None,
            "AZURE_RESOURCE_GROUP_NAME not found in deployment outputs",
        ),
        (Reply(200, {"properties": {}}), None, "failed to get deployment outputs: deployment has no outputs"),
        (
            Reply(200, {"properties": {"outputs": OUTPUTS}}),
            Reply(200, {"kubeconfigs": []}),
            "no kubeconfig found for cluster",
        ),
        (
            Reply(200, {"properties": {"outputs": OUTPUTS}}),
            error(403, "AuthorizationFailed", "denied"),
            "failed to get cluster credentials: AuthorizationFailed: denied",
        ),
    ],
)
def test_kubeconfig_errors(
    make_driver: Any, fake: FakeARM, cluster: Cluster, deployment: Reply, creds: Reply | None, message: str
) -> None:
    fake.on("GET", DEPLOYMENT, deployment)
    if creds is not None:
        fake.on("POST", CREDS, creds)
    with pytest.raises(DriverError) as exc:
        make_driver().cluster_kubeconfig(cluster)
    assert str(exc.value) == message


class _Kube:
    def __init__(self, ingress: tuple[str, str] | None, failure: Exception | None = None) -> None:
        self.ingress = ingress
        self.failure = failure
        self.configs: list[bytes] = []
        self.reads: list[tuple[str, str]] = []

    def __call__(self, kubeconfig: bytes) -> _Kube:
        self.configs.append(kubeconfig)
        return self

    def service_ingress(self, namespace: str, name: str) -> tuple[str, str]:
        self.reads.append((namespace, name))
        if self.failure is not None:
            raise self.failure
        if self.ingress is None:
            raise RuntimeError('services "traefik" not found')
        return self.ingress


def _provisioned(fake: FakeARM) -> None:
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": OUTPUTS}}))
    fake.on("POST", CREDS, Reply(200, {"kubeconfigs": [{"value": base64.b64encode(KUBECONFIG).decode()}]}))


def test_status_installed_with_ingress_ip(make_driver: Any, fake: FakeARM) -> None:
    _provisioned(fake)
    kube = _Kube(("20.1.2.3", ""))
    status = make_driver(kube_connector=kube).cluster_status(Cluster(name="cluster1", existing=True))
    assert (status.existing, status.provisioned, status.installed, status.ingress_global_ip) == (
        True,
        True,
        True,
        "20.1.2.3",
    )
    assert kube.configs == [KUBECONFIG]
    assert kube.reads == [("traefik", "traefik")]


def test_status_provisioned_not_installed(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    _provisioned(fake)
    status = make_driver(kube_connector=_Kube(None)).cluster_status(cluster)
    assert (status.provisioned, status.installed) == (True, False)


def test_status_never_raises(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    fake.on("GET", DEPLOYMENT, error(500, "InternalServerError", "down"))
    status = make_driver().cluster_status(cluster)
    assert (status.provisioned, status.installed) == (False, False)
    assert len(fake.seen("GET", DEPLOYMENT)) == 4  # first try + 3 pipeline retries


def test_status_without_kube_side_reports_provisioned_only(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    _provisioned(fake)
    status = make_driver().cluster_status(cluster)
    assert (status.provisioned, status.installed) == (True, False)


@pytest.mark.parametrize("code", [None, 401, 403])
def test_status_reports_an_api_server_that_cannot_be_asked(
    make_driver: Any, fake: FakeARM, cluster: Cluster, code: int | None
) -> None:
    _provisioned(fake)
    failure = ProviderAPIError("cannot reach Kubernetes API server https://aks:443", status_code=code)
    status = make_driver(kube_connector=_Kube(None, failure)).cluster_status(cluster)
    assert (status.provisioned, status.installed) == (True, False)
    assert status.unreachable == "cannot reach Kubernetes API server https://aks:443"
    assert "unreachable" not in status.to_json()


def test_status_of_a_missing_ingress_service_is_not_installed_and_not_an_error(
    make_driver: Any, fake: FakeARM, cluster: Cluster
) -> None:
    _provisioned(fake)
    failure = ProviderAPIError('services "traefik" not found', status_code=404)
    status = make_driver(kube_connector=_Kube(None, failure)).cluster_status(cluster)
    assert (status.provisioned, status.installed, status.unreachable) == (True, False, "")


def test_deprovision_stops_when_the_group_cannot_be_read(make_driver: Any, fake: FakeARM, cluster: Cluster) -> None:
    """Only a not-found code means "absent"; SubscriptionNotFound is an error, never a silent success."""
    fake.on("DELETE", DEPLOYMENT, error(404, "DeploymentNotFound", "gone"))
    fake.on("GET", RG, error(404, "SubscriptionNotFound", f"The subscription '{SUB}' could not be found."))
    with pytest.raises(ProviderAPIError, match=r"get resource group .*SubscriptionNotFound"):
        make_driver().cluster_deprovision(cluster)
    assert [r.path for r in fake.seen("DELETE")] == [DEPLOYMENT]
