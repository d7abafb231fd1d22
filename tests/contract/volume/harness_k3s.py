"""The K3s driver's ``localpath`` harness for the volume contract suite.

The real K3s driver talks to kmock (records are ConfigMaps, helper pods are
Pods); a node executor runs every helper pod's script with ``sh`` on a
temporary directory per node, so the data path is exercised, not only the
API calls.  Zones are nodes: a disk created for the app (pool ``user``, no
zone) lands on ``node-a``; ``--zone node-b`` puts it on ``node-b``.
``other_cluster`` is a second KOM cluster entry for the same API server (a
second machine holding the kubeconfig): it must see the same disks.
``source_of`` answers from the helper pods that actually ran on the nodes.
"""

from __future__ import annotations

import dataclasses

from kompox.domain.model import AppVolume
from providers.k3s.localpath_fixtures import K3sVolumeCluster, make_app, make_cluster

from .harness import DISK_SIZE, DISK_VOLUME, VolumeHarness


def make_k3s_harness() -> VolumeHarness:
    k3s = make_cluster()
    app = make_app(k3s.cluster, [AppVolume(name=DISK_VOLUME, size=DISK_SIZE)])
    other = dataclasses.replace(k3s.cluster, id="/ws/ws1/prv/k3s1/cls/cluster2", name="cluster2")
    return VolumeHarness(
        name="k3s-localpath",
        driver=k3s.driver,
        cluster=k3s.cluster,
        app=app,
        supports_files=False,
        advance_clock=k3s.time.advance,
        other_cluster=other,
        close=k3s.close,
        source_of=lambda handle: source_of(k3s, handle),
        default_zone="node-a",
        zone_override="node-b",
    )


def source_of(k3s: K3sVolumeCluster, handle: str) -> str:
    """The handle of what the helper pod that made ``handle`` read (``""`` for an empty disk)."""
    node, _, path = handle.removeprefix("localpath://").partition("/")
    for run in reversed(k3s.executor.runs):
        if run.node != node or run.code != 0:
            continue
        base = f"/{path}"
        if run.op == "create" and base.endswith("/" + run.args[0]):
            return ""
        if run.op == "copy" and base.endswith("/" + run.args[1]):
            return _handle(node, base, run.args[1], run.args[0])
        if run.op == "restore" and base.endswith("/" + run.args[2]):
            return _handle(node, base, run.args[2], run.args[0])
        if run.op == "archive" and base.endswith("/" + run.args[1]):
            return _handle(node, base, run.args[1], run.args[0])
    raise KeyError(f"no helper pod made {handle}")


def _handle(node: str, path: str, made: str, read: str) -> str:
    base = path[: -len(made)]
    return f"localpath://{node}{base}{read}"
