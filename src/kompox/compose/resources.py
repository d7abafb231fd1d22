"""Service resource fields: docker's memory sizes and the v2/deploy consistency rules.

Compose has two spellings for a container's resources: the service-level
fields of file format v2 (``cpus``, ``mem_limit``, ``mem_reservation``,
``pids_limit``, ``scale``) and ``deploy`` (``resources.limits``/
``reservations``, ``replicas``).  ``docker compose config`` keeps both and
refuses a project whose two spellings disagree (checked in this order, as
the oracle reports the first):

* ``scale`` vs ``deploy.replicas`` when both are set;
* when ``deploy.resources.limits`` is present (even empty): a non-zero
  ``cpus`` vs ``limits.cpus`` (compared as 32-bit floats, as compose-go
  stores them), a non-zero ``mem_limit`` vs ``limits.memory`` and a non-zero
  ``pids_limit`` vs ``limits.pids`` (an absent limit counts as 0);
* when ``deploy.resources.reservations`` is present: a non-zero
  ``mem_reservation`` vs ``reservations.memory``.

Memory sizes follow docker's ``RAMInBytes``: a byte count, or a decimal
number with an optional binary unit ``k``/``m``/``g``/``t``/``p`` (``i`` and
``b`` may follow: ``512MiB``, ``1.5g``, ``1 g``).
"""

from __future__ import annotations

import re
import struct
from typing import Any

from kompox.domain.errors import ConfigError

_RAM = re.compile(r"(\d+(?:\.\d+)*) ?([kmgtp])?i?b?", re.IGNORECASE)
_RAM_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}
SIZE_HELP = "a byte count or a number with unit b, k, m, g, t or p, e.g. 512m"
_SIZE_FIELDS = ("mem_limit", "mem_reservation", "memswap_limit")


def ram_bytes(value: Any) -> int:
    """Bytes of a docker memory size (an integer, or ``RAMInBytes`` text); :class:`ValueError` if invalid."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    match = _RAM.fullmatch(str(value))
    if match is None:
        raise ValueError(value)
    number = float(match.group(1))  # "1.2.3" matches docker's pattern but is no number: ValueError, as docker
    return int(number * _RAM_UNITS[(match.group(2) or "").lower()])


def _float32(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return float("nan")  # unparsable: never equal; the converter names the bad value
    return float(struct.unpack("f", struct.pack("f", number))[0])


def _number(value: Any) -> float:
    """A set compose number, 0 when absent or empty."""
    if value in (None, ""):
        return 0.0
    return _float32(value)


def _size(value: Any) -> int | None:
    """Bytes of a set size, 0 when absent; ``None`` when unparsable (the converter refuses it)."""
    if value in (None, ""):
        return 0
    try:
        return ram_bytes(value)
    except ValueError:
        return None


def check_resources(name: str, service: dict[str, Any], *, file: str) -> None:
    """Refuse invalid v2 memory sizes and v2 values that differ from their ``deploy`` counterparts."""
    for key in _SIZE_FIELDS:
        value = service.get(key)
        if value not in (None, "") and _size(value) is None:
            raise ConfigError(
                f"service {name}: {key}: invalid size: {str(value)!r} ({SIZE_HELP})",
                file=file,
                field=f"services.{name}.{key}",
            )
    cpus = service.get("cpus")
    if cpus not in (None, "") and _number(cpus) != _number(cpus):  # NaN: not a number
        raise ConfigError(
            f"service {name}: cpus: invalid value {str(cpus)!r} (a number of CPUs, e.g. 0.5 or 2)",
            file=file,
            field=f"services.{name}.cpus",
        )
    deploy = service.get("deploy")
    if not isinstance(deploy, dict):
        return
    scale, replicas = service.get("scale"), deploy.get("replicas")
    if scale is not None and replicas is not None and _number(scale) != _number(replicas):
        _distinct(name, "scale", scale, "deploy.replicas", replicas, file)
    resources = deploy.get("resources")
    if not isinstance(resources, dict):
        return
    limits, reservations = resources.get("limits"), resources.get("reservations")
    if isinstance(limits, dict):
        cpus = _number(service.get("cpus"))
        if cpus != 0 and cpus != _number(limits.get("cpus")):
            _distinct(name, "cpus", service.get("cpus"), "deploy.resources.limits.cpus", limits.get("cpus"), file)
        _check_memory(name, service, "mem_limit", limits, "limits", file)
        pids = _number(service.get("pids_limit"))
        if pids != 0 and pids != _number(limits.get("pids")):
            _distinct(
                name, "pids_limit", service.get("pids_limit"), "deploy.resources.limits.pids", limits.get("pids"), file
            )
    if isinstance(reservations, dict):
        _check_memory(name, service, "mem_reservation", reservations, "reservations", file)


def _check_memory(name: str, service: dict[str, Any], key: str, section: dict[str, Any], part: str, file: str) -> None:
    """A non-zero v2 memory ``key`` must equal ``deploy.resources.<part>.memory`` (unparsable: the converter's)."""
    memory = _size(service.get(key))
    deploy_memory = _size(section.get("memory"))
    if memory and deploy_memory is not None and memory != deploy_memory:
        _distinct(name, key, service.get(key), f"deploy.resources.{part}.memory", section.get("memory"), file)


def _distinct(name: str, key: str, value: Any, other: str, other_value: Any, file: str) -> None:
    shown = "unset" if other_value in (None, "") else repr(other_value)
    raise ConfigError(
        f"service {name}: can't set distinct values on '{key}' and '{other}' ({value!r} and {shown}; "
        "drop one or set both alike): invalid compose project",
        file=file,
        field=f"services.{name}.{key}",
    )
