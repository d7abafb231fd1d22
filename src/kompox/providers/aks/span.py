"""Span logging, deadlines, progress and Azure error translation (driver-aks.md §4, §17).

Retries (429 with Retry-After, transient 5xx) are done by the SDK pipeline's
retry policy; this module only waits on pollers, reports progress and turns
SDK exceptions into one-line :class:`ProviderAPIError` messages.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from kompox.domain.errors import DriverError, DriverValidationError, KompoxError, ProviderAPIError

log = logging.getLogger("kompox.providers.aks")

Progress = Callable[[str], None]
"""Receives short human-readable progress lines during long operations."""

PROVISION_TIMEOUT = 30 * 60.0
DEPROVISION_TIMEOUT = 30 * 60.0
STATUS_TIMEOUT = 5 * 60.0
INSTALL_TIMEOUT = 10 * 60.0
UNINSTALL_TIMEOUT = 10 * 60.0
KUBECONFIG_TIMEOUT = 2 * 60.0
PROGRESS_INTERVAL = 15.0


def log_progress(message: str) -> None:
    """Default progress sink: the driver logger at INFO."""
    log.info(message)


class Deadline:
    """A monotonic deadline; ``remaining()`` never goes below zero."""

    def __init__(self, seconds: float, what: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds
        self.seconds = seconds
        self.what = what

    def remaining(self) -> float:
        return max(0.0, self._end - self._clock())

    def check(self) -> None:
        if self.remaining() <= 0:
            raise ProviderAPIError(f"{self.what}: deadline of {self.seconds:.0f}s exceeded")


@contextmanager
def span(method: str) -> Iterator[None]:
    """``AKS:<Method>/S`` … ``/EOK`` or ``/EFAIL`` with elapsed seconds (upstream span pattern)."""
    start = time.monotonic()
    log.info("AKS:%s/S", method, extra={"driver": f"AKS.{method}"})
    try:
        yield
    except BaseException as err:
        text = str(err)
        short = text[:32] + "..." if len(text) > 32 else text
        log.info(
            "AKS:%s/EFAIL",
            method,
            extra={"driver": f"AKS.{method}", "err": short, "elapsed": time.monotonic() - start},
        )
        raise
    log.info("AKS:%s/EOK", method, extra={"driver": f"AKS.{method}", "err": "", "elapsed": time.monotonic() - start})


def describe_azure_error(err: BaseException) -> str:
    """One line: ``<Code>: <message>`` from an azure-core error, else the first line of ``str(err)``."""
    odata = getattr(err, "error", None)
    code = getattr(odata, "code", None)
    message = getattr(odata, "message", None)
    if code or message:
        text = f"{code}: {message}" if code and message else str(code or message)
    else:
        text = getattr(err, "message", None) or str(err)
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__


def status_code(err: BaseException) -> int | None:
    code = getattr(err, "status_code", None)
    return code if isinstance(code, int) else None


def error_code(err: BaseException) -> str | None:
    code = getattr(getattr(err, "error", None), "code", None)
    return code if isinstance(code, str) else None


NOT_FOUND_CODES = frozenset(
    {
        "resourcenotfound",
        "resourcegroupnotfound",
        "parentresourcenotfound",
        "notfound",
        "sharenotfound",
        "deploymentnotfound",
    }
)
"""Error codes of a 404 that mean "this resource (or its group/parent) does not exist"."""


def is_not_found(err: BaseException) -> bool:
    """A 404 whose error code says the resource is absent.

    Decided by the code, not the status alone: ``SubscriptionNotFound`` (or any
    other code) is a real error, never "absent".  A 404 without an error body
    (some long-running-operation polls) counts as absent.
    """
    if status_code(err) != 404:
        return False
    code = error_code(err)
    return code is None or code.lower() in NOT_FOUND_CODES


def api_error(prefix: str, err: BaseException) -> ProviderAPIError:
    """``<prefix>: <Code>: <message>`` keeping the HTTP status and the service error code."""
    text = f"{prefix}: {describe_azure_error(err)}"
    return ProviderAPIError(text, status_code=status_code(err), error_code=error_code(err))


def rewrap(prefix: str, err: KompoxError) -> KompoxError:
    """The same error category with ``<prefix>: `` in front (HTTP status kept for API errors)."""
    if isinstance(err, ProviderAPIError):
        return ProviderAPIError(f"{prefix}: {err}", status_code=err.status_code, error_code=err.error_code)
    if isinstance(err, DriverValidationError):
        return DriverValidationError(f"{prefix}: {err.message.removeprefix('validation error: ')}")
    return DriverError(f"{prefix}: {err}")


def is_auth_error(err: BaseException) -> bool:
    """Credential failures (expired secret, no az login, 401) that must stop an operation at once."""
    from azure.core.exceptions import ClientAuthenticationError

    if isinstance(err, ClientAuthenticationError):
        return True
    try:
        from azure.identity import CredentialUnavailableError
    except ImportError:  # pragma: no cover - azure-identity is a dependency of the azure extra
        return False
    return isinstance(err, CredentialUnavailableError)


def wait_poller(poller: Any, deadline: Deadline, what: str, progress: Progress | None) -> Any:
    """Wait for an SDK long-running operation within ``deadline``, reporting its status.

    A timeout stops waiting but does not cancel the Azure operation.
    """
    report = progress or log_progress
    started = time.monotonic()
    while not poller.done():
        remaining = deadline.remaining()
        if remaining <= 0:
            raise ProviderAPIError(
                f"{what}: still {poller.status()} after {deadline.seconds:.0f}s; "
                "the operation continues in Azure (run the command again later)"
            )
        poller.wait(timeout=min(remaining, PROGRESS_INTERVAL))
        if not poller.done():
            report(f"{what}: {poller.status()} ({time.monotonic() - started:.0f}s)")
    return poller.result()
