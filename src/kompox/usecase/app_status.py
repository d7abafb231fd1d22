"""Use case ``app status`` (kube-and-ops.md §13.2 "Status"; cli.md §10.5.4).

Reads only: the app Namespace (accepted only when it carries every base label
with the expected value), the first Deployment matching ``app=<app>-app`` and
its first container, the first pod not being deleted, and the hosts of every
matching Ingress.  The JSON shape (key order, ``null`` for absent lists)
follows upstream, plus ``waiting_for`` at the end.

``ready`` is stricter than upstream (``readyReplicas >= 1``): the Deployment
controller must have observed the latest generation and every wanted replica
must be updated and available, with no old replica left (the ``kubectl
rollout status`` rules).  While not ready, ``waiting_for`` says what is
missing; it is ``null`` when ready or when nothing is deployed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kompox.domain.errors import KompoxError
from kompox.kube.convert import AppNames
from kompox.kube.rollout import rollout_status
from kompox.usecase.app_kube import AppKube
from kompox.usecase.app_target import AppTarget


@dataclass
class AppStatus:
    app_id: str
    app_name: str
    cluster_id: str
    cluster_name: str
    ready: bool = False
    image: str = ""
    namespace: str = ""
    node: str = ""
    deployment: str = ""
    pod: str = ""
    container: str = ""
    command: list[str] | None = None
    args: list[str] | None = None
    ingress_hosts: list[str] | None = None
    waiting_for: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The upstream JSON object, keys in upstream order."""
        return {
            "app_id": self.app_id,
            "app_name": self.app_name,
            "cluster_id": self.cluster_id,
            "cluster_name": self.cluster_name,
            "ready": self.ready,
            "image": self.image,
            "namespace": self.namespace,
            "node": self.node,
            "deployment": self.deployment,
            "pod": self.pod,
            "container": self.container,
            "command": self.command,
            "args": self.args,
            "ingress_hosts": self.ingress_hosts,
            "waiting_for": self.waiting_for,
        }


def _labels_match(obj: dict[str, Any], wanted: dict[str, str]) -> bool:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return all(labels.get(k) == v for k, v in wanted.items())


def _strings(value: Any) -> list[str] | None:
    return [str(v) for v in value] if value else None


def _readiness(deployment: dict[str, Any]) -> tuple[bool, str | None]:
    """(ready, what is still missing) of the app Deployment by the rollout rules."""
    try:
        rollout = rollout_status(deployment)
    except KompoxError as err:  # progress deadline exceeded: not ready, and say why
        return False, str(err)
    if not rollout.done:
        return False, rollout.message.removeprefix("waiting for ")
    if rollout.replicas < 1:
        name = (deployment.get("metadata") or {}).get("name", "")
        return False, f'deployment "{name}" to be scaled up (spec.replicas is 0)'
    return True, None


def app_status(kube: AppKube, target: AppTarget, names: AppNames) -> AppStatus:
    """The status of the app's ``app`` component on its cluster."""
    cluster = target.cluster
    status = AppStatus(
        app_id=target.app.id,
        app_name=target.app.name,
        cluster_id=cluster.id if cluster else "",
        cluster_name=cluster.name if cluster else "",
    )
    namespace = kube.get_namespace(names.namespace)
    if namespace is None or not _labels_match(namespace, names.base_labels()):
        return status
    status.namespace = names.namespace
    selector = names.component_selector
    deployments = kube.list_deployments(names.namespace, selector)
    if deployments:
        first = deployments[0]
        status.deployment = str((first.get("metadata") or {}).get("name", ""))
        status.ready, status.waiting_for = _readiness(first)
        pod_spec = ((first.get("spec") or {}).get("template") or {}).get("spec") or {}
        containers = pod_spec.get("containers") or []
        if containers:
            container = containers[0]
            status.container = str(container.get("name", ""))
            status.image = str(container.get("image", ""))
            status.command = _strings(container.get("command"))
            status.args = _strings(container.get("args"))
    pod = kube.find_pod(names.namespace, selector, rule="status")
    if pod is not None:
        status.pod = str((pod.get("metadata") or {}).get("name", ""))
        status.node = str((pod.get("spec") or {}).get("nodeName", ""))
    hosts = {
        str(rule["host"])
        for ingress in kube.list_ingresses(names.namespace, selector)
        for rule in (ingress.get("spec") or {}).get("rules") or []
        if rule.get("host")
    }
    status.ingress_hosts = sorted(hosts) or None
    return status
