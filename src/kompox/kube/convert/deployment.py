"""The Deployment ``<app>-<component>`` (converter.md §12.1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kompox.domain.model import AppDeployment
from kompox.domain.model.nodepool import NodeTaint
from kompox.kube.convert.names import AppNames, object_meta
from kompox.kube.convert.scheduling import affinity, node_selector, tolerations

ANNOTATION_UNBOUND_VOLUMES = "kompox.dev/unbound-volumes"


def deployment(
    names: AppNames,
    containers: list[dict[str, Any]],
    init_container: dict[str, Any] | None,
    pod_volumes: list[dict[str, Any]],
    scheduling: AppDeployment,
    unbound_volumes: list[str],
    pod_extra: dict[str, Any] | None = None,
    *,
    taints: Sequence[NodeTaint] = (),
) -> dict[str, Any]:
    """One replica, Recreate, selector ``{app: <app>-<component>}``.

    ``unbound_volumes`` (validate only) are listed in the annotation
    ``kompox.dev/unbound-volumes`` on the Deployment object; such a manifest
    is never applied (see :mod:`kompox.kube.convert.converter`).
    """
    pod: dict[str, Any] = {"containers": containers}
    if init_container is not None:
        pod["initContainers"] = [init_container]
    if pod_volumes:
        pod["volumes"] = pod_volumes
    selector = node_selector(scheduling)
    if selector:
        pod["nodeSelector"] = selector
    aff = affinity(scheduling)
    if aff is not None:
        pod["affinity"] = aff
    if taints:
        pod["tolerations"] = tolerations(taints)
    pod.update(pod_extra or {})
    meta = object_meta(names.resource, names.component_labels(), names.namespace)
    if unbound_volumes:
        meta["annotations"] = {ANNOTATION_UNBOUND_VOLUMES: ",".join(unbound_volumes)}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": meta,
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": names.pod_selector()},
            "template": {"metadata": {"labels": names.component_labels()}, "spec": pod},
        },
    }
