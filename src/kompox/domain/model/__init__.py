"""Resource models of Kompox: plain data, no I/O.

``DNSRecordSet``/``DNSRecordType`` and ``ClusterStatus`` are defined on first
use (module ``__getattr__``): most commands need neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kompox.domain.model.app import (
    VOLUME_TYPE_DISK,
    VOLUME_TYPE_FILES,
    VOLUME_TYPES,
    App,
    AppDeployment,
    AppIngress,
    AppIngressRule,
    AppVolume,
    Box,
    LabelSelector,
    LabelSelectorRequirement,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    normalize_volume_type,
)
from kompox.domain.model.cluster import (
    Cluster,
    ClusterIngress,
    ClusterIngressCertificate,
    ClusterOperation,
    ClusterProtection,
    ProtectionLevel,
    ingress_namespace,
    ingress_service_account,
    tls_secret_name,
)
from kompox.domain.model.nodepool import (
    LABEL_NODE_POOL,
    LABEL_NODE_ZONE,
    NodePool,
    NodePoolAutoscaling,
    NodePoolStatus,
)
from kompox.domain.model.volume import VolumeClass, VolumeDisk, VolumeSnapshot
from kompox.domain.model.workspace import Provider, Workspace

if TYPE_CHECKING:
    from kompox.domain.model.dns import DNSRecordSet, DNSRecordType
    from kompox.domain.model.status import ClusterStatus

_LAZY = {"DNSRecordSet": "dns", "DNSRecordType": "dns", "ClusterStatus": "status"}


def __getattr__(name: str) -> object:
    """The lazily defined models (see the module docstring); anything else is an AttributeError."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "LABEL_NODE_POOL",
    "LABEL_NODE_ZONE",
    "VOLUME_TYPES",
    "VOLUME_TYPE_DISK",
    "VOLUME_TYPE_FILES",
    "App",
    "AppDeployment",
    "AppIngress",
    "AppIngressRule",
    "AppVolume",
    "Box",
    "Cluster",
    "ClusterIngress",
    "ClusterIngressCertificate",
    "ClusterOperation",
    "ClusterProtection",
    "ClusterStatus",
    "DNSRecordSet",
    "DNSRecordType",
    "LabelSelector",
    "LabelSelectorRequirement",
    "NetworkPolicy",
    "NetworkPolicyIngressRule",
    "NetworkPolicyPeer",
    "NetworkPolicyPort",
    "NodePool",
    "NodePoolAutoscaling",
    "NodePoolStatus",
    "ProtectionLevel",
    "Provider",
    "VolumeClass",
    "VolumeDisk",
    "VolumeSnapshot",
    "Workspace",
    "ingress_namespace",
    "ingress_service_account",
    "normalize_volume_type",
    "tls_secret_name",
]
