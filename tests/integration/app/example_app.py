"""The bundled examples as the CLI loads them, with volumes bound like a provider with disks would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kompox.compose import load_project, local_file_reader, resolve_compose_source
from kompox.compose.model import Project
from kompox.domain.model import AppVolume, VolumeClass, VolumeDisk
from kompox.kom.loader import initialize_kom
from kompox.kom.project import resolve_project
from kompox.store.inmem import InMemoryRepositories
from kompox.usecase.app_target import AppTarget
from kompox.usecase.app_validate import AppValidation, validate_app

ROOT = Path(__file__).resolve().parents[3]
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
