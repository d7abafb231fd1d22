"""Fixtures shared by the unit tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest


@pytest.fixture
def group_readable_umask() -> Iterator[None]:
    """umask 022 for the test, so a file created without an explicit private mode would come out 0644.

    A test asserting a file is 0600 then fails if the code relied on the caller's umask (a 077 umask would hide that).
    """
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)
