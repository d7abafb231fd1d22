"""cluster_install / cluster_uninstall: Azure role grants through the real authorization client, kube via the seam."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from kompox.domain.errors import DriverError, ValidationError
from kompox.domain.model import Cluster, ClusterIngress, ClusterIngressCertificate
from kompox.providers.aks import TraefikInstall

from .conftest import CLUSTER_RG, SUB
from .fake_arm import FakeARM, Reply, error

DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/{CLUSTER_RG}"
CREDS = (
    f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/providers/Microsoft.ContainerService/"
    "managedClusters/aks-tok/listClusterAdminCredential"
)
ZONE = f"/subscriptions/{SUB}/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com"
ACR = (
    "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/cr"
    "/providers/Microsoft.ContainerRegistry/registries/myacr"
)
VAULT_ID = (
    "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/kv/providers/Microsoft.KeyVault/vaults/myvault"
)
ROLE = "/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}"


def _outputs(**over: str) -> dict[str, Any]:
    values = {
        "AZURE_TENANT_ID": "tenant-1",
        "AZURE_RESOURCE_GROUP_NAME": CLUSTER_RG,
        "AZURE_AKS_CLUSTER_NAME": "aks-tok",
        "AZURE_AKS_CLUSTER_PRINCIPAL_ID": "cluster-pid",
        "AZURE_AKS_KUBELET_PRINCIPAL_ID": "kubelet-pid",
        "AZURE_INGRESS_SERVICE_ACCOUNT_NAMESPACE": "traefik",
        "AZURE_INGRESS_SERVICE_ACCOUNT_NAME": "ingress-service-account",
        "AZURE_INGRESS_SERVICE_ACCOUNT_PRINCIPAL_ID": "ingress-pid",
        "AZURE_INGRESS_SERVICE_ACCOUNT_CLIENT_ID": "ingress-cid",
    }
    values.update(over)
    return {"properties": {"outputs": {k: {"type": "String", "value": v} for k, v in values.items()}}}


class FakeKube:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.configs: list[bytes] = []

    def __call__(self, kubeconfig: bytes) -> FakeKube:
        self.configs.append(kubeconfig)
        return self

    def ensure_namespace(self, name: str) -> None:
        self.calls.append(("ensure_namespace", name))

    def ensure_service_account(
        self, namespace: str, name: str, annotations: Mapping[str, str], automount_token: bool
    ) -> None:
        self.calls.append(("ensure_service_account", (namespace, name, dict(annotations), automount_token)))

    def apply(self, objects: Sequence[Mapping[str, Any]], namespace: str) -> None:
        self.calls.append(("apply", (list(objects), namespace)))

    def install_traefik(self, spec: TraefikInstall, **_wait: float) -> None:
        self.calls.append(("install_traefik", spec))

    def uninstall_traefik(self, namespace: str) -> None:
        self.calls.append(("uninstall_traefik", namespace))

    def delete_namespace(self, name: str, **_wait: float) -> None:
        self.calls.append(("delete_namespace", name))

    def service_ingress(self, namespace: str, name: str) -> tuple[str, str]:
        raise AssertionError("not used")

    zone_outcome: tuple[list[tuple[str, str]], list[str]] = ([], [])

    def label_node_zones(self) -> tuple[list[tuple[str, str]], list[str]]:
        self.calls.append(("label_node_zones", None))
        return self.zone_outcome


def _cluster(certs: bool = True) -> Cluster:
    certificates = (
        [ClusterIngressCertificate("site", "https://myvault.vault.azure.net/secrets/site-cert/abc")] if certs else []
    )
    return Cluster(
        name="cluster1",
        ingress=ClusterIngress(cert_email="ops@example.com", certificates=certificates),
        settings={"AZURE_AKS_DNS_ZONE_RESOURCE_IDS": ZONE, "AZURE_AKS_CONTAINER_REGISTRY_RESOURCE_IDS": ACR},
    )


def _azure(fake: FakeARM, outputs: dict[str, Any] | None = None) -> None:
    fake.on("GET", DEPLOYMENT, Reply(200, outputs or _outputs()))
    fake.on("POST", CREDS, Reply(200, {"kubeconfigs": [{"value": base64.b64encode(b"kc").decode()}]}))
    fake.on(
        "POST",
        "/providers/Microsoft.ResourceGraph/resources",
        Reply(200, {"totalRecords": 1, "data": [{"name": "myvault", "id": VAULT_ID}, {"name": "other", "id": "x"}]}),
    )
    fake.on("PUT", ZONE + ROLE, Reply(201, {}))
    fake.on("PUT", ACR + ROLE, error(409, "RoleAssignmentExists", "The role assignment already exists."))
    fake.on("PUT", VAULT_ID + "/secrets/site-cert" + ROLE, Reply(201, {}))


def _role(fake: FakeARM, scope: str) -> dict[str, Any]:
    seen = fake.seen("PUT", scope + ROLE)
    assert len(seen) == 1, scope
    assert seen[0].api_version == "2022-04-01"
    return dict(seen[0].body["properties"])


def test_install_grants_roles_and_drives_the_kube_side(make_driver: Any, fake: FakeARM) -> None:
    _azure(fake)
    kube = FakeKube()
    make_driver(kube_connector=kube).cluster_install(_cluster())

    defs = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/"
    assert _role(fake, ZONE) == {
        "roleDefinitionId": defs + "befefa01-2a29-4197-83a8-272ff33ce314",
        "principalId": "cluster-pid",
        "principalType": "ServicePrincipal",
    }
    assert _role(fake, ACR) == {
        "roleDefinitionId": defs + "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        "principalId": "kubelet-pid",
        "principalType": "ServicePrincipal",
    }
    assert _role(fake, VAULT_ID + "/secrets/site-cert") == {
        "roleDefinitionId": defs + "4633458b-17de-408a-b874-0445c86b69e6",
        "principalId": "ingress-pid",
        "principalType": "ServicePrincipal",
    }
    graph = fake.seen("POST", "ResourceGraph")[0]
    assert graph.api_version == "2021-03-01"
    assert "| where name in ('myvault')" in graph.body["query"]

    assert kube.configs == [b"kc"]
    names = [c[0] for c in kube.calls]
    assert names == ["ensure_namespace", "ensure_service_account", "apply", "install_traefik", "label_node_zones"]
    assert kube.calls[1][1] == (
        "traefik",
        "ingress-service-account",
        {"azure.workload.identity/tenant-id": "tenant-1", "azure.workload.identity/client-id": "ingress-cid"},
        False,
    )
    spcs, ns = kube.calls[2][1]
    assert ns == "traefik" and [o["metadata"]["name"] for o in spcs] == ["traefik-kv-myvault"]
    params = spcs[0]["spec"]["parameters"]
    assert (params["clientID"], params["tenantId"], params["keyvaultName"]) == ("ingress-cid", "tenant-1", "myvault")
    assert params["objects"] == (
        "array:\n  - |\n    objectName: site-cert\n    objectType: secret\n"
        "    contentType: application/x-pem-file\n    objectAlias: site\n"
    )
    spec: TraefikInstall = kube.calls[3][1]
    assert (spec.namespace, spec.service_account, spec.cert_email) == (
        "traefik",
        "ingress-service-account",
        "ops@example.com",
    )
    assert spec.external_traffic_policy == "Local"
    assert [(m.spc_name, m.mount_path) for m in spec.tls_mounts] == [("traefik-kv-myvault", "/config/tls/myvault")]
    assert spec.extra_config_files == {
        "certs.yaml": "tls:\n  certificates:\n  - certFile: /config/tls/myvault/site.crt\n"
        "    keyFile: /config/tls/myvault/site.key\n"
    }


def test_install_without_certificates_uses_plain_traefik(make_driver: Any, fake: FakeARM) -> None:
    _azure(fake)
    kube = FakeKube()
    make_driver(kube_connector=kube).cluster_install(_cluster(certs=False))
    assert [c[0] for c in kube.calls] == [
        "ensure_namespace",
        "ensure_service_account",
        "install_traefik",
        "label_node_zones",
    ]
    spec: TraefikInstall = kube.calls[2][1]
    assert (spec.external_traffic_policy, spec.extra_config_files) == ("", {})
    assert fake.seen("POST", "ResourceGraph") == []


def test_install_labels_node_zones_last_and_reports_each_node(
    make_driver: Any, fake: FakeARM, progress: list[str]
) -> None:
    """The per-node zone labels (multi-zone pools) are set after Traefik; a failure is reported, not fatal."""
    _azure(fake)
    kube = FakeKube()
    kube.zone_outcome = (
        [("aks-npweb-1", "japaneast-1"), ("aks-npweb-2", "japaneast-2")],
        ["node aks-npweb-3: kompox.dev/node-zone=japaneast-3 not set: it changed meanwhile; the next run labels it"],
    )
    make_driver(kube_connector=kube).cluster_install(_cluster(certs=False))
    assert kube.calls[-1] == ("label_node_zones", None)
    assert progress[-3:] == [
        "node aks-npweb-1: labelled kompox.dev/node-zone=japaneast-1 (from its topology.kubernetes.io/zone)",
        "node aks-npweb-2: labelled kompox.dev/node-zone=japaneast-2 (from its topology.kubernetes.io/zone)",
        "warning: node aks-npweb-3: kompox.dev/node-zone=japaneast-3 not set: it changed meanwhile; "
        "the next run labels it",
    ]


def test_role_failures_are_best_effort(make_driver: Any, fake: FakeARM) -> None:
    fake.on("PUT", ZONE + ROLE, error(403, "AuthorizationFailed", "no roleAssignments/write"))
    _azure(fake)
    kube = FakeKube()
    make_driver(kube_connector=kube).cluster_install(_cluster(certs=False))
    assert len(fake.seen("PUT", ZONE + ROLE)) == 1
    assert kube.calls[-2][0] == "install_traefik"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        (
            {"AZURE_INGRESS_SERVICE_ACCOUNT_NAME": "traefik"},
            "deployment outputs mismatch: expected traefik/ingress-service-account, got traefik/traefik",
        ),
        ({"AZURE_TENANT_ID": ""}, "deployment outputs must include non-empty AZURE_TENANT_ID"),
        (
            {"AZURE_INGRESS_SERVICE_ACCOUNT_NAMESPACE": ""},
            "deployment outputs must include AZURE_INGRESS_SERVICE_ACCOUNT_NAMESPACE "
            "and AZURE_INGRESS_SERVICE_ACCOUNT_NAME",
        ),
    ],
)
def test_install_output_checks(make_driver: Any, fake: FakeARM, over: dict[str, str], message: str) -> None:
    _azure(fake, _outputs(**over))
    with pytest.raises(DriverError, match=message):
        make_driver(kube_connector=FakeKube()).cluster_install(_cluster())
    assert fake.writes() == []


def test_bad_certificate_source_is_fatal_before_writes(make_driver: Any, fake: FakeARM) -> None:
    _azure(fake)
    cluster = _cluster()
    assert cluster.ingress is not None
    cluster.ingress.certificates = [ClusterIngressCertificate("c", "https://v.vault.azure.net/keys/a")]
    with pytest.raises(
        DriverError, match="ensure ingress TLS from key vault: invalid certificate source for c: unsupported path"
    ):
        make_driver(kube_connector=FakeKube()).cluster_install(cluster)
    assert fake.writes() == []


def test_default_connector_refuses_a_broken_admin_kubeconfig_after_the_azure_part(
    make_driver: Any, fake: FakeARM
) -> None:
    _azure(fake)  # the admin credentials hold b"kc", which is no kubeconfig
    with pytest.raises(ValidationError, match="kubeconfig is not a mapping"):
        make_driver().cluster_install(_cluster(certs=False))
    assert len(fake.seen("PUT", ZONE + ROLE)) == 1


def test_uninstall(make_driver: Any, fake: FakeARM) -> None:
    _azure(fake)
    kube = FakeKube()
    cluster = _cluster()
    assert cluster.ingress is not None
    cluster.ingress.namespace = "ing"
    make_driver(kube_connector=kube).cluster_uninstall(cluster)
    assert kube.calls == [("uninstall_traefik", "ing"), ("delete_namespace", "ing")]
    assert fake.writes() == [fake.seen("POST", "listClusterAdminCredential")[0]]
    with pytest.raises(ValidationError, match="kubeconfig is not a mapping"):
        make_driver().cluster_uninstall(cluster)
