"""What every app operation on a cluster starts from: the app, its parents and its derived names.

Upstream derives the namespace and selectors through a full compose parse
(``convert failed: …`` even for ``status`` or ``logs``); here the names come
from the four resource names alone (converter.md §2), so read-only commands
work whatever the compose file's state.  A missing parent is a clear error.
"""

from __future__ import annotations

from dataclasses import dataclass

from kompox.domain.errors import KompoxError, NotFoundError
from kompox.domain.model import App, Cluster, Provider, Workspace
from kompox.kube.convert import AppNames, app_names

DEFAULT_COMPONENT = "app"


class AppOperationError(KompoxError):
    """An app operation failed; keeps the exit-code category of the error that caused it."""

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        if isinstance(cause, KompoxError):
            self.exit_code = cause.exit_code


@dataclass(frozen=True)
class AppTarget:
    """An app with its cluster, provider and workspace (any may be ``None`` when not found)."""

    app: App
    cluster: Cluster | None
    provider: Provider | None
    workspace: Workspace | None

    def names(self, component: str = DEFAULT_COMPONENT) -> AppNames:
        """Namespace, selectors and object names of ``component`` (``app`` or ``box``)."""
        missing = [
            kind
            for kind, value in (("cluster", self.cluster), ("provider", self.provider), ("workspace", self.workspace))
            if value is None
        ]
        if missing:
            raise NotFoundError(
                f"app {self.app.name}: {', '.join(missing)} not found, so its namespace cannot be derived"
            )
        assert self.cluster is not None and self.provider is not None and self.workspace is not None
        return app_names(self.workspace.name, self.provider.name, self.cluster.name, self.app.name, component)
