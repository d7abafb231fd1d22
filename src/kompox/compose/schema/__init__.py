"""Vendored compose-spec JSON schema (data only; see NOTICE for its licence)."""
