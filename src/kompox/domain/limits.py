"""Limits on untrusted YAML input, shared by the KOM and the compose loaders.

A document that nests deeper than :data:`MAX_YAML_DEPTH` collections, or that
expands (aliases counted at every use) to more than :data:`MAX_YAML_NODES`
nodes, is refused before anything walks it: real KOM and compose files stay
far below both, while alias bombs and deeply nested input would otherwise
exhaust memory or the interpreter's stack.
"""

from __future__ import annotations

MAX_YAML_NODES = 1_000_000
MAX_YAML_DEPTH = 100
