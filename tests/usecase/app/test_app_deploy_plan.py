"""The deploy gate and plan (pure): what may reach the cluster, in which order."""

from __future__ import annotations

import pytest

from integration.app.example_app import assigned_disk, load_target, validate
from kompox.domain.errors import CapabilityNotImplementedError, ExitCode, NotFoundError
from kompox.domain.model import AppVolume, VolumeDisk
from kompox.usecase.app_deploy import plan_deploy
from kompox.usecase.app_target import AppTarget
from kompox.usecase.app_validate import DeployBlockedError


def test_plan_of_gitea_applies_rbac_and_knows_its_names() -> None:
    target = load_target("gitea")
    plan = plan_deploy(validate(target))
    names = target.names()

    assert plan.namespace == names.namespace and plan.deployment == "gitea-app"
    assert plan.component_selector == "app=gitea-app"
    assert plan.headless_services == ("gitea", "postgres")
    assert [(o["kind"], o["apiVersion"]) for o in plan.objects[2:4]] == [
        ("Role", "rbac.authorization.k8s.io/v1"),
        ("RoleBinding", "rbac.authorization.k8s.io/v1"),
    ]
    assert "kompox.dev/unbound-volumes" not in plan.objects[9]["metadata"].get("annotations", {})


def test_k3s_without_disks_blocks_the_deploy() -> None:
    target = load_target("gitea")

    def no_disks(_vol: AppVolume) -> list[VolumeDisk]:
        raise CapabilityNotImplementedError("VolumeDiskList", "k3s")

    with pytest.raises(DeployBlockedError, match=r"validation blocked \(3 warnings, 0 errors\)") as info:
        plan_deploy(validate(target, no_disks))
    assert info.value.exit_code == ExitCode.CONFIG


@pytest.mark.parametrize(
    ("disks", "message"),
    [
        ([], r"validation blocked \(2 warnings, 0 errors\)"),  # data unassigned + manifest has unbound volumes
        ("two", r"validation blocked \(0 warnings, 1 errors\)"),  # two assigned disks for one volume
    ],
)
def test_unassigned_or_ambiguous_disks_block_the_deploy(disks: object, message: str) -> None:
    target = load_target("gitea")

    def lister(vol: AppVolume) -> list[VolumeDisk]:
        if vol.name != "data":
            return [assigned_disk(vol)]
        return [assigned_disk(vol), assigned_disk(vol, "d2")] if disks == "two" else []

    with pytest.raises(DeployBlockedError, match=message):
        plan_deploy(validate(target, lister))


def test_names_need_every_parent() -> None:
    target = load_target("gitea")
    orphan = AppTarget(target.app, target.cluster, target.provider, None)
    with pytest.raises(NotFoundError, match="app gitea: workspace not found, so its namespace cannot be derived"):
        orphan.names()
