"""The kmock fixtures (``server``, ``sleeps``, ``client``) for the kube tests; see :mod:`kmock_fixtures`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import kmock_fixtures

kmock_rollout = kmock_fixtures.kmock_rollout
server = kmock_fixtures.server
sleeps = kmock_fixtures.sleeps
client = kmock_fixtures.client
