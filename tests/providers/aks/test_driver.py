"""Registration, cheap import, the Driver protocol, volume classes and not-yet-implemented methods."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from kompox.domain.errors import NotFoundError, NotSupportedError
from kompox.domain.model import App, AppVolume, Cluster, Provider
from kompox.domain.ports import Driver
from kompox.providers.aks import AKSDriver
from kompox.providers.registry import new_driver

from .conftest import SETTINGS


def test_registered_under_aks_and_satisfies_protocol() -> None:
    driver = new_driver(None, Provider(name="aks1", driver="aks", settings=dict(SETTINGS)))
    assert isinstance(driver, AKSDriver)
    assert isinstance(driver, Driver)


def test_import_does_not_load_azure_sdks() -> None:
    code = "import sys, kompox.providers.aks; print(sorted(m for m in sys.modules if m.startswith('azure')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_volume_classes(make_driver: Any) -> None:
    driver = make_driver()
    disk = driver.volume_class(Cluster(), App(), AppVolume(name="db", type="disk"))
    assert (disk.storage_class_name, disk.csi_driver, disk.fs_type, disk.attributes, disk.access_modes) == (
        "managed-csi",
        "disk.csi.azure.com",
        "ext4",
        {"fsType": "ext4"},
        ["ReadWriteOnce"],
    )
    files = driver.volume_class(Cluster(), App(), AppVolume(name="f", type="files", options={"skuName": "Premium_LRS"}))
    assert (files.storage_class_name, files.csi_driver, files.fs_type, files.attributes, files.access_modes) == (
        "azurefile-csi",
        "file.csi.azure.com",
        "",
        {"protocol": "smb"},
        ["ReadWriteMany"],
    )
    assert driver.volume_class(Cluster(), App(), AppVolume(name="f", type="files")).attributes == {"protocol": "smb"}
    assert disk.reclaim_policy == files.reclaim_policy == "Retain"


def test_volume_methods_check_type_and_volume_before_any_request(make_driver: Any) -> None:
    driver = make_driver()
    app = App(name="app1", volumes=[AppVolume(name="db", type="disk"), AppVolume(name="f", type="files")])
    cluster = Cluster(name="cluster1")
    with pytest.raises(NotSupportedError, match="operation not supported"):
        driver.volume_snapshot_list(cluster, app, "f")
    with pytest.raises(NotFoundError, match="volume not found: nope"):
        driver.volume_disk_list(cluster, app, "nope")


def test_force_is_honoured_or_refused_never_ignored(make_driver: Any, fake: Any) -> None:
    """Issue #18: provision honours force (re-deploy, tests/providers/aks/test_provision.py); install,
    uninstall, node pools and every volume method but disk delete refuse it before any request."""
    from kompox.domain.errors import DriverValidationError
    from kompox.domain.model import NodePool
    from kompox.domain.options import (
        ClusterInstallOptions,
        ClusterUninstallOptions,
        NodePoolCreateOptions,
        VolumeDiskCreateOptions,
        VolumeSnapshotCreateOptions,
    )

    driver = make_driver()
    app = App(name="app1", volumes=[AppVolume(name="db", size=1 << 30)])
    calls = {
        "ClusterInstall": lambda: driver.cluster_install(Cluster(name="c1"), ClusterInstallOptions(force=True)),
        "ClusterUninstall": lambda: driver.cluster_uninstall(Cluster(name="c1"), ClusterUninstallOptions(force=True)),
        "NodePoolCreate": lambda: driver.node_pool_create(
            Cluster(name="c1"), NodePool(name="np1"), NodePoolCreateOptions(force=True)
        ),
        "VolumeDiskCreate": lambda: driver.volume_disk_create(
            Cluster(name="c1"), app, "db", "d1", "", VolumeDiskCreateOptions(force=True)
        ),
        "VolumeSnapshotCreate": lambda: driver.volume_snapshot_create(
            Cluster(name="c1"), app, "db", "s1", "", VolumeSnapshotCreateOptions(force=True)
        ),
    }
    for method, call in calls.items():
        with pytest.raises(
            DriverValidationError, match=f"validation error: {method}: --force is not supported by the aks"
        ):
            call()
    assert fake.requests == []
