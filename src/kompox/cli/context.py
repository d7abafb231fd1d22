"""Composition root helpers: repositories, target resolution and drivers for commands.

Commands call these after ``Runtime.prerun()``; they select the store for the
mode KOM initialisation chose (KOM documents, or the legacy ``kompoxops.yml``)
and resolve the target app or cluster with upstream's precedence.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from kompox.cli.runtime import Runtime
from kompox.domain.errors import KompoxError, NotFoundError
from kompox.domain.model import App, Cluster, Provider, Workspace
from kompox.domain.ports import Driver
from kompox.kom.legacy import load_legacy_db_url, resolve_db_url
from kompox.kom.loader import Mode
from kompox.kom.target import select_app_id, select_cluster_id
from kompox.store.inmem import InMemoryRepositories
from kompox.store.rdb.url import is_database_url

if TYPE_CHECKING:
    from pathlib import Path

    from kompox.kube.client import KubeClient

log = logging.getLogger("kompox.cli")
T = TypeVar("T")


@dataclass
class Store:
    repos: InMemoryRepositories
    default_app: str = ""  # id (KOM) or name (legacy)
    default_cluster: str = ""


def open_store(rt: Runtime) -> Store:
    kom = rt.require_kom()
    if kom.mode is Mode.KOM and kom.resources is not None:
        return Store(InMemoryRepositories(kom.resources), kom.default_app_id, kom.default_cluster_id)
    db_url = resolve_db_url(rt.flags.db_url, rt.env)
    if is_database_url(db_url):
        return Store(database_repositories(db_url, kom.cwd))
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


@dataclass
class AppContext:
    app: App
    cluster: Cluster | None
    provider: Provider | None
    workspace: Workspace | None


def _lookup(getter: Callable[[str], T], id: str) -> T | None:
    """``getter(id)``, or None for an empty id or a missing resource (reported later as a warning)."""
    if not id:
        return None
    try:
        return getter(id)
    except NotFoundError:
        return None


def resolve_app(rt: Runtime, app_id: str, app_name: str) -> AppContext:
    store = open_store(rt)
    target = select_app_id(store.repos.apps, app_id=app_id, app_name=app_name, default_app_id=store.default_app)
    app = store.repos.apps.get(target)
    cluster = _lookup(store.repos.clusters.get, app.cluster_id)
    provider = _lookup(store.repos.providers.get, cluster.provider_id) if cluster else None
    workspace = _lookup(store.repos.workspaces.get, provider.workspace_id) if provider else None
    return AppContext(app=app, cluster=cluster, provider=provider, workspace=workspace)


def resolve_cluster(rt: Runtime, cluster_id: str, cluster_name: str) -> tuple[Store, Cluster]:
    """The store and the target cluster, selected with upstream's precedence (flags, then the default)."""
    store = open_store(rt)
    target = select_cluster_id(
        store.repos.clusters, cluster_id=cluster_id, cluster_name=cluster_name, default_cluster_id=store.default_cluster
    )
    return store, store.repos.clusters.get(target)


def try_driver(ctx: AppContext) -> Driver | None:
    """The app's provider driver, or None (logged) when it cannot be built (unknown driver, bad settings)."""
    from kompox.providers.registry import new_driver

    if ctx.provider is None:
        return None
    try:
        return new_driver(ctx.workspace, ctx.provider)
    except KompoxError as err:
        log.warning("provider driver unavailable", extra={"attrs": {"err": str(err)}})
        return None


def require_driver(ctx: AppContext) -> Driver:
    """The app's provider driver; errors (unknown driver, bad settings, no cluster) are raised, not logged."""
    from kompox.providers.registry import new_driver

    if ctx.cluster is None or ctx.provider is None:
        raise NotFoundError(f"app {ctx.app.name}: cluster or provider not found ({ctx.app.cluster_id or 'no cluster'})")
    return new_driver(ctx.workspace, ctx.provider)


def connect_kube(driver: Driver, cluster: Cluster) -> KubeClient:
    """A Kubernetes client for the cluster, from the driver's kubeconfig bytes (never written to disk)."""
    from kompox.kube.client import KubeClient

    return KubeClient(driver.cluster_kubeconfig(cluster))
