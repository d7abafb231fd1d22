"""Volume types in the converter (seed 002, converter.md §8.3–8.4) and disk switching.

* ``disk`` → RWO PV/PVC on ``disk.csi.azure.com`` with ``fsType``; ``files`` →
  RWX PV/PVC on ``file.csi.azure.com`` with the protocol attribute, no
  ``fsType``.  The classes are the AKS driver's (spec table, injected so the
  converter stays pure; a test below checks the AKS driver still returns them).
* Binding follows the assigned disk: assigning another disk renames that
  volume's PV/PVC (new volHASH) and the Deployment's claim, nothing else.
"""

from __future__ import annotations

from typing import Any

from contract.volume.reference_cloud import ReferenceCloud
from contract.volume.reference_driver import ReferenceDriver
from kompox.compose.model import Service
from kompox.domain.model import App, AppDeployment, AppVolume, Cluster, Provider, VolumeDisk, Workspace
from kompox.domain.naming import new_hashes, volume_resource_name
from kompox.kube.convert import MemoryFiles, VolumeBinding, convert
from kompox.usecase.app_validate import AppValidation, validate_app
from kompox.usecase.volume_bootstrap import bootstrap_disks
from kompox.usecase.volume_disk import assign_disk, create_disk

from .helpers import AKS_DISK_CLASS, AKS_FILES_CLASS, REF_BASE, GiB, check_golden, context, project, vol

SUB = "00000000-0000-0000-0000-000000000000"
DISK_HANDLE = (
    f"/subscriptions/{SUB}/resourceGroups/k4x-1nedct_app_app1_4d94cw"
    "/providers/Microsoft.Compute/disks/k4x-1nedct_disk_db_0spduo00pkk6_4d94cw"
)
FILES_HANDLE = f"k4x-1nedct_app_app1_4d94cw#k4x1nedct4d94cw#share-0spduo01abcd####{SUB}"


def two_type_app() -> App:
    return App(
        name="app1",
        ref_base=REF_BASE,
        volumes=[AppVolume("db", 10 * GiB), AppVolume("share", 100 * GiB, type="files", options={"protocol": "smb"})],
        deployment=AppDeployment(zone="1"),
    )


def web() -> Service:
    return Service(
        name="web",
        image="nginx",
        volumes=[vol("volume", "db/data", "/var/lib/db"), vol("volume", "share", "/srv/share")],
    )


def bindings(db_handle: str = DISK_HANDLE) -> list[VolumeBinding]:
    return [
        VolumeBinding("db", VolumeDisk(name="d", volume_name="db", handle=db_handle, size=10 * GiB), AKS_DISK_CLASS),
        VolumeBinding(
            "share", VolumeDisk(name="s", volume_name="share", handle=FILES_HANDLE, size=100 * GiB), AKS_FILES_CLASS
        ),
    ]


def objects(db_handle: str = DISK_HANDLE) -> list[dict[str, Any]]:
    ws, prv, cls, app = context(two_type_app(), domain="")
    return convert(ws, prv, cls, app, project(web()), bindings(db_handle), files=MemoryFiles()).objects


def by_kind(objs: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [o for o in objs if o["kind"] == kind]


def test_disk_and_files_golden() -> None:
    objs = objects()
    check_golden("volume_types/disk_and_files", objs)
    pvs, pvcs = by_kind(objs, "PersistentVolume"), by_kind(objs, "PersistentVolumeClaim")
    hashes = new_hashes("ops", "aks1", "cluster1", "app1")
    db_name = volume_resource_name(hashes, "db", DISK_HANDLE)
    share_name = volume_resource_name(hashes, "share", FILES_HANDLE)
    assert [p["metadata"]["name"] for p in pvs] == [db_name, share_name]
    assert [p["metadata"]["name"] for p in pvcs] == [db_name, share_name]
    db_pv, share_pv = pvs
    assert db_pv["spec"]["accessModes"] == pvcs[0]["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert db_pv["spec"]["csi"] == {
        "driver": "disk.csi.azure.com",
        "volumeHandle": DISK_HANDLE,
        "volumeAttributes": {"fsType": "ext4"},
    }
    assert db_pv["spec"]["storageClassName"] == "managed-csi"
    assert share_pv["spec"]["accessModes"] == pvcs[1]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert share_pv["spec"]["csi"] == {
        "driver": "file.csi.azure.com",
        "volumeHandle": FILES_HANDLE,
        "volumeAttributes": {"protocol": "smb"},
    }
    assert share_pv["spec"]["storageClassName"] == pvcs[1]["spec"]["storageClassName"] == "azurefile-csi"
    assert share_pv["spec"]["capacity"] == {"storage": "100Gi"}
    pod = by_kind(objs, "Deployment")[0]["spec"]["template"]["spec"]
    assert pod["volumes"] == [
        {"name": "db", "persistentVolumeClaim": {"claimName": db_name}},
        {"name": "share", "persistentVolumeClaim": {"claimName": share_name}},
    ]


def test_aks_driver_volume_classes_match_the_spec_table() -> None:
    from kompox.providers.aks import new_aks_driver

    settings = {
        "AZURE_SUBSCRIPTION_ID": SUB,
        "AZURE_LOCATION": "japaneast",
        "AZURE_AUTH_METHOD": "azure_cli",
    }
    driver = new_aks_driver(Workspace(name="ops"), Provider(name="aks1", driver="aks", settings=settings))
    app = two_type_app()
    assert driver.volume_class(Cluster(name="cluster1"), app, app.volumes[0]) == AKS_DISK_CLASS
    assert driver.volume_class(Cluster(name="cluster1"), app, app.volumes[1]) == AKS_FILES_CLASS


def test_switching_the_assigned_disk_switches_pv_and_pvc_names() -> None:
    before = objects()
    new_handle = DISK_HANDLE.replace("0spduo00pkk6", "0spduo10zzzz")
    after = objects(new_handle)
    check_golden(
        "volume_types/after_disk_switch", by_kind(after, "PersistentVolume") + by_kind(after, "PersistentVolumeClaim")
    )
    hashes = new_hashes("ops", "aks1", "cluster1", "app1")
    old_name = volume_resource_name(hashes, "db", DISK_HANDLE)
    new_name = volume_resource_name(hashes, "db", new_handle)
    assert old_name != new_name and old_name.rsplit("-", 1)[0] == new_name.rsplit("-", 1)[0]

    def names(objs: list[dict[str, Any]]) -> list[tuple[str, str]]:
        return [(o["kind"], o["metadata"]["name"]) for o in objs]

    changed = set(names(before)) ^ set(names(after))
    assert changed == {
        ("PersistentVolume", old_name),
        ("PersistentVolumeClaim", old_name),
        ("PersistentVolume", new_name),
        ("PersistentVolumeClaim", new_name),
    }
    claims = [
        v["persistentVolumeClaim"]["claimName"]
        for v in by_kind(after, "Deployment")[0]["spec"]["template"]["spec"]["volumes"]
    ]
    assert claims == [new_name, volume_resource_name(hashes, "share", FILES_HANDLE)]
    assert objects() == before  # switching back restores the same manifest


def test_validate_binds_each_volume_to_its_assigned_disk() -> None:
    """End to end through the use cases: bootstrap, validate, create+assign another disk, validate again."""
    ws, prv, cls, app = context(two_type_app(), domain="")
    driver = ReferenceDriver(ReferenceCloud(), ws, prv)
    port = driver

    def run_validate() -> AppValidation:
        return validate_app(
            app=app,
            cluster=cls,
            provider=prv,
            workspace=ws,
            project=project(web()),
            list_disks=lambda v: driver.volume_disk_list(cls, app, v.name),
            volume_class=lambda v: driver.volume_class(cls, app, v),
            files=MemoryFiles(),
        )

    def validate() -> dict[str, str]:
        result = run_validate()
        assert result.deployable, result.issues
        return {
            o["spec"]["csi"]["volumeHandle"]: o["metadata"]["name"] for o in by_kind(result.objects, "PersistentVolume")
        }

    unbound = run_validate()
    assert not unbound.deployable and sorted(unbound.unbound_volumes) == ["db", "share"]

    created = bootstrap_disks(port, cls, app)  # type: ignore[arg-type]
    first = validate()
    assert set(first) == {d.handle for d in created.created}
    hashes = new_hashes(ws.name, prv.name, cls.name, app.name)
    assert all(name == volume_resource_name(hashes, name.split("-")[2], h) for h, name in first.items())

    spare = create_disk(port, cls, app, "db", disk_name="spare")  # type: ignore[arg-type]
    assert validate() == first  # creating a disk does not rebind
    assign_disk(port, cls, app, "db", "spare")  # type: ignore[arg-type]
    second = validate()
    share_handle = next(d.handle for d in created.created if d.volume_name == "share")
    assert set(second) == {spare.handle, share_handle}
    assert second[share_handle] == first[share_handle]
    assert second[spare.handle] == volume_resource_name(hashes, "db", spare.handle)
