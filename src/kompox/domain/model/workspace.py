"""Workspace and Provider: the top of the resource hierarchy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Workspace:
    """A tenant boundary; its ``name`` feeds every hash."""

    id: str = ""
    name: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Provider:
    """A configured provider driver (``aks``, ``k3s``) with its settings."""

    id: str = ""
    name: str = ""
    workspace_id: str = ""
    driver: str = ""
    settings: dict[str, str] | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
