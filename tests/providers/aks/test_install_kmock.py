"""AKS cluster_install/uninstall end to end, offline: Azure through the fake ARM transport (real SDK
clients), the in-cluster part through the driver's default kube connector against kmock (real
``kubernetes`` client, real HTTP).  Asserts both the ARM requests and the objects the server holds."""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

import pytest

from kompox.domain.model import Cluster, ClusterIngress, ClusterIngressCertificate
from kompox.kube.traefik import base_values, traefik_manifests

from .conftest import CLUSTER_RG, SUB
from .fake_arm import FakeARM, Reply

sys.path.insert(0, str(Path(__file__).parents[2] / "kube"))
import kmock_fixtures
from kmock_server import KMockThread, without_server_fields

DEPLOYMENT = f"/subscriptions/{SUB}/providers/Microsoft.Resources/deployments/{CLUSTER_RG}"
CREDS = (
    f"/subscriptions/{SUB}/resourceGroups/{CLUSTER_RG}/providers/Microsoft.ContainerService/"
    "managedClusters/aks-tok/listClusterAdminCredential"
)
ZONE = f"/subscriptions/{SUB}/resourceGroups/dns/providers/Microsoft.Network/dnszones/example.com"
VAULT_ID = (
    "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/kv/providers/Microsoft.KeyVault/vaults/myvault"
)
ROLE = "/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}"
OUTPUTS = {
    "AZURE_TENANT_ID": "tenant-1",
    "AZURE_RESOURCE_GROUP_NAME": CLUSTER_RG,
    "AZURE_AKS_CLUSTER_NAME": "aks-tok",
    "AZURE_AKS_CLUSTER_PRINCIPAL_ID": "cluster-pid",
    "AZURE_AKS_KUBELET_PRINCIPAL_ID": "",
    "AZURE_INGRESS_SERVICE_ACCOUNT_NAMESPACE": "traefik",
    "AZURE_INGRESS_SERVICE_ACCOUNT_NAME": "ingress-service-account",
    "AZURE_INGRESS_SERVICE_ACCOUNT_PRINCIPAL_ID": "ingress-pid",
    "AZURE_INGRESS_SERVICE_ACCOUNT_CLIENT_ID": "ingress-cid",
}


server = kmock_fixtures.server


@pytest.fixture()
def kmock_rollout() -> str:
    """Deployments roll out at once on the kmock server."""
    return "ready"


def azure(fake: FakeARM, kubeconfig: bytes) -> None:
    outputs = {k: {"type": "String", "value": v} for k, v in OUTPUTS.items()}
    fake.on("GET", DEPLOYMENT, Reply(200, {"properties": {"outputs": outputs}}))
    fake.on("POST", CREDS, Reply(200, {"kubeconfigs": [{"value": base64.b64encode(kubeconfig).decode()}]}))
    fake.on(
        "POST",
        "/providers/Microsoft.ResourceGraph/resources",
        Reply(200, {"totalRecords": 1, "data": [{"name": "myvault", "id": VAULT_ID}]}),
    )
    fake.on("PUT", ZONE + ROLE, Reply(201, {}))
    fake.on("PUT", VAULT_ID + "/secrets/site-cert" + ROLE, Reply(201, {}))


def aks_cluster() -> Cluster:
    return Cluster(
        name="cluster1",
        ingress=ClusterIngress(
            cert_email="ops@example.com",
            certificates=[ClusterIngressCertificate("site", "https://myvault.vault.azure.net/secrets/site-cert")],
        ),
        settings={"AZURE_AKS_DNS_ZONE_RESOURCE_IDS": ZONE},
    )


def test_install_end_to_end(make_driver: Any, fake: FakeARM, server: KMockThread) -> None:
    azure(fake, server.kubeconfig)
    make_driver().cluster_install(aks_cluster())  # default kube connector: no injection

    # --- Azure side ---------------------------------------------------------------------------
    assert len(fake.seen("POST", CREDS)) == 1
    zone_role = fake.seen("PUT", ZONE + ROLE)
    assert [r.body["properties"]["principalId"] for r in zone_role] == ["cluster-pid"]
    kv_role = fake.seen("PUT", VAULT_ID + "/secrets/site-cert" + ROLE)
    assert [r.body["properties"]["principalId"] for r in kv_role] == ["ingress-pid"]

    # --- in-cluster side ------------------------------------------------------------------------
    held = {k: without_server_fields(v) for k, v in server.objects().items()}
    assert held[("v1/namespaces", None, "traefik")]["metadata"]["labels"] == {"app.kubernetes.io/managed-by": "kompox"}
    sa = held[("v1/serviceaccounts", "traefik", "ingress-service-account")]
    assert sa["metadata"]["annotations"] == {
        "azure.workload.identity/tenant-id": "tenant-1",
        "azure.workload.identity/client-id": "ingress-cid",
    }
    assert sa["automountServiceAccountToken"] is False
    spc = held[("secrets-store.csi.x-k8s.io/v1/secretproviderclasses", "traefik", "traefik-kv-myvault")]
    assert spc["spec"]["parameters"]["clientID"] == "ingress-cid"
    assert spc["spec"]["secretObjects"][0]["secretName"] == "tls-site"

    service = held[("v1/services", "traefik", "traefik")]
    assert service["spec"]["type"] == "LoadBalancer"
    assert service["spec"]["externalTrafficPolicy"] == "Local"
    pod = held[("apps/v1/deployments", "traefik", "traefik")]["spec"]["template"]
    assert pod["metadata"]["labels"]["azure.workload.identity/use"] == "true"
    assert pod["spec"]["nodeSelector"] == {"kompox.dev/node-pool": "system"}
    assert pod["spec"]["serviceAccountName"] == "ingress-service-account"
    assert pod["spec"]["volumes"][-1] == {
        "name": "secrets-store-inline-0",
        "csi": {
            "driver": "secrets-store.csi.k8s.io",
            "readOnly": True,
            "volumeAttributes": {"secretProviderClass": "traefik-kv-myvault"},
        },
    }
    assert {"name": "secrets-store-inline-0", "mountPath": "/config/tls/myvault", "readOnly": True} in pod["spec"][
        "containers"
    ][0]["volumeMounts"]
    assert "--certificatesresolvers.staging.acme.email=ops@example.com" in pod["spec"]["containers"][0]["args"]
    assert held[("v1/configmaps", "traefik", "traefik")]["data"] == {
        "certs.yaml": "tls:\n  certificates:\n  - certFile: /config/tls/myvault/site.crt\n"
        "    keyFile: /config/tls/myvault/site.key\n"
    }
    # every generated Traefik object is on the server
    for obj in traefik_manifests(base_values()):
        meta = obj["metadata"]
        assert any(k[2] == meta["name"] and k[1] == meta.get("namespace") for k in held), obj["kind"]

    # --- status through the same connector ---------------------------------------------------------
    server.set_status("v1/services", "traefik", "traefik", {"loadBalancer": {"ingress": [{"ip": "20.1.2.3"}]}})
    status = make_driver().cluster_status(aks_cluster())
    assert status.to_json() == {
        "existing": False,
        "provisioned": True,
        "installed": True,
        "ingressGlobalIP": "20.1.2.3",
    }


def test_uninstall_end_to_end(make_driver: Any, fake: FakeARM, server: KMockThread) -> None:
    azure(fake, server.kubeconfig)
    make_driver().cluster_install(aks_cluster())
    assert ("apps/v1/deployments", "traefik", "traefik") in server.objects()
    make_driver().cluster_uninstall(aks_cluster())
    held = server.objects()
    assert not any(ns == "traefik" for (_, ns, _) in held)
    assert ("networking.k8s.io/v1/ingressclasses", None, "traefik") not in held
    assert ("rbac.authorization.k8s.io/v1/clusterroles", None, "traefik-traefik") not in held
    status = make_driver().cluster_status(aks_cluster())
    assert (status.provisioned, status.installed) == (True, False)
