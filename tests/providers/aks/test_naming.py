"""Names and tags byte-compatible with upstream: golden values of driver-aks.md §5–6."""

from __future__ import annotations

import re

import pytest

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import App, Cluster
from kompox.providers.aks.naming import (
    AKSNames,
    resource_prefix,
    safe_truncate,
    spc_name_for_vault,
    tls_mount_dir,
)


@pytest.mark.parametrize(
    ("base", "hash_", "expected"),
    [
        ("short", "abc123", "short_abc123"),
        ("a" * 70, "abc123", "a" * 65 + "_abc123"),
        ("", "xyz789", "_xyz789"),
        ("x", "hash123", "x_hash123"),
        ("test", "h" * 50, "test_" + "h" * 50),
        ("c" * 100, "short", "c" * 66 + "_short"),
    ],
)
def test_safe_truncate_golden(base: str, hash_: str, expected: str) -> None:
    assert safe_truncate(base, hash_) == expected


def test_safe_truncate_limits() -> None:
    assert len(safe_truncate("a" * 65, "123456")) == 72
    for bad in ("x" * 72, "y" * 73):
        with pytest.raises(DriverValidationError, match=f"hash too long: {len(bad)} chars exceeds limit"):
            safe_truncate("test", bad)


def _names(workspace: str, prefix_override: str = "") -> AKSNames:
    return AKSNames(workspace, "aks1", resource_prefix(workspace, "aks1", prefix_override))


def test_example_a() -> None:
    names = _names("ws1")
    app = App(name="app1")
    assert names.prefix == "k4x-b3wold"
    assert names.cluster_resource_group(Cluster(name="cluster1")) == "k4x-b3wold_cls_cluster1_3c7zij"
    assert names.deployment_name(Cluster(name="cluster1")) == "k4x-b3wold_cls_cluster1_3c7zij"
    assert names.app_resource_group(app) == "k4x-b3wold_app_app1_5z5nb0"
    assert names.disk_name(app, "db", "d1") == "k4x-b3wold_disk_db_d1_5z5nb0"
    assert names.snapshot_name(app, "db", "s1") == "k4x-b3wold_snap_db_s1_5z5nb0"
    assert names.storage_account_name(app) == "k4xb3wold5z5nb0"


def test_example_b_upstream_log_values() -> None:
    names = _names("aks-e2e-gitea-20250925-060355")
    assert names.prefix == "k4x-50vf7y"
    assert names.cluster_resource_group(Cluster(name="cluster1")) == "k4x-50vf7y_cls_cluster1_62mpgv"
    assert names.app_resource_group(App(name="app1")) == "k4x-50vf7y_app_app1_13o40q"
    assert names.storage_account_name(App(name="app1")) == "k4x50vf7y13o40q"


def test_example_c_no_workspace() -> None:
    names = _names("(nil)")
    assert names.prefix == "k4x-2mpt46"
    assert names.cluster_resource_group(Cluster(name="cluster1")) == "k4x-2mpt46_cls_cluster1_5oq2qb"
    assert names.app_resource_group(App(name="app1")) == "k4x-2mpt46_app_app1_1qgf3u"


def test_example_d_truncation() -> None:
    name = "a-very-long-cluster-name-that-goes-on-and-on-and-on-forever-and-more"
    rg = _names("ws1").cluster_resource_group(Cluster(name=name))
    assert rg == "k4x-b3wold_cls_a-very-long-cluster-name-that-goes-on-and-on-and-o_4fc3mf"
    assert len(rg) == 72


def test_example_e_custom_prefix() -> None:
    names = _names("ws1", "mycompany-production-environment")
    disk = names.disk_name(App(name="app1"), "database-volume1", "x" * 24)
    assert disk == "mycompany-production-environment_disk_database-volume1_xxxxxxxxxx_5z5nb0"


def test_overrides_are_verbatim() -> None:
    names = _names("ws1")
    cluster = Cluster(name="cluster1", settings={"AZURE_RESOURCE_GROUP_NAME": " my-rg"})
    assert names.cluster_resource_group(cluster) == " my-rg"
    assert names.deployment_name(cluster) == " my-rg"
    assert names.app_resource_group(App(name="app1", settings={"AZURE_RESOURCE_GROUP_NAME": "apprg"})) == "apprg"


def test_length_checks() -> None:
    names = _names("ws1")
    with pytest.raises(DriverValidationError, match=r'volume name "v{17}" exceeds max length 16'):
        names.disk_name(App(name="a"), "v" * 17, "d")
    with pytest.raises(DriverValidationError, match=r"disk name .* exceeds max length 24"):
        names.disk_name(App(name="a"), "v", "d" * 25)
    with pytest.raises(DriverValidationError, match=r"snapshot name .* exceeds max length 24"):
        names.snapshot_name(App(name="a"), "v", "s" * 25)


def test_storage_account_shape() -> None:
    for app in ("app1", "x", "a-very-long-app-name-with-dashes"):
        assert re.fullmatch(r"[0-9a-z]{15}", _names("ws", "IGNORED_prefix").storage_account_name(App(name=app)))


def test_tags() -> None:
    names = _names("ws1")
    assert names.cluster_tags(Cluster(name="cluster1")) == {
        "kompox-workspace-name": "ws1",
        "kompox-provider-name": "aks1",
        "kompox-cluster-name": "cluster1",
        "kompox-cluster-hash": "3c7zij",
        "managed-by": "kompox",
    }
    assert names.app_tags(App(name="app1")) == {
        "kompox-workspace-name": "ws1",
        "kompox-provider-name": "aks1",
        "kompox-app-name": "app1",
        "kompox-app-id-hash": "5z5nb0",
        "managed-by": "kompox",
    }


def test_spc_name_and_mount() -> None:
    assert spc_name_for_vault("My_Vault.1") == "traefik-kv-my-vault-1"
    assert tls_mount_dir("traefik-kv-my-vault-1", "My_Vault.1") == "/config/tls/my-vault-1"
    assert tls_mount_dir("other", "VAULT") == "/config/tls/vault"
