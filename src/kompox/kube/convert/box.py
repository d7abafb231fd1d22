"""The Kompox Box manifests (kube-and-ops.md §11.1): pure, from names, the app and the options.

Objects, in apply order: the App-level head (Namespace, ServiceAccount, Role, RoleBinding,
NetworkPolicy), a PV and PVC per requested mount, the Secret ``<app>-<component>`` holding
``authorized_keys`` and the Deployment ``<app>-<component>`` (one container named after the
component — ``box`` for the toolbox, a standalone KOM Box's component otherwise — selector = all
component labels as upstream, Recreate, the key's SHA-256 on the pod template).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field
from typing import Any

from kompox.domain.model import App, AppVolume
from kompox.kube.convert import rbac
from kompox.kube.convert.names import AppNames, object_meta
from kompox.kube.convert.scheduling import node_selector
from kompox.kube.convert.volumes import VolumeBinding, persistent_volume_pair

BOX_CONTAINER = "box"
DEFAULT_BOX_IMAGE = "ghcr.io/kompox/kompox/box"
ANNOTATION_PUBKEY_HASH = "kompox.dev/box-ssh-pubkey-hash"
AUTHORIZED_KEYS = "authorized_keys"
AUTHORIZED_KEYS_VOLUME = "authorized-keys"
AUTHORIZED_KEYS_PATH = "/etc/ssh/authorized_keys"


@dataclass(frozen=True)
class BoxMount:
    """One ``-V vol:disk:/path``: the bound disk of an App volume and where the box mounts it."""

    binding: VolumeBinding
    volume: AppVolume
    path: str


@dataclass(frozen=True)
class BoxOptions:
    image: str = DEFAULT_BOX_IMAGE
    command: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    always_pull: bool = False
    ssh_pubkey: bytes = b""


@dataclass
class BoxManifest:
    head: list[dict[str, Any]]
    volumes: list[dict[str, Any]]
    workload: list[dict[str, Any]]

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [*self.head, *self.volumes, *self.workload]


def pubkey_hash(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()


def box_manifest(
    names: AppNames, provider_driver: str, app: App, ingress_namespace: str, opts: BoxOptions, mounts: list[BoxMount]
) -> BoxManifest:
    """Every object of ``box deploy`` for ``names.component`` (``box``, or a standalone KOM Box's component).

    The container is named after the component, as upstream's standalone-Box generator does.
    """
    head = rbac.namespace_objects(names, provider_driver, app.network_policy, ingress_namespace)
    pvs: list[dict[str, Any]] = []
    pvcs: list[dict[str, Any]] = []
    volume_mounts: list[dict[str, Any]] = []
    pod_volumes: list[dict[str, Any]] = []
    for mount in mounts:
        pv, pvc = persistent_volume_pair(names, mount.binding, mount.volume)
        claim = pvc["metadata"]["name"]
        pvs.append(pv)
        pvcs.append(pvc)
        volume_mounts.append({"name": claim, "mountPath": mount.path})
        if all(v["name"] != claim for v in pod_volumes):
            pod_volumes.append({"name": claim, "persistentVolumeClaim": {"claimName": claim}})
    volume_mounts.append(
        {"name": AUTHORIZED_KEYS_VOLUME, "mountPath": AUTHORIZED_KEYS_PATH, "subPath": AUTHORIZED_KEYS}
    )
    pod_volumes.append({"name": AUTHORIZED_KEYS_VOLUME, "secret": {"secretName": names.resource}})
    secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": object_meta(names.resource, names.base_labels(), names.namespace),
        "type": "Opaque",
        "data": {AUTHORIZED_KEYS: base64.b64encode(opts.ssh_pubkey).decode("ascii")},
    }
    container: dict[str, Any] = {
        "name": names.component,
        "image": opts.image,
        "imagePullPolicy": "Always" if opts.always_pull else "IfNotPresent",
    }
    if opts.command:
        container["command"] = list(opts.command)
    if opts.args:
        container["args"] = list(opts.args)
    container["volumeMounts"] = volume_mounts
    pod: dict[str, Any] = {"containers": [container], "volumes": pod_volumes}
    selector = node_selector(app.deployment)
    if selector:
        pod["nodeSelector"] = selector
    labels = names.component_labels()
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": object_meta(names.resource, labels, names.namespace),
        "spec": {
            "replicas": 1,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {
                    "labels": dict(labels),
                    "annotations": {ANNOTATION_PUBKEY_HASH: pubkey_hash(opts.ssh_pubkey)},
                },
                "spec": pod,
            },
        },
    }
    return BoxManifest(head=head, volumes=[*pvs, *pvcs], workload=[secret, deployment])
