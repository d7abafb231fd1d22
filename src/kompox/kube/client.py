"""The Kubernetes client of Kompox: the only code that talks to an API server.

Built from kubeconfig bytes held in memory (:mod:`kompox.kube.kubeconfig`); the
official ``kubernetes`` package is imported lazily, when a client is built.
Objects are plain dicts (manifests in, server objects out).  Every request
goes through :class:`~kompox.kube.transport.Transport` (retries, one-line
errors raised as :class:`~kompox.kube.transport.KubeAPIError`).
"""

from __future__ import annotations

import copy
import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import yaml

from kompox.domain.errors import ValidationError
from kompox.kube import pods as podsel
from kompox.kube import resources as res
from kompox.kube.podhash import PodTemplatePatch, plan_pod_template_patch, referenced_names
from kompox.kube.resources import ResourceRef
from kompox.kube.rollout import RolloutStatus, rollout_status
from kompox.kube.transport import (
    APPLY_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    KubeAPIError,
    RetryPolicy,
    Transport,
    is_not_found,
)

log = logging.getLogger("kompox.kube")

FIELD_MANAGER = "kompoxops"
HEADLESS_LABEL = "kompox.dev/compose-service-headless"
DEFAULT_TIMEOUT = 30.0

Obj = dict[str, Any]


@dataclass
class ApplyResult:
    """Server-side objects returned by the applies, in apply order."""

    objects: list[Obj] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.objects)


@dataclass
class DeleteResult:
    """``deleted``: ``(kind, namespace, name)`` per deleted object; ``errors``: one line each."""

    deleted: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.deleted)


class KubeClient:
    """A client for one cluster, from kubeconfig bytes (never written to disk).

    ``timeout`` bounds each non-streaming request (seconds); ``retry`` controls
    retries of transient failures (inject a no-op ``sleep`` in tests).
    """

    def __init__(
        self,
        kubeconfig: bytes,
        *,
        context: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        field_manager: str = FIELD_MANAGER,
        user_agent: str | None = None,
    ) -> None:
        from kubernetes import client as k8s_client

        from kompox.kube.kubeconfig import build_configuration
        from kompox.kube.kubeconfig import user_agent as default_user_agent

        configuration, self._material, server = build_configuration(kubeconfig, context)
        configuration.retries = False  # retries are ours (Transport), so they can be counted and bounded
        self.configuration = configuration
        self.api_client = k8s_client.ApiClient(configuration)
        self.api_client.user_agent = user_agent or default_user_agent()
        self.server = server or str(configuration.host)
        self.field_manager = field_manager
        self.transport = Transport(self.api_client, self.server, timeout=timeout, retry=retry or RetryPolicy())
        self._discovered: dict[tuple[str, str], ResourceRef] = {}

    # --- lifecycle -------------------------------------------------------------

    def close(self) -> None:
        self.api_client.close()  # type: ignore[no-untyped-call]
        self._material.close()

    def __enter__(self) -> KubeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self.transport.request_count

    # --- generic object access -------------------------------------------------

    def resource_for(self, api_version: str, kind: str) -> ResourceRef:
        """Resource of ``apiVersion``/``kind``: the built-in table, else API discovery (cached)."""
        ref = res.builtin_ref(api_version, kind) or self._discovered.get((api_version, kind))
        if ref is not None:
            return ref
        prefix = f"/apis/{api_version}" if "/" in api_version else f"/api/{api_version}"
        doc = self.transport.request("GET", prefix).json() or {}
        ref = res.ref_from_discovery(api_version, kind, doc)
        if ref is None:
            raise ValidationError(f"unknown kind {kind} in {api_version} on {self.server}")
        self._discovered[(api_version, kind)] = ref
        return ref

    def get(self, ref: ResourceRef, name: str, namespace: str | None = None) -> Obj | None:
        """The object, or ``None`` when it does not exist."""
        resp = self.transport.request("GET", ref.object_path(name, namespace), ok_statuses=frozenset({404}))
        return None if resp.status == 404 else dict(resp.json())

    def list_objects(self, ref: ResourceRef, namespace: str | None = None, label_selector: str = "") -> list[Obj]:
        """Objects of a resource (in ``namespace``, or everywhere), matching ``label_selector``.

        The selector is sent to the server and checked again on the answer.
        """
        query = [("labelSelector", label_selector)] if label_selector else []
        doc = self.transport.request("GET", ref.collection_path(namespace), query=query).json() or {}
        items = [dict(i) for i in doc.get("items") or []]
        if label_selector:
            items = [i for i in items if podsel.matches_selector(_meta(i).get("labels"), label_selector)]
        if namespace and ref.namespaced:
            items = [i for i in items if (i.get("metadata") or {}).get("namespace", namespace) == namespace]
        return items

    def create(self, ref: ResourceRef, obj: Mapping[str, Any], namespace: str | None = None) -> Obj:
        resp = self.transport.request("POST", ref.collection_path(namespace), body=dict(obj))
        return dict(resp.json())

    def patch(
        self,
        ref: ResourceRef,
        name: str,
        patch: Any,
        namespace: str | None = None,
        *,
        content_type: str = MERGE_PATCH,
    ) -> Obj:
        resp = self.transport.request("PATCH", ref.object_path(name, namespace), body=patch, content_type=content_type)
        return dict(resp.json())

    def delete(
        self, ref: ResourceRef, name: str, namespace: str | None = None, *, propagation: str = "Background"
    ) -> bool:
        """Delete one object; ``False`` when it did not exist.  Completion is not awaited."""
        body = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": propagation}
        resp = self.transport.request(
            "DELETE", ref.object_path(name, namespace), body=body, ok_statuses=frozenset({404})
        )
        return resp.status != 404

    # --- namespaces and service accounts ---------------------------------------

    def ensure_namespace(self, name: str, labels: Mapping[str, str] | None = None) -> bool:
        """Create the namespace when absent; ``True`` when created (AlreadyExists is success)."""
        if not name:
            raise ValidationError("namespace name is empty")
        if self.get(res.NAMESPACE, name) is not None:
            return False
        body: Obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        if labels:
            body["metadata"]["labels"] = dict(labels)
        resp = self.transport.request("POST", res.NAMESPACE.collection_path(), body=body, ok_statuses=frozenset({409}))
        return resp.status != 409

    def delete_namespace(self, name: str) -> bool:
        """Delete the namespace (not awaited); ``False`` when it did not exist."""
        if not name:
            raise ValidationError("namespace name is empty")
        return self.delete(res.NAMESPACE, name)

    def ensure_service_account(self, namespace: str, name: str, annotations: Mapping[str, str] | None = None) -> Obj:
        """Create with ``automountServiceAccountToken: false`` or add the annotations (never removes any)."""
        current = self.get(res.SERVICE_ACCOUNT, name, namespace)
        wanted = dict(annotations or {})
        if current is None:
            body: Obj = {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": name, "namespace": namespace, "annotations": wanted},
                "automountServiceAccountToken": False,
            }
            return self.create(res.SERVICE_ACCOUNT, body, namespace)
        have = (current.get("metadata") or {}).get("annotations") or {}
        changed = {k: v for k, v in wanted.items() if have.get(k) != v}
        if not changed and current.get("automountServiceAccountToken") is False:
            return current
        patch = {"metadata": {"annotations": changed}, "automountServiceAccountToken": False}
        return self.patch(res.SERVICE_ACCOUNT, name, patch, namespace)

    # --- server-side apply -----------------------------------------------------

    def apply(
        self,
        objects: Iterable[Mapping[str, Any]],
        *,
        default_namespace: str = "default",
        force: bool = True,
        field_manager: str | None = None,
    ) -> ApplyResult:
        """Server-side apply each object in order (one PATCH each); the first failure aborts.

        Errors read ``apply <Kind> <name>: <cause>``; nothing is rolled back, and
        re-running the same apply repairs a partial one.
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
            try:
                resp = self.transport.request(
                    "PATCH", ref.object_path(name, namespace), query=query, body=obj, content_type=APPLY_PATCH
                )
            except KubeAPIError as exc:
                raise KubeAPIError(
                    f"apply {kind} {name}: {exc}",
                    status_code=exc.status_code,
                    reason=exc.reason,
                    verb=exc.verb,
                    resource=exc.resource,
                    name=exc.name,
                    namespace=exc.namespace,
                    server_message=exc.server_message,
                ) from None
            result.objects.append(dict(resp.json() or {}))
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
                meta = item.get("metadata") or {}
                name = str(meta.get("name", ""))
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
        names = sorted(str((i.get("metadata") or {}).get("name", "")) for i in items)
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
        self, namespace: str, deployment_name: str, known: Iterable[Mapping[str, Any]] = ()
    ) -> PodTemplatePatch | None:
        """Patch the Deployment's pod template hash annotation and pull secret (converter.md §16.3).

        ``known`` may hold objects just returned by :meth:`apply`; the Deployment
        and ConfigMaps found there are not fetched again.  Secrets are always
        listed (CLI-managed override and pull Secrets live only on the server).
        Returns the patch sent, or ``None`` when the template was in sync.
        """
        if not namespace or not deployment_name:
            return None
        by_kind: dict[str, dict[str, Obj]] = {}
        for obj in known:
            meta = obj.get("metadata") or {}
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
        poll_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> RolloutStatus:
        """Poll the Deployment until rolled out; ``progress`` sees each changed status.

        Raises :class:`KubeAPIError` on timeout (message names the last state),
        when the Deployment is missing, or when its progress deadline passed.
        """
        deadline = clock() + timeout
        last_message = ""
        while True:
            deployment = self.get(res.DEPLOYMENT, name, namespace)
            if deployment is None:
                raise KubeAPIError(f'deployment "{name}" not found in namespace "{namespace}"', status_code=404)
            status = rollout_status(deployment)
            if progress is not None and status.message != last_message:
                progress(status)
            last_message = status.message
            if status.done:
                return status
            if clock() >= deadline:
                raise KubeAPIError(f"timed out after {timeout:g}s {status.message}")
            sleep(poll_interval)

    # --- pods and ingress --------------------------------------------------------

    def list_pods(self, namespace: str, selector: str) -> list[Obj]:
        return self.list_objects(res.POD, namespace, selector)

    def find_pod(self, namespace: str, selector: str, *, rule: str = "exec", container: str = "") -> Obj | None:
        """Pick a pod by the rules of kube-and-ops.md §7: ``exec``, ``logs``, ``tunnel`` or ``status``."""
        pods = self.list_pods(namespace, selector)
        chosen: Mapping[str, Any] | None
        if rule == "exec":
            chosen = podsel.select_exec_pod(pods, container=container)
        elif rule == "logs":
            chosen = podsel.select_logs_pod(pods, container=container)
        elif rule == "tunnel":
            chosen = podsel.select_tunnel_pod(pods)
        elif rule == "status":
            chosen = podsel.select_status_pod(pods)
        else:
            raise ValidationError(f"unknown pod selection rule {rule!r} (exec, logs, tunnel, status)")
        return None if chosen is None else dict(chosen)

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]:
        """``(host, ip)`` of every Ingress rule host, sorted by host (kube-and-ops.md §9.2)."""
        if not namespace or not selector:
            raise ValidationError("ingress host IPs: namespace and selector are required")
        hosts: dict[str, str] = {}
        for ing in self.list_objects(res.INGRESS, namespace, selector):
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

    # --- logs ------------------------------------------------------------------------

    def stream_logs(
        self,
        namespace: str,
        pod: str,
        out: BinaryIO,
        *,
        container: str = "",
        follow: bool = False,
        tail_lines: int = 0,
        timeout: float | None = -1.0,
    ) -> int:
        """Copy a pod's log to ``out``; return the bytes copied.

        In follow mode no timeout applies: the copy runs until the server ends
        the stream or the caller interrupts (``KeyboardInterrupt`` propagates).
        """
        query: list[tuple[str, str]] = []
        if container:
            query.append(("container", container))
        if follow:
            query.append(("follow", "true"))
        if tail_lines > 0:
            query.append(("tailLines", str(tail_lines)))
        path = res.POD.object_path(pod, namespace, "log")
        resp = self.transport.request("GET", path, query=query, stream=True, timeout=None if follow else timeout)
        raw = resp.raw
        total = 0
        try:
            for chunk in raw.stream(4096, decode_content=True):
                if chunk:
                    out.write(chunk)
                    out.flush()
                    total += len(chunk)
        finally:
            raw.release_conn()
        return total


def _meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def is_missing(exc: BaseException) -> bool:
    """Whether ``exc`` is a 404 from the API server."""
    return is_not_found(exc)
