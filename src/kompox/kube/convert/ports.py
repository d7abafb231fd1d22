"""Compose ports → container ports, the ``<app>-<component>`` Service ports and ingress rules (§6)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kompox.compose.model import ServicePort
from kompox.domain.model import AppIngressRule
from kompox.kube.convert.errors import ConversionError

_RULE_NAME = re.compile(r"^[a-z][-a-z0-9]*$")
MAX_RULE_NAME = 15


@dataclass
class PortMap:
    """Host/container port bookkeeping across all services (§6.1)."""

    container_owner: dict[int, str] = field(default_factory=dict)  # containerPort → first service
    host_to_container: dict[int, int] = field(default_factory=dict)  # hostPort → containerPort

    def add_service(self, service: str, ports: list[ServicePort]) -> list[dict[str, int]]:
        """Validate one service's ports and return its container ``ports`` (distinct, in order)."""
        out: list[dict[str, int]] = []
        seen: set[int] = set()
        for port in ports:
            if not port.published or port.target == 0:
                raise ConversionError(f"ports must be 'host:container' style numeric; service {service}")
            host = _host_port(port.published)
            cp = port.target
            owner = self.container_owner.get(cp)
            if owner is not None and owner != service:
                raise ConversionError(f"containerPort {cp} used by multiple services ({owner},{service})")
            self.container_owner.setdefault(cp, service)
            previous = self.host_to_container.get(host)
            if previous is not None and previous != cp:
                raise ConversionError(f"hostPort {host} mapped to multiple container ports ({previous},{cp})")
            self.host_to_container[host] = cp
            if cp not in seen:
                seen.add(cp)
                out.append({"containerPort": cp})
        return out

    def plain_service_ports(self) -> list[dict[str, Any]]:
        """One port per distinct host port, ascending: ``{name: p<hp>, port: hp, targetPort: cp}``."""
        return [
            {"name": f"p{hp}", "port": hp, "targetPort": self.host_to_container[hp]}
            for hp in sorted(self.host_to_container)
        ]


def _host_port(published: str) -> int:
    text = published.strip()
    if not text.isdigit() or not text.isascii() or int(text) <= 0:
        raise ConversionError(f'invalid host port "{published}"')
    return int(text)


@dataclass(frozen=True)
class IngressPlan:
    """Validated ingress rules: Service ports and the custom hosts per rule."""

    service_ports: list[dict[str, Any]]
    custom_hosts: list[tuple[str, str]]  # (rule name, host) in rule then host order


def plan_ingress(rules: list[AppIngressRule], ports: PortMap, cluster_domain: str) -> IngressPlan:
    """Validate the App ingress rules in order (§6.2)."""
    used_ports: set[int] = set()
    name_by_container: dict[int, str] = {}
    host_owner: dict[str, str] = {}
    service_ports: list[dict[str, Any]] = []
    hosts: list[tuple[str, str]] = []
    domain = cluster_domain.strip()
    for rule in rules:
        if not rule.name or len(rule.name) > MAX_RULE_NAME or not _RULE_NAME.match(rule.name):
            raise ConversionError(f"invalid ingress name: {rule.name}")
        if rule.port in used_ports:
            raise ConversionError(f"duplicate ingress port {rule.port}")
        used_ports.add(rule.port)
        cp = ports.host_to_container.get(rule.port)
        if cp is None:
            raise ConversionError(f"ingress port {rule.port} not defined in compose ports")
        other = name_by_container.get(cp)
        if other is not None and other != rule.name:
            raise ConversionError(
                f"containerPort {cp} referenced by multiple ingress entries with different names ({other},{rule.name})"
            )
        name_by_container.setdefault(cp, rule.name)
        service_ports.append({"name": rule.name, "port": rule.port, "targetPort": cp})
        for raw_host in rule.hosts:
            host = raw_host.strip()
            if domain and (host.lower() == domain.lower() or host.lower().endswith("." + domain.lower())):
                raise ConversionError(f"ingress host {host} must not be under cluster ingress domain {domain}")
            prev = host_owner.get(host)
            if prev is not None:
                raise ConversionError(f"host {host} duplicated across ingress entries ({prev},{rule.name})")
            host_owner[host] = rule.name
            hosts.append((rule.name, host))
    return IngressPlan(service_ports, hosts)
