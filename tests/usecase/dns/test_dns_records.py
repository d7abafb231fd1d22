"""DNS deploy/destroy: ingress hosts → DNSRecordSet → ClusterPort.dns_apply (kube-and-ops.md §9.3–9.4)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pytest

from kompox.domain.errors import ExitCode, KompoxError, ProviderAPIError, ValidationError
from kompox.domain.model import App, Cluster, DNSRecordSet, DNSRecordType, Provider, Workspace
from kompox.domain.options import ClusterDNSApplyOptions
from kompox.usecase.dns_records import DNSOptions, app_namespace, dns_deploy, dns_destroy

CLUSTER = Cluster(id="/ws/w/prv/p/cls/c", name="c")
APP = App(id="/ws/w/prv/p/cls/c/app/web", name="web", cluster_id=CLUSTER.id)
NS = "k4x-ns"


@dataclass
class Hosts:
    pairs: list[tuple[str, str]]
    asked: list[tuple[str, str]] = field(default_factory=list)

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]:
        self.asked.append((namespace, selector))
        return list(self.pairs)


@dataclass
class Port:
    fail: dict[tuple[str, str], KompoxError] = field(default_factory=dict)
    applied: list[tuple[DNSRecordSet, ClusterDNSApplyOptions]] = field(default_factory=list)

    def cluster_dns_apply(
        self, cluster: Cluster, rset: DNSRecordSet, opts: ClusterDNSApplyOptions | None = None
    ) -> None:
        assert opts is not None and cluster is CLUSTER
        self.applied.append((rset, opts))
        err = self.fail.get((rset.fqdn, rset.type.value))
        if err is not None:
            raise err

    def cluster_status(self, cluster: Cluster) -> Any: ...
    def cluster_provision(self, cluster: Cluster, opts: Any = None) -> None: ...
    def cluster_deprovision(self, cluster: Cluster, opts: Any = None) -> None: ...
    def cluster_install(self, cluster: Cluster, opts: Any = None) -> None: ...
    def cluster_uninstall(self, cluster: Cluster, opts: Any = None) -> None: ...


def results(result: Any) -> list[tuple[str, str, str, str]]:
    return [(r.fqdn, r.type, r.action, r.message) for r in result.records]


def test_deploy_one_a_record_per_host_with_ip() -> None:
    hosts = Hosts([("a.example.com", "1.2.3.4"), ("b.example.com", ""), ("c.example.com", "5.6.7.8")])
    port = Port()
    out = dns_deploy(port, hosts, CLUSTER, APP, namespace=NS, options=DNSOptions(zone_hint="example.com"))
    assert hosts.asked == [(NS, "app=web-app")]
    assert [(r.fqdn, r.type, r.ttl, r.rdata) for r, _ in port.applied] == [
        ("a.example.com", DNSRecordType.A, 0, ["1.2.3.4"]),
        ("c.example.com", DNSRecordType.A, 0, ["5.6.7.8"]),
    ]
    assert port.applied[0][1] == ClusterDNSApplyOptions(zone_hint="example.com", strict=False, dry_run=False)
    assert results(out) == [
        ("a.example.com", "A", "updated", "A -> 1.2.3.4"),
        ("b.example.com", "A", "skipped", "no IP address available yet"),
        ("c.example.com", "A", "updated", "A -> 5.6.7.8"),
    ]
    assert out.to_json("applied")["applied"][1] == {
        "fqdn": "b.example.com",
        "type": "A",
        "action": "skipped",
        "message": "no IP address available yet",
    }


def test_deploy_dry_run_plans_and_passes_dry_run_to_the_driver() -> None:
    port = Port()
    out = dns_deploy(
        port, Hosts([("a.example.com", "1.2.3.4")]), CLUSTER, APP, namespace=NS, options=DNSOptions(dry_run=True)
    )
    assert port.applied[0][1].dry_run is True
    assert results(out) == [("a.example.com", "A", "planned", "would create/update A -> 1.2.3.4")]


def test_deploy_component_selects_other_ingresses() -> None:
    hosts = Hosts([])
    out = dns_deploy(Port(), hosts, CLUSTER, APP, namespace=NS, options=DNSOptions(component="box"))
    assert hosts.asked == [(NS, "app=web-box")]
    assert out.records == [] and out.to_json("applied") == {"applied": None}


def test_deploy_failures_are_best_effort_unless_strict(caplog: pytest.LogCaptureFixture) -> None:
    boom = ProviderAPIError("zone write refused", status_code=403)
    hosts = Hosts([("a.example.com", "1.2.3.4"), ("b.example.com", "1.2.3.5")])
    with caplog.at_level(logging.INFO, logger="kompox.usecase.dns"):
        out = dns_deploy(Port(fail={("a.example.com", "A"): boom}), hosts, CLUSTER, APP, namespace=NS)
    assert results(out) == [
        ("a.example.com", "A", "failed", "zone write refused"),
        ("b.example.com", "A", "updated", "A -> 1.2.3.5"),
    ]
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("ERROR", "failed to apply DNS record"),
        ("INFO", "applied DNS record"),
    ]
    with pytest.raises(KompoxError) as info:
        dns_deploy(
            Port(fail={("a.example.com", "A"): boom}),
            hosts,
            CLUSTER,
            APP,
            namespace=NS,
            options=DNSOptions(strict=True),
        )
    assert str(info.value) == "apply DNS for a.example.com: zone write refused"
    assert info.value.exit_code == ExitCode.PROVIDER


def test_deploy_strict_host_without_ip_is_an_error() -> None:
    with pytest.raises(KompoxError, match=r"^no IP address available for b\.example\.com$"):
        dns_deploy(Port(), Hosts([("b.example.com", "")]), CLUSTER, APP, namespace=NS, options=DNSOptions(strict=True))


def test_invalid_input_raises_even_when_not_strict() -> None:
    bad = ValidationError("validation error: unsupported DNS record type: X")
    with pytest.raises(ValidationError, match="unsupported DNS record type"):
        dns_deploy(
            Port(fail={("a.example.com", "A"): bad}), Hosts([("a.example.com", "1.1.1.1")]), CLUSTER, APP, namespace=NS
        )


def test_destroy_deletes_three_types_per_host() -> None:
    port = Port(fail={("a.example.com", "AAAA"): ProviderAPIError("throttled")})
    out = dns_destroy(port, Hosts([("a.example.com", "1.2.3.4"), ("b.example.com", "")]), CLUSTER, APP, namespace=NS)
    assert [(r.fqdn, r.type.value, r.rdata) for r, _ in port.applied] == [
        ("a.example.com", "A", []),
        ("a.example.com", "AAAA", []),
        ("a.example.com", "CNAME", []),
        ("b.example.com", "A", []),
        ("b.example.com", "AAAA", []),
        ("b.example.com", "CNAME", []),
    ]
    assert results(out)[:3] == [
        ("a.example.com", "A", "deleted", "A record deleted"),
        ("a.example.com", "AAAA", "failed", "throttled"),
        ("a.example.com", "CNAME", "deleted", "CNAME record deleted"),
    ]
    planned = dns_destroy(
        Port(), Hosts([("a.example.com", "")]), CLUSTER, APP, namespace=NS, options=DNSOptions(dry_run=True)
    )
    assert [r.message for r in planned.records] == [
        "would delete A record",
        "would delete AAAA record",
        "would delete CNAME record",
    ]
    with pytest.raises(KompoxError, match=r"^delete DNS for a.example.com \(AAAA\): throttled$"):
        dns_destroy(port, Hosts([("a.example.com", "")]), CLUSTER, APP, namespace=NS, options=DNSOptions(strict=True))


def test_app_namespace_matches_the_converter_naming() -> None:
    ns = app_namespace(Workspace(name="ws1"), Provider(name="aks1"), Cluster(name="cluster1"), App(name="app1"))
    assert ns.startswith("k4x-") and ns.split("-")[2] == "app1"
    with pytest.raises(ValidationError, match="namespace is required"):
        app_namespace(None, Provider(name="p"), CLUSTER, APP)
