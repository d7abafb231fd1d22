"""Kompox for Python: run stateful Docker Compose applications on managed Kubernetes."""

__version__ = "0.1.0"
