"""Process-global registry of provider drivers: ``register(id, factory)`` / ``get_factory(id)``.

Built-in drivers (:data:`BUILTIN_DRIVERS`) are imported on first use by
:func:`get_factory`, so that heavy SDKs load only when a driver is actually used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from kompox.domain.errors import ValidationError
from kompox.domain.model import Provider, Workspace

if TYPE_CHECKING:
    from kompox.domain.ports import Driver, DriverFactory

_REGISTRY: dict[str, DriverFactory] = {}

BUILTIN_DRIVERS: dict[str, tuple[str, str]] = {
    "aks": ("kompox.providers.aks", "new_aks_driver"),
    "k3s": ("kompox.providers.k3s", "new_k3s_driver"),
}
"""Driver id -> (module, factory attribute); the module is imported on first use."""


def register(name: str, factory: DriverFactory) -> None:
    """Register ``factory`` under ``name``; a later registration replaces an earlier one."""
    _REGISTRY[name] = factory


def registered_ids() -> list[str]:
    return sorted(set(_REGISTRY) | set(BUILTIN_DRIVERS))


def get_factory(name: str) -> DriverFactory:
    """The factory registered for ``name``; imports a built-in driver on first use.

    Raises :class:`ValidationError` listing the known ids for an unknown name.
    """
    factory = _REGISTRY.get(name)
    if factory is None and name in BUILTIN_DRIVERS:
        # Read the factory off the module rather than relying on its import-time
        # register() call alone: an import happens once per process, so a registry
        # that was cleared after it would otherwise lose the built-in driver.
        module_name, attribute = BUILTIN_DRIVERS[name]
        factory = cast("DriverFactory", getattr(importlib.import_module(module_name), attribute))
        _REGISTRY[name] = factory
    if factory is None:
        known = ", ".join(registered_ids())
        raise ValidationError(f"unknown provider driver: {name or '(empty)'} (known drivers: {known})", field="driver")
    return factory


def new_driver(workspace: Workspace | None, provider: Provider) -> Driver:
    """Build a driver for ``provider``; factory failures are wrapped with the driver name."""
    factory = get_factory(provider.driver)
    try:
        return factory(workspace, provider)
    except ValidationError as err:
        cause = err.message.removeprefix("validation error: ")
        raise type(err)(
            f"failed to create driver {provider.driver} for provider {provider.name}: {cause}", field=err.field
        ) from err
