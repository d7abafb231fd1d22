"""The Kubernetes port of the app use cases: exactly the operations they need.

:class:`AppKube` is implemented structurally by ``kompox.kube.client.KubeClient``
(the composition root passes one); tests may pass any object with these
methods.  Objects are plain dicts, as the API server returns them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, BinaryIO, Protocol

Obj = dict[str, Any]


class AppliedObjects(Protocol):
    """What an apply returns: the server's objects in apply order, and whether each was created."""

    @property
    def objects(self) -> list[Obj]: ...
    @property
    def created(self) -> list[bool]: ...


class DryRunOutcome(Protocol):
    """What a dry run returns: one ``Kind/name: cause`` line per refused object, and whether each would be new."""

    @property
    def refusals(self) -> list[str]: ...
    @property
    def created(self) -> list[bool]: ...


class DeletedObjects(Protocol):
    """What a deletion returns: ``(kind, namespace, name)`` per deleted object and one line per failure."""

    @property
    def deleted(self) -> list[tuple[str, str, str]]: ...
    @property
    def errors(self) -> list[str]: ...


class RolloutObservation(Protocol):
    @property
    def done(self) -> bool: ...
    @property
    def message(self) -> str: ...


class ExecOutcome(Protocol):
    @property
    def exit_code(self) -> int: ...
    @property
    def detached(self) -> bool: ...


class Forwarder(Protocol):
    """A port-forward to one pod: :meth:`start` binds and returns ``(local, remote)`` pairs."""

    def start(self) -> list[tuple[int, int]]: ...
    def stop(self) -> None: ...
    def wait(self, timeout: float | None = None) -> str | None: ...


class NodeZoneOutcome(Protocol):
    """What the node-zone labeler did: ``(node, zone)`` per labelled node, one line per failure."""

    @property
    def labelled(self) -> list[tuple[str, str]]: ...
    @property
    def failed(self) -> list[str]: ...


class AppKube(Protocol):
    """Kubernetes operations of ``app deploy|destroy|status|logs|exec|tunnel``."""

    @property
    def server(self) -> str: ...

    def apply(
        self,
        objects: Iterable[Mapping[str, Any]],
        *,
        default_namespace: str = ...,
        force: bool = ...,
        field_manager: str | None = ...,
    ) -> AppliedObjects: ...

    def dry_run_apply(
        self,
        objects: Iterable[Mapping[str, Any]],
        *,
        default_namespace: str = ...,
        force: bool = ...,
        field_manager: str | None = ...,
    ) -> DryRunOutcome: ...

    def prune_headless_services(
        self, namespace: str, component_selector: str, keep: Iterable[str]
    ) -> DeletedObjects: ...

    def get_deployment(self, namespace: str, name: str) -> Obj | None: ...

    def list_secrets(self, namespace: str) -> list[Obj]: ...

    def list_configmaps(self, namespace: str) -> list[Obj]: ...

    def create_namespace(self, obj: Mapping[str, Any]) -> bool: ...

    def release_volume_claim_ref(self, name: str, resource_version: str) -> None: ...

    def wait_namespace_gone(self, name: str, *, timeout: float) -> None: ...

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]: ...

    def wait_for_rollout(
        self,
        namespace: str,
        name: str,
        *,
        timeout: float,
        progress: Callable[[RolloutObservation], None] | None = ...,
        initial: Mapping[str, Any] | None = ...,
    ) -> RolloutObservation: ...

    def delete_by_selector(self, namespace: str, selector: str) -> DeletedObjects: ...

    def delete_namespace(self, name: str) -> bool: ...

    def get_namespace(self, name: str) -> Obj | None: ...

    def label_node_zones(self) -> NodeZoneOutcome:
        """Copy each Kompox node's topology zone to ``kompox.dev/node-zone`` where it has none."""
        ...

    def list_deployments(self, namespace: str, selector: str) -> list[Obj]: ...

    def list_ingresses(self, namespace: str, selector: str) -> list[Obj]: ...

    def find_pod(self, namespace: str, selector: str, *, rule: str = ..., container: str = ...) -> Obj | None: ...

    def stream_logs(
        self,
        namespace: str,
        pod: str,
        out: BinaryIO,
        *,
        container: str = ...,
        follow: bool = ...,
        tail_lines: int = ...,
    ) -> int: ...

    def exec(
        self,
        namespace: str,
        pod: str,
        command: Sequence[str],
        *,
        container: str = ...,
        stdin: BinaryIO | None = ...,
        stdout: BinaryIO,
        stderr: BinaryIO | None = ...,
        tty: bool = ...,
        terminal_size: Callable[[], tuple[int, int]] | None = ...,
        stdin_filter: Callable[[bytes], tuple[bytes, bool]] | None = ...,
    ) -> ExecOutcome: ...

    def port_forward(
        self,
        namespace: str,
        pod: str,
        ports: Sequence[tuple[int, int]],
        *,
        addresses: Sequence[str] = ...,
        errors: Callable[[str], None] | None = ...,
    ) -> Forwarder: ...
