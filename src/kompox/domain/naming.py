"""Naming and hashing primitives, byte-compatible with upstream ``internal/naming``.

Every derived cloud and Kubernetes name is a pure function of the workspace,
provider, cluster and app names through :func:`short_hash`.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass

from kompox.domain.errors import ValidationError

_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
NIL_WORKSPACE = "(nil)"
HASH_LEN = 6


def base36(value: int) -> str:
    """Lower-case base-36 text of a non-negative integer, no leading zeros."""
    if value < 0:
        raise ValueError("base36 of a negative number")
    if value == 0:
        return "0"
    digits: list[str] = []
    while value:
        value, rem = divmod(value, 36)
        digits.append(_BASE36[rem])
    return "".join(reversed(digits))


def short_hash(text: str, n: int = HASH_LEN) -> str:
    """First ``n`` base-36 digits of SHA-256(text) read as a big-endian integer."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return base36(int.from_bytes(digest, "big")).rjust(n, "0")[:n]


@dataclass(frozen=True)
class Hashes:
    """The hash family of one (workspace, provider, cluster, app) tuple."""

    workspace: str
    provider: str
    cluster: str
    app_id: str
    app_instance: str
    namespace: str


def new_hashes(workspace: str, provider: str, cluster: str, app: str) -> Hashes:
    """Compute every hash; ``app_id`` skips the cluster so it survives a move."""
    prv = short_hash(f"{workspace}:{provider}")
    app_id = short_hash(f"{workspace}:{provider}:{app}")
    return Hashes(
        workspace=short_hash(workspace),
        provider=prv,
        cluster=short_hash(f"{workspace}:{provider}:{cluster}"),
        app_id=app_id,
        app_instance=short_hash(f"{workspace}:{provider}:{cluster}:{app}"),
        namespace=f"k4x-{prv}-{app}-{app_id}",
    )


def volume_hash(handle: str) -> str:
    """Hash of a provider disk handle; part of the PV/PVC name."""
    return short_hash(handle, HASH_LEN)


def volume_resource_name(hashes: Hashes, volume_name: str, handle: str) -> str:
    """PV and PVC name: ``k4x-<spHASH>-<vol>-<idHASH>-<volHASH>``."""
    return f"k4x-{hashes.provider}-{volume_name}-{hashes.app_id}-{volume_hash(handle)}"


_COMPACT_TIME_LIMIT = 36**7


def new_compact_id(now: float | None = None, random_bytes: bytes | None = None) -> str:
    """12-char id: 7 base-36 digits of Unix seconds + 5 base-36 digits of 3 random bytes.

    Ids sort lexicographically by creation second.  ``now`` and
    ``random_bytes`` exist for tests; by default the clock and a CSPRNG are used.
    """
    seconds = int(time.time() if now is None else now)
    if seconds < 0 or seconds >= _COMPACT_TIME_LIMIT:
        raise ValueError(f"time {seconds} out of range for a compact id")
    if random_bytes is None:
        random_bytes = os.urandom(3)  # what secrets.token_bytes(3) returns, without importing secrets
    raw = random_bytes
    if len(raw) != 3:
        raise ValueError("compact id needs exactly 3 random bytes")
    rand = int.from_bytes(raw, "big") % (36**5)
    return base36(seconds).rjust(7, "0") + base36(rand).rjust(5, "0")


# --- DNS-1123 labels and the contract's name limits -------------------------

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL_MAX = 63

_LABEL_FORMAT_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def dns1123_label_errors(value: str) -> list[str]:
    """The Kubernetes apimachinery messages for a DNS-1123 label, in their order; empty if valid."""
    errors: list[str] = []
    if len(value) > DNS1123_LABEL_MAX:
        errors.append(f"must be no more than {DNS1123_LABEL_MAX} characters")
    if not _DNS1123_LABEL.match(value):
        if "." in value and _DNS1123_SUBDOMAIN.match(value):
            errors.append("must not contain dots")
        else:
            errors.append(_LABEL_FORMAT_MSG)
    return errors


def is_dns1123_label(value: str) -> bool:
    return not dns1123_label_errors(value)


NAME_LIMITS: dict[str, int] = {"volume": 16, "disk": 24, "snapshot": 24}
"""Contract limits (ADR-003): volume 1..16, disk 1..24, snapshot 1..24 characters."""


def validate_resource_name(kind: str, name: str) -> None:
    """Validate a volume, disk or snapshot name against the contract.

    Raises :class:`ValidationError` with upstream's texts:
    ``<kind> name must not be empty``, ``<kind> name exceeds <N> characters``
    or ``invalid <kind> name: <details>``.
    """
    limit = NAME_LIMITS.get(kind)
    if limit is None:
        raise ValueError(f"unknown name kind {kind!r}; known: {', '.join(NAME_LIMITS)}")
    if not name:
        raise ValidationError(f"{kind} name must not be empty", field=f"{kind} name")
    if len(name) > limit:
        raise ValidationError(f'{kind} name exceeds {limit} characters: "{name}" has {len(name)}', field=f"{kind} name")
    problems = dns1123_label_errors(name)
    if problems:
        raise ValidationError(f'invalid {kind} name "{name}": {", ".join(problems)}', field=f"{kind} name")


def validate_optional_resource_name(kind: str, name: str) -> None:
    """Like :func:`validate_resource_name`, but an empty name (= generate one) is allowed."""
    if name:
        validate_resource_name(kind, name)
