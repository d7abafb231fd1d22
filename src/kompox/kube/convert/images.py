"""The container image of a compose service, and the build-only refusal.

Kompox never builds images.  A service with ``build:`` and no ``image:``
would otherwise become a container with ``image: ''`` that the API server
refuses; it is refused here, naming the service and what to add.  A service
with neither is left to the compose value checks (and to the API server).
"""

from __future__ import annotations

from kompox.compose.model import Service
from kompox.kube.convert.errors import ConversionError


def container_image(service: Service) -> str:
    """``image`` verbatim; a build-only service is an error."""
    if not service.image and service.raw.get("build") is not None:
        raise ConversionError(
            f"service {service.name} has build: but no image: (Kompox does not build images); build and push "
            f"the image, then add image: <registry>/<name>:<tag> of a registry the cluster can pull from "
            f"to service {service.name}"
        )
    return service.image
