"""What every driver under the node-pool contract suite (seed 003) provides.

A harness builds one driver with its fake cloud behind it.  ``capable`` says
whether the provider has the node-pool capability at all: a driver without it
must raise the typed "not implemented" capability error from all four
methods, whatever the input.  A capable harness exposes its fake cloud
through ``writes`` (write requests seen), ``requests`` (all requests seen)
and ``seed`` (make a pool exist before the rule runs).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kompox.domain.model import Cluster
from kompox.domain.ports import Driver

LOCATION = "japaneast"
"""Region of the capable harnesses: Kompox zone form is ``japaneast-<n>``."""


@dataclass
class SeedPool:
    """A pool that already exists in the cloud: a user pool, D2s_v3, Managed 128 GiB, regular, 1..3 nodes."""

    name: str
    zones: list[str] = field(default_factory=lambda: ["1", "2"])
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class NodePoolHarness:
    name: str
    driver: Driver
    cluster: Cluster
    capable: bool
    seed: Callable[[SeedPool], None] = field(default=lambda _pool: None)
    writes: Callable[[], int] = field(default=lambda: 0)
    """Number of write requests (PUT/PATCH/DELETE/POST) the fake cloud has seen."""
    requests: Callable[[], int] = field(default=lambda: 0)
    """Number of requests of any kind the fake cloud has seen."""
    polls: Callable[[], int] = field(default=lambda: 0)
    """Number of long-running-operation status polls answered so far."""
    instance_type_wire: Callable[[str], list[str]] = field(default=lambda _name: [])
    """The provider-native instance-type values sent when creating the named pool."""
