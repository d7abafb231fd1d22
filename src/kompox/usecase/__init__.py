"""Use cases: orchestration over injected ports; no adapter imports."""
