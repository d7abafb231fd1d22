"""``kompoxops cluster``: provision, install and operate the cluster (cli.md §10)."""

from __future__ import annotations

from kompox.cli.base import KompoxGroup, new_group, planned


def build_cluster() -> KompoxGroup:
    cluster = new_group("cluster", "Provision and operate the Kubernetes cluster.")
    planned(cluster, "provision", "Create the Kubernetes cluster (cloud side).", "issue 7")
    planned(cluster, "deprovision", "Delete the Kubernetes cluster (cloud side).", "issue 7")
    planned(cluster, "install", "Install in-cluster shared resources (Traefik, identities).", "issue 6")
    planned(cluster, "uninstall", "Remove in-cluster shared resources.", "issue 6")
    planned(cluster, "status", "Print the cluster status as JSON.", "issue 6")
    planned(cluster, "kubeconfig", "Print, save or merge the cluster's kubeconfig.", "issue 6")
    planned(cluster, "logs", "Show logs of the Traefik ingress pod.", "issue 6")
    from kompox.cli.commands.nodepool import build_nodepool

    cluster.add_command(build_nodepool())
    return cluster
