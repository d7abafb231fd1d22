"""Compose → Kubernetes conversion (pure).  Spec: converter.md.

Public entry points:

- :func:`convert` — models in, :class:`Conversion` (objects in apply order) out;
- :class:`VolumeBinding` — one App volume with its disk and VolumeClass;
- :func:`to_yaml` — deterministic multi-document YAML;
- :func:`content_hash` — the §14.1 ConfigMap/Secret hash;
- :func:`app_names` / :class:`AppNames` — every derived name and label;
- :class:`LocalFiles`, :class:`MemoryFiles`, :class:`FileSource` — file access;
- :class:`ConversionError` — every converter error (a ``ValidationError``).
"""

from kompox.kube.convert.content_hash import content_hash
from kompox.kube.convert.converter import Conversion, convert
from kompox.kube.convert.deployment import ANNOTATION_UNBOUND_VOLUMES
from kompox.kube.convert.env_files import parse_env_file, validate_env
from kompox.kube.convert.errors import ConversionError
from kompox.kube.convert.files import FileSource, LocalFiles, MemoryFiles
from kompox.kube.convert.names import AppNames, app_names
from kompox.kube.convert.volumes import VolumeBinding, quantity
from kompox.kube.convert.yaml_out import to_yaml

__all__ = [
    "ANNOTATION_UNBOUND_VOLUMES",
    "AppNames",
    "Conversion",
    "ConversionError",
    "FileSource",
    "LocalFiles",
    "MemoryFiles",
    "VolumeBinding",
    "app_names",
    "content_hash",
    "convert",
    "parse_env_file",
    "quantity",
    "to_yaml",
    "validate_env",
]
