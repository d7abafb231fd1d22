"""The ``<app>-<component>`` Service, headless Services and the two Ingresses (§6.3, §6.4, §7)."""

from __future__ import annotations

from typing import Any

from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.names import AppNames, object_meta
from kompox.kube.convert.ports import IngressPlan

INGRESS_CLASS = "traefik"
ANNOTATION_ENTRYPOINTS = "traefik.ingress.kubernetes.io/router.entrypoints"
ANNOTATION_TLS = "traefik.ingress.kubernetes.io/router.tls"
ANNOTATION_CERT_RESOLVER = "traefik.ingress.kubernetes.io/router.tls.certresolver"


def app_service(names: AppNames, ports: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``<app>-<component>`` Service (ClusterIP by default, no protocol on ports)."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": object_meta(names.resource, names.component_labels(), names.namespace),
        "spec": {"selector": names.pod_selector(), "ports": ports},
    }


def check_headless_name(names: AppNames, service: str) -> None:
    """Compose service names must not start with ``<app>-app`` or ``<app>-box``."""
    if service.startswith((f"{names.app}-app", f"{names.app}-box")):
        raise ConversionError(f"compose service name '{service}' conflicts with reserved ingress service name prefixes")


def headless_service(names: AppNames, service: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": object_meta(service, names.headless_labels(), names.namespace),
        "spec": {"clusterIP": "None", "selector": names.pod_selector()},
    }


def _rule(host: str, service: str, port_name: str) -> dict[str, Any]:
    rule: dict[str, Any] = {}
    if host:
        rule["host"] = host
    rule["http"] = {
        "paths": [
            {
                "path": "/",
                "pathType": "Prefix",
                "backend": {"service": {"name": service, "port": {"name": port_name}}},
            }
        ]
    }
    return rule


def _ingress(names: AppNames, kind: str, annotations: dict[str, str], rules: list[dict[str, Any]]) -> dict[str, Any]:
    meta = object_meta(names.ingress_name(kind), names.component_labels(), names.namespace)
    meta["annotations"] = annotations
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta,
        "spec": {"ingressClassName": INGRESS_CLASS, "rules": rules},
    }


def ingresses(
    names: AppNames, plan: IngressPlan, cluster_domain: str, app_resolver: str, cluster_resolver: str
) -> list[dict[str, Any]]:
    """``-default`` (if the cluster has a domain) then ``-custom`` (if any host) Ingress."""
    out: list[dict[str, Any]] = []
    domain = cluster_domain.strip()
    custom_hosts = {host for _, host in plan.custom_hosts}
    if domain:
        rules: list[dict[str, Any]] = []
        seen: set[str] = set()
        for port in plan.service_ports:
            host = names.default_host(int(port["port"]), domain)
            if host in seen:
                raise ConversionError(f"generated default host {host} duplicated")
            if host in custom_hosts:
                raise ConversionError(f"generated default host {host} collides with custom hosts")
            seen.add(host)
            rules.append(_rule(host, names.resource, str(port["name"])))
        annotations = {ANNOTATION_ENTRYPOINTS: "websecure", ANNOTATION_TLS: "true"}
        out.append(_ingress(names, "default", annotations, rules))
    if plan.custom_hosts:
        annotations = {ANNOTATION_ENTRYPOINTS: "websecure", ANNOTATION_TLS: "true"}
        resolver = app_resolver or cluster_resolver
        if resolver:
            annotations[ANNOTATION_CERT_RESOLVER] = resolver
        rules = [_rule(host, names.resource, rule_name) for rule_name, host in plan.custom_hosts]
        out.append(_ingress(names, "custom", annotations, rules))
    return out
