"""``plan_box_deploy``: mounts bound through the driver's disks into PV/PVC and pod volumes (no cluster)."""

from __future__ import annotations

from typing import Any

import pytest

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, Provider, VolumeClass, VolumeDisk, Workspace
from kompox.kube.convert import app_names
from kompox.kube.convert.object_check import check_objects
from kompox.usecase.app_target import AppTarget
from kompox.usecase.box_ops import BoxOptions, parse_mount, plan_box_deploy

APP = App(
    id="/ws/w/prv/p/cls/c/app/a",
    name="a",
    cluster_id="/ws/w/prv/p/cls/c",
    volumes=[AppVolume(name="db", size=10 << 30)],
    deployment=AppDeployment(pool="user"),
)
TARGET = AppTarget(
    APP,
    Cluster(id="/ws/w/prv/p/cls/c", name="c", provider_id="/ws/w/prv/p"),
    Provider(id="/ws/w/prv/p", name="p", workspace_id="/ws/w", driver="aks"),
    Workspace(id="/ws/w", name="w"),
)
NAMES = app_names("w", "p", "c", "a", "box")


class FakeVolumes:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def volume_disk_list(self, cluster: Cluster, app: App, vol_name: str, opts: Any = None) -> list[VolumeDisk]:
        self.calls.append(f"list {vol_name}")
        return [VolumeDisk(name="d1", volume_name=vol_name, handle="/subscriptions/x/disks/d1", size=4 << 30)]

    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass:
        self.calls.append(f"class {vol.name}")
        return VolumeClass(csi_driver="disk.csi.azure.com", access_modes=["ReadWriteOnce"], fs_type="ext4")


def test_mounts_become_pv_pvc_and_pod_volumes() -> None:
    fake = FakeVolumes()
    manifest = plan_box_deploy(TARGET, NAMES, BoxOptions(ssh_pubkey=b"k"), ["db:d1:/mnt/db"], lambda: fake)
    kinds = [o["kind"] for o in manifest.objects]
    assert kinds == [
        "Namespace", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy",
        "PersistentVolume", "PersistentVolumeClaim", "Secret", "Deployment",
    ]  # fmt: skip
    pvc = manifest.volumes[1]
    claim = pvc["metadata"]["name"]
    assert claim == NAMES.volume_resource("db", "/subscriptions/x/disks/d1")  # shared with the app's PVC name
    assert pvc["spec"]["resources"]["requests"]["storage"] == "4Gi"
    pod = manifest.workload[1]["spec"]["template"]["spec"]
    assert {"name": claim, "mountPath": "/mnt/db"} in pod["containers"][0]["volumeMounts"]
    assert {"name": claim, "persistentVolumeClaim": {"claimName": claim}} in pod["volumes"]
    assert pod["nodeSelector"] == {"kompox.dev/node-pool": "user"}
    assert fake.calls == ["list db", "class db"]


def test_unknown_disk_names_the_disks() -> None:
    with pytest.raises(NotFoundError, match=r"disk d9 not found under volume db \(disks: d1\)"):
        plan_box_deploy(TARGET, NAMES, BoxOptions(ssh_pubkey=b"k"), ["db:d9:/mnt"], FakeVolumes)


def test_no_mounts_never_builds_the_driver() -> None:
    def no_driver() -> FakeVolumes:
        raise AssertionError("driver built without mounts")

    manifest = plan_box_deploy(TARGET, NAMES, BoxOptions(ssh_pubkey=b"k"), [], no_driver)
    assert manifest.volumes == []


@pytest.mark.parametrize("spec", ["db", "db:d1", "db:d1:mnt", ":d1:/m", "db::/m"])
def test_bad_mount_specs(spec: str) -> None:
    with pytest.raises(ValidationError, match="invalid volume spec"):
        parse_mount(spec)


def test_path_may_contain_colons() -> None:
    assert parse_mount("db:d1:/mnt/a:b").path == "/mnt/a:b"


def test_objects_pass_the_api_server_rules_and_bad_values_are_refused_before_the_cluster() -> None:
    manifest = plan_box_deploy(TARGET, NAMES, BoxOptions(ssh_pubkey=b"k"), ["db:d1:/mnt/db"], FakeVolumes)
    assert check_objects(manifest.objects) == []
    with pytest.raises(ValidationError) as caught:
        plan_box_deploy(TARGET, NAMES, BoxOptions(image="Bad Image:", ssh_pubkey=b"k"), [], FakeVolumes)
    image = "--image (or KOM Box spec.image): Deployment/a-box spec.template.spec.containers[0].image"
    assert image in str(caught.value)
    with pytest.raises(ValidationError, match=r"--volume: .*mountPath.*Duplicate value"):
        plan_box_deploy(TARGET, NAMES, BoxOptions(ssh_pubkey=b"k"), ["db:d1:/m", "db:d1:/m"], FakeVolumes)
