"""Validation of one compose document: the compose-spec JSON schema plus semantic checks.

The schema is the official compose-spec JSON schema (vendored data file
``schema/compose-spec.json``, Apache-2.0, see ``schema/NOTICE``).  Errors name
the path of the offending key: ``validating app.compose: services.web.ports.0: …``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from kompox.compose import schema_compiled
from kompox.compose.service_checks import check_service_values
from kompox.compose.yaml_dialect import Override, Reset
from kompox.domain.errors import ConfigError

# the compiled check of the bundled schema (generated code): answers "valid?" without importing jsonschema
_check: Callable[[Any], Any] = schema_compiled.validate_compose_spec_json


@cache
def _validator() -> Any:
    """jsonschema's validator of the same schema: only for naming what is wrong in an invalid document."""
    import json
    from importlib import resources

    import jsonschema

    text = resources.files("kompox.compose.schema").joinpath("compose-spec.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    return jsonschema.Draft7Validator(schema, format_checker=None)


def strip_tags(node: Any) -> Any:
    """The document as validation sees it: ``!reset`` keys dropped, ``!override`` unwrapped."""
    if isinstance(node, dict):
        return {k: strip_tags(v) for k, v in node.items() if not isinstance(v, Reset)}
    if isinstance(node, list):
        return [strip_tags(v) for v in node if not isinstance(v, Reset)]
    if isinstance(node, Override):
        return strip_tags(node.value)
    return node


_KEY_VALUE_LISTS = ("environment", "labels", "annotations")


def _dedupe_key_value_lists(document: Any) -> Any:
    """Identical entries of a service's ``environment``/``labels``/``annotations`` list collapse to one.

    Docker compose accepts such duplicates (later entries of a key win) although
    the schema says ``uniqueItems``; validation sees the list without repeats.
    """
    services = document.get("services") if isinstance(document, dict) else None
    if not isinstance(services, dict):
        return document
    fixed: dict[str, Any] = {}
    for name, service in services.items():
        if isinstance(service, dict):
            service = dict(service)
            for key in _KEY_VALUE_LISTS:
                items = service.get(key)
                if isinstance(items, list):
                    service[key] = [item for index, item in enumerate(items) if item not in items[:index]]
        fixed[name] = service
    return {**document, "services": fixed}


def _dotted(path: Any) -> str:
    return ".".join(str(p) for p in path)


def validate_schema(document: Any, *, file: str = "app.compose") -> None:
    """Raise :class:`ConfigError` naming the offending key if ``document`` breaks the schema."""
    plain = _dedupe_key_value_lists(strip_tags(document))
    for key in plain:
        if not isinstance(key, str):
            raise ConfigError(f"validating {file}: non-string key at top level: {key!r}", file=file)
    try:
        _check(plain)
        return
    except schema_compiled.JsonSchemaValueException:
        pass  # invalid (or a case the compiled check is stricter on): jsonschema decides and words the error
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(plain))
    if error is None:
        return
    where = _dotted(error.absolute_path)
    message = error.message
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties") or {})
        patterns = [re.compile(p) for p in error.schema.get("patternProperties") or {}]
        extra = [str(k) for k in error.instance
                 if k not in known and not any(p.search(str(k)) for p in patterns)]
        if extra:
            message = "additional properties " + ", ".join(f"'{k}'" for k in extra) + " not allowed"
    prefix = f"{where}: " if where else ""
    raise ConfigError(f"validating {file}: {prefix}{message}", file=file, field=where or None)


def check_semantics(project: dict[str, Any], *, file: str = "app.compose") -> None:
    """Semantic checks of the merged, canonical project (converter.md §3.2.4)."""
    for key, config in sorted((project.get("configs") or {}).items()):
        sources = [f for f in ("file", "environment", "content") if (config or {}).get(f) is not None]
        external = bool((config or {}).get("external"))
        driver = (config or {}).get("driver")
        if len(sources) > 1 or (not sources and not external and not driver):
            raise ConfigError(
                f"config {key}: exactly one of file, environment or content must be set (or external/driver)",
                file=file, field=f"configs.{key}")
    for key, secret in sorted((project.get("secrets") or {}).items()):
        sources = [f for f in ("file", "environment") if (secret or {}).get(f) is not None]
        external = bool((secret or {}).get("external"))
        driver = (secret or {}).get("driver")
        if len(sources) > 1 or (not sources and not external and not driver):
            raise ConfigError(
                f"secret {key}: exactly one of file or environment must be set (or external/driver)",
                file=file, field=f"secrets.{key}")
    services = project.get("services") or {}
    volumes = project.get("volumes") or {}
    for name in sorted(services):
        service = services[name]
        check_service_values(name, service, file=file)
        for port in service.get("ports") or []:
            host_ip = port.get("host_ip")
            if host_ip:
                try:
                    ipaddress.ip_address(host_ip)
                except ValueError:
                    raise ConfigError(f"service {name}: invalid ip address: {host_ip}", file=file,
                                      field=f"services.{name}.ports") from None
        for dep in sorted(service.get("depends_on") or {}):
            if dep not in services:
                raise ConfigError(f'service "{name}" depends on undefined service "{dep}": invalid compose project',
                                  file=file, field=f"services.{name}.depends_on")
        for mount in service.get("volumes") or []:
            # Kompox addresses sub-paths of a named volume as ``<name>/<sub/path>`` (converter.md §8.1),
            # so only the name is checked.  A file with no top-level ``volumes:`` at all is accepted, as
            # upstream loads it: the converter then checks the name against the App's volumes.
            if (
                volumes
                and mount.get("type") == "volume"
                and mount.get("source")
                and str(mount["source"]).split("/", 1)[0] not in volumes
            ):
                raise ConfigError(f'service "{name}" refers to undefined volume {mount["source"]}: '
                                  "invalid compose project", file=file, field=f"services.{name}.volumes")
            if mount.get("type") == "bind" and not mount.get("source"):
                raise ConfigError('invalid mount config for type "bind": field Source must not be empty',
                                  file=file, field=f"services.{name}.volumes")
