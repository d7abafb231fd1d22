"""cluster_dns_apply: zone selection, idempotent writes, best-effort vs strict (driver-aks.md §9.8)."""

from __future__ import annotations

from typing import Any

import pytest

from kompox.domain.errors import DriverError, DriverValidationError, ProviderAPIError
from kompox.domain.model import Cluster, DNSRecordSet, DNSRecordType
from kompox.domain.options import ClusterDNSApplyOptions
from kompox.providers.aks.azure_dns import collect_zone_ids, normalize_record, relative_name, select_zone

from .fake_arm import FakeARM, Reply, error, throttled

ZSUB = "11111111-1111-1111-1111-111111111111"
Z1 = f"/subscriptions/{ZSUB}/resourceGroups/dns-rg/providers/Microsoft.Network/dnszones/example.com"
Z2 = f"/subscriptions/{ZSUB}/resourceGroups/dns-rg/providers/Microsoft.Network/dnsZones/app.example.com"
Z3 = f"/subscriptions/{ZSUB}/resourceGroups/other/providers/Microsoft.Network/dnszones/other.net"


def _cluster(ids: str = f"{Z1}, {Z2}\n\t{Z3}") -> Cluster:
    return Cluster(name="cluster1", settings={"AZURE_AKS_DNS_ZONE_RESOURCE_IDS": ids})


def _record_path(zone_rg: str, zone: str, rtype: str, rel: str) -> str:
    return f"/subscriptions/{ZSUB}/resourceGroups/{zone_rg}/providers/Microsoft.Network/dnsZones/{zone}/{rtype}/{rel}"


@pytest.mark.parametrize(
    ("fqdn", "hint", "zone", "rel"),
    [
        ("www.example.com", "", "example.com", "www"),
        ("x.app.example.com", "", "app.example.com", "x"),
        ("example.com", "", "example.com", "@"),
        ("x.app.example.com", "example.com", "example.com", "x.app"),
        ("www.example.com", Z3, "other.net", "www.example.com"),
        ("www.example.com", "nomatch", "example.com", "www"),
    ],
)
def test_zone_selection_and_relative_names(fqdn: str, hint: str, zone: str, rel: str) -> None:
    zones = collect_zone_ids(_cluster().settings)
    chosen, _ = select_zone(zones, fqdn, hint)
    assert chosen is not None and chosen.name == zone
    assert relative_name(fqdn, chosen.name) == rel


def test_zone_id_parsing_errors() -> None:
    with pytest.raises(DriverValidationError, match="parse DNS zone resource ID: parse Azure DNS Zone resource ID"):
        collect_zone_ids({"AZURE_AKS_DNS_ZONE_RESOURCE_IDS": f"/subscriptions/{ZSUB}/resourceGroups/my-rg"})
    bad = Z1.replace("Microsoft.Network", "Microsoft.Compute")
    with pytest.raises(
        DriverValidationError, match=r"expected Microsoft.Network/dnszones, got Microsoft.Compute/dnszones"
    ):
        collect_zone_ids({"AZURE_AKS_DNS_ZONE_RESOURCE_IDS": bad})


def test_normalisation() -> None:
    assert normalize_record(DNSRecordSet("a.example.com.", DNSRecordType.A, 0, ["1.2.3.4"])).ttl == 300
    kept = normalize_record(DNSRecordSet("a.example.com.", DNSRecordType.A, 3600, []))
    assert (kept.fqdn, kept.ttl) == ("a.example.com", 3600)


@pytest.mark.parametrize(
    ("rset", "message"),
    [
        (DNSRecordSet("", DNSRecordType.A, 0, ["1.2.3.4"]), "FQDN is required"),
        (DNSRecordSet("t.example.com", DNSRecordType.TXT, 0, ["x"]), "unsupported DNS record type: TXT"),
        (
            DNSRecordSet("c.example.com", DNSRecordType.CNAME, 0, ["a.", "b."]),
            "CNAME record must have exactly one RData entry, got 2",
        ),
    ],
)
def test_invalid_input_raises_even_when_not_strict(
    make_driver: Any, fake: FakeARM, rset: DNSRecordSet, message: str
) -> None:
    with pytest.raises(DriverValidationError, match=message):
        make_driver().cluster_dns_apply(_cluster(), rset)
    assert fake.requests == []


def test_upsert_a_record_in_zone_subscription(make_driver: Any, fake: FakeARM) -> None:
    path = _record_path("dns-rg", "app.example.com", "A", "x")
    fake.on("PUT", path, Reply(200, {"name": "x"}))
    rset = DNSRecordSet("x.app.example.com.", DNSRecordType.A, 0, ["20.1.2.3", "20.1.2.4"])
    driver = make_driver()
    driver.cluster_dns_apply(_cluster(), rset)
    driver.cluster_dns_apply(_cluster(), rset)  # idempotent: the same overwrite again
    puts = fake.seen("PUT", path)
    assert len(puts) == 2
    assert puts[0].api_version == "2018-05-01"
    assert puts[0].body == {
        "properties": {"TTL": 300, "ARecords": [{"ipv4Address": "20.1.2.3"}, {"ipv4Address": "20.1.2.4"}]}
    }
    assert "If-Match" not in puts[0].headers


def test_upsert_cname_and_aaaa(make_driver: Any, fake: FakeARM) -> None:
    cname = _record_path("dns-rg", "example.com", "CNAME", "www")
    aaaa = _record_path("dns-rg", "example.com", "AAAA", "@")
    fake.on("PUT", cname, Reply(200, {}))
    fake.on("PUT", aaaa, Reply(201, {}))
    driver = make_driver()
    driver.cluster_dns_apply(_cluster(), DNSRecordSet("www.example.com", DNSRecordType.CNAME, 60, ["lb.example.net."]))
    driver.cluster_dns_apply(_cluster(), DNSRecordSet("example.com", DNSRecordType.AAAA, 0, ["2001:db8::1"]))
    assert fake.seen("PUT", cname)[0].body == {"properties": {"TTL": 60, "CNAMERecord": {"cname": "lb.example.net."}}}
    assert fake.seen("PUT", aaaa)[0].body == {
        "properties": {"TTL": 300, "AAAARecords": [{"ipv6Address": "2001:db8::1"}]}
    }


def test_empty_rdata_deletes_and_absent_is_success(make_driver: Any, fake: FakeARM) -> None:
    path = _record_path("dns-rg", "example.com", "A", "www")
    fake.on("DELETE", path, Reply(204))
    make_driver().cluster_dns_apply(_cluster(), DNSRecordSet("www.example.com", DNSRecordType.A, 0, []))
    assert [r.method for r in fake.requests] == ["DELETE"]


def test_throttled_write_is_retried(make_driver: Any, fake: FakeARM) -> None:
    path = _record_path("dns-rg", "example.com", "A", "www")
    fake.on("PUT", path, throttled(), Reply(200, {}))
    make_driver().cluster_dns_apply(_cluster(), DNSRecordSet("www.example.com", DNSRecordType.A, 0, ["1.1.1.1"]))
    assert len(fake.seen("PUT", path)) == 2


def test_write_failure_swallowed_unless_strict(
    make_driver: Any, fake: FakeARM, caplog: pytest.LogCaptureFixture
) -> None:
    path = _record_path("dns-rg", "example.com", "A", "www")
    fake.on("PUT", path, error(500, "InternalServerError", "dns backend down"))
    rset = DNSRecordSet("www.example.com", DNSRecordType.A, 0, ["1.1.1.1"])
    make_driver().cluster_dns_apply(_cluster(), rset)
    assert "dns backend down" in caplog.text
    assert len(fake.seen("PUT", path)) == 4  # the pipeline retried 500 three times
    with pytest.raises(ProviderAPIError, match="upsert DNS record: create/update DNS record: InternalServerError"):
        make_driver().cluster_dns_apply(_cluster(), rset, ClusterDNSApplyOptions(strict=True))


def test_configuration_gaps_are_soft_unless_strict(make_driver: Any, fake: FakeARM) -> None:
    rset = DNSRecordSet("www.nomatch.org", DNSRecordType.A, 0, ["1.1.1.1"])
    driver = make_driver()
    driver.cluster_dns_apply(_cluster(), rset)
    driver.cluster_dns_apply(Cluster(name="c"), rset)
    with pytest.raises(DriverError, match=r"select DNS zone: no matching DNS zone found for FQDN www.nomatch.org"):
        driver.cluster_dns_apply(_cluster(), rset, ClusterDNSApplyOptions(strict=True))
    with pytest.raises(DriverError, match="no DNS zones configured"):
        driver.cluster_dns_apply(Cluster(name="c"), rset, ClusterDNSApplyOptions(strict=True))
    with pytest.raises(DriverValidationError, match="collect DNS zone IDs"):
        driver.cluster_dns_apply(_cluster("/bad"), rset, ClusterDNSApplyOptions(strict=True))
    assert fake.requests == []


def test_dry_run_writes_nothing(make_driver: Any, fake: FakeARM) -> None:
    make_driver().cluster_dns_apply(
        _cluster(),
        DNSRecordSet("www.example.com", DNSRecordType.A, 0, ["1.1.1.1"]),
        ClusterDNSApplyOptions(dry_run=True),
    )
    assert fake.requests == []
