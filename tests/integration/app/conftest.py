"""The Gitea example against kmock on 127.0.0.1: real ``kubernetes`` client, real HTTP.

The example's KOM is loaded as the CLI loads it; its two volumes are bound
through a disk lister that answers like a provider with one assigned disk per
volume (the K3s driver has no disks), so the deploy gate lets it through.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tests" / "kube"))

from kmock_server import KMockThread  # noqa: E402

from kompox.compose import load_project, local_file_reader, resolve_compose_source  # noqa: E402
from kompox.compose.model import Project  # noqa: E402
from kompox.domain.model import AppVolume, VolumeClass, VolumeDisk  # noqa: E402
from kompox.kom.loader import initialize_kom  # noqa: E402
from kompox.kom.project import resolve_project  # noqa: E402
from kompox.kube.client import KubeClient  # noqa: E402
from kompox.kube.transport import RetryPolicy  # noqa: E402
from kompox.store.inmem import InMemoryRepositories  # noqa: E402
from kompox.usecase.app_deploy import DeployPlan, plan_deploy  # noqa: E402
from kompox.usecase.app_target import AppTarget  # noqa: E402
from kompox.usecase.app_validate import AppValidation, validate_app  # noqa: E402

EXAMPLES = ROOT / "examples"
CSI = VolumeClass(
    csi_driver="disk.csi.azure.com",
    fs_type="ext4",
    access_modes=["ReadWriteOnce"],
    reclaim_policy="Retain",
    volume_mode="Filesystem",
)


def load_target(example: str) -> AppTarget:
    root = EXAMPLES / example
    env: dict[str, str] = {}
    kom = initialize_kom(resolve_project(root, env, "", ""), root, env, [], None)
    repos = InMemoryRepositories(kom.resources)
    app = repos.apps.get(kom.default_app_id)
    cluster = repos.clusters.get(app.cluster_id)
    provider = repos.providers.get(cluster.provider_id)
    return AppTarget(app, cluster, provider, repos.workspaces.get(provider.workspace_id))


def compose_loader(target: AppTarget) -> Callable[[], Project]:
    def load() -> Project:
        source = resolve_compose_source(target.app.compose, target.app.ref_base, local_file_reader("/"))
        return load_project(
            source.text,
            working_dir=source.working_dir,
            read_file=local_file_reader(source.working_dir),
            file_name=source.file,
            home_dir="/nonexistent",
        )

    return load


def assigned_disk(vol: AppVolume, suffix: str = "d1") -> VolumeDisk:
    handle = f"/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/disks/{vol.name}-{suffix}"
    return VolumeDisk(name=f"{vol.name}-{suffix}", volume_name=vol.name, assigned=True, size=vol.size, handle=handle)


def validate(target: AppTarget, disks: Callable[[AppVolume], list[VolumeDisk]] | None = None) -> AppValidation:
    return validate_app(
        app=target.app,
        cluster=target.cluster,
        provider=target.provider,
        workspace=target.workspace,
        project=compose_loader(target),
        list_disks=disks or (lambda vol: [assigned_disk(vol)]),
        volume_class=lambda _vol: CSI,
    )


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


@pytest.fixture()
def server() -> Iterator[KMockThread]:
    srv = KMockThread(rollout="ready").start()
    try:
        yield srv
    finally:
        srv.stop()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture()
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture()
def kube(server: KMockThread, sleeps: Sleeps) -> Iterator[KubeClient]:
    kc = KubeClient(server.kubeconfig, timeout=5, retry=RetryPolicy(sleep=sleeps))
    try:
        yield kc
    finally:
        kc.close()


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
