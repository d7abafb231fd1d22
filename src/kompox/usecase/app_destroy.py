"""Use case ``app destroy`` (kube-and-ops.md §6, §13.2 "Destroy"; cli.md §10.5.3).

Deletes, in the app namespace, the Ingresses, Services, Deployments, PVCs and
(cluster-wide) PVs matching the component selector ``app=<app>-app``, with
background propagation.  What stays, as upstream: PVs and PVCs (they carry
only the base labels), ConfigMaps and Secrets, NetworkPolicy, ServiceAccount,
Role, RoleBinding, the Box workload, the Namespace (unless asked) and the
cloud disks.  With ``delete_namespace`` the Namespace goes too (and with it
every namespaced object; PVs stay Released, disks stay).

Deviation, on purpose: upstream discards deletion errors and reports success;
here every object is still attempted, then the failures are reported as one
error (a refused delete must not look like a clean destroy).  NotFound is
success, so destroying twice is fine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kompox.domain.errors import KompoxError, ProviderAPIError
from kompox.kube.convert import AppNames
from kompox.usecase.app_kube import AppKube
from kompox.usecase.app_target import AppOperationError

log = logging.getLogger("kompox.usecase")


@dataclass
class DestroyResult:
    namespace: str
    label_selector: str
    deleted: list[tuple[str, str, str]] = field(default_factory=list)
    namespace_deleted: bool = False

    @property
    def deleted_count(self) -> int:
        return len(self.deleted)


def destroy_app(kube: AppKube, names: AppNames, *, delete_namespace: bool = False) -> DestroyResult:
    """Delete the component's objects (and optionally the namespace); raise if any deletion failed."""
    result = DestroyResult(namespace=names.namespace, label_selector=names.component_selector)
    log.info("UC:app.destroy:DeleteSelector/s", extra={"attrs": {"selector": result.label_selector}})
    outcome = kube.delete_by_selector(names.namespace, names.component_selector)
    result.deleted = list(outcome.deleted)
    log.info("UC:app.destroy:DeleteSelector/eok", extra={"attrs": {"count": result.deleted_count}})
    if outcome.errors:
        first = outcome.errors[0]
        more = f" (+{len(outcome.errors) - 1} more)" if len(outcome.errors) > 1 else ""
        raise AppOperationError(
            f"destroy app {names.app}: {len(outcome.errors)} deletions failed "
            f"({result.deleted_count} objects deleted): {first}{more}",
            cause=ProviderAPIError(first),
        )
    if delete_namespace:
        log.info("UC:app.destroy:DeleteNamespace/s", extra={"attrs": {"ns": names.namespace}})
        try:
            result.namespace_deleted = kube.delete_namespace(names.namespace)
        except KompoxError as err:
            log.info("UC:app.destroy:DeleteNamespace/efail", extra={"attrs": {"err": str(err)}})
            raise AppOperationError(f"delete namespace {names.namespace} failed: {err}", cause=err) from err
        log.info("UC:app.destroy:DeleteNamespace/eok", extra={"attrs": {"ns": names.namespace}})
    return result
