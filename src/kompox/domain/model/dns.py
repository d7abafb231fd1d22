"""DNS record sets applied to provider-managed zones."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kompox.domain.errors import DriverValidationError


class DNSRecordType(StrEnum):
    A = "A"
    AAAA = "AAAA"
    CNAME = "CNAME"
    TXT = "TXT"
    MX = "MX"
    NS = "NS"
    SRV = "SRV"
    CAA = "CAA"


@dataclass
class DNSRecordSet:
    """``rdata`` empty means: delete the record set.  ``ttl`` 0 = provider default."""

    fqdn: str = ""
    type: DNSRecordType = DNSRecordType.A
    ttl: int = 0
    rdata: list[str] = field(default_factory=list)


def check_record_set(rset: DNSRecordSet) -> None:
    """The contract's input rules for ``cluster_dns_apply`` (seed 000), independent of any provider.

    An FQDN is required, the type must be one of :class:`DNSRecordType`, a CNAME has at
    most one RData entry, the TTL is not negative.  Raises :class:`DriverValidationError`
    (``strict`` or not: invalid input is never a soft failure).  Providers add their own
    rules (e.g. AKS supports A/AAAA/CNAME only).
    """
    if not rset.fqdn.strip():
        raise DriverValidationError("validate DNS record set: FQDN is required", field="fqdn")
    allowed = [str(t) for t in DNSRecordType]
    if str(rset.type) not in allowed:
        raise DriverValidationError(
            f"validate DNS record set: unsupported DNS record type: {rset.type} (allowed: {', '.join(allowed)})",
            field="type",
        )
    if str(rset.type) == DNSRecordType.CNAME and len(rset.rdata) > 1:
        raise DriverValidationError(
            f"validate DNS record set: CNAME record must have exactly one RData entry, got {len(rset.rdata)}",
            field="rdata",
        )
    if rset.ttl < 0:
        raise DriverValidationError(f"validate DNS record set: TTL must not be negative, got {rset.ttl}", field="ttl")
