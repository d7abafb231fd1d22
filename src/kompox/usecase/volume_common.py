"""Input checks shared by the volume use cases (kube-and-ops.md §13.4).

Besides the name checks: looking a disk/snapshot up by name among the
volume's (``NotFoundError`` naming the others) and refusing a name that
already exists.

Order, as upstream: required names present → name rules (ADR-003: volume
1..16, disk/snapshot 1..24 characters, DNS-1123 labels; an empty optional
disk/snapshot name means "generate" and is not checked) → the volume must be
declared by the app.  All of it happens before the provider is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.domain.model import App, AppVolume
from kompox.domain.naming import validate_optional_resource_name, validate_resource_name


def require(value: str, what: str) -> None:
    if not value:
        raise ValidationError(f"missing parameters: {what} is required", field=what)


def check_names(volume_name: str, *, disk: str | None = None, snapshot: str | None = None) -> None:
    """Validate the names a command was given; ``None`` = not part of this command."""
    require(volume_name, "volume name")
    validate_resource_name("volume", volume_name)
    if disk is not None:
        validate_optional_resource_name("disk", disk)
    if snapshot is not None:
        validate_optional_resource_name("snapshot", snapshot)


def declared_volume(app: App, volume_name: str) -> AppVolume:
    """The app's volume, or ``NotFoundError`` naming the volumes the app declares."""
    try:
        return app.find_volume(volume_name)
    except NotFoundError as err:
        raise NotFoundError(f"volume not defined: {err}") from err


def listing(items: Iterable[str]) -> str:
    """``a, b, c`` (sorted), or ``none``."""
    names = sorted(items)
    return ", ".join(names) if names else "none"


class _Named(Protocol):
    @property
    def name(self) -> str: ...


NamedT = TypeVar("NamedT", bound=_Named)


def find_named(items: Sequence[NamedT], kind: str, volume_name: str, name: str) -> NamedT:
    """The ``kind`` (``disk``/``snapshot``) called ``name``, or ``NotFoundError`` naming the volume's others."""
    for item in items:
        if item.name == name:
            return item
    raise NotFoundError(f"{kind} not found: {name} ({kind}s of volume {volume_name}: {listing(i.name for i in items)})")


def refuse_existing(items: Sequence[_Named], kind: str, volume_name: str, name: str) -> None:
    """A ``ValidationError`` when ``name`` is taken: a cloud "create" with an existing name may update it."""
    if any(i.name == name for i in items):
        raise ValidationError(
            f'{kind} "{name}" already exists in volume {volume_name} ({kind}s: {listing(i.name for i in items)})',
            field=f"{kind} name",
        )
