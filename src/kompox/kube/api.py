"""The connection to one API server and generic object access (base of :class:`~kompox.kube.client.KubeClient`).

Built from kubeconfig bytes held in memory (:mod:`kompox.kube.kubeconfig`); the
official ``kubernetes`` package is imported lazily, when a client is built.
Objects are plain dicts (manifests in, server objects out).  Every request
goes through :class:`~kompox.kube.transport.Transport` (retries, one-line
errors raised as :class:`~kompox.kube.transport.KubeAPIError`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Self

from kompox.domain.errors import ValidationError
from kompox.kube import pods as podsel
from kompox.kube import resources as res
from kompox.kube.resources import ResourceRef
from kompox.kube.transport import MERGE_PATCH, RetryPolicy, Transport

log = logging.getLogger("kompox.kube")

FIELD_MANAGER = "kompoxops"
DEFAULT_TIMEOUT = 30.0

Obj = dict[str, Any]


def meta_of(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


class KubeAPI:
    """A connection to one cluster, from kubeconfig bytes (never written to disk).

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

    def __enter__(self) -> Self:
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
            items = [i for i in items if podsel.matches_selector(meta_of(i).get("labels"), label_selector)]
        if namespace and ref.namespaced:
            items = [i for i in items if meta_of(i).get("namespace", namespace) == namespace]
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

    def get_namespace(self, name: str) -> Obj | None:
        """The Namespace object, or ``None`` when absent."""
        if not name:
            raise ValidationError("namespace name is empty")
        return self.get(res.NAMESPACE, name)

    def ensure_namespace(self, name: str, labels: Mapping[str, str] | None = None) -> bool:
        """Create the namespace when absent; ``True`` when created (AlreadyExists is success)."""
        if self.get_namespace(name) is not None:
            return False
        body: Obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
        if labels:
            body["metadata"]["labels"] = dict(labels)
        resp = self.transport.request("POST", res.NAMESPACE.collection_path(), body=body, ok_statuses=frozenset({409}))
        return resp.status != 409

    def create_namespace(self, obj: Mapping[str, Any]) -> bool:
        """Create the Namespace ``obj`` as given; ``True`` when created (AlreadyExists is success)."""
        resp = self.transport.request(
            "POST", res.NAMESPACE.collection_path(), body=dict(obj), ok_statuses=frozenset({409})
        )
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
        have = meta_of(current).get("annotations") or {}
        changed = {k: v for k, v in wanted.items() if have.get(k) != v}
        if not changed and current.get("automountServiceAccountToken") is False:
            return current
        patch = {"metadata": {"annotations": changed}, "automountServiceAccountToken": False}
        return self.patch(res.SERVICE_ACCOUNT, name, patch, namespace)
