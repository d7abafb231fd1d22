"""The node-pool contract suite (seed 003) runs once per driver harness.

``aks`` has the capability (fake ARM behind the real SDK client); ``k3s`` does
not and must answer every rule with the typed "not implemented" error.  A
harness that cannot be imported fails the suite loudly: it is never skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest

from .harness import NodePoolHarness

HARNESS_FACTORIES: dict[str, tuple[str, str]] = {
    "aks": ("contract.nodepool.harness_aks", "make_aks_harness"),
    "k3s": ("contract.nodepool.harness_k3s", "make_k3s_harness"),
}


@pytest.fixture(params=sorted(HARNESS_FACTORIES))
def harness(request: pytest.FixtureRequest) -> NodePoolHarness:
    module, attr = HARNESS_FACTORIES[request.param]
    factory: Callable[[], NodePoolHarness] = getattr(importlib.import_module(module), attr)
    return factory()
