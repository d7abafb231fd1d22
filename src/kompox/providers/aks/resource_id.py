"""Azure resource id parsing for DNS zones, registries and vaults (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from kompox.domain.errors import DriverValidationError


@dataclass(frozen=True)
class ResourceID:
    id: str
    subscription_id: str
    resource_group: str
    namespace: str
    type: str
    name: str


def parse_resource_id(raw: str) -> ResourceID:
    """``/subscriptions/<s>/resourceGroups/<g>/providers/<ns>/<type>/<name>`` (one level)."""
    parts = raw.strip().strip("/").split("/")
    if (
        len(parts) < 8
        or parts[0].lower() != "subscriptions"
        or parts[2].lower() != "resourcegroups"
        or parts[4].lower() != "providers"
        or not all(parts[:8])
    ):
        raise DriverValidationError(f"invalid resource ID: {raw!r}")
    return ResourceID(
        id=raw.strip(),
        subscription_id=parts[1],
        resource_group=parts[3],
        namespace=parts[5],
        type=parts[6],
        name=parts[-1],
    )


def resource_group_of(raw: str) -> str:
    """The ``resourceGroups/<g>`` segment of any resource id, or ``""`` when it has none (lenient)."""
    parts = raw.strip("/").split("/")
    for i, part in enumerate(parts[:-1]):
        if part.lower() == "resourcegroups":
            return parts[i + 1]
    return ""


def parse_typed_id(raw: str, expected: str, label: str) -> ResourceID:
    """Parse ``raw`` and require ``<namespace>/<type>`` == ``expected`` (case-insensitive)."""
    try:
        rid = parse_resource_id(raw)
    except DriverValidationError as err:
        raise DriverValidationError(f"parse Azure {label} resource ID: {reason(err)}") from err
    actual = f"{rid.namespace}/{rid.type}"
    if actual.lower() != expected.lower():
        raise DriverValidationError(f"invalid resource type for {label}: expected {expected}, got {actual}")
    return rid


def reason(err: DriverValidationError) -> str:
    """The message without the ``validation error: `` prefix, for wrapping."""
    return err.message.removeprefix("validation error: ")
