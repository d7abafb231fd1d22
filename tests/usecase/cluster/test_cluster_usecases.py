"""Cluster use cases: existing skip, protection per level (ADR-013), status probe, logs."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import pytest

from kompox.domain.errors import ExitCode, KompoxError, NotFoundError, ProtectionError, ValidationError
from kompox.domain.model import Cluster, ClusterIngress, ClusterOperation, ClusterProtection, ClusterStatus
from kompox.usecase.cluster_lifecycle import (
    cluster_deprovision,
    cluster_install,
    cluster_provision,
    cluster_status,
    cluster_uninstall,
)
from kompox.usecase.cluster_logs import cluster_logs
from kompox.usecase.protection import ProtectionScope, check_protection


@dataclass
class FakePort:
    status_result: ClusterStatus | None = None
    status_error: KompoxError | None = None
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def cluster_status(self, cluster: Cluster) -> ClusterStatus:
        self.calls.append(("status", cluster.name))
        if self.status_error is not None:
            raise self.status_error
        return self.status_result or ClusterStatus(existing=cluster.existing)

    def cluster_provision(self, cluster: Cluster, opts: Any = None) -> None:
        self.calls.append(("provision", opts))

    def cluster_deprovision(self, cluster: Cluster, opts: Any = None) -> None:
        self.calls.append(("deprovision", opts))

    def cluster_install(self, cluster: Cluster, opts: Any = None) -> None:
        self.calls.append(("install", opts))

    def cluster_uninstall(self, cluster: Cluster, opts: Any = None) -> None:
        self.calls.append(("uninstall", opts))

    def cluster_dns_apply(self, cluster: Cluster, rset: Any, opts: Any = None) -> None:
        self.calls.append(("dns_apply", rset))

    def names(self) -> list[str]:
        return [c[0] for c in self.calls]


def cluster(provisioning: str = "", installation: str = "", existing: bool = False) -> Cluster:
    protection = ClusterProtection(provisioning, installation) if provisioning or installation else None
    return Cluster(id="/ws/w/prv/p/cls/c1", name="c1", existing=existing, protection=protection)


# --- existing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("use_case", [cluster_provision, cluster_deprovision])
def test_existing_cluster_is_skipped_without_force(use_case: Any) -> None:
    port = FakePort()
    lines: list[str] = []
    result = use_case(port, cluster(existing=True), progress=lines.append)
    assert result.skipped and port.calls == []
    verb = "provision" if use_case is cluster_provision else "deprovision"
    assert lines == [f"cluster marked as existing, skipping {verb}"]


def test_force_acts_on_an_existing_cluster() -> None:
    port = FakePort()
    cluster_provision(port, cluster(existing=True), force=True, progress=lambda _m: None)
    cluster_deprovision(port, cluster(existing=True), force=True, progress=lambda _m: None)
    assert [(n, o.force) for n, o in port.calls] == [("provision", True), ("deprovision", True)]


def test_install_and_uninstall_ignore_existing() -> None:
    port = FakePort()
    cluster_install(port, cluster(existing=True), progress=lambda _m: None)
    cluster_uninstall(port, cluster(existing=True), force=True, progress=lambda _m: None)
    assert [(n, o.force) for n, o in port.calls] == [("install", False), ("uninstall", True)]


# --- protection ----------------------------------------------------------------------------------------

BLOCKED_DELETE = "cannot perform delete operation (set to 'none' to unblock)"


@pytest.mark.parametrize("level", ["", "none"])
def test_level_none_allows_everything_without_probing(level: str) -> None:
    port = FakePort(status_result=ClusterStatus(provisioned=True, installed=True))
    c = cluster(level or "none", level or "none")
    for use_case in (cluster_provision, cluster_deprovision, cluster_install, cluster_uninstall):
        use_case(port, c, progress=lambda _m: None)
    assert port.names() == ["provision", "deprovision", "install", "uninstall"]


def test_cannot_delete_blocks_only_delete() -> None:
    port = FakePort(status_result=ClusterStatus(provisioned=True, installed=True))
    c = cluster("cannotDelete", "cannotDelete")
    cluster_provision(port, c, progress=lambda _m: None)
    cluster_install(port, c, progress=lambda _m: None)
    with pytest.raises(ProtectionError) as info:
        cluster_deprovision(port, c, force=True, progress=lambda _m: None)
    assert str(info.value) == (
        'cluster operation blocked by protection policy: provisioning is "cannotDelete", ' + BLOCKED_DELETE
    )
    assert info.value.exit_code == ExitCode.PROTECTED == 7
    with pytest.raises(ProtectionError, match='installation is "cannotDelete"'):
        cluster_uninstall(port, c, force=True, progress=lambda _m: None)
    assert port.names() == ["provision", "install"]  # nothing reached the driver for the deletes


def test_read_only_allows_first_create_and_blocks_update() -> None:
    c = cluster("readOnly", "readOnly")
    fresh = FakePort(status_result=ClusterStatus(provisioned=False, installed=False))
    assert cluster_provision(fresh, c, progress=lambda _m: None).operation is ClusterOperation.CREATE
    assert cluster_install(fresh, c, progress=lambda _m: None).operation is ClusterOperation.CREATE
    assert fresh.names() == ["status", "provision", "status", "install"]

    live = FakePort(status_result=ClusterStatus(provisioned=True, installed=True))
    with pytest.raises(ProtectionError) as info:
        cluster_provision(live, c, force=True, progress=lambda _m: None)
    assert str(info.value) == (
        'cluster operation blocked by protection policy: provisioning is "readOnly", cannot perform update '
        "operation (set to 'none' or 'cannotDelete' to unblock)"
    )
    with pytest.raises(ProtectionError, match='installation is "readOnly", cannot perform update'):
        cluster_install(live, c, progress=lambda _m: None)
    with pytest.raises(ProtectionError, match=r'provisioning is "readOnly", cannot perform delete .*\'none\' to'):
        cluster_deprovision(live, c, progress=lambda _m: None)
    with pytest.raises(ProtectionError, match='installation is "readOnly", cannot perform delete'):
        cluster_uninstall(live, c, progress=lambda _m: None)
    assert live.names() == ["status", "status"]


def test_read_only_treats_a_probe_error_as_first_time() -> None:
    port = FakePort(status_error=KompoxError("unreachable"))
    cluster_install(port, cluster(installation="readOnly"), progress=lambda _m: None)
    assert port.names() == ["status", "install"]


def test_scopes_are_independent() -> None:
    port = FakePort(status_result=ClusterStatus(provisioned=True, installed=True))
    c = cluster(provisioning="readOnly")
    cluster_install(port, c, progress=lambda _m: None)
    cluster_uninstall(port, c, progress=lambda _m: None)
    with pytest.raises(ProtectionError):
        cluster_deprovision(port, c, progress=lambda _m: None)
    assert port.names() == ["install", "uninstall"]


def test_an_unknown_level_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=r"invalid protection\.installation value 'frozen'"):
        check_protection(cluster(installation="frozen"), ProtectionScope.INSTALLATION, ClusterOperation.CREATE)


# --- status ----------------------------------------------------------------------------------------------


def test_status_json_shape() -> None:
    port = FakePort(status_result=ClusterStatus(existing=True, provisioned=True, installed=True, ingress_fqdn="x.io"))
    assert cluster_status(port, cluster()).to_json() == {
        "existing": True,
        "provisioned": True,
        "installed": True,
        "ingressFQDN": "x.io",
        "cluster_id": "/ws/w/prv/p/cls/c1",
        "cluster_name": "c1",
    }


# --- logs --------------------------------------------------------------------------------------------------


@dataclass
class FakeLogs:
    pods: dict[str, list[dict[str, Any]]]
    adopted: str = ""
    streamed: list[tuple[str, str, str, bool, int]] = field(default_factory=list)

    def controller_namespace(self, namespace: str) -> str:
        return self.adopted or namespace

    def find_pod(self, namespace: str, selector: str, *, container: str = "") -> dict[str, Any] | None:
        assert selector == "app.kubernetes.io/name=traefik"
        pods = self.pods.get(namespace) or []
        return pods[0] if pods else None

    def stream_logs(
        self, namespace: str, pod: str, out: BinaryIO, *, container: str = "", follow: bool = False, tail_lines: int = 0
    ) -> int:
        self.streamed.append((namespace, pod, container, follow, tail_lines))
        out.write(b"log line\n")
        return 9


def test_logs_stream_the_traefik_pod_of_the_ingress_namespace() -> None:
    kube = FakeLogs({"edge": [{"metadata": {"name": "traefik-abc"}}]})
    out = io.BytesIO()
    c = Cluster(name="c1", ingress=ClusterIngress(namespace="edge"))
    result = cluster_logs(kube, c, out, container="traefik", follow=True, tail_lines=-1)
    assert (result.namespace, result.pod, result.bytes_copied) == ("edge", "traefik-abc", 9)
    assert kube.streamed == [("edge", "traefik-abc", "traefik", True, 0)]
    assert out.getvalue() == b"log line\n"


def test_logs_follow_an_adopted_traefik() -> None:
    kube = FakeLogs({"kube-system": [{"metadata": {"name": "traefik-k3s"}}]}, adopted="kube-system")
    result = cluster_logs(kube, cluster(), io.BytesIO())
    assert (result.namespace, result.pod) == ("kube-system", "traefik-k3s")
    assert kube.streamed[0][4] == 200


def test_logs_without_pod_name_the_namespace() -> None:
    with pytest.raises(NotFoundError, match=r"^traefik pod not found in namespace traefik$"):
        cluster_logs(FakeLogs({}), cluster(), io.BytesIO())
