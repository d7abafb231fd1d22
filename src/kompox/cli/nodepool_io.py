"""Input and output of ``kompoxops cluster nodepool``: spec files, flags, JSON and tables.

Spec file (cli.md §10.4.8): YAML or JSON with the keys ``name``,
``providerName``, ``mode``, ``labels``, ``zones``, ``instanceType``,
``osDiskType``, ``osDiskSizeGiB``, ``priority``,
``autoscaling.{enabled,min,max,desired}`` and ``extensions``.  Keys match
case-insensitively, so the Go field names printed by ``list`` (``Name``,
``InstanceType``, …) read back too; ``Status`` is read-only and ignored;
other unknown keys are ignored with a warning.  Omitted keys, ``null`` and
empty strings stay unset, which matters for ``update``.  Flags given on the
command line override the file's values.

Output: ``-o json`` (default) prints the NodePool with Go field names in
upstream's order (unset → ``null``), ``-o yaml`` the same structure; ``-o
table``/``wide`` a plain table, ``-o name`` ``nodepool/<name>`` lines
(``--format json|table`` is the deprecated alias of ``-o``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from kompox.cli.output import emit
from kompox.domain.errors import ValidationError
from kompox.domain.model import NodePool, NodePoolAutoscaling

_KEYS = {
    k.lower(): k
    for k in (
        "name",
        "providerName",
        "mode",
        "labels",
        "zones",
        "instanceType",
        "osDiskType",
        "osDiskSizeGiB",
        "priority",
        "autoscaling",
        "extensions",
    )
}
_READ_ONLY = {"status"}
_AUTO_KEYS = {"enabled": "enabled", "min": "min", "max": "max", "desired": "desired"}


class SpecError(ValidationError):
    """A problem in the spec file or the flags; located by file and key."""


# --- spec file -------------------------------------------------------------------


def read_spec_file(path: str, stdin: TextIO) -> tuple[NodePool, list[str]]:
    """The NodePool of a YAML/JSON spec file (``-`` = stdin) and warnings for ignored keys."""
    from kompox.compose.yaml_dialect import load_documents

    try:
        text = stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise SpecError(f"failed to read file: {err.strerror or err}", file=path) from err
    try:
        docs = load_documents(text, file=path)
    except ValidationError as err:
        raise SpecError(f"failed to parse YAML/JSON: {err.message}", file=path) from err
    if len(docs) != 1 or not isinstance(docs[0], dict):
        found = "no document" if not docs else f"{len(docs)} documents" if len(docs) > 1 else type(docs[0]).__name__
        raise SpecError(f"failed to parse YAML/JSON: expected one mapping of node pool fields, got {found}", file=path)
    return spec_from_mapping(docs[0], file=path)


def spec_from_mapping(raw: dict[Any, Any], *, file: str = "") -> tuple[NodePool, list[str]]:
    pool = NodePool()
    warnings: list[str] = []
    for key, value in raw.items():
        canonical = _KEYS.get(str(key).lower())
        if canonical is None:
            if str(key).lower() not in _READ_ONLY:
                warnings.append(f"{file or 'spec'}: unknown key {key!r} ignored")
            continue
        if value is None or value == "":
            continue
        _assign(pool, canonical, value, file)
    return pool, warnings


def _fail(file: str, key: str, message: str) -> SpecError:
    return SpecError(message, file=file or None, field=key)


def _scalar(value: Any, file: str, key: str) -> str:
    if isinstance(value, dict | list):
        raise _fail(file, key, f"expected a string, got a {'mapping' if isinstance(value, dict) else 'list'}")
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _int(value: Any, file: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _fail(file, key, f"expected an integer, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise _fail(file, key, f"expected an integer, got {value!r}") from None


def _assign(pool: NodePool, key: str, value: Any, file: str) -> None:
    if key in ("name", "providerName", "mode", "instanceType", "osDiskType", "priority"):
        attr = {"providerName": "provider_name", "instanceType": "instance_type", "osDiskType": "os_disk_type"}
        setattr(pool, attr.get(key, key), _scalar(value, file, key))
    elif key == "osDiskSizeGiB":
        pool.os_disk_size_gib = _int(value, file, key)
    elif key == "labels":
        if not isinstance(value, dict):
            raise _fail(file, key, "expected a mapping of label keys to values")
        pool.labels = {str(k): _scalar(v, file, f"labels.{k}") for k, v in value.items() if v is not None}
    elif key == "zones":
        if not isinstance(value, list):
            raise _fail(file, key, 'expected a list of zones, e.g. ["japaneast-1"]')
        pool.zones = [_scalar(z, file, f"zones[{i}]") for i, z in enumerate(value)]
    elif key == "autoscaling":
        pool.autoscaling = _autoscaling(value, file)
    elif key == "extensions":
        if not isinstance(value, dict):
            raise _fail(file, key, "expected a mapping")
        pool.extensions = {str(k): v for k, v in value.items()}


def _autoscaling(value: Any, file: str) -> NodePoolAutoscaling:
    if not isinstance(value, dict):
        raise _fail(file, "autoscaling", "expected a mapping with enabled, min, max, desired")
    auto = NodePoolAutoscaling()
    for raw_key, item in value.items():
        key = _AUTO_KEYS.get(str(raw_key).lower())
        where = f"autoscaling.{raw_key}"
        if key is None:
            raise _fail(file, where, "unknown key (allowed: enabled, min, max, desired)")
        if item is None:
            continue
        if key == "enabled":
            if not isinstance(item, bool):
                raise _fail(file, where, f"expected true or false, got {item!r}")
            auto.enabled = item
        elif key == "desired":
            auto.desired = _int(item, file, where)
        else:
            setattr(auto, key, _int(item, file, where))
    return auto


# --- flags -----------------------------------------------------------------------


@dataclass
class PoolFlags:
    """Node-pool fields given as command-line flags (None / empty = not given)."""

    name: str = ""
    provider_name: str = ""
    mode: str = ""
    labels: Sequence[str] = ()
    zones: Sequence[str] = ()
    instance_type: str = ""
    os_disk_type: str = ""
    os_disk_size_gib: int | None = None
    priority: str = ""
    autoscaling: bool | None = None
    min: int | None = None
    max: int | None = None
    desired: int | None = None

    def given(self) -> bool:
        texts = (self.name, self.provider_name, self.mode, self.instance_type, self.os_disk_type, self.priority)
        numbers = (self.os_disk_size_gib, self.autoscaling, self.min, self.max, self.desired)
        return any(texts) or bool(self.labels or self.zones) or any(n is not None for n in numbers)


def _labels(items: Sequence[str]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SpecError(f"invalid --label {item!r}: expected KEY=VALUE", field="--label")
        labels[key.strip()] = value
    return labels


def _zones(items: Sequence[str]) -> list[str]:
    return [z.strip() for item in items for z in item.split(",") if z.strip()]


def apply_flags(pool: NodePool, flags: PoolFlags) -> NodePool:
    """``pool`` (from a file, or empty) with every given flag applied over it."""
    for attr in ("name", "provider_name", "mode", "instance_type", "os_disk_type", "priority"):
        if getattr(flags, attr):
            setattr(pool, attr, getattr(flags, attr))
    if flags.os_disk_size_gib is not None:
        pool.os_disk_size_gib = flags.os_disk_size_gib
    if flags.labels:
        pool.labels = {**(pool.labels or {}), **_labels(flags.labels)}
    if flags.zones:
        pool.zones = _zones(flags.zones)
    pool.autoscaling = _autoscaling_flags(pool.autoscaling, flags)
    return pool


def _autoscaling_flags(base: NodePoolAutoscaling | None, flags: PoolFlags) -> NodePoolAutoscaling | None:
    if flags.autoscaling is None and flags.min is None and flags.max is None and flags.desired is None:
        return base
    if flags.autoscaling is not None:
        enabled = flags.autoscaling
    elif base is not None and flags.desired is None:
        enabled = base.enabled
    else:
        enabled = flags.desired is None
    if enabled:
        if flags.desired is not None:
            raise SpecError(
                "--desired is the fixed node count: it cannot be used with --autoscaling", field="--desired"
            )
        low = flags.min if flags.min is not None else base.min if base and base.enabled else None
        high = flags.max if flags.max is not None else base.max if base and base.enabled else None
        if low is None or high is None:
            raise SpecError("--min and --max are both required to enable autoscaling", field="--min/--max")
        return NodePoolAutoscaling(enabled=True, min=low, max=high)
    if flags.min is not None or flags.max is not None:
        raise SpecError("--min/--max need autoscaling (drop --no-autoscaling or use --desired)", field="--min/--max")
    desired = flags.desired if flags.desired is not None else base.desired if base else None
    return NodePoolAutoscaling(enabled=False, desired=desired)


# --- output ----------------------------------------------------------------------


def pool_json(p: NodePool) -> dict[str, Any]:
    """Go field names in declaration order; unset → null, maps with sorted keys."""
    auto = p.autoscaling
    status = p.status
    return {
        "Name": p.name,
        "ProviderName": p.provider_name,
        "Mode": p.mode,
        "Labels": dict(sorted(p.labels.items())) if p.labels is not None else None,
        "Zones": list(p.zones) if p.zones is not None else None,
        "InstanceType": p.instance_type,
        "OSDiskType": p.os_disk_type,
        "OSDiskSizeGiB": p.os_disk_size_gib,
        "Priority": p.priority,
        "Autoscaling": None
        if auto is None
        else {"Enabled": auto.enabled, "Min": auto.min, "Max": auto.max, "Desired": auto.desired},
        "Status": None
        if status is None
        else {
            "ProvisioningState": status.provisioning_state,
            "CurrentNodeCount": status.current_node_count,
            "Extensions": dict(sorted(status.extensions.items())) if status.extensions is not None else None,
        },
        "Extensions": dict(sorted(p.extensions.items())) if p.extensions is not None else None,
    }


def _size(p: NodePool) -> str:
    auto = p.autoscaling
    if auto is None:
        return ""
    if auto.enabled:
        return f"auto {auto.min}-{auto.max}"
    return f"fixed {auto.desired}" if auto.desired is not None else "fixed"


def print_pools(out: TextIO, pools: Sequence[NodePool], output_format: str, *, single: bool = False) -> None:
    """The pools in ``output_format``; ``single`` prints one JSON/YAML object rather than a list."""
    emit(
        out,
        output_format,
        kind="nodepool",
        value=pool_json(pools[0]) if single else [pool_json(p) for p in pools],
        names=[p.name or "" for p in pools],
        headers=("NAME", "MODE", "INSTANCE TYPE", "PRIORITY", "ZONES", "SIZE", "NODES", "STATE"),
        rows=[
            (
                p.name,
                p.mode,
                p.instance_type,
                p.priority,
                ",".join(p.zones or []),
                _size(p),
                p.status.current_node_count if p.status else None,
                p.status.provisioning_state if p.status else None,
            )
            for p in pools
        ],
        wide_headers=("PROVIDER NAME", "OS DISK", "LABELS"),
        wide_rows=[(p.provider_name, _os_disk(p), _label_list(p.labels)) for p in pools],
    )


def _os_disk(p: NodePool) -> str:
    size = f"{p.os_disk_size_gib}GiB" if p.os_disk_size_gib is not None else ""
    return " ".join(part for part in (p.os_disk_type, size) if part)


def _label_list(labels: dict[str, str] | None) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted((labels or {}).items()))


def print_pool(out: TextIO, pool: NodePool, output_format: str) -> None:
    print_pools(out, [pool], output_format, single=True)
