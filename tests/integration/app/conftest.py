"""The Gitea example against kmock on 127.0.0.1: real ``kubernetes`` client, real HTTP.

The example's KOM is loaded as the CLI loads it; its two volumes are bound
through a disk lister that answers like a provider with one assigned disk per
volume (the K3s driver has no disks), so the deploy gate lets it through
(see :mod:`.example_app`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "kube"))

import kmock_fixtures  # noqa: E402

from kompox.kube.client import KubeClient  # noqa: E402
from kompox.usecase.app_deploy import DeployPlan, plan_deploy  # noqa: E402
from kompox.usecase.app_target import AppTarget  # noqa: E402

from .example_app import load_target, validate  # noqa: E402


@dataclass
class Gitea:
    target: AppTarget
    plan: DeployPlan

    @property
    def namespace(self) -> str:
        return self.plan.namespace


@pytest.fixture()
def gitea() -> Gitea:
    target = load_target("gitea")
    return Gitea(target, plan_deploy(validate(target)))


server = kmock_fixtures.server
sleeps = kmock_fixtures.sleeps
client = kmock_fixtures.client


@pytest.fixture()
def kmock_rollout() -> str:
    """Deployments roll out at once on the kmock server."""
    return "ready"


@pytest.fixture()
def kube(client: KubeClient) -> KubeClient:
    return client


def plural_of(obj: dict[str, Any]) -> str:
    group_version = str(obj["apiVersion"])
    plurals = {
        "Namespace": "namespaces",
        "ServiceAccount": "serviceaccounts",
        "Role": "roles",
        "RoleBinding": "rolebindings",
        "NetworkPolicy": "networkpolicies",
        "PersistentVolume": "persistentvolumes",
        "PersistentVolumeClaim": "persistentvolumeclaims",
        "ConfigMap": "configmaps",
        "Secret": "secrets",
        "Deployment": "deployments",
        "Service": "services",
        "Ingress": "ingresses",
    }
    return f"{group_version}/{plurals[obj['kind']]}"


def key_of(obj: dict[str, Any]) -> tuple[str, str | None, str]:
    meta = obj["metadata"]
    return plural_of(obj), meta.get("namespace"), meta["name"]
