"""One module per command group of ``kompoxops``."""
