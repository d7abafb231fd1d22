"""Node pools on AKS agent pools (driver-aks.md §15): arrives with the node-pool issue.

Until then every method raises the typed "not implemented" capability error
naming the method, which callers must not retry.
"""

from __future__ import annotations

from typing import NoReturn

from kompox.domain.errors import CapabilityNotImplementedError


def not_implemented(method: str) -> NoReturn:
    raise CapabilityNotImplementedError(method, "aks")
