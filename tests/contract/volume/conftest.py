"""The volume contract suite runs once per driver harness.

``reference`` is the in-memory reference driver; ``aks`` is the AKS driver
over the fake ARM transport (``harness_aks.py``); ``k3s-localpath`` is the
K3s driver over kmock with helper pods run by ``sh`` (``harness_k3s.py``).  A harness that cannot be
imported fails the suite loudly: it is never skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator

import pytest

from .harness import DISK_VOLUME, FILES_VOLUME, VolumeHarness

HARNESS_FACTORIES: dict[str, tuple[str, str]] = {
    "reference": ("contract.volume.harness_reference", "make_reference_harness"),
    "aks": ("contract.volume.harness_aks", "make_aks_harness"),
    "k3s-localpath": ("contract.volume.harness_k3s", "make_k3s_harness"),
}


def _factory(name: str) -> Callable[[], VolumeHarness]:
    module, attr = HARNESS_FACTORIES[name]
    factory: Callable[[], VolumeHarness] = getattr(importlib.import_module(module), attr)
    return factory


@pytest.fixture(params=sorted(HARNESS_FACTORIES))
def harness(request: pytest.FixtureRequest) -> Iterator[VolumeHarness]:
    h = _factory(request.param)()
    try:
        yield h
    finally:
        h.close()


@pytest.fixture(params=["disk", "files"])
def vol_name(request: pytest.FixtureRequest, harness: VolumeHarness) -> str:
    """Rules that hold for every volume type run for ``disk`` and, where supported, ``files``."""
    if request.param == "files":
        if not harness.supports_files:
            pytest.skip(f"harness {harness.name} does not support files volumes")
        return FILES_VOLUME
    return DISK_VOLUME


@pytest.fixture
def files_harness(harness: VolumeHarness) -> VolumeHarness:
    """For rules specific to ``files`` volumes (seed 002)."""
    if not harness.supports_files:
        pytest.skip(f"harness {harness.name} does not support files volumes")
    return harness
