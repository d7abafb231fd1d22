"""In-memory repositories behind the ports of :mod:`kompox.domain.ports`.

Filled once from a loaded configuration and read-only afterwards::

    repositories_from_state(state: KomState) -> InMemoryRepositories      # KOM mode
    InMemoryRepositories.from_resources(resources: KomResources)           # KOM or legacy
    InMemoryRepositories.from_legacy(config: LegacyConfig)

``get`` raises :class:`NotFoundError` with upstream's text (``app not found``).
Objects are returned as stored: treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.domain.model import App, Box, Cluster, Provider, Workspace
from kompox.kom.convert import KomResources
from kompox.kom.loader import KomState, Mode

if TYPE_CHECKING:
    from kompox.domain.ports import Repositories
    from kompox.kom.legacy import LegacyConfig


class _HasID(Protocol):
    id: str


T = TypeVar("T", bound=_HasID)


class InMemoryRepository(Generic[T]):
    """A map from ID to resource; later duplicates overwrite earlier ones (upstream behaviour)."""

    def __init__(self, kind: str, items: Iterable[T] = ()) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        for item in items:
            self._items[item.id] = item

    def get(self, id: str) -> T:
        try:
            return self._items[id]
        except KeyError:
            raise NotFoundError(f"{self.kind} not found") from None

    def list(self) -> list[T]:
        return list(self._items.values())

    def __len__(self) -> int:
        return len(self._items)


class InMemoryRepositories:
    """The five repositories of one configuration (implements ``domain.ports.Repositories``)."""

    def __init__(self, resources: KomResources) -> None:
        self._workspaces = InMemoryRepository[Workspace]("workspace", resources.workspaces)
        self._providers = InMemoryRepository[Provider]("provider", resources.providers)
        self._clusters = InMemoryRepository[Cluster]("cluster", resources.clusters)
        self._apps = InMemoryRepository[App]("app", resources.apps)
        self._boxes = InMemoryRepository[Box]("box", resources.boxes)

    @classmethod
    def from_resources(cls, resources: KomResources) -> InMemoryRepositories:
        return cls(resources)

    @classmethod
    def from_legacy(cls, config: LegacyConfig) -> InMemoryRepositories:
        return cls(config.resources)

    @property
    def workspaces(self) -> InMemoryRepository[Workspace]:
        return self._workspaces

    @property
    def providers(self) -> InMemoryRepository[Provider]:
        return self._providers

    @property
    def clusters(self) -> InMemoryRepository[Cluster]:
        return self._clusters

    @property
    def apps(self) -> InMemoryRepository[App]:
        return self._apps

    @property
    def boxes(self) -> InMemoryRepository[Box]:
        return self._boxes


def repositories_from_state(state: KomState) -> InMemoryRepositories:
    """The repositories of a KOM-mode state; a legacy-mode state has none (use ``--db-url``)."""
    if state.mode is not Mode.KOM or state.resources is None:
        raise ValidationError("KOM mode is not active: no KOM documents were loaded")
    return InMemoryRepositories(state.resources)


def _satisfies_port(repos: InMemoryRepositories) -> Repositories:
    """Static check (mypy) that :class:`InMemoryRepositories` implements the port."""
    return repos
