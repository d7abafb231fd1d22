"""Composition for ``kompoxops cluster`` and ``kompoxops dns``: target, ports, kube access, progress.

* :func:`cluster_target` — the cluster and the command's session (store,
  cached driver: the :class:`ClusterPort` of the use cases, kube client).
* :class:`ClusterKube` — the kube client plus the Traefik installer, shaped
  as the protocols the cluster-logs and DNS use cases declare.
* :func:`progress_to_stderr` — progress lines of long operations (the
  ``kompox.progress`` logger and non-symbol driver messages) on the
  runtime's stderr.
* :func:`failed` — ``<what failed>: <cause>`` keeping the cause's exit code
  and, for cluster setting errors, naming the KOM file of the cluster.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

import click

from kompox.cli.runtime import Runtime
from kompox.domain.errors import KompoxError, ValidationError
from kompox.domain.model import Cluster
from kompox.domain.ports import ClusterPort, Driver

if TYPE_CHECKING:
    from kompox.cli.session import Session
    from kompox.kube.client import KubeClient
    from kompox.kube.ingress_install import TraefikInstaller
    from kompox.store.inmem import InMemoryRepositories

PROGRESS_LOGGER = "kompox.progress"
DRIVER_LOGGER = "kompox.providers"


def is_symbol(message: str) -> bool:
    """Span/log symbols such as ``AKS:ClusterInstall/S`` (one word with a colon) are not progress."""
    return ":" in message and " " not in message.strip()


def cluster_options(func: Any) -> Any:
    """``-K/--cluster-id`` / ``--cluster-name``, as ``-A/--app-id`` / ``--app-name`` (``-C`` is ``--chdir``)."""
    func = click.option("--cluster-name", default="", help="Cluster name (backward-compatible selector).")(func)
    return click.option(
        "-K", "--cluster-id", default="", help="Cluster Resource ID (or name); default: the cluster of the default app."
    )(func)


@dataclass
class ClusterTarget:
    cluster: Cluster
    session: Session

    @property
    def port(self) -> ClusterPort:
        """The cluster's driver, built on first use (a build failure is raised here)."""
        return self.session.driver_for(self.cluster)

    @property
    def repos(self) -> InMemoryRepositories:
        return self.session.store.repos

    @property
    def default_app(self) -> str:
        """The store's default app (id in KOM mode, name in single-file mode)."""
        return self.session.store.default_app

    def driver(self) -> Driver:
        return self.session.driver_for(self.cluster)

    def kube(self) -> ClusterKube:
        return ClusterKube(self.session.kube(self.cluster))


def cluster_target(rt: Runtime, cluster_id: str, cluster_name: str) -> ClusterTarget:
    session = rt.session()
    return ClusterTarget(session.cluster(cluster_id, cluster_name), session)


def legacy_app_namespace(rt: Runtime, target: ClusterTarget) -> str:
    """Single-file mode only: the namespace of the file's app when all names are known (cli.md §10.4.6)."""
    from kompox.kom.loader import Mode
    from kompox.usecase.dns_records import app_namespace

    kom = rt.kom
    if kom is None or kom.mode is not Mode.LEGACY:
        return ""
    apps = [a for a in target.repos.apps.list() if a.name and a.name == target.default_app]
    if len(apps) != 1 or apps[0].cluster_id != target.cluster.id:
        return ""
    try:
        provider = target.repos.providers.get(target.cluster.provider_id)
        workspace = target.repos.workspaces.get(provider.workspace_id)
    except KompoxError:
        return ""
    if not (workspace.name and provider.name and target.cluster.name):
        return ""
    return app_namespace(workspace, provider, target.cluster, apps[0])


def _cluster_document_path(rt: Runtime, cluster: Cluster) -> tuple[str, int] | None:
    kom = rt.kom
    if kom is None:
        return None
    for doc in kom.documents:
        if doc.kind == "Cluster" and doc.id == cluster.id:
            return doc.path, doc.line
    return None


def failed(rt: Runtime, what: str, err: KompoxError, cluster: Cluster | None = None) -> KompoxError:
    """``<what>: <cause>`` as one line with the cause's exit code; setting errors name the KOM file."""
    if (
        isinstance(err, ValidationError)
        and cluster is not None
        and err.file is None
        and (err.field or "").startswith("spec.settings.")
    ):
        where = _cluster_document_path(rt, cluster)
        if where is not None:
            err.file, err.line = where
    text = err.located() if isinstance(err, ValidationError) else str(err)
    wrapped = KompoxError(f"{what}: {text}" if what else text)
    wrapped.exit_code = err.exit_code
    return wrapped


class _StderrLines(logging.Handler):
    """Plain message lines on stderr; driver messages only when they are not span symbols."""

    def __init__(self, stream: TextIO, level: int) -> None:
        super().__init__(level=level)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.name.startswith(DRIVER_LOGGER) and is_symbol(message):
                return
            prefix = "Warning: " if record.levelno >= logging.WARNING else ""
            self.stream.write(f"{prefix}{message}\n")
            self.stream.flush()
        except Exception:  # pragma: no cover - a broken stderr must not fail the command
            self.handleError(record)


@contextmanager
def progress_to_stderr(stream: TextIO) -> Iterator[None]:
    """Show progress lines on ``stream`` (the runtime's stderr) while the block runs (they still reach the run log)."""
    handler = _StderrLines(stream, level=logging.INFO)
    loggers = [logging.getLogger(PROGRESS_LOGGER), logging.getLogger(DRIVER_LOGGER)]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(min(lg.getEffectiveLevel(), logging.INFO))  # never hide DEBUG records the user asked for
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)


class ClusterKube:
    """Kube access for the cluster use cases: Traefik logs and ingress hosts."""

    def __init__(self, kube: KubeClient) -> None:
        from kompox.kube.ingress_install import TraefikInstaller

        self.kube = kube
        self.installer: TraefikInstaller = TraefikInstaller(kube)

    def controller_namespace(self, namespace: str) -> str:
        return self.installer.controller_namespace(namespace)

    def find_pod(self, namespace: str, selector: str, *, container: str = "") -> dict[str, Any] | None:
        return self.kube.find_pod(namespace, selector, rule="logs", container=container)

    def stream_logs(
        self, namespace: str, pod: str, out: BinaryIO, *, container: str = "", follow: bool = False, tail_lines: int = 0
    ) -> int:
        return self.kube.stream_logs(namespace, pod, out, container=container, follow=follow, tail_lines=tail_lines)

    def ingress_host_ips(self, namespace: str, selector: str) -> list[tuple[str, str]]:
        return self.kube.ingress_host_ips(namespace, selector)
