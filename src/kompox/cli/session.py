"""The composition root of one command: store, target, driver and kube client, each built once.

A :class:`Session` belongs to one ``kompoxops`` invocation (``rt.session()``
builds it after ``Runtime.prerun()``; ``Runtime.finish()`` closes it).  It
opens the store for the mode KOM initialisation chose (KOM documents, a
database store, or the legacy ``kompoxops.yml``, read once, so one command
never holds two copies of the same app with different generated IDs), resolves the target app or
cluster with upstream's precedence, builds a provider driver per provider on
first use and keeps it, and opens a Kubernetes client per cluster on first use
and closes it at the end.  Commands hand these to use cases as their ports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kompox.domain.errors import ConfigError, KompoxError, NotFoundError
from kompox.domain.model import Cluster, Provider, Workspace
from kompox.kom.loader import Mode
from kompox.kom.target import select_app_id, select_cluster_id
from kompox.store.inmem import InMemoryRepositories
from kompox.usecase.app_target import AppTarget

if TYPE_CHECKING:
    from pathlib import Path

    from kompox.cli.runtime import Runtime
    from kompox.domain.ports import Driver, Repositories
    from kompox.kube.client import KubeClient

log = logging.getLogger("kompox.cli")
T = TypeVar("T")


@dataclass
class Store:
    """The repositories of the project and the default app/cluster it names."""

    repos: InMemoryRepositories
    default_app: str = ""  # id (KOM) or name (legacy)
    default_cluster: str = ""


def open_store(rt: Runtime) -> Store:
    """The repositories of the project (KOM documents, or the legacy file read now)."""
    kom = rt.require_kom()
    if kom.mode is Mode.KOM and kom.resources is not None:
        return Store(InMemoryRepositories(kom.resources), kom.default_app_id, kom.default_cluster_id)
    from kompox.kom.legacy import DEFAULT_DB_URL, load_legacy_db_url, resolve_db_url  # no KOM: the legacy store only
    from kompox.store.rdb.url import check_store_scheme, is_database_url

    db_url = resolve_db_url(rt.flags.db_url, rt.env)
    if is_database_url(db_url):
        return Store(database_repositories(db_url, kom.cwd))
    check_store_scheme(db_url)
    if db_url == DEFAULT_DB_URL and not (kom.cwd / DEFAULT_DB_URL.removeprefix("file:")).exists():
        # nothing chose the legacy file: say what is missing rather than that kompoxops.yml cannot be read
        raise ConfigError(
            "no KOM resources found (none in the KOM path, .kompox/kom/ by default, nor in kompoxapp.yml) "
            "and no legacy kompoxops.yml: "
            "add Workspace, Provider, Cluster and App resources, or run kompoxops init in an empty directory "
            "to scaffold a project"
        )
    legacy = load_legacy_db_url(db_url, kom.cwd)
    return Store(InMemoryRepositories.from_legacy(legacy), legacy.default_app_name, legacy.default_cluster_name)


def database_repositories(db_url: str, cwd: Path) -> InMemoryRepositories:
    """The resources of a database store (``sqlite:``/``postgresql://``), read once; no default targets."""
    from kompox.store.rdb.store import open_rdb
    from kompox.usecase.admin_resources import resources_from_rows

    store = open_rdb(db_url, cwd)
    try:
        return InMemoryRepositories(resources_from_rows(store.list()))
    finally:
        store.close()


def provider_of(repos: Repositories, cluster: Cluster | None) -> tuple[Workspace | None, Provider]:
    """The workspace and provider responsible for ``cluster``; a missing one is an error.

    Unlike upstream, a workspace lookup failure is never a silent ``(nil)``
    workspace that would change every hash (drivers.md §8.3).
    """
    if cluster is None:
        raise KompoxError("cluster is nil")
    try:
        provider = repos.providers.get(cluster.provider_id)
    except NotFoundError as err:
        raise NotFoundError(f"failed to get provider {cluster.provider_id}: {err}") from err
    workspace: Workspace | None = None
    if provider.workspace_id:
        try:
            workspace = repos.workspaces.get(provider.workspace_id)
        except NotFoundError as err:
            raise NotFoundError(
                f"failed to get workspace {provider.workspace_id} of provider {provider.name}: {err}"
            ) from err
    return workspace, provider


def _lookup(getter: Callable[[str], T], id: str) -> T | None:
    """``getter(id)``, or None for an empty id or a missing resource (reported later as a warning)."""
    if not id:
        return None
    try:
        return getter(id)
    except NotFoundError:
        return None


class Session:
    """Everything one command builds at most once: the store, targets, drivers and kube clients."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self._store: Store | None = None
        self._apps: dict[tuple[str, str], AppTarget] = {}
        self._drivers: dict[str, Driver | KompoxError] = {}  # by provider id; a failed build is kept too
        self._kubes: dict[str, KubeClient] = {}  # by cluster id

    # --- store and targets -------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.rt)
        return self._store

    def app(self, app_id: str = "", app_name: str = "") -> AppTarget:
        """The target app with its cluster, provider and workspace (``None`` for a missing parent)."""
        key = (app_id, app_name)
        if key not in self._apps:
            store = self.store
            target = select_app_id(store.repos.apps, app_id=app_id, app_name=app_name, default_app_id=store.default_app)
            app = store.repos.apps.get(target)
            cluster = _lookup(store.repos.clusters.get, app.cluster_id)
            provider = _lookup(store.repos.providers.get, cluster.provider_id) if cluster else None
            workspace = _lookup(store.repos.workspaces.get, provider.workspace_id) if provider else None
            self._apps[key] = AppTarget(app=app, cluster=cluster, provider=provider, workspace=workspace)
        return self._apps[key]

    def cluster(self, cluster_id: str = "", cluster_name: str = "") -> Cluster:
        """The target cluster, selected with upstream's precedence (flags, then the default)."""
        store = self.store
        target = select_cluster_id(
            store.repos.clusters,
            cluster_id=cluster_id,
            cluster_name=cluster_name,
            default_cluster_id=store.default_cluster,
        )
        return store.repos.clusters.get(target)

    # --- drivers -----------------------------------------------------------------

    def _driver(self, workspace: Workspace | None, provider: Provider) -> Driver:
        from kompox.providers import registry

        built = self._drivers.get(provider.id)
        if built is None:
            try:
                built = registry.new_driver(workspace, provider)
            except KompoxError as err:
                built = err
            self._drivers[provider.id] = built
        if isinstance(built, KompoxError):
            raise built
        return built

    def driver_for(self, cluster: Cluster | None) -> Driver:
        """The driver responsible for ``cluster`` (see :func:`provider_of`), built once per provider."""
        workspace, provider = provider_of(self.store.repos, cluster)
        return self._driver(workspace, provider)

    def app_driver(self, target: AppTarget) -> Driver:
        """The app's provider driver; errors (unknown driver, bad settings, no cluster) are raised."""
        if target.cluster is None or target.provider is None:
            raise NotFoundError(
                f"app {target.app.name}: cluster or provider not found ({target.app.cluster_id or 'no cluster'})"
            )
        return self._driver(target.workspace, target.provider)

    def try_app_driver(self, target: AppTarget) -> Driver | None:
        """The app's provider driver, or None (logged) when it cannot be built."""
        if target.provider is None:
            return None
        try:
            return self._driver(target.workspace, target.provider)
        except KompoxError as err:
            log.warning("provider driver unavailable", extra={"attrs": {"err": str(err)}})
            return None

    # --- kubernetes --------------------------------------------------------------

    def kube(self, cluster: Cluster, driver: Driver | None = None) -> KubeClient:
        """A client for ``cluster`` from the driver's kubeconfig bytes (never written to disk); closed at exit."""
        client = self._kubes.get(cluster.id)
        if client is None:
            from kompox.kube.client import KubeClient

            kubeconfig = (driver or self.driver_for(cluster)).cluster_kubeconfig(cluster)
            client = self._kubes[cluster.id] = KubeClient(kubeconfig)
        return client

    def app_kube(self, target: AppTarget) -> KubeClient:
        """The client of the app's cluster (its driver built through :meth:`app_driver`)."""
        driver = self.app_driver(target)
        assert target.cluster is not None  # app_driver checked it
        return self.kube(target.cluster, driver)

    def close(self) -> None:
        """Close every kube client this session opened."""
        clients, self._kubes = list(self._kubes.values()), {}
        for client in clients:
            client.close()
