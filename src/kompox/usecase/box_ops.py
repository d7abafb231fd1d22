"""Use cases of ``kompoxops box`` (kube-and-ops.md §11.1, §13.8): the toolbox Deployment ``<app>-box``.

* :func:`plan_box_deploy` — pure checks (mount specs, volumes, disks via the driver, the SSH key)
  and the manifest; nothing touches the cluster before it succeeds.
* :func:`box_deploy` — server-side apply: App-level head and PV/PVC without force, the Secret and
  the Deployment with force (upstream's split); idempotent.
* :func:`box_destroy`, :func:`box_status`, :func:`box_exec` — as the app's, for component ``box``
  or the component of a standalone KOM ``Box`` chosen with :func:`resolve_box` (``--box NAME``).
* :func:`box_client` — ``ssh``/``scp``/``rsync`` through a port-forward to pod port 22; the
  client's exit code is returned (upstream always exits 0).
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from kompox.domain.errors import KompoxError, NotFoundError, NotImplementedYetError, ValidationError
from kompox.domain.model import App, AppVolume, Box, Cluster, VolumeClass, VolumeDisk, ingress_namespace
from kompox.kube.convert.box import (
    ANNOTATION_PUBKEY_HASH,
    BOX_CONTAINER,
    DEFAULT_BOX_IMAGE,
    BoxManifest,
    BoxMount,
    BoxOptions,
    box_manifest,
    pubkey_hash,
)
from kompox.kube.convert.names import AppNames
from kompox.kube.convert.object_check import Violation, check_objects
from kompox.kube.convert.volumes import VolumeBinding
from kompox.usecase.app_kube import AppKube
from kompox.usecase.app_ops import ExecResult, app_exec
from kompox.usecase.app_status import AppStatus, app_status
from kompox.usecase.app_target import AppOperationError, AppTarget

log = logging.getLogger("kompox.usecase")

SSH_OPTIONS = (
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "Hostname=localhost",
    "-o",
    "LogLevel=ERROR",
)
CLIENTS = ("ssh", "scp", "rsync")


class BoxVolumes(Protocol):
    """What ``box deploy -V`` needs from the provider driver (``domain.ports.Driver`` satisfies it)."""

    def volume_disk_list(self, cluster: Cluster, app: App, vol_name: str, opts: Any = None) -> list[VolumeDisk]: ...
    def volume_class(self, cluster: Cluster, app: App, vol: AppVolume) -> VolumeClass: ...


@dataclass(frozen=True)
class MountSpec:
    volume: str
    disk: str
    path: str


def parse_mount(spec: str) -> MountSpec:
    """``volName:diskName:/abs/path`` (split on the first two ``:``)."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].startswith("/"):
        raise ValidationError(
            f"invalid volume spec {spec!r} (want volName:diskName:/absolute/mount/path)", field="--volume"
        )
    return MountSpec(parts[0], parts[1], parts[2])


def kom_box_defaults(boxes: Sequence[Box], app: App) -> Box | None:
    """The app's standalone KOM ``Box`` for component ``box`` (its image/command/args are the defaults)."""
    for box in boxes:
        if box.app_id == app.id and box.component == "box" and box.standalone:
            return box
    return None


@dataclass(frozen=True)
class BoxChoice:
    """The component a box command acts on and the KOM ``Box`` supplying its defaults (if any)."""

    component: str
    kom_box: Box | None


def resolve_box(boxes: Sequence[Box], app: App, name: str) -> BoxChoice:
    """``--box NAME``: the app's standalone KOM Box of that name; without a name the toolbox ``box``.

    The Deployment is ``<app>-<component>`` with one container named after the component
    (component = ``spec.component`` or the Box's name, kube-and-ops.md §11.2).
    """
    if not name:
        return BoxChoice(BOX_CONTAINER, kom_box_defaults(boxes, app))
    own = [b for b in boxes if b.app_id == app.id]
    box = next((b for b in own if b.name == name), None)
    if box is None:
        known = ", ".join(sorted(b.name for b in own)) or "none"
        raise NotFoundError(f"KOM Box {name} not found in app {app.name} (boxes: {known})")
    if not box.standalone:
        raise NotImplementedYetError(
            f"box commands for Compose Box {name} of app {app.name} (KOM Box without spec.image; "
            "only standalone Boxes with spec.image are supported)"
        )
    return BoxChoice(box.component or box.name, box)


def box_options(
    kom_box: Box | None, image: str, command: Sequence[str], args: Sequence[str], always_pull: bool, key: bytes
) -> BoxOptions:
    """Flags win over the KOM Box; the built-in image is the last default."""
    if not key.strip():
        raise ValidationError("the SSH public key file is empty", field="--ssh-pubkey")
    return BoxOptions(
        image=image or (kom_box.image if kom_box else "") or DEFAULT_BOX_IMAGE,
        command=list(command) or (list(kom_box.command) if kom_box else []),
        args=list(args) or (list(kom_box.args) if kom_box else []),
        always_pull=always_pull,
        ssh_pubkey=key,
    )


def plan_box_deploy(
    target: AppTarget,
    names: AppNames,
    opts: BoxOptions,
    specs: Sequence[str],
    volumes: Callable[[], BoxVolumes],
) -> BoxManifest:
    """Check the mounts against the app and the driver's disks; the objects to apply."""
    mounts_in = [parse_mount(s) for s in specs]
    app, cluster = target.app, target.cluster
    assert cluster is not None and target.provider is not None  # names() checked the parents
    mounts: list[BoxMount] = []
    if mounts_in:
        driver = volumes()
        for m in mounts_in:
            vol = app.find_volume(m.volume)
            disks = driver.volume_disk_list(cluster, app, m.volume)
            disk = next((d for d in disks if d.name == m.disk), None)
            if disk is None:
                known = ", ".join(d.name for d in disks) or "none"
                raise NotFoundError(f"disk {m.disk} not found under volume {m.volume} (disks: {known})")
            vc = driver.volume_class(cluster, app, vol)
            mounts.append(BoxMount(VolumeBinding(m.volume, disk, vc), vol, m.path))
    manifest = box_manifest(names, target.provider.driver, app, ingress_namespace(cluster), opts, mounts)
    check_box_objects(manifest, app)
    return manifest


def _box_origin(v: Violation, app: App) -> str:
    """The flag or KOM field a box object value comes from."""
    if ".image" in v.path:
        return "--image (or KOM Box spec.image)"
    if ".volumeMounts" in v.path or v.kind.startswith("PersistentVolume") or "spec.volumes" in v.path:
        return "--volume"
    return f"App/{app.name}: metadata.name"


def check_box_objects(manifest: BoxManifest, app: App) -> None:
    """The API server's rules on every box object; all refusals in one error, each naming its origin."""
    violations = check_objects(manifest.objects)
    if violations:
        problems = "; ".join(f"{_box_origin(v, app)}: {v.text()}" for v in violations)
        raise ValidationError(f"box manifest refused ({len(violations)} problems): {problems}")


def box_deploy(kube: AppKube, names: AppNames, manifest: BoxManifest) -> int:
    """Apply the manifest (upstream's order and force split); returns the number of objects applied."""
    try:
        kube.apply(manifest.head, default_namespace=names.namespace, force=False)
        if manifest.volumes:
            kube.apply(manifest.volumes, default_namespace=names.namespace, force=False)
        kube.apply(manifest.workload, default_namespace=names.namespace, force=True)
    except KompoxError as err:
        raise AppOperationError(f"box deploy failed: {err}", cause=err) from err
    log.info("box runner deployed", extra={"attrs": {"ns": names.namespace, "name": names.resource}})
    return len(manifest.objects)


def box_destroy(kube: AppKube, names: AppNames) -> list[str]:
    """Delete the box Deployment (its pods follow); the Secret, PV/PVC and App objects stay.  Idempotent."""
    if kube.get_namespace(names.namespace) is None:
        return []
    result = kube.delete_by_selector(names.namespace, names.component_selector)
    if result.errors:
        raise AppOperationError(f"delete box runner failed: {result.errors[0]}")
    return [f"{kind}/{name}" for kind, _ns, name in result.deleted]


def box_status(kube: AppKube, target: AppTarget, names: AppNames) -> dict[str, Any]:
    status: AppStatus = app_status(kube, target, names)
    if not status.deployment:
        status.ready, status.image, status.pod, status.node = False, "", "", ""
        status.deployment, status.container = names.resource, names.component
        status.command = status.args = None
    out = status.to_json()
    out.pop("ingress_hosts")
    return out


def _not_deployed(names: AppNames) -> NotFoundError:
    return NotFoundError(
        f"kompox box pod not found (namespace {names.namespace}, selector {names.component_selector}): "
        "the box is not deployed; run kompoxops box deploy"
    )


def box_exec(
    kube: AppKube,
    names: AppNames,
    command: Sequence[str],
    *,
    stdout: BinaryIO,
    stderr: BinaryIO | None = None,
    stdin: BinaryIO | None = None,
    tty: bool = False,
    escape: str = "~.",
    terminal_size: Callable[[], tuple[int, int]] | None = None,
) -> ExecResult:
    if not command or not command[0].strip():
        raise ValidationError("command is required after --")
    if kube.find_pod(names.namespace, names.component_selector, rule="exec", container=names.component) is None:
        raise _not_deployed(names)
    return app_exec(
        kube,
        names,
        command,
        stdout=stdout,
        stderr=stderr,
        stdin=stdin,
        tty=tty,
        container=names.component,
        escape=escape,
        terminal_size=terminal_size,
    )


def client_argv(tool: str, program: str, port: int, user_args: Sequence[str]) -> list[str]:
    """The client command line of ``box ssh|scp|rsync`` for local ``port`` (upstream's options)."""
    if tool == "ssh":
        return [program, *SSH_OPTIONS, "-p", str(port), *user_args]
    if tool == "scp":
        return [program, *SSH_OPTIONS, "-P", str(port), *user_args]
    if tool == "rsync":
        return [program, "-e", shlex.join(["ssh", *SSH_OPTIONS, "-p", str(port)]), *user_args]
    raise ValidationError(f"unknown box client {tool!r} (allowed: {', '.join(CLIENTS)})")


def _check_key(kube: AppKube, names: AppNames) -> None:
    deployments = [
        d
        for d in kube.list_deployments(names.namespace, names.component_selector)
        if (d.get("metadata") or {}).get("name") == names.resource
    ]
    if not deployments:
        raise _not_deployed(names)
    template = (deployments[0].get("spec") or {}).get("template") or {}
    key_hash = ((template.get("metadata") or {}).get("annotations") or {}).get(ANNOTATION_PUBKEY_HASH, "")
    if not key_hash or key_hash == pubkey_hash(b""):
        raise ValidationError(
            f"the box {names.resource} has no SSH public key configured: redeploy it with "
            "kompoxops box deploy --ssh-pubkey FILE"
        )


def box_client(
    kube: AppKube,
    names: AppNames,
    tool: str,
    program: str,
    user_args: Sequence[str],
    run: Callable[[Sequence[str]], int],
) -> int:
    """Forward a free local port to the box pod's port 22, run the client, stop the forward."""
    if not user_args:
        raise ValidationError(f"box {tool} needs the client's arguments after -- (e.g. kompox@box)")
    _check_key(kube, names)
    pod = kube.find_pod(names.namespace, names.component_selector, rule="tunnel", container=names.component)
    if pod is None:
        raise _not_deployed(names)
    pod_name = str((pod.get("metadata") or {}).get("name", ""))
    forward = kube.port_forward(names.namespace, pod_name, [(0, 22)], addresses=["localhost"])
    try:
        mapping = forward.start()
    except KompoxError as err:
        raise AppOperationError(f"port forward failed: {err}", cause=err) from err
    try:
        argv = client_argv(tool, program, mapping[0][0], user_args)
        log.info(f"UC:box.{tool}:Run", extra={"attrs": {"pod": pod_name, "port": mapping[0][0]}})
        code = run(argv)
    finally:
        forward.stop()
    log.info(f"UC:box.{tool}:Done", extra={"attrs": {"exitCode": code}})
    return code
