"""The files ``kompoxops init`` writes: config, ``.gitignore``, a starter KOM per driver and a sample compose app.

Every placeholder an operator must change is marked ``FILL IN``.  None of them
is a secret, and all of them pass ``kompoxops app validate`` offline.  The AKS
subscription placeholder is deliberately not a GUID: every command that
reaches Azure refuses it before any network call ("AZURE_SUBSCRIPTION_ID must
be a GUID").
"""

from __future__ import annotations

DRIVERS = ("k3s", "aks")
DEFAULT_DRIVER = "k3s"

CONFIG_TEMPLATE = "version: 1\nstore:\n  type: local\n"
# /kubeconfig: `app kubectl` writes an admin credential there; it must never be committed.
GITIGNORE = "/logs\n/kubeconfig\n"

SAMPLE_PORT = 8080
# Stateless on purpose: a named volume needs a disk on the cluster before the
# first deploy, so a fresh project's first `app validate` would warn about it.
SAMPLE_COMPOSE = f"""\
# A sample app written by kompoxops init: one web service answering HTTP on
# port {SAMPLE_PORT} (traefik/whoami echoes the request).  Replace it with your own
# services and keep kompoxapp.yml in step (its ingress rule names port {SAMPLE_PORT}).
# Named volumes become App volumes (spec.volumes in kompoxapp.yml); each needs
# a disk before the first deploy (kompoxops disk create -V <volume>).
services:
  web:
    image: traefik/whoami:v1.11
    command: ["--port", "{SAMPLE_PORT}"]
    ports:
      - "{SAMPLE_PORT}:{SAMPLE_PORT}"
    environment:
      WHOAMI_NAME: kompox
"""

_HEADER = {
    "k3s": """\
# Written by kompoxops init --driver k3s: one Workspace, a K3s Provider and a
# Cluster you already have (any conformant Kubernetes cluster reached by a
# kubeconfig).  Lines marked FILL IN are yours to change.
""",
    "aks": """\
# Written by kompoxops init --driver aks: one Workspace, an AKS Provider and a
# Cluster that Kompox creates (kompoxops cluster provision).  Lines marked
# FILL IN are placeholders, not secrets: `kompoxops app validate` works offline
# with them, and every command that reaches Azure refuses them until they are
# filled in.  Never write a client secret here; use `az login` (azure_cli).
""",
}

_PROVIDER_SPEC = {
    "k3s": """\
spec:
  driver: k3s
""",
    "aks": """\
spec:
  driver: aks
  settings:
    # FILL IN: your subscription ID (az account show --query id -o tsv)
    AZURE_SUBSCRIPTION_ID: FILL-IN-subscription-id
    # FILL IN: the Azure region of the cluster
    AZURE_LOCATION: japaneast
    # azure_cli signs in with `az login`; for CI use workload_identity
    # (with AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE)
    AZURE_AUTH_METHOD: azure_cli
""",
}

_CLUSTER_SPEC = {
    "k3s": """\
spec:
  existing: true
  ingress:
    # FILL IN: a wildcard DNS name that points at the cluster's ingress; each
    # app port gets the host <app>-<hash>-<port>.<domain>
    domain: apps.example.com
  # FILL IN (optional): without these, $KUBECONFIG or ~/.kube/config is used
  # settings:
  #   KUBECONFIG: ~/.kube/config
  #   KUBECONFIG_CONTEXT: default
""",
    "aks": """\
spec:
  ingress:
    # FILL IN: a DNS name of yours for the apps' default hosts
    domain: apps.example.com
    # FILL IN: the e-mail address Let's Encrypt certificates are requested with
    certEmail: you@example.com
""",
}


def starter_kom(driver: str, workspace: str, provider: str, cluster: str) -> str:
    """Workspace, Provider and Cluster documents for ``driver`` (``k3s`` or ``aks``)."""
    ws_id = f"/ws/{workspace}"
    prv_id = f"{ws_id}/prv/{provider}"
    cls_id = f"{prv_id}/cls/{cluster}"

    def head(kind: str, name: str, rid: str) -> str:
        return (
            f"apiVersion: ops.kompox.dev/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
            f"  annotations:\n    ops.kompox.dev/id: {rid}\n"
        )

    return (
        _HEADER[driver]
        + head("Workspace", workspace, ws_id)
        + "---\n"
        + head("Provider", provider, prv_id)
        + _PROVIDER_SPEC[driver]
        + "---\n"
        + head("Cluster", cluster, cls_id)
        + _CLUSTER_SPEC[driver]
    )


def next_steps(driver: str | None, starter: str | None) -> list[tuple[str, str]]:
    """The three commands to run after ``init``, each with a comment (may be empty).

    ``driver`` is the starter's driver when ``init`` wrote one (``starter`` is
    then its path relative to the project), else ``None``: the project's
    clusters already existed.
    """
    validate = ("kompoxops app validate", "offline: checks the app, counts what it would deploy")
    if driver is None or starter is None:
        return [validate, ("kompoxops cluster status", ""), ("kompoxops app deploy", "")]
    if driver == "aks":
        return [
            validate,
            (f"${{EDITOR:-vi}} {starter}", "fill in subscription, location, ingress; then: az login"),
            ("kompoxops cluster provision && kompoxops cluster install && kompoxops app deploy", ""),
        ]
    return [
        validate,
        (f"${{EDITOR:-vi}} {starter}", "your cluster's ingress domain (and kubeconfig)"),
        ("kompoxops cluster install && kompoxops app deploy", ""),
    ]
