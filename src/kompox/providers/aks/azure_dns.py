"""Azure DNS: zone ids, zone selection, record normalisation and writes (upstream ``azure_dns.go``, §9.8)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import DNSRecordSet, DNSRecordType
from kompox.providers.aks.clients import AzureClients
from kompox.providers.aks.resource_id import ResourceID, parse_typed_id, reason
from kompox.providers.aks.settings import AZURE_AKS_DNS_ZONE_RESOURCE_IDS, split_id_list
from kompox.providers.aks.span import api_error

DNS_ZONE_TYPE = "Microsoft.Network/dnszones"
DEFAULT_TTL = 300
SUPPORTED_TYPES = (DNSRecordType.A, DNSRecordType.AAAA, DNSRecordType.CNAME)


def collect_zone_ids(settings: Mapping[str, str] | None) -> list[ResourceID]:
    zones: list[ResourceID] = []
    for raw in split_id_list((settings or {}).get(AZURE_AKS_DNS_ZONE_RESOURCE_IDS)):
        try:
            zones.append(parse_typed_id(raw, DNS_ZONE_TYPE, "DNS Zone"))
        except DriverValidationError as err:
            raise DriverValidationError(f"parse DNS zone resource ID: {reason(err)}") from err
    return zones


@dataclass(frozen=True)
class NormalizedRecord:
    fqdn: str
    type: str
    ttl: int
    rdata: tuple[str, ...]


def normalize_record(rset: DNSRecordSet) -> NormalizedRecord:
    """Validate and normalise; invalid input raises even when not strict (project decision)."""
    fqdn = rset.fqdn.strip()
    if not fqdn:
        raise DriverValidationError("validate DNS record set: FQDN is required")
    fqdn = fqdn.removesuffix(".")
    rtype = str(rset.type)
    if rtype not in {str(t) for t in SUPPORTED_TYPES}:
        raise DriverValidationError(f"validate DNS record set: unsupported DNS record type: {rtype}")
    if rtype == DNSRecordType.CNAME and len(rset.rdata) > 1:
        raise DriverValidationError(
            f"validate DNS record set: CNAME record must have exactly one RData entry, got {len(rset.rdata)}"
        )
    if rset.ttl < 0:
        raise DriverValidationError(f"validate DNS record set: TTL must not be negative, got {rset.ttl}")
    return NormalizedRecord(fqdn, rtype, rset.ttl or DEFAULT_TTL, tuple(rset.rdata))


def select_zone(zones: Sequence[ResourceID], fqdn: str, hint: str = "") -> tuple[ResourceID | None, bool]:
    """The zone for ``fqdn``: an exact hint (id or name) first, else the longest suffix match.

    Returns ``(zone, hint_ignored)``; ``hint_ignored`` is true when a non-empty hint matched nothing.
    """
    if hint:
        for zone in zones:
            if hint in (zone.id, zone.name):
                return zone, False
    best: ResourceID | None = None
    best_len = -1
    for zone in zones:
        name = zone.name.removesuffix(".")
        if (fqdn == name or fqdn.endswith("." + name)) and len(name) > best_len:
            best, best_len = zone, len(name)
    return best, bool(hint)


def relative_name(fqdn: str, zone_name: str) -> str:
    zone = zone_name.removesuffix(".")
    return "@" if fqdn == zone else fqdn.removesuffix("." + zone)


def upsert_record(clients: AzureClients, zone: ResourceID, record: NormalizedRecord) -> None:
    """Overwrite the record set (no If-Match)."""
    from azure.core.exceptions import HttpResponseError
    from azure.mgmt.dns import models

    params = models.RecordSet(ttl=record.ttl)
    if record.type == DNSRecordType.A:
        params.a_records = [models.ARecord(ipv4_address=x) for x in record.rdata]
    elif record.type == DNSRecordType.AAAA:
        params.aaaa_records = [models.AaaaRecord(ipv6_address=x) for x in record.rdata]
    else:
        params.cname_record = models.CnameRecord(cname=record.rdata[0])
    try:
        clients.dns(zone.subscription_id).record_sets.create_or_update(
            zone.resource_group, zone.name, relative_name(record.fqdn, zone.name), record.type, params
        )
    except HttpResponseError as err:
        raise api_error("upsert DNS record: create/update DNS record", err) from err


def delete_record(clients: AzureClients, zone: ResourceID, record: NormalizedRecord) -> None:
    from azure.core.exceptions import HttpResponseError

    try:
        clients.dns(zone.subscription_id).record_sets.delete(
            zone.resource_group, zone.name, relative_name(record.fqdn, zone.name), record.type
        )
    except HttpResponseError as err:
        raise api_error("delete DNS record: delete DNS record", err) from err
