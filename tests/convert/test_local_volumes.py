"""``local`` volumes (K3s ``localpath``) in the converter (converter.md §8.3 as extended by issue 13).

A VolumeClass with ``local=True`` makes the PV a ``local`` volume: the path
and the required node affinity come from the assigned disk's options; RWO,
Retain, the driver's storage class; the PVC is bound by name.  Names switch
with the disk handle exactly as for CSI disks; compose sub-paths keep their
init container.
"""

from __future__ import annotations

from typing import Any

import pytest

from kompox.compose.model import Service
from kompox.domain.model import App, AppVolume, VolumeClass, VolumeDisk
from kompox.domain.naming import new_hashes, volume_resource_name
from kompox.kube.convert import ConversionError, MemoryFiles, VolumeBinding, convert
from kompox.providers.k3s.driver import K3sDriver

from .helpers import REF_BASE, GiB, context, k8s_validate, project, vol

BASE = "/var/lib/kompox/volumes/k4x-x-app1-y/db/disks"


def local_class() -> VolumeClass:
    """What the K3s driver returns for a ``disk`` volume (checked below)."""
    return VolumeClass(
        storage_class_name="kompox-localpath",
        local=True,
        access_modes=["ReadWriteOnce"],
        reclaim_policy="Retain",
        volume_mode="Filesystem",
    )


def disk(name: str, node: str = "node-a") -> VolumeDisk:
    path = f"{BASE}/{name}"
    return VolumeDisk(
        name=name,
        volume_name="db",
        assigned=True,
        size=10 * GiB,
        zone=node,
        options={"backend": "localpath", "node": node, "path": path, "nodeAffinity": {"kubernetes.io/hostname": node}},
        handle=f"localpath://{node}{path}",
    )


def convert_with(d: VolumeDisk) -> list[dict[str, Any]]:
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("db", 10 * GiB)])
    ws, prv, cls, app = context(app, domain="")
    svc = Service(name="pg", image="postgres", volumes=[vol("volume", "db/pgdata", "/var/lib/postgresql/data")])
    binding = VolumeBinding("db", d, local_class())
    return convert(ws, prv, cls, app, project(svc), [binding], files=MemoryFiles()).objects


def of_kind(objs: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    (found,) = [o for o in objs if o["kind"] == kind]
    return found


def test_the_k3s_driver_returns_this_class() -> None:
    from kompox.domain.model import Provider

    driver = K3sDriver(None, Provider(name="p", driver="k3s"))
    app = App(name="a", volumes=[AppVolume("db", GiB)])
    assert driver.volume_class(None, app, app.volumes[0]) == local_class()  # type: ignore[arg-type]


def test_local_pv_has_path_node_affinity_rwo_retain_and_pvc_binds_by_name() -> None:
    objs = convert_with(disk("d1"))
    k8s_validate(objs)
    pv, pvc = of_kind(objs, "PersistentVolume"), of_kind(objs, "PersistentVolumeClaim")
    name = volume_resource_name(new_hashes("ops", "aks1", "cluster1", "app1"), "db", disk("d1").handle)
    assert pv["metadata"]["name"] == pvc["metadata"]["name"] == name
    assert pv["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "capacity": {"storage": "10Gi"},
        "persistentVolumeReclaimPolicy": "Retain",
        "volumeMode": "Filesystem",
        "storageClassName": "kompox-localpath",
        "local": {"path": f"{BASE}/d1"},
        "nodeAffinity": {
            "required": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-a"]}]}
                ]
            }
        },
    }
    assert pvc["spec"]["volumeName"] == name and pvc["spec"]["storageClassName"] == "kompox-localpath"
    pod = of_kind(objs, "Deployment")["spec"]["template"]["spec"]
    assert {"name": "db", "persistentVolumeClaim": {"claimName": name}} in pod["volumes"]
    init = pod["initContainers"][0]
    assert init["command"][2] == "mkdir -m 1777 -p /work/db/pgdata"  # compose sub-path still prepared
    assert pod["containers"][0]["volumeMounts"][0]["subPath"] == "pgdata"


def test_names_switch_with_the_assigned_disk() -> None:
    first, second = convert_with(disk("d1")), convert_with(disk("restored", "node-b"))
    pv1, pv2 = of_kind(first, "PersistentVolume"), of_kind(second, "PersistentVolume")
    assert pv1["metadata"]["name"] != pv2["metadata"]["name"]
    values = pv2["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"][0]["values"]
    assert values == ["node-b"] and pv2["spec"]["local"]["path"].endswith("/restored")


@pytest.mark.parametrize(
    ("options", "words"),
    [({"nodeAffinity": {"kubernetes.io/hostname": "n"}}, "no absolute path"), ({"path": "/x"}, "no nodeAffinity")],
)
def test_local_disk_without_path_or_affinity_is_an_error(options: dict[str, Any], words: str) -> None:
    d = disk("d1")
    d.options = options
    with pytest.raises(ConversionError, match=words):
        convert_with(d)


def test_node_local_volumes_of_one_pod_must_share_a_node() -> None:
    """One pod mounts every volume: local PVs pinned to two nodes could never be scheduled."""
    app = App(name="app1", ref_base=REF_BASE, volumes=[AppVolume("db", 10 * GiB), AppVolume("files", GiB)])
    ws, prv, cls, app = context(app, domain="")
    svc = Service(name="web", image="nginx", volumes=[vol("volume", "db", "/db"), vol("volume", "files", "/files")])
    files_disk = disk("f1", "node-b")
    files_disk.volume_name = "files"
    bindings = [VolumeBinding("db", disk("d1"), local_class()), VolumeBinding("files", files_disk, local_class())]
    with pytest.raises(ConversionError, match=r"different nodes .*node-a.*node-b"):
        convert(ws, prv, cls, app, project(svc), bindings, files=MemoryFiles())
    bindings[1] = VolumeBinding("files", disk("f1"), local_class())
    assert convert(ws, prv, cls, app, project(svc), bindings, files=MemoryFiles()).objects
