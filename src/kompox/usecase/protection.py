"""Cluster protection policy (ADR-013, cli.md §11.1).

``Cluster.spec.protection.provisioning`` guards provision/deprovision,
``.installation`` guards install/uninstall.  Levels: ``none`` (default, also
empty), ``cannotDelete`` (blocks delete), ``readOnly`` (blocks update and
delete; a first-time create is always allowed).  ``--force`` never bypasses
it.  Violations raise :class:`~kompox.domain.errors.ProtectionError` (exit 7).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from kompox.domain.errors import KompoxError, ProtectionError, ValidationError
from kompox.domain.model import Cluster, ClusterOperation, ProtectionLevel


class ProtectionScope(StrEnum):
    PROVISIONING = "provisioning"
    INSTALLATION = "installation"


def protection_level(cluster: Cluster, scope: ProtectionScope) -> ProtectionLevel:
    """The configured level of ``scope`` (empty → ``none``); an unknown value is a validation error."""
    raw = getattr(cluster.protection, scope.value, "") if cluster.protection is not None else ""
    if not raw:
        return ProtectionLevel.NONE
    try:
        return ProtectionLevel(raw)
    except ValueError:
        allowed = ", ".join(level.value for level in ProtectionLevel)
        raise ValidationError(
            f"invalid protection.{scope.value} value {raw!r} for cluster {cluster.name!r}: must be one of: {allowed}",
            field=f"spec.protection.{scope.value}",
        ) from None


def blocks(level: ProtectionLevel, op: ClusterOperation) -> bool:
    """The ADR-013 matrix."""
    if level is ProtectionLevel.READ_ONLY:
        return op in (ClusterOperation.UPDATE, ClusterOperation.DELETE)
    if level is ProtectionLevel.CANNOT_DELETE:
        return op is ClusterOperation.DELETE
    return False


def check_protection(cluster: Cluster, scope: ProtectionScope, op: ClusterOperation) -> None:
    """Raise :class:`ProtectionError` when ``op`` on ``scope`` is blocked for ``cluster``."""
    level = protection_level(cluster, scope)
    if not blocks(level, op):
        return
    hint = "'none' or 'cannotDelete'" if op is ClusterOperation.UPDATE else "'none'"
    raise ProtectionError(
        f'{scope.value} is "{level.value}", cannot perform {op.value} operation (set to {hint} to unblock)'
    )


def needs_probe(cluster: Cluster, scope: ProtectionScope) -> bool:
    """Whether create vs update matters for ``scope`` (only ``readOnly`` tells them apart)."""
    return protection_level(cluster, scope) is ProtectionLevel.READ_ONLY


def create_or_update(exists: Callable[[], bool]) -> ClusterOperation:
    """``update`` when ``exists()`` says so; a probe failure counts as first time (``create``)."""
    try:
        return ClusterOperation.UPDATE if exists() else ClusterOperation.CREATE
    except KompoxError:  # upstream: a status error means "first time"
        return ClusterOperation.CREATE
