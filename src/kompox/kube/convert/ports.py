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
    host_to_container: dict[int, int] = field(default_factory=dict)  # hostPort → containerPort (TCP)
    # UDP/SCTP ports (issue #20; upstream made them TCP): (hostPort, protocol) → containerPort
    other_protocols: dict[tuple[int, str], int] = field(default_factory=dict)
    other_owner: dict[tuple[int, str], str] = field(default_factory=dict)

    def add_service(self, service: str, ports: list[ServicePort]) -> list[dict[str, Any]]:
        """Validate one service's ports and return its container ``ports`` (distinct, in order)."""
        out: list[dict[str, Any]] = []
        seen: set[int] = set()
        seen_other: set[tuple[int, str]] = set()
        for port in ports:
            if not port.published or port.target == 0:
                raise ConversionError(f"ports must be 'host:container' style numeric; service {service}")
            host = _host_port(port.published)
            cp = port.target
            protocol = (port.protocol or "tcp").lower()
            if protocol != "tcp":
                self._add_other(service, host, cp, protocol, seen_other, out)
                continue
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

    def _add_other(
        self, service: str, host: int, cp: int, protocol: str, seen: set[tuple[int, str]], out: list[dict[str, Any]]
    ) -> None:
        if protocol not in ("udp", "sctp"):
            raise ConversionError(f"unsupported port protocol {protocol} (service {service}; allowed: tcp, udp, sctp)")
        owner = self.other_owner.get((cp, protocol))
        if owner is not None and owner != service:
            raise ConversionError(f"containerPort {cp}/{protocol} used by multiple services ({owner},{service})")
        self.other_owner.setdefault((cp, protocol), service)
        previous = self.other_protocols.get((host, protocol))
        if previous is not None and previous != cp:
            raise ConversionError(f"hostPort {host}/{protocol} mapped to multiple container ports ({previous},{cp})")
        self.other_protocols[(host, protocol)] = cp
        if (cp, protocol) not in seen:
            seen.add((cp, protocol))
            out.append({"containerPort": cp, "protocol": protocol.upper()})

    def plain_service_ports(self) -> list[dict[str, Any]]:
        """One port per distinct host port, ascending: ``{name: p<hp>, port: hp, targetPort: cp}``; then UDP/SCTP."""
        tcp = [
            {"name": f"p{hp}", "port": hp, "targetPort": self.host_to_container[hp]}
            for hp in sorted(self.host_to_container)
        ]
        return tcp + self.other_service_ports()

    def other_service_ports(self) -> list[dict[str, Any]]:
        """UDP/SCTP Service ports ``p<hp>-<protocol>``, by host port then protocol."""
        return [
            {"name": f"p{hp}-{proto}", "port": hp, "targetPort": cp, "protocol": proto.upper()}
            for (hp, proto), cp in sorted(self.other_protocols.items())
        ]

    def unrouted(self, routed: set[int]) -> list[str]:
        """Warnings for published TCP ports no ingress rule puts on the app Service (host ports not in ``routed``)."""
        out: list[str] = []
        for hp in sorted(set(self.host_to_container) - routed):
            cp = self.host_to_container[hp]
            service = self.container_owner.get(cp, "?")
            out.append(
                f"service {service}: published port {hp}:{cp} is not on the app Service "
                f"(no ingress rule uses port {hp}); inside the cluster it is reachable as {service}:{cp}"
            )
        return out

    @property
    def any(self) -> bool:
        return bool(self.host_to_container or self.other_protocols)


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
        if cp is None and any(hp == rule.port for hp, _ in ports.other_protocols):
            raise ConversionError(f"ingress port {rule.port} is not a TCP port; ingress rules route HTTP over TCP")
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
