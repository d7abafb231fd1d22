"""Install, adopt, inspect and remove the Traefik ingress controller over a kube client.

The manifests come from :mod:`kompox.kube.traefik` (no Helm); they are applied
with server-side apply.  Who owns IngressClass ``traefik`` decides what
``install`` does:

* absent → a fresh install in the ingress namespace;
* owned by a Traefik release in the ingress namespace (a previous Kompox
  install, Go or Python: same chart names) → applied over it (managed);
* owned by a Traefik elsewhere (K3s ships one in ``kube-system``) → adopted:
  nothing is installed, the existing controller serves Kompox's Ingresses,
  and ``uninstall`` leaves it alone;
* held by another controller → an error (two controllers cannot share it).

Ownership is read from the IngressClass itself (Helm's
``meta.helm.sh/release-namespace`` annotation, else the chart's
``app.kubernetes.io/instance: traefik-<namespace>`` label), so no state is
stored anywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from kompox.domain.errors import DriverError
from kompox.kube import resources as res
from kompox.kube.resources import ResourceRef
from kompox.kube.rollout import RolloutStatus
from kompox.kube.traefik import CONFIGMAP_NAME, CONTROLLER, INGRESS_CLASS, RELEASE, Mutator, TraefikValues
from kompox.kube.traefik import traefik_manifests as build_manifests
from kompox.kube.transport import KubeAPIError

log = logging.getLogger("kompox.kube.ingress")
progress_log = logging.getLogger("kompox.progress")

Progress = Callable[[str], None]
MANAGED_BY = "app.kubernetes.io/managed-by"
KOMPOX = "kompox"
HELM_RELEASE_NAMESPACE = "meta.helm.sh/release-namespace"
INSTANCE_LABEL = "app.kubernetes.io/instance"
SYSTEM_NAMESPACES = frozenset({"default", "kube-system", "kube-public", "kube-node-lease"})
ROLLOUT_TIMEOUT = 300.0  # upstream: helm upgrade/install --wait, 5 minutes

INGRESS_CLASS_REF = res.BUILTIN[("networking.k8s.io/v1", "IngressClass")]
CLUSTER_ROLE_REF = res.BUILTIN[("rbac.authorization.k8s.io/v1", "ClusterRole")]
CLUSTER_ROLE_BINDING_REF = res.BUILTIN[("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")]


class KubeOps(Protocol):
    """The kube client operations used here (implemented by ``kompox.kube.client.KubeClient``)."""

    def get(self, ref: ResourceRef, name: str, namespace: str | None = None) -> dict[str, Any] | None: ...
    def delete(
        self, ref: ResourceRef, name: str, namespace: str | None = None, *, propagation: str = "Background"
    ) -> bool: ...
    def list_objects(
        self, ref: ResourceRef, namespace: str | None = None, label_selector: str = ""
    ) -> list[dict[str, Any]]: ...
    def ensure_namespace(self, name: str, labels: Mapping[str, str] | None = None) -> bool: ...
    def apply(self, objects: Iterable[Mapping[str, Any]], *, default_namespace: str = "default") -> Any: ...
    def wait_for_rollout(
        self, namespace: str, name: str, *, timeout: float, progress: Callable[[RolloutStatus], None] | None = None
    ) -> RolloutStatus: ...


@dataclass(frozen=True)
class TraefikOwner:
    """Who holds IngressClass ``traefik``: ``present``, its controller and the owning namespace."""

    present: bool = False
    controller: str = ""
    namespace: str = ""  # "" when unknown

    def adopted_by(self, namespace: str) -> bool:
        """A Traefik outside ``namespace`` serves the class: Kompox adopts it."""
        return self.present and self.controller == CONTROLLER and self.namespace != namespace


@dataclass
class InstallOutcome:
    adopted: bool
    namespace: str  # where the serving Traefik runs ("" when unknown)
    applied: list[str] = field(default_factory=list)  # "Kind/name" in apply order
    message: str = ""


@dataclass
class UninstallOutcome:
    adopted: bool
    deleted: list[str] = field(default_factory=list)  # "Kind/name"
    namespace_deleted: bool = False
    message: str = ""


@dataclass
class IngressState:
    """Whether a Traefik serves the cluster and its load-balancer endpoint."""

    installed: bool = False
    adopted: bool = False
    namespace: str = ""
    ip: str = ""
    hostname: str = ""


def _meta(obj: Mapping[str, Any]) -> dict[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, dict) else {}


def owner_of(ingress_class: Mapping[str, Any] | None) -> TraefikOwner:
    """Ownership facts of an IngressClass object (``None``: absent)."""
    if ingress_class is None:
        return TraefikOwner()
    meta = _meta(ingress_class)
    controller = str((ingress_class.get("spec") or {}).get("controller", ""))
    namespace = str((meta.get("annotations") or {}).get(HELM_RELEASE_NAMESPACE, ""))
    if not namespace:
        instance = str((meta.get("labels") or {}).get(INSTANCE_LABEL, ""))
        if instance.startswith(f"{RELEASE}-"):
            namespace = instance[len(RELEASE) + 1 :]
    return TraefikOwner(present=True, controller=controller, namespace=namespace)


def load_balancer_endpoint(service: Mapping[str, Any] | None) -> tuple[str, str]:
    """``(ip, hostname)`` of a Service's first load-balancer ingress entry (empty strings when none)."""
    entries = (((service or {}).get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    first = entries[0] if entries and isinstance(entries[0], dict) else {}
    return str(first.get("ip", "")), str(first.get("hostname", ""))


class TraefikInstaller:
    """Traefik lifecycle over a kube client; ``rollout_timeout`` 0 skips waiting for the Deployment."""

    def __init__(
        self, kube: KubeOps, *, progress: Progress | None = None, rollout_timeout: float = ROLLOUT_TIMEOUT
    ) -> None:
        self.kube = kube
        self.progress: Progress = progress or progress_log.info
        self.rollout_timeout = rollout_timeout

    # --- inspection ------------------------------------------------------------------

    def owner(self) -> TraefikOwner:
        """Who holds IngressClass ``traefik``; its namespace from the Traefik Service when the class does not say."""
        found = owner_of(self.kube.get(INGRESS_CLASS_REF, INGRESS_CLASS))
        if found.present and found.controller == CONTROLLER and not found.namespace:
            return replace(found, namespace=self._serving_namespace())
        return found

    def _serving_namespace(self) -> str:
        """The namespace of the Traefik Service(s): the only one, else ``kube-system`` (K3s), else ""."""
        services = self.kube.list_objects(res.SERVICE, None, f"app.kubernetes.io/name={RELEASE}")
        found = {str(_meta(s).get("namespace", "")) for s in services} - {""}
        if len(found) == 1:
            return found.pop()
        return "kube-system" if "kube-system" in found else ""

    def state(self, namespace: str) -> IngressState:
        """Our Service ``traefik`` in ``namespace``, else an adopted Traefik's; raises when unreachable."""
        service = self.kube.get(res.SERVICE, RELEASE, namespace)
        if service is not None:
            ip, host = load_balancer_endpoint(service)
            return IngressState(installed=True, namespace=namespace, ip=ip, hostname=host)
        owner = self.owner()
        if not owner.adopted_by(namespace):
            return IngressState(namespace=namespace)
        state = IngressState(installed=True, adopted=True, namespace=owner.namespace)
        if owner.namespace:
            state.ip, state.hostname = load_balancer_endpoint(self.kube.get(res.SERVICE, RELEASE, owner.namespace))
        return state

    def controller_namespace(self, namespace: str) -> str:
        """Where the serving Traefik's pods run: ``namespace``, or an adopted Traefik's namespace."""
        if self.kube.get(res.SERVICE, RELEASE, namespace) is not None:
            return namespace
        owner = self.owner()
        return owner.namespace if owner.adopted_by(namespace) and owner.namespace else namespace

    # --- install -----------------------------------------------------------------------

    def install(self, values: TraefikValues, mutators: Iterable[Mutator] = ()) -> InstallOutcome:
        """Install (or upgrade) Traefik in ``values.namespace``, or adopt the one already serving."""
        ns = values.namespace
        owner = self.owner()
        if owner.present and owner.controller != CONTROLLER:
            raise DriverError(
                f'IngressClass "{INGRESS_CLASS}" belongs to controller "{owner.controller}", not Traefik; '
                "Kompox needs that class for Traefik (remove it or use a cluster without it)"
            )
        if owner.adopted_by(ns):
            where = f'namespace "{owner.namespace}"' if owner.namespace else "an unknown namespace"
            message = (
                f"adopted the existing Traefik in {where} (it owns IngressClass {INGRESS_CLASS}); "
                "not installing a second ingress controller"
            )
            log.info("KubeClient:InstallIngressTraefik:Adopt", extra={"attrs": {"namespace": owner.namespace}})
            self.progress(message)
            return InstallOutcome(adopted=True, namespace=owner.namespace, message=message)
        objects = build_manifests(values, mutators)
        self.kube.ensure_namespace(ns, {MANAGED_BY: KOMPOX})
        self.progress(f"applying {len(objects)} Traefik objects in namespace {ns}")
        self.kube.apply(objects, default_namespace=ns)
        applied = [f"{o['kind']}/{o['metadata']['name']}" for o in objects]
        if self.rollout_timeout > 0:
            self.progress(f"waiting up to {self.rollout_timeout:g}s for deployment {ns}/{RELEASE}")
            self.kube.wait_for_rollout(
                ns, RELEASE, timeout=self.rollout_timeout, progress=lambda s: self.progress(s.message)
            )
        message = f"Traefik installed in namespace {ns}"
        self.progress(message)
        return InstallOutcome(adopted=False, namespace=ns, applied=applied, message=message)

    # --- uninstall -----------------------------------------------------------------------

    def _delete(self, ref: ResourceRef, name: str, namespace: str | None, out: list[str]) -> None:
        if self.kube.delete(ref, name, namespace):
            out.append(f"{ref.kind}/{name}")

    def uninstall(self, namespace: str, service_account: str = "") -> UninstallOutcome:
        """Delete what an install in ``namespace`` created; an adopted Traefik is never touched."""
        owner = self.owner()
        outcome = UninstallOutcome(adopted=owner.adopted_by(namespace))
        deleted = outcome.deleted
        for ref, name in (
            (res.SERVICE, RELEASE),
            (res.DEPLOYMENT, RELEASE),
            (res.PERSISTENT_VOLUME_CLAIM, RELEASE),
            (res.CONFIG_MAP, CONFIGMAP_NAME),
        ):
            self._delete(ref, name, namespace, deleted)
        if service_account:
            self._delete(res.SERVICE_ACCOUNT, service_account, namespace, deleted)
        for secret in self.kube.list_objects(res.SECRET, namespace, f"owner=helm,name={RELEASE}"):
            self._delete(res.SECRET, str(_meta(secret).get("name", "")), namespace, deleted)
        binding = f"{RELEASE}-{namespace}"
        self._delete(CLUSTER_ROLE_BINDING_REF, binding, None, deleted)
        self._delete(CLUSTER_ROLE_REF, binding, None, deleted)
        if owner.present and owner.namespace == namespace:
            self._delete(INGRESS_CLASS_REF, INGRESS_CLASS, None, deleted)
        if outcome.adopted:
            where = f'namespace "{owner.namespace}"' if owner.namespace else "its namespace"
            outcome.message = f"left the adopted Traefik in {where} in place (Kompox did not install it)"
        else:
            outcome.message = f"removed Traefik from namespace {namespace} ({len(deleted)} objects)"
        self.progress(outcome.message)
        return outcome

    def delete_namespace(self, namespace: str, *, only_if_created: bool, wait_timeout: float = 0.0) -> bool:
        """Delete the ingress namespace; never a system namespace; with ``only_if_created`` only ours.

        ``wait_timeout`` > 0: then wait (polling) until it is gone; :class:`KubeAPIError` after that many seconds.
        """
        if not namespace or namespace in SYSTEM_NAMESPACES:
            return False
        if only_if_created:
            current = self.kube.get(res.NAMESPACE, namespace)
            if current is None or (_meta(current).get("labels") or {}).get(MANAGED_BY) != KOMPOX:
                return False
        deleted = self.kube.delete(res.NAMESPACE, namespace)
        if deleted:
            self.progress(f"deleting namespace {namespace}")
        if deleted and wait_timeout > 0:
            self._wait_gone(namespace, wait_timeout)
        return deleted

    def _wait_gone(self, namespace: str, timeout: float, poll_interval: float = 2.0) -> None:
        import time

        self.progress(f"waiting up to {timeout:g}s for namespace {namespace} to be deleted")
        deadline = time.monotonic() + timeout
        while True:
            current = self.kube.get(res.NAMESPACE, namespace)
            if current is None:
                self.progress(f"namespace {namespace} deleted")
                return
            if time.monotonic() >= deadline:
                phase = str((current.get("status") or {}).get("phase") or "Active")
                raise KubeAPIError(f'namespace "{namespace}" still exists after {timeout:g}s (phase {phase})')
            time.sleep(poll_interval)
