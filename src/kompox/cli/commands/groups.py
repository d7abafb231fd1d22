"""The command tree of ``kompoxops`` (cli.md §1).

Every group and command exists so that help, completion and scripts see the
whole tree; commands whose use cases are not built yet fail with exit code 5
and "not implemented yet" (see :func:`kompox.cli.base.planned`).
"""

from __future__ import annotations

import click

from kompox.cli.base import KompoxGroup, bare_group_callback, planned


def _group(name: str, help_text: str, aliases: dict[str, str] | None = None) -> KompoxGroup:
    return KompoxGroup(name=name, help=help_text, aliases=aliases, callback=click.pass_context(bare_group_callback))


def build_cluster() -> KompoxGroup:
    cluster = _group("cluster", "Provision and operate the Kubernetes cluster.")
    planned(cluster, "provision", "Create the Kubernetes cluster (cloud side).", "issue 7")
    planned(cluster, "deprovision", "Delete the Kubernetes cluster (cloud side).", "issue 7")
    planned(cluster, "install", "Install in-cluster shared resources (Traefik, identities).", "issue 6")
    planned(cluster, "uninstall", "Remove in-cluster shared resources.", "issue 6")
    planned(cluster, "status", "Print the cluster status as JSON.", "issue 6")
    planned(cluster, "kubeconfig", "Print, save or merge the cluster's kubeconfig.", "issue 6")
    planned(cluster, "logs", "Show logs of the Traefik ingress pod.", "issue 6")
    nodepool = _group("nodepool", "Manage node pools of the cluster.")
    for verb, summary in (
        ("list", "List node pools as JSON."),
        ("create", "Create a node pool from -f FILE."),
        ("update", "Update a node pool from -f FILE (only set fields)."),
        ("delete", "Delete a node pool (--name)."),
    ):
        planned(nodepool, verb, summary, "issue 9")
    cluster.add_command(nodepool)
    return cluster


def build_secret() -> KompoxGroup:
    secret = _group("secret", "Manage per-service env override and image pull Secrets.")
    env = _group("env", "Per-service environment override Secret.")
    pull = _group("pull", "Image pull Secret.")
    for sub in (env, pull):
        planned(sub, "set", "Create or replace the Secret.", "a later issue")
        planned(sub, "delete", "Delete the Secret.", "a later issue")
        secret.add_command(sub)
    return secret


def build_dns() -> KompoxGroup:
    dns = _group("dns", "Apply or remove the DNS records of the app's ingress hosts.")
    planned(dns, "deploy", "Create or update DNS records for the app's ingress hosts.", "issue 6")
    planned(dns, "destroy", "Delete DNS records of the app's ingress hosts.", "issue 6")
    return dns


def build_disk() -> KompoxGroup:
    disk = _group("disk", "Manage the cloud disks (or file shares) of the app's volumes.")
    planned(disk, "list", "List the disks of a volume.", "issue 8")
    planned(disk, "create", "Create a disk (empty, from a snapshot with -S, or --bootstrap).", "issue 8")
    planned(disk, "assign", "Make a disk the one the app mounts.", "issue 8")
    planned(disk, "delete", "Delete a disk.", "issue 8")
    return disk


def build_snapshot() -> KompoxGroup:
    snapshot = _group("snapshot", "Manage snapshots of the app's volumes.")
    planned(snapshot, "list", "List the snapshots of a volume.", "issue 8")
    planned(snapshot, "create", "Snapshot the assigned disk (or -S SOURCE).", "issue 8")
    planned(snapshot, "delete", "Delete a snapshot.", "issue 8")
    return snapshot


def build_box() -> KompoxGroup:
    box = _group("box", "Maintenance box pods attached to the app.", aliases={"cp": "scp"})
    for verb, summary in (
        ("deploy", "Deploy the box."),
        ("destroy", "Delete the box."),
        ("status", "Print the box status as JSON."),
        ("exec", "Run a command in the box."),
        ("ssh", "Open an SSH session to the box."),
        ("scp", "Copy files to or from the box (alias: cp)."),
        ("rsync", "Synchronise files with the box."),
    ):
        planned(box, verb, summary, "a later issue")
    return box


def build_admin() -> KompoxGroup:
    admin = _group("admin", "Direct CRUD on the resource store.")
    for kind, aliases, extra in (
        ("workspace", {"ws": "workspace"}, ()),
        ("provider", None, ()),
        ("cluster", None, ("provision", "deprovision")),
        ("app", None, ()),
    ):
        sub = _group(kind, f"Manage {kind} resources in the store.")
        for verb in ("list", "get", "create", "update", "delete", *extra):
            planned(sub, verb, f"{verb.capitalize()} {kind} resources.", "a later issue")
        admin.add_command(sub)
        if aliases:
            admin.aliases.update(aliases)
    return admin
