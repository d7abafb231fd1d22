"""Cluster status as reported by a driver."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class ClusterStatus:
    """``unreachable`` (never in the JSON): why the cluster's API server could not be asked.

    Drivers report it instead of raising (the status probe of the protection
    checks must not fail); ``cluster status`` turns it into an API error.
    """

    existing: bool = False
    provisioned: bool = False
    installed: bool = False
    ingress_global_ip: str = ""
    ingress_fqdn: str = ""
    unreachable: str = ""

    def to_json(self) -> dict[str, Any]:
        """Upstream wire form: JSON names kept, empty ingress fields omitted."""
        out: dict[str, Any] = {
            "existing": self.existing,
            "provisioned": self.provisioned,
            "installed": self.installed,
        }
        if self.ingress_global_ip:
            out["ingressGlobalIP"] = self.ingress_global_ip
        if self.ingress_fqdn:
            out["ingressFQDN"] = self.ingress_fqdn
        return out
