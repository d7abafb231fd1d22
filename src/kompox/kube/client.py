"""The Kubernetes client of Kompox: the only code that talks to an API server.

:class:`KubeClient` layers, from the bottom: the connection and generic object
access (:mod:`kompox.kube.api`), pods with logs/exec/port-forward
(:mod:`kompox.kube.pod_access`), and here the app-level operations — server-side
apply, deletion by selector, headless Service pruning, the Deployment pod
template patch, rollout waiting and the reads of ``app status``.
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from kompox.domain.errors import ValidationError
from kompox.kube import resources as res
from kompox.kube.api import DEFAULT_TIMEOUT, FIELD_MANAGER, Obj, meta_of
from kompox.kube.node_zones import NodeZoneLabels, label_node_zones
from kompox.kube.pod_access import PodAccess
from kompox.kube.podhash import PodTemplatePatch, plan_pod_template_patch, referenced_names
from kompox.kube.resources import ResourceRef
from kompox.kube.rollout import RolloutStatus, rollout_status
from kompox.kube.transport import (
    APPLY_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    KubeAPIError,
    is_not_found,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "FIELD_MANAGER",
    "HEADLESS_LABEL",
    "ApplyResult",
    "DeleteResult",
    "KubeClient",
    "Obj",
    "is_missing",
]

log = logging.getLogger("kompox.kube")

HEADLESS_LABEL = "kompox.dev/compose-service-headless"
OBJECT_REFUSALS = frozenset({400, 422})
"""Statuses with which the server refuses an object itself (not the request): collected by the dry run."""


@dataclass
class ApplyResult:
    """Server-side objects returned by the applies, in apply order; ``created[i]``: object i was new (201)."""

    objects: list[Obj] = field(default_factory=list)
    created: list[bool] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.objects)


@dataclass
class DryRunResult:
    """``refusals``: ``Kind/name: cause`` per object the server refused; ``created[i]``: object i would be new."""

    refusals: list[str] = field(default_factory=list)
    created: list[bool] = field(default_factory=list)


@dataclass
class DeleteResult:
    """``deleted``: ``(kind, namespace, name)`` per deleted object; ``errors``: one line each."""

    deleted: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.deleted)


class KubeClient(PodAccess):
    """A client for one cluster, from kubeconfig bytes (never written to disk)."""

    # --- server-side apply -----------------------------------------------------

    def apply(
        self,
        objects: Iterable[Mapping[str, Any]],
        *,
        default_namespace: str = "default",
        force: bool = True,
        field_manager: str | None = None,
        dry_run: bool = False,
    ) -> ApplyResult:
        """Server-side apply each object in order (one PATCH each); the first failure aborts.

        Errors read ``apply <Kind> <name>: <cause>``; nothing is rolled back, and
        re-running the same apply repairs a partial one.  ``dry_run`` sends
        ``dryRun=All``: the server validates and admits, and stores nothing.
        """
        manager = field_manager or self.field_manager
        result = ApplyResult()
        for original in objects:
            obj = copy.deepcopy(dict(original))
            kind = str(obj.get("kind", ""))
            api_version = str(obj.get("apiVersion", ""))
            meta = obj.setdefault("metadata", {})
            name = str(meta.get("name", ""))
            if not name:
                raise ValidationError(f"apply {kind or 'object'}: metadata.name is required")
            if not kind or not api_version:
                raise ValidationError(f"apply {name}: apiVersion and kind are required")
            ref = self.resource_for(api_version, kind)
            namespace = None
            if ref.namespaced:
                namespace = str(meta.get("namespace") or default_namespace or "default")
                meta["namespace"] = namespace
            else:
                meta.pop("namespace", None)
            query = [("fieldManager", manager)] + ([("force", "true")] if force else [])
            if dry_run:
                query.append(("dryRun", "All"))
            try:
                resp = self.transport.request(
                    "PATCH", ref.object_path(name, namespace), query=query, body=obj, content_type=APPLY_PATCH
                )
            except KubeAPIError as exc:
                raise exc.reworded(f"apply {kind} {name}: {exc}") from None
            result.objects.append(dict(resp.json() or {}))
            result.created.append(resp.status == 201)
        return result

    def dry_run_apply(
        self,
        objects: Iterable[Mapping[str, Any]],
        *,
        default_namespace: str = "default",
        force: bool = True,
        field_manager: str | None = None,
    ) -> DryRunResult:
        """Send every object as a server-side dry run (same manager); one ``Kind/name: cause`` line per refusal.

        Every object is tried, so all refusals of the objects themselves (400
        BadRequest, 422 Invalid: schema, validation or admission) are known at
        once; nothing is stored.  Any other failure (403, 409, 5xx, no answer)
        is about the request, not the object, and is raised as :meth:`apply` raises it.
        """
        result = DryRunResult()
        for obj in objects:
            try:
                answer = self.apply(
                    [obj], default_namespace=default_namespace, force=force, field_manager=field_manager, dry_run=True
                )
                result.created.extend(answer.created)
            except (KubeAPIError, ValidationError) as err:
                if isinstance(err, KubeAPIError) and err.status_code not in OBJECT_REFUSALS:
                    raise
                meta = obj.get("metadata") or {}
                cause = err.server_message if isinstance(err, KubeAPIError) and err.server_message else str(err)
                result.refusals.append(f"{obj.get('kind', 'object')}/{meta.get('name', '')}: {cause}")
                result.created.append(False)
        return result

    def apply_yaml(self, text: str, **kwargs: Any) -> ApplyResult:
        """Apply a multi-document YAML (or JSON) stream; empty documents are ignored."""
        docs = [d for d in yaml.safe_load_all(text) if d]
        return self.apply(docs, **kwargs)

    # --- deletion ----------------------------------------------------------------

    def delete_by_selector(
        self,
        namespace: str,
        selector: str,
        targets: Sequence[ResourceRef] = res.APP_DELETE_TARGETS,
        *,
        propagation: str = "Background",
        ignore_errors: bool = True,
    ) -> DeleteResult:
        """Delete objects matching ``selector`` per target in order (cluster-scoped targets cluster-wide).

        With ``ignore_errors`` list/delete failures are collected and the next
        object is tried; otherwise the first failure is raised.
        """
        if not selector:
            raise ValidationError("delete by label selector: empty selector")
        result = DeleteResult()
        for ref in targets:
            ns = namespace if ref.namespaced else None
            try:
                items = self.list_objects(ref, ns, selector)
            except KubeAPIError as exc:
                if not ignore_errors:
                    raise
                result.errors.append(str(exc))
                continue
            for item in items:
                name = str(meta_of(item).get("name", ""))
                try:
                    if self.delete(ref, name, ns, propagation=propagation):
                        result.deleted.append((ref.kind, ns or "", name))
                        log.info("KubeClient:Delete/eok ns=%s kind=%s name=%s", ns or "", ref.kind, name)
                except KubeAPIError as exc:
                    log.warning("KubeClient:Delete/efail ns=%s kind=%s name=%s", ns or "", ref.kind, name)
                    if not ignore_errors:
                        raise
                    result.errors.append(str(exc))
        return result

    def prune_headless_services(self, namespace: str, component_selector: str, keep: Iterable[str]) -> DeleteResult:
        """Delete headless Services of the component no longer desired (sorted by name).

        Failures are collected in the result (upstream logs and ignores them).
        """
        selector = f"{component_selector},{HEADLESS_LABEL}=true"
        result = DeleteResult()
        wanted = set(keep)
        try:
            items = self.list_objects(res.SERVICE, namespace, selector)
        except KubeAPIError as exc:
            result.errors.append(str(exc))
            return result
        names = sorted(str(meta_of(i).get("name", "")) for i in items)
        for name in names:
            if name in wanted:
                continue
            try:
                if self.delete(res.SERVICE, name, namespace):
                    result.deleted.append(("Service", namespace, name))
            except KubeAPIError as exc:
                result.errors.append(str(exc))
        return result

    # --- deployments ------------------------------------------------------------

    def sync_pod_content_hash(
        self,
        namespace: str,
        deployment_name: str,
        known: Iterable[Mapping[str, Any]] = (),
        *,
        all_secrets_known: bool = False,
    ) -> PodTemplatePatch | None:
        """Patch the Deployment's pod template hash annotation and pull secret (converter.md §16.3).

        ``known`` may hold objects just returned by :meth:`apply`; the Deployment
        and ConfigMaps found there are not fetched again.  Secrets are listed
        (CLI-managed override and pull Secrets live only on the server) unless
        ``all_secrets_known`` says ``known`` holds every Secret of the namespace
        (a namespace this deploy just created).  Returns the patch sent, or
        ``None`` when the template was in sync.
        """
        if not namespace or not deployment_name:
            return None
        by_kind: dict[str, dict[str, Obj]] = {}
        for obj in known:
            meta = meta_of(obj)
            if meta.get("namespace") in (None, namespace):
                by_kind.setdefault(str(obj.get("kind", "")), {})[str(meta.get("name", ""))] = dict(obj)
        deployment = by_kind.get("Deployment", {}).get(deployment_name)
        if deployment is None:
            deployment = self.get(res.DEPLOYMENT, deployment_name, namespace)
            if deployment is None:
                raise KubeAPIError(
                    "patch deployment secret hash: "
                    f'deployment "{deployment_name}" not found in namespace "{namespace}"',
                    status_code=404,
                )
        spec = ((deployment.get("spec") or {}).get("template") or {}).get("spec") or {}
        _, cm_names = referenced_names(spec)
        if all_secrets_known:
            secrets = list(by_kind.get("Secret", {}).values())
        else:
            secrets = self.list_objects(res.SECRET, namespace)
        known_cms = by_kind.get("ConfigMap", {})
        if cm_names and not cm_names <= set(known_cms):
            configmaps = self.list_objects(res.CONFIG_MAP, namespace)
        else:
            configmaps = [known_cms[n] for n in sorted(cm_names)]
        plan = plan_pod_template_patch(deployment, secrets, configmaps)
        if plan is None:
            return None
        try:
            self.patch(res.DEPLOYMENT, deployment_name, plan.json_patch, namespace, content_type=JSON_PATCH)
        except KubeAPIError as first:
            try:
                self.patch(res.DEPLOYMENT, deployment_name, plan.merge_patch, namespace, content_type=MERGE_PATCH)
            except KubeAPIError as second:
                raise KubeAPIError(
                    f"patch deployment secret hash: {first}; merge patch: {second}", status_code=second.status_code
                ) from None
        return plan

    def wait_for_rollout(
        self,
        namespace: str,
        name: str,
        *,
        timeout: float,
        progress: Callable[[RolloutStatus], None] | None = None,
        initial: Mapping[str, Any] | None = None,
        poll_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> RolloutStatus:
        """Poll the Deployment until rolled out; ``progress`` sees each changed status.

        ``initial`` (e.g. the Deployment an apply just returned) is the first
        observation, saving a read when it is already rolled out.  Raises
        :class:`KubeAPIError` on timeout (message names the last state), when
        the Deployment is missing, or when its progress deadline passed.
        """
        deadline = clock() + timeout
        last_message = ""
        deployment: Mapping[str, Any] | None = initial
        while True:
            if deployment is None:
                deployment = self.get(res.DEPLOYMENT, name, namespace)
                if deployment is None:
                    raise KubeAPIError(f'deployment "{name}" not found in namespace "{namespace}"', status_code=404)
            status = rollout_status(deployment)
            deployment = None
            if progress is not None and status.message != last_message:
                progress(status)
            last_message = status.message
            if status.done:
                return status
            if clock() >= deadline:
                raise KubeAPIError(f"timed out after {timeout:g}s {status.message}")
            sleep(poll_interval)

    def list_deployments(self, namespace: str, selector: str) -> list[Obj]:
        return self.list_objects(res.DEPLOYMENT, namespace, selector)

    def get_deployment(self, namespace: str, name: str) -> Obj | None:
        return self.get(res.DEPLOYMENT, name, namespace)

    def release_volume_claim_ref(self, name: str, resource_version: str) -> None:
        """Drop ``uid``/``resourceVersion`` from PV ``name``'s claimRef (merge patch, ``resourceVersion`` precondition).

        The PV stays reserved for the claim its ``claimRef`` names, and the PV
        controller binds it to that claim's new incarnation.
        """
        patch: Obj = {"spec": {"claimRef": {"uid": None, "resourceVersion": None}}}
        if resource_version:
            patch["metadata"] = {"resourceVersion": resource_version}
        try:
            self.patch(res.PERSISTENT_VOLUME, name, patch)
        except KubeAPIError as exc:
            raise exc.reworded(f"release claimRef of PersistentVolume/{name}: {exc}") from exc

    def list_secrets(self, namespace: str) -> list[Obj]:
        return self.list_objects(res.SECRET, namespace)

    def list_configmaps(self, namespace: str) -> list[Obj]:
        return self.list_objects(res.CONFIG_MAP, namespace)

    def wait_namespace_gone(
        self,
        name: str,
        *,
        timeout: float,
        poll_interval: float = 2.0,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        """Poll until the namespace no longer exists; :class:`KubeAPIError` naming its phase after ``timeout``."""
        clock = clock or time.monotonic
        sleep = sleep or time.sleep
        deadline = clock() + timeout
        while True:
            current = self.get_namespace(name)
            if current is None:
                return
            if clock() >= deadline:
                phase = str((current.get("status") or {}).get("phase") or "Active")
                raise KubeAPIError(f'namespace "{name}" still exists after {timeout:g}s (phase {phase})')
            sleep(poll_interval)

    # --- nodes --------------------------------------------------------------------

    def label_node_zones(self) -> NodeZoneLabels:
        """Per-node ``kompox.dev/node-zone`` from ``topology.kubernetes.io/zone`` (:mod:`kompox.kube.node_zones`)."""
        return label_node_zones(self)

    # --- ingress ------------------------------------------------------------------

    def list_ingresses(self, namespace: str, selector: str) -> list[Obj]:
        return self.list_objects(res.INGRESS, namespace, selector)

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]:
        """``(host, ip)`` of every Ingress rule host, sorted by host (kube-and-ops.md §9.2)."""
        if not namespace or not selector:
            raise ValidationError("ingress host IPs: namespace and selector are required")
        hosts: dict[str, str] = {}
        for ing in self.list_ingresses(namespace, selector):
            lb = ((ing.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
            ip = str((lb[0] or {}).get("ip", "")) if lb else ""
            for rule in (ing.get("spec") or {}).get("rules") or []:
                host = rule.get("host")
                if host:
                    hosts[str(host)] = ip
        return sorted(hosts.items())

    def ingress_endpoint(self, namespace: str, service: str = "traefik") -> tuple[str, str]:
        """``(ip, hostname)`` of the first load balancer entry of the ingress Service."""
        svc = self.get(res.SERVICE, service, namespace)
        if svc is None:
            raise KubeAPIError(f'service "{service}" not found in namespace "{namespace}"', status_code=404)
        lb = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        first = lb[0] if lb else {}
        return str(first.get("ip", "")), str(first.get("hostname", ""))


def is_missing(exc: BaseException) -> bool:
    """Whether ``exc`` is a 404 from the API server."""
    return is_not_found(exc)
