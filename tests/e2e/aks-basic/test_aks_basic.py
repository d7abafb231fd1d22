"""Opt-in end-to-end run of the AKS driver against real Azure (skipped without credentials)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

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
PROJECT = Path(__file__).resolve().parent / "project"


def _project_copy(root: Path, workspace: str, settings: dict[str, str]) -> Path:
    """The AKS project of this directory with a unique workspace name and the real provider settings."""
    project = root / "project"
    shutil.copytree(PROJECT, project, ignore=shutil.ignore_patterns("logs"))
    kom = project / ".kompox" / "kom" / "cluster.yml"
    docs = list(yaml.safe_load_all(kom.read_text()))
    for doc in docs:
        if doc["kind"] == "Workspace":
            doc["metadata"]["name"] = workspace
        if doc["kind"] == "Provider":
            doc["spec"]["settings"] = dict(settings)
        ann = doc["metadata"]["annotations"]
        ann["ops.kompox.dev/id"] = ann["ops.kompox.dev/id"].replace("/ws/aks-e2e-basic", f"/ws/{workspace}")
    kom.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    app = project / "kompoxapp.yml"
    app.write_text(app.read_text().replace("/ws/aks-e2e-basic/", f"/ws/{workspace}/"))
    return project


def test_provision_install_app_status_deprovision(tmp_path: Path) -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    workspace = f"aks-e2e-basic-{stamp}"
    settings = {k: os.environ[k] for k in SETTINGS_KEYS if os.environ.get(k)}
    project = _project_copy(tmp_path, workspace, settings)
    provider = Provider(name="aks1", driver="aks", settings=settings)
    driver = AKSDriver(Workspace(name=workspace), provider, progress=print)
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
        driver.cluster_install(cluster)
        kompoxops = shutil.which("kompoxops")
        assert kompoxops, "the kompoxops console script is needed for the app steps"
        subprocess.run([kompoxops, "app", "validate"], cwd=project, check=True)
        subprocess.run([kompoxops, "disk", "create", "--bootstrap"], cwd=project, check=True)
        subprocess.run([kompoxops, "app", "deploy"], cwd=project, check=True)
        assert driver.cluster_status(cluster).installed
        subprocess.run([kompoxops, "app", "destroy"], cwd=project, check=True)
        driver.cluster_uninstall(cluster)
    finally:
        driver.cluster_deprovision(cluster)
    assert not driver.cluster_status(cluster).provisioned
