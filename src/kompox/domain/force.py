"""The rule for a ``force`` a driver cannot honour (issue #18: never accepted and ignored).

Kept apart from :mod:`kompox.domain.options` (which re-exports it) so a driver
method can apply it without defining every options class.
"""

from __future__ import annotations

from kompox.domain.errors import DriverValidationError


def refuse_force(opts: object | None, method: str, provider: str, why: str) -> None:
    """Raise a validation error (exit 3, before any request) when ``opts.force`` is set."""
    if opts is not None and getattr(opts, "force", False) is True:
        raise DriverValidationError(
            f"{method}: --force is not supported by the {provider} driver ({why})",
            field="--force",
        )
