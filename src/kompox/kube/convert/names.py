"""Names, hashes, labels and selectors of one app component (converter.md §2).

Everything here is a pure function of the workspace, provider, cluster and
app *names* plus the component (``app`` or ``box``).
"""

from __future__ import annotations

from dataclasses import dataclass

from kompox.domain.naming import Hashes, new_hashes, volume_resource_name

LABEL_NAME = "app.kubernetes.io/name"
LABEL_INSTANCE = "app.kubernetes.io/instance"
LABEL_MANAGED_BY = "app.kubernetes.io/managed-by"
LABEL_COMPONENT = "app.kubernetes.io/component"
LABEL_APP = "app"
LABEL_INSTANCE_HASH = "kompox.dev/app-instance-hash"
LABEL_ID_HASH = "kompox.dev/app-id-hash"
LABEL_HEADLESS = "kompox.dev/compose-service-headless"
ANNOTATION_APP = "kompox.dev/app"
ANNOTATION_PROVIDER_DRIVER = "kompox.dev/provider-driver"
ANNOTATION_CONTENT_HASH = "kompox.dev/compose-content-hash"
MANAGED_BY = "kompox"
DEFAULT_COMPONENT = "app"


@dataclass(frozen=True)
class AppNames:
    """Derived names of (workspace, provider, cluster, app, component)."""

    workspace: str
    provider: str
    cluster: str
    app: str
    component: str
    hashes: Hashes

    @property
    def namespace(self) -> str:
        """``k4x-<spHASH>-<app>-<idHASH>``."""
        return self.hashes.namespace

    @property
    def resource(self) -> str:
        """``<app>-<component>``: Deployment, ports Service, Ingress prefix."""
        return f"{self.app}-{self.component}"

    @property
    def access(self) -> str:
        """Role and RoleBinding name ``<app>-access``."""
        return f"{self.app}-access"

    @property
    def instance(self) -> str:
        return f"{self.app}-{self.hashes.app_instance}"

    @property
    def app_path(self) -> str:
        """Namespace annotation ``kompox.dev/app``: ``<ws>/<prv>/<cls>/<app>``."""
        return f"{self.workspace}/{self.provider}/{self.cluster}/{self.app}"

    def ingress_name(self, kind: str) -> str:
        """``<app>-<component>-default`` or ``-custom``."""
        return f"{self.resource}-{kind}"

    def config_map_name(self, config: str) -> str:
        return f"{self.resource}--cfg-{config}"

    def secret_name(self, secret: str) -> str:
        return f"{self.resource}--sec-{secret}"

    def env_base_secret(self, service: str) -> str:
        return f"{self.resource}-{service}-base"

    def env_override_secret(self, service: str) -> str:
        return f"{self.resource}-{service}-override"

    @property
    def pull_secret(self) -> str:
        return f"{self.resource}--pull"

    def default_host(self, host_port: int, domain: str) -> str:
        """``<app>-<idHASH>-<hostPort>.<domain>``."""
        return f"{self.app}-{self.hashes.app_id}-{host_port}.{domain}"

    def volume_resource(self, volume: str, handle: str) -> str:
        """PV/PVC name ``k4x-<spHASH>-<vol>-<idHASH>-<volHASH>``."""
        return volume_resource_name(self.hashes, volume, handle)

    def unbound_claim(self, volume: str) -> str:
        """Placeholder claim name of a volume without an assigned disk.

        ``unbound`` has seven letters, so it can never equal a six-character
        volHASH: the name never matches a real PVC.
        """
        return f"k4x-{self.hashes.provider}-{volume}-{self.hashes.app_id}-unbound"

    # --- labels ------------------------------------------------------------

    def base_labels(self) -> dict[str, str]:
        """Labels on every generated object."""
        return {
            LABEL_NAME: self.app,
            LABEL_INSTANCE: self.instance,
            LABEL_MANAGED_BY: MANAGED_BY,
            LABEL_INSTANCE_HASH: self.hashes.app_instance,
            LABEL_ID_HASH: self.hashes.app_id,
        }

    def component_labels(self) -> dict[str, str]:
        labels = self.base_labels()
        labels[LABEL_APP] = self.resource
        labels[LABEL_COMPONENT] = self.component
        return labels

    def headless_labels(self) -> dict[str, str]:
        labels = self.component_labels()
        labels[LABEL_HEADLESS] = "true"
        return labels

    def pod_selector(self) -> dict[str, str]:
        """The only pod selector used: ``{app: <app>-<component>}``."""
        return {LABEL_APP: self.resource}

    @property
    def component_selector(self) -> str:
        """Label-selector string ``app=<app>-<component>``."""
        return f"{LABEL_APP}={self.resource}"

    @property
    def headless_selector(self) -> str:
        """Prune selector ``app=<app>-<component>,kompox.dev/compose-service-headless=true``."""
        return f"{LABEL_APP}={self.resource},{LABEL_HEADLESS}=true"


def app_names(workspace: str, provider: str, cluster: str, app: str, component: str = DEFAULT_COMPONENT) -> AppNames:
    """Compute the names of one app component from the four resource names."""
    return AppNames(
        workspace=workspace,
        provider=provider,
        cluster=cluster,
        app=app,
        component=component,
        hashes=new_hashes(workspace, provider, cluster, app),
    )


def object_meta(name: str, labels: dict[str, str], namespace: str | None = None) -> dict[str, object]:
    """``metadata`` with name, optional namespace and labels."""
    meta: dict[str, object] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["labels"] = labels
    return meta
