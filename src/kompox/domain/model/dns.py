"""DNS record sets applied to provider-managed zones."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
