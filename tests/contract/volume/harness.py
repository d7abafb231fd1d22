"""The shape every driver under the volume contract suite provides (seed 000, seed 002).

A harness factory builds one driver with its fake cloud behind it.  The suite in
this package is written once and runs against every harness listed in
``conftest.py``; the harness never decides the outcome of a rule, it only
supplies the driver, the resources the rules act on, and a clock.

The app must define a ``disk`` volume named :data:`DISK_VOLUME`
(size :data:`DISK_SIZE`) and, when ``supports_files`` is true, a ``files``
volume named :data:`FILES_VOLUME` (size :data:`FILES_SIZE`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kompox.domain.model import App, AppDeployment, AppVolume, Cluster
from kompox.domain.ports import Driver

DISK_VOLUME = "db"
FILES_VOLUME = "share"
GIB = 1024**3
DISK_SIZE = 10 * GIB
FILES_SIZE = 100 * GIB


@dataclass
class VolumeHarness:
    name: str
    driver: Driver
    cluster: Cluster
    app: App
    supports_files: bool
    advance_clock: Callable[[float], None]
    """Move the fake cloud's clock forward (seconds) so later creations get later ``created_at``."""
    other_cluster: Cluster | None = None
    """A second cluster of the same provider; it must see the same disks (membership by the volume's tag)."""
    close: Callable[[], None] = field(default=lambda: None)
    source_of: Callable[[str], str] | None = None
    """Optional: given the handle of a disk or snapshot, the provider-native id it was copied from
    (``""`` for an empty disk).  Lets the suite check which artefact a ``source`` resolved to;
    the rules that need it are skipped (with a reason) when it is None."""
    default_zone: str | None = None
    """The zone of a disk created without a zone override (None: the app's ``deployment.zone``)."""
    zone_override: str = "2"
    """A zone to pass as override; the disk must report it (on K3s zones are node names)."""


def contract_clusters(provider_id: str) -> tuple[Cluster, Cluster]:
    """``cluster1`` and ``cluster2`` of the provider (the second is the harness's ``other_cluster``)."""
    return (
        Cluster(id=f"{provider_id}/cls/cluster1", name="cluster1", provider_id=provider_id),
        Cluster(id=f"{provider_id}/cls/cluster2", name="cluster2", provider_id=provider_id),
    )


def contract_app(cluster: Cluster) -> App:
    """App ``app1`` of ``cluster`` with the suite's ``disk`` and ``files`` volumes, deployed in zone ``1``."""
    return App(
        id=f"{cluster.id}/app/app1",
        name="app1",
        cluster_id=cluster.id,
        volumes=[
            AppVolume(name=DISK_VOLUME, size=DISK_SIZE),
            AppVolume(name=FILES_VOLUME, size=FILES_SIZE, type="files"),
        ],
        deployment=AppDeployment(zone="1"),
    )
