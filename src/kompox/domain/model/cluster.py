"""Cluster: a Kubernetes cluster managed (or adopted) through a provider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

DEFAULT_INGRESS_NAMESPACE = "traefik"
DEFAULT_INGRESS_SERVICE_ACCOUNT = "ingress-service-account"
INGRESS_SERVICE_NAME = "traefik"


class ProtectionLevel(StrEnum):
    """Cluster protection levels (ADR-013); empty means ``none``."""

    NONE = "none"
    CANNOT_DELETE = "cannotDelete"
    READ_ONLY = "readOnly"


class ClusterOperation(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass
class ClusterIngressCertificate:
    """A static TLS certificate; the Kubernetes Secret is ``tls-<name>``."""

    name: str = ""
    source: str = ""


@dataclass
class ClusterIngress:
    """The cluster's ingress controller settings (namespace, controller, domain, certificates)."""

    namespace: str = ""
    controller: str = ""
    service_account: str = ""
    domain: str = ""
    cert_resolver: str = ""
    cert_email: str = ""
    certificates: list[ClusterIngressCertificate] = field(default_factory=list)


@dataclass
class ClusterProtection:
    """Protection levels that guard the cluster's provisioning and installation."""

    provisioning: str = ""
    installation: str = ""


@dataclass
class Cluster:
    """A Kubernetes cluster of a provider, its ingress, protection and driver settings."""

    id: str = ""
    name: str = ""
    provider_id: str = ""
    existing: bool = False
    ingress: ClusterIngress | None = None
    protection: ClusterProtection | None = None
    settings: dict[str, str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


def ingress_namespace(cluster: Cluster) -> str:
    """The ingress controller namespace: the configured one, else ``traefik``."""
    if cluster.ingress is not None and cluster.ingress.namespace:
        return cluster.ingress.namespace
    return DEFAULT_INGRESS_NAMESPACE


def ingress_service_account(cluster: Cluster) -> str:
    """The ingress controller service account, else ``ingress-service-account``."""
    if cluster.ingress is not None and cluster.ingress.service_account:
        return cluster.ingress.service_account
    return DEFAULT_INGRESS_SERVICE_ACCOUNT


def tls_secret_name(certificate_name: str) -> str:
    """``tls-<name>``; an empty name gives an empty string."""
    return f"tls-{certificate_name}" if certificate_name else ""
