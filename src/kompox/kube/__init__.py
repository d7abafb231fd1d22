"""Kubernetes adapters: the API client (``kube.client``), Traefik manifests (``kube.traefik``)
and the Compose → Kubernetes converter (``kube.convert``).

Importing this package is cheap: the official ``kubernetes`` client is imported
only when a :class:`kompox.kube.client.KubeClient` is built.
"""
