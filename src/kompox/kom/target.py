"""Selecting the target App / Cluster of a command (kom.md §6, cli.md §6).

::

    select_app_id(apps: AppRepository, *, app_id: str = "", app_name: str = "",
                  default_app_id: str = "", legacy_app_name: str = "",
                  positional: Sequence[str] = ()) -> str
    select_cluster_id(clusters: ClusterRepository, *, cluster_id: str = "", cluster_name: str = "",
                      default_cluster_id: str = "", legacy_cluster_name: str = "") -> str

A candidate containing ``/`` is an ID and returned verbatim (a wrong ID fails
later at the repository, ``app not found``); otherwise it is a name that must
match exactly one resource.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from kompox.domain.errors import NotFoundError, ValidationError
from kompox.kom.resource_id import quote

if TYPE_CHECKING:
    from kompox.domain.ports import AppRepository, ClusterRepository

APP_NOT_SPECIFIED = "app not specified; use --app-id, --app-name, or set app.name in kompoxops.yml"
CLUSTER_NOT_SPECIFIED = "cluster not specified; use --cluster-id, --cluster-name, or set cluster.name in kompoxops.yml"
POSITIONAL_APP = "positional app name is not supported; use --app-id or --app-name"


class _Named(Protocol):
    id: str
    name: str


def _resolve(candidate: str, items: Sequence[_Named], kind: str, plural: str, flag: str) -> str:
    if "/" in candidate:
        return candidate
    ids = [item.id for item in items if item.name == candidate]
    if not ids:
        raise NotFoundError(f"{kind} {quote(candidate)} not found")
    if len(ids) > 1:
        raise ValidationError(
            f"multiple {plural} found with name {quote(candidate)}: [{' '.join(ids)}] (use {flag} to specify)"
        )
    return ids[0]


def select_app_id(
    apps: AppRepository,
    *,
    app_id: str = "",
    app_name: str = "",
    default_app_id: str = "",
    legacy_app_name: str = "",
    positional: Sequence[str] = (),
) -> str:
    """``--app-id`` > ``--app-name`` > KOM default app > legacy ``app.name``."""
    if positional:
        raise ValidationError(POSITIONAL_APP)
    candidate = app_id or app_name or default_app_id or legacy_app_name
    if not candidate:
        raise ValidationError(APP_NOT_SPECIFIED)
    if "/" in candidate:
        return candidate
    return _resolve(candidate, apps.list(), "app", "apps", "--app-id")


def select_cluster_id(
    clusters: ClusterRepository,
    *,
    cluster_id: str = "",
    cluster_name: str = "",
    default_cluster_id: str = "",
    legacy_cluster_name: str = "",
) -> str:
    """``--cluster-id`` > ``--cluster-name`` > KOM default cluster > legacy ``cluster.name``."""
    candidate = cluster_id or cluster_name or default_cluster_id or legacy_cluster_name
    if not candidate:
        raise ValidationError(CLUSTER_NOT_SPECIFIED)
    if "/" in candidate:
        return candidate
    return _resolve(candidate, clusters.list(), "cluster", "clusters", "--cluster-id")
