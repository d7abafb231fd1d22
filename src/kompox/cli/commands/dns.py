"""``kompoxops dns``: DNS records of the app's ingress hosts (kube-and-ops.md §9)."""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_dns() -> KompoxGroup:
    dns = new_group("dns", "Apply or remove the DNS records of the app's ingress hosts.")
    planned(dns, "deploy", "Create or update DNS records for the app's ingress hosts.", "issue 6")
    planned(dns, "destroy", "Delete DNS records of the app's ingress hosts.", "issue 6")
    return dns
