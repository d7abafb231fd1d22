"""Opt-in end-to-end run of the AKS driver against real Azure (skipped without credentials)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REQUIRED = ("KOMPOX_E2E_AKS", "AZURE_SUBSCRIPTION_ID", "AZURE_LOCATION", "AZURE_AUTH_METHOD")
MISSING = [k for k in REQUIRED if not os.environ.get(k)]
if MISSING:
    pytest.skip(f"AKS e2e needs {', '.join(MISSING)}", allow_module_level=True)

from kompox.domain.model import Cluster, ClusterIngress, Provider, Workspace  # noqa: E402
from kompox.providers.aks import AKSDriver  # noqa: E402

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
GITEA = Path(__file__).resolve().parents[3] / "examples" / "gitea"


def test_provision_install_app_status_deprovision() -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    settings = {k: os.environ[k] for k in SETTINGS_KEYS if os.environ.get(k)}
    driver = AKSDriver(
        Workspace(name=f"aks-e2e-basic-{stamp}"), Provider(name="aks1", driver="aks", settings=settings), progress=print
    )
    cluster = Cluster(
        name="cluster1",
        ingress=ClusterIngress(cert_email="noreply@example.com"),
        settings={"AZURE_AKS_USER_VM_PRIORITY": "Regular", "AZURE_AKS_USER_VM_ZONES": "1"},
    )
    try:
        driver.cluster_provision(cluster)
        assert driver.cluster_status(cluster).provisioned
        kubeconfig = driver.cluster_kubeconfig(cluster)
        assert b"clusters" in kubeconfig
        driver.cluster_install(cluster)  # needs the Kubernetes side (kompox.kube) for the in-cluster step
        kompoxops = shutil.which("kompoxops")
        if kompoxops and GITEA.is_dir():
            subprocess.run([kompoxops, "app", "deploy"], cwd=GITEA, check=True)
            status = driver.cluster_status(cluster)
            assert status.installed
            subprocess.run([kompoxops, "app", "destroy"], cwd=GITEA, check=True)
        driver.cluster_uninstall(cluster)
    finally:
        driver.cluster_deprovision(cluster)
    assert not driver.cluster_status(cluster).provisioned
