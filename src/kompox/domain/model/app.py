"""App: a compose application deployed into one cluster, and its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kompox.domain.errors import NotFoundError, ValidationError

VOLUME_TYPE_DISK = "disk"
VOLUME_TYPE_FILES = "files"
VOLUME_TYPES: tuple[str, ...] = (VOLUME_TYPE_DISK, VOLUME_TYPE_FILES)


def normalize_volume_type(volume_name: str, value: str | None) -> str:
    """Return the canonical volume type; empty means ``disk``.

    Any other value is rejected here, at load time, naming the volume and the
    allowed values (project decision: upstream only fails inside the driver).
    """
    if not value:
        return VOLUME_TYPE_DISK
    if value not in VOLUME_TYPES:
        raise ValidationError(
            f'volume "{volume_name}": unsupported volume type "{value}" (allowed: disk, files; empty means disk)',
            field="type",
        )
    return value


@dataclass
class AppIngressRule:
    """One ingress rule of the app: a named service port published on ``hosts``."""

    name: str = ""
    port: int = 0
    hosts: list[str] = field(default_factory=list)


@dataclass
class AppIngress:
    """The app's ingress: its rules and the certificate resolver they use."""

    cert_resolver: str = ""
    rules: list[AppIngressRule] = field(default_factory=list)


@dataclass
class AppVolume:
    """A logical volume of the app; ``size`` in bytes; ``type`` ``disk``/``files``."""

    name: str = ""
    size: int = 0
    type: str = VOLUME_TYPE_DISK
    options: dict[str, Any] | None = None


@dataclass
class AppDeployment:
    """Where the app's pods may run: node pool(s), zone(s) and extra node selectors."""

    pool: str = ""
    pools: list[str] = field(default_factory=list)
    zone: str = ""
    zones: list[str] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)


@dataclass
class LabelSelectorRequirement:
    """One ``matchExpressions`` entry of a Kubernetes label selector."""

    key: str = ""
    operator: str = ""
    values: list[str] = field(default_factory=list)


@dataclass
class LabelSelector:
    """A Kubernetes label selector (``matchLabels`` and ``matchExpressions``)."""

    match_labels: dict[str, str] = field(default_factory=dict)
    match_expressions: list[LabelSelectorRequirement] = field(default_factory=list)


@dataclass
class NetworkPolicyPeer:
    """A source namespace allowed by a network-policy ingress rule."""

    namespace_selector: LabelSelector | None = None


@dataclass
class NetworkPolicyPort:
    """A port (and protocol) allowed by a network-policy ingress rule."""

    protocol: str = "TCP"
    port: int = 0


@dataclass
class NetworkPolicyIngressRule:
    """Extra ingress the app's NetworkPolicy allows: from these peers to these ports."""

    from_: list[NetworkPolicyPeer] = field(default_factory=list)
    ports: list[NetworkPolicyPort] = field(default_factory=list)


@dataclass
class NetworkPolicy:
    """The app's extra NetworkPolicy ingress rules."""

    ingress_rules: list[NetworkPolicyIngressRule] = field(default_factory=list)


@dataclass
class App:
    """An app: its compose file, ingress, volumes, deployment and the cluster it runs on."""

    id: str = ""
    name: str = ""
    cluster_id: str = ""
    compose: str = ""
    ingress: AppIngress = field(default_factory=AppIngress)
    volumes: list[AppVolume] = field(default_factory=list)
    deployment: AppDeployment = field(default_factory=AppDeployment)
    # compose named volume → "<volume>[/<sub/path>]" and absolute host path prefix → the same (issue #20)
    compose_volumes: dict[str, str] = field(default_factory=dict)
    host_paths: dict[str, str] = field(default_factory=dict)
    network_policy: NetworkPolicy = field(default_factory=NetworkPolicy)
    resources: dict[str, str] | None = None
    settings: dict[str, str] | None = None
    ref_base: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def find_volume(self, name: str) -> AppVolume:
        """The first volume with exactly this name; raises ``NotFoundError`` listing the others."""
        for vol in self.volumes:
            if vol.name == name:
                return vol
        known = ", ".join(v.name for v in self.volumes) or "none"
        raise NotFoundError(f"volume not found: {name} (volumes of app {self.name}: {known})")


@dataclass
class Box:
    """A maintenance or auxiliary pod attached to an app (KOM ``Box``)."""

    id: str = ""
    name: str = ""
    app_id: str = ""
    component: str = ""
    image: str = ""
    command: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    ingress: dict[str, Any] | None = None
    network_policy: NetworkPolicy | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def standalone(self) -> bool:
        """A Box with an image is standalone; without one it is a compose Box."""
        return bool(self.image)
