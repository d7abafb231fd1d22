"""Use case ``app deploy`` (kube-and-ops.md §4, §5, §13.2 "Deploy"; cli.md §10.5.2).

Steps, so that nothing touches the cluster before the input is known good:

1. :func:`plan_deploy` — pure: the validation result (``app_validate``, with
   volumes bound through the driver's disk list) must pass the deploy gate
   (no WARN/ERROR, every volume bound, objects generated).
2. :func:`deploy_app` — the pod template gets its content hash and pull
   secret (computed from the planned and the server's Secrets/ConfigMaps)
   *before* anything is sent, so the first apply is the only rollout; every
   object is then sent as a server-side dry run (``dryRun=All``, manager
   ``kompoxops``) and nothing is applied unless the server accepts all of
   them (:class:`DeployRefusedError` lists every refusal); then server-side
   apply of every object in converter order (Namespace, ServiceAccount, Role,
   RoleBinding — which upstream forgets —, NetworkPolicy, PV, PVC,
   ConfigMaps, Secrets, Deployment, Services, Ingresses) with conflicts
   forced; prune headless Services no longer desired; then, unless told not
   to, wait for the rollout, reporting progress.

   A namespace that does not exist yet is dry-run, then created (empty) so
   that the server can check the objects that live in it: an API server
   refuses even a dry run into a missing namespace.
3. :func:`run_app_deploy` — the whole command in order: bootstrap disks,
   validate, plan, dry run and apply, wait, DNS.

Every step is idempotent: a second deploy of the same input writes nothing
new, and a deploy interrupted anywhere is completed by the next one.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.errors import ExitCode, KompoxError
from kompox.kube.convert.names import LABEL_HEADLESS
from kompox.kube.podhash import PodTemplateStamp, referenced_names, stamp_pod_template, template_stamp_of
from kompox.usecase.app_kube import AppKube, RolloutObservation
from kompox.usecase.app_target import AppOperationError
from kompox.usecase.app_validate import AppValidation, Severity, deploy_gate
from kompox.usecase.pv_rebind import stale_claim_refs

log = logging.getLogger("kompox.usecase")

DEFAULT_ROLLOUT_TIMEOUT = 300.0
Obj = dict[str, Any]


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
    patched: bool = False  # the pod template hash or pull secret differs from what the server held
    rollout: str = ""
    warnings: list[str] = field(default_factory=list)


class DeployRefusedError(AppOperationError):
    """The API server refused objects at the dry run; nothing (but maybe an empty namespace) was applied."""

    def __init__(self, refusals: list[str], total: int, *, namespace_created: str = "") -> None:
        created = f" (namespace {namespace_created} was created, empty, to check them)" if namespace_created else ""
        super().__init__(
            f"the API server refused {len(refusals)} of {total} objects at dry run; nothing was applied{created}"
        )
        self.refusals = refusals
        self.exit_code = ExitCode.CONFIG  # the generated objects are invalid input for this cluster


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


def _stamp(kube: AppKube, plan: DeployPlan, objects: list[Obj], *, fresh: bool) -> bool:
    """Write the pod content hash and pull secret into the planned Deployment; True if they differ from the live ones.

    The Secrets and ConfigMaps of the plan are what the server will hold; the
    others (the CLI-managed override and pull Secrets) are read from the
    server unless the namespace is new.
    """
    deployment = next(
        (o for o in objects if o.get("kind") == "Deployment" and o["metadata"].get("name") == plan.deployment), None
    )
    if deployment is None:
        return False
    planned = {
        kind: {o["metadata"]["name"]: o for o in objects if o.get("kind") == kind} for kind in ("Secret", "ConfigMap")
    }
    live: Obj | None = None
    server: dict[str, list[Obj]] = {"Secret": [], "ConfigMap": []}
    if not fresh:
        live = kube.get_deployment(plan.namespace, plan.deployment)
        server["Secret"] = kube.list_secrets(plan.namespace)
        _, cm_names = referenced_names(((deployment.get("spec") or {}).get("template") or {}).get("spec") or {})
        if cm_names - set(planned["ConfigMap"]):
            server["ConfigMap"] = kube.list_configmaps(plan.namespace)
    merged: dict[str, list[Obj]] = {}
    for kind in ("Secret", "ConfigMap"):
        by_name = {str((o.get("metadata") or {}).get("name", "")): o for o in server[kind]}
        by_name.update(planned[kind])
        merged[kind] = [by_name[n] for n in sorted(by_name)]
    stamp = stamp_pod_template(deployment, merged["Secret"], merged["ConfigMap"])
    before = template_stamp_of(live) if live is not None else PodTemplateStamp("", [])
    return (
        bool(stamp.content_hash and stamp.content_hash != before.content_hash)
        or stamp.pull_secrets != before.pull_secrets
    )


def deploy_app(
    kube: AppKube,
    plan: DeployPlan,
    *,
    wait: bool = True,
    timeout: float = DEFAULT_ROLLOUT_TIMEOUT,
    progress: Callable[[str], None] | None = None,
) -> DeployResult:
    """Stamp, dry-run, apply and prune the plan; (``wait``) wait up to ``timeout`` seconds for the rollout.

    Refusals at the dry run raise :class:`DeployRefusedError` before anything
    is applied; apply and rollout failures raise :class:`AppOperationError`
    (keeping the cause's exit code); prune failures are warnings, as upstream.
    """
    result = DeployResult()
    note = progress or (lambda _msg: None)
    note(f"applying {len(plan.objects)} objects to namespace {plan.namespace}")
    objects = [copy.deepcopy(o) for o in plan.objects]
    namespace = [o for o in objects if o.get("kind") == "Namespace" and o["metadata"].get("name") == plan.namespace]
    others = [o for o in objects if not any(o is n for n in namespace)]
    try:
        # 1. the Namespace first: its dry run also says whether it exists.  A namespace this deploy
        #    creates holds only what it applies: nothing to prune and no CLI-managed Secret yet.
        check = kube.dry_run_apply(namespace, default_namespace=plan.namespace, force=True)
        _refuse(check.refusals, len(objects), created="")
        fresh = bool(namespace) and check.created[0]
        # 2. the pod template hash, so that the first apply is the only rollout
        result.patched = _stamp(kube, plan, objects, fresh=fresh)
        # 3. an API server checks namespaced objects only against an existing namespace: create it
        #    (as planned; the apply below then owns its fields), then dry-run the rest
        if fresh:
            kube.create_namespace(namespace[0])
        check = kube.dry_run_apply(others, default_namespace=plan.namespace, force=True)
        _refuse(check.refusals, len(objects), created=plan.namespace if fresh else "")
        note(f"server dry run accepted all {len(objects)} objects")
        # 4. every object, one apply each
        applied = list(kube.apply(objects, default_namespace=plan.namespace, force=True).objects)
    except DeployRefusedError:
        raise
    except KompoxError as err:
        raise AppOperationError(f"apply objects failed: {err}", cause=err) from err
    result.applied_count = len(applied)
    log.info("UC:app.deploy:Applied", extra={"attrs": {"count": result.applied_count, "ns": plan.namespace}})
    _rebind_released_volumes(kube, applied, plan.namespace, note)

    if not fresh:
        pruned = kube.prune_headless_services(plan.namespace, plan.component_selector, plan.headless_services)
        result.pruned = [name for _, _, name in pruned.deleted]
        for name in result.pruned:
            log.info("UC:app.deploy:HeadlessServices:Delete/eok", extra={"attrs": {"name": name}})
        for err_text in pruned.errors:
            log.warning("UC:app.deploy:HeadlessServices/efail", extra={"attrs": {"err": err_text}})
            result.warnings.append(f"prune headless services: {err_text}")

    if wait:
        initial = _find(applied, "Deployment", plan.deployment)
        if initial is not None and _stale(initial):
            initial = None  # the apply changed the spec: its answer cannot say how the rollout goes

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


def _rebind_released_volumes(kube: AppKube, applied: list[Obj], namespace: str, note: Callable[[str], None]) -> None:
    """Let a retained PV that an earlier ``app destroy`` left Released bind to its recreated claim."""
    for stale in stale_claim_refs(applied, namespace):
        try:
            kube.release_volume_claim_ref(stale.volume, stale.resource_version)
        except KompoxError as err:
            raise AppOperationError(
                f"persistent volume {stale.volume} is Released from an earlier claim {stale.claim} and could not be"
                f" freed for the new one: {err}",
                cause=err,
            ) from err
        note(f"persistent volume {stale.volume}: released by an earlier app destroy; rebinding it to {stale.claim}")
        log.info("UC:app.deploy:PV:Rebind", extra={"attrs": {"pv": stale.volume, "claim": stale.claim}})


def _stale(deployment: Mapping[str, Any]) -> bool:
    observed = int((deployment.get("status") or {}).get("observedGeneration") or 0)
    return int((deployment.get("metadata") or {}).get("generation") or 0) > observed


def _refuse(refusals: list[str], total: int, *, created: str) -> None:
    if refusals:
        for line in refusals:
            log.warning("UC:app.deploy:DryRunRefused", extra={"attrs": {"err": line}})
        raise DeployRefusedError(refusals, total, namespace_created=created)
