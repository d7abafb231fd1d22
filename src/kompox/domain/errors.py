"""Typed errors shared by every layer.

Each error class carries an exit-code category so that the CLI can map any
failure to a one-line message and a distinct exit code without knowing where
it came from.  Messages follow upstream's style: ``<what failed>: <cause>``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, one per error category."""

    OK = 0
    FAILURE = 1  # runtime failure (cluster, cloud, I/O) not covered below
    USAGE = 2  # bad command line: unknown flag, missing argument
    CONFIG = 3  # invalid configuration or input (KOM, compose, names, options)
    NOT_FOUND = 4  # a named resource does not exist
    NOT_SUPPORTED = 5  # operation impossible for this provider / volume type
    PROVIDER = 6  # the cloud or Kubernetes API refused or failed
    PROTECTED = 7  # blocked by cluster protection policy
    UNAVAILABLE = 8  # the node that must do the work is NotReady or cordoned
    HELPER_FAILED = 9  # a helper pod failed, could not be scheduled, was evicted or timed out
    CONFLICT = 10  # in use, or changed concurrently by someone else (a race lost)
    DATA_CORRUPT = 11  # stored data failed its integrity check (snapshot checksum)
    INTERRUPTED = 130  # Ctrl-C


class KompoxError(Exception):
    """Root of every error the program raises on purpose."""

    exit_code: ExitCode = ExitCode.FAILURE


class ValidationError(KompoxError, ValueError):
    """Input that can never succeed: bad names, values, options or settings.

    ``file``, ``line``, ``document`` and ``field`` locate the problem when it
    comes from a file; :meth:`located` renders them in front of the message.
    """

    exit_code = ExitCode.CONFIG

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        document: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.document = document
        self.field = field

    def located(self) -> str:
        """The message prefixed with ``file:line: [document] field:`` where known."""
        parts: list[str] = []
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        if self.document:
            parts.append(self.document)
        if self.field:
            parts.append(self.field)
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def __str__(self) -> str:
        return self.located()


class ConfigError(ValidationError):
    """Invalid configuration file (KOM, ``kompoxops.yml``, ``.kompox/config.yml``, compose)."""


class KubeconfigMissingError(ConfigError):
    """No kubeconfig was configured or found for a cluster reached by kubeconfig (K3s driver).

    ``app validate`` treats it as "cannot list disks" (the manifest is still
    generated, volumes unbound, with a warning) so an app can be validated
    without a cluster; every command that needs the cluster fails with it.
    """


class MultiValidationError(ValidationError):
    """Several validation problems collected in one pass (e.g. one KOM load)."""

    def __init__(self, errors: list[ValidationError], *, limit: int = 50) -> None:
        self.errors = list(errors)
        shown = [e.located() for e in self.errors[:limit]]
        more = len(self.errors) - len(shown)
        text = "; ".join(shown) + (f"; (+{more} more)" if more > 0 else "")
        super().__init__(text)


class NotFoundError(KompoxError, LookupError):
    """A named resource (app, cluster, volume, disk, snapshot, pool) does not exist."""

    exit_code = ExitCode.NOT_FOUND


class DriverError(KompoxError):
    """Root of errors raised by provider drivers."""


class NotSupportedError(DriverError):
    """The operation is not possible for this provider or volume type.

    Upstream ``ErrNotSupported``; for example snapshots of ``files`` volumes.
    """

    exit_code = ExitCode.NOT_SUPPORTED

    def __init__(self, message: str = "operation not supported") -> None:
        super().__init__(message)


class CapabilityNotImplementedError(NotSupportedError):
    """The provider lacks a whole capability (seed 003 "not implemented").

    A subclass of :class:`NotSupportedError`, so callers checking for either
    category match.  The message names the method and the provider, using the
    upstream wording ``<Method> is not implemented for <provider> provider``.
    """

    def __init__(self, method: str, provider: str) -> None:
        self.method = method
        self.provider = provider
        super().__init__(f"{method} is not implemented for {provider} provider")


class DriverValidationError(DriverError, ValidationError):
    """Invalid input detected by a driver; the message starts ``validation error: ``."""

    exit_code = ExitCode.CONFIG

    def __init__(self, message: str, *, field: str | None = None) -> None:
        text = message if message.startswith("validation error: ") else f"validation error: {message}"
        ValidationError.__init__(self, text, field=field)


class DriverConfigError(DriverValidationError):
    """Factory-time setting errors (e.g. ``missing required AKS settings: …``)."""


class ProviderAPIError(DriverError):
    """A cloud or Kubernetes API call failed; keeps the HTTP status and service code."""

    exit_code = ExitCode.PROVIDER

    def __init__(self, message: str, *, status_code: int | None = None, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_code = error_code


class UnavailableError(DriverError):
    """The node that must do the work cannot take it (NotReady, cordoned)."""

    exit_code = ExitCode.UNAVAILABLE


class HelperFailedError(DriverError):
    """A short-lived helper pod failed: its script exited non-zero, it was not scheduled, evicted or timed out."""

    exit_code = ExitCode.HELPER_FAILED


class VolumeConflictError(DriverError):
    """A disk or snapshot is in use (e.g. mounted by a running pod) or was created concurrently by another run."""

    exit_code = ExitCode.CONFLICT


class LeaseHeldError(KompoxError):
    """Another run holds the lease that serialises an operation (e.g. ``snapshot prune``), or took it over."""

    exit_code = ExitCode.CONFLICT


class DataCorruptError(DriverError):
    """Stored data failed its integrity check (e.g. a snapshot archive whose SHA-256 differs from its record)."""

    exit_code = ExitCode.DATA_CORRUPT


class ProtectionError(KompoxError):
    """Upstream ``ErrClusterProtected``: blocked by the cluster protection policy."""

    exit_code = ExitCode.PROTECTED

    def __init__(self, detail: str = "") -> None:
        base = "cluster operation blocked by protection policy"
        super().__init__(f"{base}: {detail}" if detail else base)


class NotImplementedYetError(KompoxError):
    """A command whose use case this version of kompoxops does not provide yet."""

    exit_code = ExitCode.NOT_SUPPORTED

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"{what}: not implemented yet")


class ConflictError(KompoxError):
    """Optimistic concurrency: the stored resource changed between read and write; retrying is safe."""

    exit_code = ExitCode.FAILURE


class StoreError(KompoxError):
    """The resource database cannot be opened, read or written (the message never carries a password)."""

    exit_code = ExitCode.FAILURE
