"""Canonical (long) forms of service fields (converter.md §3.2.5).

Applied to each document after interpolation and schema validation and before
documents are merged, so merging always sees one shape per field:

- ``ports`` → one mapping per container port (ranges expanded);
- ``volumes`` → ``{type, source, target, read_only, …}``;
- ``env_file`` → ``[{path, required}]``;
- ``environment``/``labels``/``annotations`` → mappings of strings;
- ``configs``/``secrets`` references → ``{source, target?, uid?, gid?, mode?}`` with integer modes;
- ``command``/``entrypoint`` strings → shell-word lists;
- ``depends_on`` list → mapping; ``extends`` string → ``{service}``;
- ``healthcheck.test`` string → ``["CMD-SHELL", s]``.
"""

from __future__ import annotations

import re
from typing import Any

from kompox.compose.scalars import go_format_scalar
from kompox.compose.yaml_dialect import Override, Reset
from kompox.domain.errors import ConfigError

_BIND_OPTIONS = {"rprivate", "private", "rshared", "shared", "rslave", "slave"}


def _unwrap(value: Any) -> tuple[Any, type[Override] | None]:
    if isinstance(value, Override):
        return value.value, Override
    return value, None


def _rewrap(value: Any, wrapper: type[Override] | None) -> Any:
    return wrapper(value) if wrapper is not None else value


def _port_range(text: str, what: str, spec: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)(?:-(\d+))?", text)
    if match is None:
        raise ConfigError(f"invalid {what} port: {spec}")
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) else start
    if end < start:
        raise ConfigError(f"invalid port range: {spec}")
    return start, end


def parse_port_spec(spec: str) -> list[dict[str, Any]]:
    """``[IP:][PUBLISHED:]TARGET[/PROTO]`` → one mapping per container port."""
    raw, _, proto = spec.partition("/")
    protocol = proto or "tcp"
    parts = raw.split(":")
    container = parts[-1]
    host_ip, published = "", ""
    if len(parts) == 2:
        published = parts[0]
    elif len(parts) >= 3:
        host_ip = ":".join(parts[:-2])
        published = parts[-2]
    if host_ip.startswith("[") and host_ip.endswith("]"):
        host_ip = host_ip[1:-1]
    c_start, c_end = _port_range(container, "containerPort", spec)
    entries: list[dict[str, Any]] = []
    if published:
        p_start, p_end = _port_range(published, "hostPort", spec)
        if c_end - c_start != p_end - p_start and c_end != c_start:
            raise ConfigError(f"invalid ranges specified for container and host Ports: {spec}")
    for i, target in enumerate(range(c_start, c_end + 1)):
        entry: dict[str, Any] = {"mode": "ingress", "target": target, "protocol": protocol}
        if published:
            if c_start == c_end:
                entry["published"] = published
            else:
                entry["published"] = str(p_start + i)
        if host_ip:
            entry["host_ip"] = host_ip
        entries.append(entry)
    return entries


def canonical_ports(ports: list[Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for port in ports:
        if isinstance(port, dict):
            entry = dict(port)
            if "published" in entry and entry["published"] is not None:
                entry["published"] = go_format_scalar(entry["published"])
            if isinstance(entry.get("target"), str):
                entry["target"] = int(entry["target"])
            entry.setdefault("protocol", "tcp")
            entry.setdefault("mode", "ingress")
            result.append(entry)
        elif isinstance(port, bool):
            raise ConfigError(f"invalid port {port!r}")
        elif isinstance(port, int):
            result.append({"mode": "ingress", "target": port, "protocol": "tcp"})
        else:
            result.extend(parse_port_spec(str(port)))
    return result


def _is_file_path(source: str) -> bool:
    if not source:
        return False
    if source[0] in "./~" or source.startswith("\\\\"):
        return True
    return len(source) >= 2 and source[1] == ":" and source[0].isalpha()


def parse_volume_spec(spec: str) -> dict[str, Any]:
    """Short volume syntax ``SRC:DST[:OPTS]`` (Windows drive letters kept together) → long form."""
    if not spec:
        raise ConfigError("invalid empty volume spec")
    volume: dict[str, Any] = {}
    if len(spec) <= 2:
        return {"type": "volume", "target": spec, "volume": {}}
    fields: list[str] = []
    buffer = ""
    for ch in spec:
        if ch == ":":
            if len(buffer) == 1 and buffer.isalpha():
                # a Windows drive letter (``C:``) stays part of the path
                buffer += ch
                continue
            if not buffer:
                raise ConfigError(f"invalid volume specification: {spec}: empty section between colons")
            fields.append(buffer)
            buffer = ""
        else:
            buffer += ch
    if not buffer:
        raise ConfigError(f"invalid volume specification: {spec}: empty section between colons")
    fields.append(buffer)
    if len(fields) > 3:
        raise ConfigError(f"invalid volume specification: {spec}: too many colons")
    if len(fields) == 1:
        volume["target"] = fields[0]
    else:
        volume["source"], volume["target"] = fields[0], fields[1]
    options = fields[2].split(",") if len(fields) == 3 else []
    for option in options:
        if option == "ro":
            volume["read_only"] = True
        elif option == "rw":
            volume["read_only"] = False
        elif option == "nocopy":
            volume["volume"] = {"nocopy": True}
        elif option in _BIND_OPTIONS:
            volume.setdefault("bind", {})["propagation"] = option
        elif option in ("z", "Z"):
            volume.setdefault("bind", {})["selinux"] = option
    if _is_file_path(volume.get("source", "")):
        volume["type"] = "bind"
        volume.setdefault("bind", {}).setdefault("create_host_path", True)
        volume.pop("volume", None)
    else:
        volume["type"] = "volume"
        volume.setdefault("volume", {})
        volume.pop("bind", None)
    return volume


def canonical_environment(value: Any, field: str = "environment") -> dict[str, str | None]:
    """List ``K=V``/``K`` or mapping → mapping with Go-formatted scalar values."""
    result: dict[str, str | None] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            result[str(key)] = None if item is None else go_format_scalar(item)
        return result
    for item in value or []:
        text = go_format_scalar(item)
        key, sep, rest = text.partition("=")
        if key != key.rstrip():
            raise ConfigError(f"{field} variable {key} is declared with a trailing space")
        result[key] = rest if sep else None
    return result


def _labels(value: Any, field: str) -> dict[str, str]:
    """Labels/annotations: like environment, but a key without value is the empty string."""
    return {k: v or "" for k, v in canonical_environment(value, field).items()}


def parse_mode(value: Any) -> int | None:
    """``mode`` as an int: YAML ints as parsed, strings as octal (``"0444"`` and ``"444"`` = 292)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ConfigError(f"invalid file mode {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    try:
        return int(text, 8)
    except ValueError:
        raise ConfigError(f"invalid file mode {text!r}: must be an octal number") from None


def canonical_file_refs(refs: list[Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for ref in refs:
        if isinstance(ref, str):
            result.append({"source": ref})
            continue
        entry = dict(ref)
        if "mode" in entry:
            entry["mode"] = parse_mode(entry["mode"])
        for key in ("uid", "gid"):
            if key in entry and entry[key] is not None:
                entry[key] = go_format_scalar(entry[key])
        result.append(entry)
    return result


def split_command(value: Any) -> list[str] | None:
    """A string is split with POSIX shell-word rules; a list is kept (items as strings)."""
    if value is None:
        return None
    if isinstance(value, list):
        return [go_format_scalar(v) for v in value]
    import shlex  # only for string commands

    try:
        return shlex.split(str(value), comments=False, posix=True)
    except ValueError as exc:
        raise ConfigError(f"invalid command line {value!r}: {exc}") from None


def canonical_env_files(value: Any) -> list[dict[str, Any]]:
    items = [value] if isinstance(value, str) else list(value or [])
    result: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, str):
            result.append({"path": item, "required": True})
        else:
            entry = dict(item)
            entry.setdefault("required", True)
            result.append(entry)
    return result


_FIELD_RULES: dict[str, Any] = {
    "ports": canonical_ports,
    "env_file": canonical_env_files,
    "environment": canonical_environment,
    "labels": lambda v: _labels(v, "labels"),
    "annotations": lambda v: _labels(v, "annotations"),
    "configs": canonical_file_refs,
    "secrets": canonical_file_refs,
    "command": split_command,
    "entrypoint": split_command,
}


def canonical_service(service: dict[str, Any]) -> dict[str, Any]:
    """The service mapping with every field the loader understands in canonical form."""
    result = dict(service)
    for key, rule in _FIELD_RULES.items():
        if key not in result or isinstance(result[key], Reset):
            continue
        value, wrapper = _unwrap(result[key])
        if value is None and key in ("command", "entrypoint"):
            continue
        result[key] = _rewrap(rule(value), wrapper)
    if "volumes" in result and not isinstance(result["volumes"], Reset):
        value, wrapper = _unwrap(result["volumes"])
        result["volumes"] = _rewrap(
            [parse_volume_spec(v) if isinstance(v, str) else dict(v) for v in value or []], wrapper)
    if isinstance(result.get("depends_on"), list):
        result["depends_on"] = {
            name: {"condition": "service_started", "required": True} for name in result["depends_on"]}
    if isinstance(result.get("extends"), str):
        result["extends"] = {"service": result["extends"]}
    health = result.get("healthcheck")
    if isinstance(health, dict) and isinstance(health.get("test"), str):
        result["healthcheck"] = {**health, "test": ["CMD-SHELL", health["test"]]}
    return result


def canonical_document(document: dict[str, Any], file: str | None = None) -> dict[str, Any]:
    """Canonical forms for every service of one document; errors name ``file`` and the service."""
    services = document.get("services")
    if not isinstance(services, dict):
        return document
    result = dict(document)
    canonical: dict[str, Any] = {}
    for name, svc in services.items():
        try:
            canonical[name] = canonical_service(svc) if isinstance(svc, dict) else svc
        except ConfigError as err:
            if err.field is not None:
                raise
            raise ConfigError(err.message, file=err.file or file, field=f"services.{name}") from None
    result["services"] = canonical
    return result
