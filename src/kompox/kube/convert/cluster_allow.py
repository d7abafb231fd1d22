"""What a cluster lets compose services do beyond the safe defaults (issue #20).

Cluster setting ``KOMPOX_COMPOSE_ALLOW`` (``spec.settings`` of the Cluster):
a comma-separated list of

- ``privileged`` — ``privileged: true`` and ``cap_add`` beyond the safe set;
- ``host-namespaces`` — ``network_mode: host``, ``pid: host``, ``ipc: host``;
- ``devices`` — ``devices:`` (mounted as hostPath character/block devices);
- ``host-timezone`` — ``/etc/localtime`` and ``/etc/timezone`` binds as read-only hostPath.

Without it those compose fields are refused (time-zone binds are dropped
with a warning).  Unknown words are an error naming the allowed ones.
"""

from __future__ import annotations

from kompox.domain.model import Cluster
from kompox.kube.convert.errors import ConversionError

SETTING = "KOMPOX_COMPOSE_ALLOW"
PRIVILEGED = "privileged"
HOST_NAMESPACES = "host-namespaces"
DEVICES = "devices"
HOST_TIMEZONE = "host-timezone"
WORDS = (PRIVILEGED, HOST_NAMESPACES, DEVICES, HOST_TIMEZONE)


def cluster_allowances(cluster: Cluster | None) -> frozenset[str]:
    """The allowed words of the cluster's ``KOMPOX_COMPOSE_ALLOW`` setting (empty when unset)."""
    raw = ((cluster.settings or {}) if cluster is not None else {}).get(SETTING, "")
    words = [w.strip() for w in raw.split(",") if w.strip()]
    unknown = [w for w in words if w not in WORDS]
    if unknown:
        raise ConversionError(
            f"cluster setting {SETTING}: unknown value {', '.join(unknown)} (allowed: {', '.join(WORDS)})"
        )
    return frozenset(words)


def refusal(what: str, word: str) -> str:
    """The tail of a refusal message: how a cluster operator would allow it."""
    return f"{what} is refused unless the cluster allows it (cluster spec.settings {SETTING}: {word})"
