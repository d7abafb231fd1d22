"""Use case ``app deploy`` (kube-and-ops.md §4, §5, §13.2 "Deploy"; cli.md §10.5.2).

Two steps, so that nothing touches the cluster before the input is known good:

1. :func:`plan_deploy` — pure: the validation result (``app_validate``, with
   volumes bound through the driver's disk list) must pass the deploy gate
   (no WARN/ERROR, every volume bound, objects generated).
2. :func:`deploy_app` — server-side apply of every object in converter order
   (Namespace, ServiceAccount, Role, RoleBinding — which upstream forgets —,
   NetworkPolicy, PV, PVC, ConfigMaps, Secrets, Deployment, Services,
   Ingresses) with manager ``kompoxops`` and conflicts forced; prune headless
   Services no longer desired; patch the Deployment's pod content hash; then,
   unless told not to, wait for the rollout, reporting progress.

Every step is idempotent: a second deploy of the same input writes nothing
new, and a deploy interrupted anywhere is completed by the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import KompoxError
from kompox.kube.convert.names import LABEL_HEADLESS
from kompox.usecase.app_kube import AppKube, RolloutObservation
from kompox.usecase.app_target import AppOperationError
from kompox.usecase.app_validate import AppValidation, Severity, deploy_gate

log = logging.getLogger("kompox.usecase")

DEFAULT_ROLLOUT_TIMEOUT = 300.0


@dataclass(frozen=True)
class DeployPlan:
    """What a deploy applies: objects in apply order and the names the later steps need."""

    app: str
    namespace: str
    deployment: str
    component_selector: str
    headless_services: tuple[str, ...]
    objects: list[dict[str, Any]]
    infos: tuple[str, ...] = ()


@dataclass
class DeployResult:
    applied_count: int = 0
    pruned: list[str] = field(default_factory=list)
    patched: bool = False
    rollout: str = ""
    warnings: list[str] = field(default_factory=list)


def plan_deploy(validation: AppValidation) -> DeployPlan:
    """The deploy plan, or :class:`~kompox.usecase.app_validate.DeployBlockedError` (exit 3).

    Every issue is logged (``UC:app.deploy:Validation{Error,Warning,Info}``) before the gate decides.
    """
    symbols = {Severity.ERROR: "ValidationError", Severity.WARN: "ValidationWarning", Severity.INFO: "ValidationInfo"}
    levels = {Severity.ERROR: logging.ERROR, Severity.WARN: logging.WARNING, Severity.INFO: logging.INFO}
    for issue in validation.issues:
        log.log(
            levels[issue.severity],
            f"UC:app.deploy:{symbols[issue.severity]}",
            extra={"attrs": {"code": issue.code, "desc": issue.message}},
        )
    objects = deploy_gate(validation)
    assert validation.conversion is not None  # the gate passed: objects exist
    names = validation.conversion.names
    headless = tuple(
        str(obj["metadata"]["name"])
        for obj in objects
        if obj.get("kind") == "Service" and (obj["metadata"].get("labels") or {}).get(LABEL_HEADLESS) == "true"
    )
    return DeployPlan(
        app=names.app,
        namespace=names.namespace,
        deployment=names.resource,
        component_selector=names.component_selector,
        headless_services=headless,
        objects=objects,
        infos=tuple(i.message for i in validation.infos),
    )


def _find(objects: list[dict[str, Any]], kind: str, name: str) -> Mapping[str, Any] | None:
    for obj in objects:
        if obj.get("kind") == kind and (obj.get("metadata") or {}).get("name") == name:
            return obj
    return None


def deploy_app(
    kube: AppKube,
    plan: DeployPlan,
    *,
    wait: bool = True,
    timeout: float = DEFAULT_ROLLOUT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> DeployResult:
    """Apply the plan; prune, patch, and (``wait``) wait up to ``timeout`` seconds for the rollout.

    Apply and rollout failures raise :class:`AppOperationError` (keeping the
    cause's exit code); prune and pod-hash failures are warnings, as upstream.
    """
    result = DeployResult()
    note = progress or (lambda _msg: None)
    note(f"applying {len(plan.objects)} objects to namespace {plan.namespace}")
    try:
        applied = kube.apply(plan.objects, default_namespace=plan.namespace, force=True)
    except KompoxError as err:
        raise AppOperationError(f"apply objects failed: {err}", cause=err) from err
    result.applied_count = len(applied.objects)
    log.info("UC:app.deploy:Applied", extra={"attrs": {"count": result.applied_count, "ns": plan.namespace}})

    # A namespace this apply created holds only what was just applied: nothing to prune and
    # no CLI-managed Secret yet, so both reads are skipped (first deploy = one request per object + 1).
    fresh = any(
        created and obj.get("kind") == "Namespace"
        for obj, created in zip(applied.objects, applied.created, strict=False)
    )
    if not fresh:
        pruned = kube.prune_headless_services(plan.namespace, plan.component_selector, plan.headless_services)
        result.pruned = [name for _, _, name in pruned.deleted]
        for name in result.pruned:
            log.info("UC:app.deploy:HeadlessServices:Delete/eok", extra={"attrs": {"name": name}})
        for err_text in pruned.errors:
            log.warning("UC:app.deploy:HeadlessServices/efail", extra={"attrs": {"err": err_text}})
            result.warnings.append(f"prune headless services: {err_text}")

    try:
        patch = kube.sync_pod_content_hash(
            plan.namespace, plan.deployment, known=applied.objects, all_secrets_known=fresh
        )
        result.patched = patch is not None
    except KompoxError as err:
        log.warning("UC:app.deploy:PatchFailed", extra={"attrs": {"err": str(err)}})
        result.warnings.append(f"patch deployment secret hash: {err}")

    if wait:
        initial = None if result.patched else _find(applied.objects, "Deployment", plan.deployment)

        def report(status: RolloutObservation) -> None:
            note(status.message)

        try:
            final = kube.wait_for_rollout(
                plan.namespace, plan.deployment, timeout=timeout, progress=report, initial=initial
            )
        except KompoxError as err:
            raise AppOperationError(
                f"app {plan.app} applied, but deployment {plan.deployment} is not ready: {err}", cause=err
            ) from err
        result.rollout = final.message
    return result
