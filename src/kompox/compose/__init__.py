"""Compose-spec loader: compose text in, typed normalised :mod:`kompox.compose.model` out."""
