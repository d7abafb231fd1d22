"""Service values docker compose refuses, checked on the canonical project (issue #14 point 10).

* a service with neither ``image`` nor ``build`` (docker compose: ``service "x"
  has neither an image nor a build context specified: invalid compose
  project``);
* ports outside 1–65535 (docker compose: ``invalid containerPort: 70000``,
  ``invalid hostPort: 99999``), in short and long syntax;
* ``expose`` entries that are not ``PORT[-PORT][/PROTOCOL]`` with ports in
  1–65535 (``docker compose config`` passes ``-5`` through, the engine then
  refuses the container; Kompox refuses it up front);
* resource fields: invalid ``cpus``/memory sizes and v2 fields that differ
  from their ``deploy`` counterparts (:mod:`kompox.compose.resources`).
"""

from __future__ import annotations

import re
from typing import Any

from kompox.compose.resources import check_resources
from kompox.domain.errors import ConfigError

MAX_PORT = 65535
_EXPOSE = r"(\d+)(?:-(\d+))?(?:/(tcp|udp|sctp))?"  # compiled on first use (re's cache), case-insensitive


def _in_range(text: str, low: int = 1) -> bool:
    return text.isascii() and text.isdigit() and low <= int(text) <= MAX_PORT


def check_service_values(name: str, service: dict[str, Any], *, file: str) -> None:
    """Raise :class:`ConfigError` (file and field named) for the first refused value of one service."""
    if not service.get("image") and service.get("build") is None:
        raise ConfigError(
            f'service "{name}" has neither an image nor a build context specified: invalid compose project',
            file=file, field=f"services.{name}")
    for index, port in enumerate(service.get("ports") or []):
        field = f"services.{name}.ports.{index}"
        target = port.get("target")
        if isinstance(target, bool) or not isinstance(target, int) or not 1 <= target <= MAX_PORT:
            raise ConfigError(f"service {name}: invalid containerPort: {target} (allowed: 1-{MAX_PORT})",
                              file=file, field=field)
        published = str(port.get("published") or "").strip()
        if published and not all(_in_range(p, 0) for p in published.split("-", 1)):  # 0: any host port
            raise ConfigError(f"service {name}: invalid hostPort: {published} (allowed: 0-{MAX_PORT})",
                              file=file, field=field)
    for index, item in enumerate(service.get("expose") or []):
        text = str(item).strip()
        match = re.fullmatch(_EXPOSE, text, re.IGNORECASE)
        if match is None or not all(_in_range(p) for p in match.group(1, 2) if p is not None):
            raise ConfigError(
                f'service {name}: invalid expose port "{text}" (expected PORT[-PORT][/PROTOCOL], ports 1-{MAX_PORT})',
                file=file, field=f"services.{name}.expose.{index}")
    check_resources(name, service, file=file)
