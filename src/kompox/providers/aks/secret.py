"""Key Vault secret URLs and SecretProviderClass manifests for ingress TLS (upstream ``secret.go``, §9.5). Pure."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from kompox.domain.errors import DriverValidationError
from kompox.domain.model import ClusterIngressCertificate
from kompox.providers.aks.naming import spc_name_for_vault, tls_mount_dir
from kompox.providers.aks.resource_id import reason

KEY_VAULT_HOST_SUFFIX = ".vault.azure.net"


@dataclass(frozen=True)
class KeyVaultSecretRef:
    vault: str
    object_name: str


def parse_key_vault_secret_url(raw: str) -> KeyVaultSecretRef:
    if not raw:
        raise DriverValidationError("empty key vault url")
    try:
        parts = urlsplit(raw)
    except ValueError as err:
        raise DriverValidationError(f"invalid key vault url: {err}") from err
    host = parts.netloc.rsplit("@", 1)[-1]
    if not host.endswith(KEY_VAULT_HOST_SUFFIX):
        raise DriverValidationError(f"unsupported host: {host}")
    vault = host[: -len(KEY_VAULT_HOST_SUFFIX)]
    path = posixpath.normpath("/" + parts.path) if parts.path else "/"
    segments = path.strip("/").split("/")
    if len(segments) < 2 or segments[0] != "secrets":
        raise DriverValidationError(f"unsupported path: {parts.path}")
    return KeyVaultSecretRef(vault=vault, object_name=segments[1])


@dataclass(frozen=True)
class TLSMount:
    """One SecretProviderClass volume for the Traefik deployment."""

    spc_name: str
    mount_path: str


@dataclass
class KeyVaultTLS:
    """Everything the in-cluster side needs for static TLS certificates from Key Vault."""

    secret_provider_classes: list[dict[str, Any]]
    mounts: list[TLSMount]
    cert_files: list[dict[str, str]]


def _objects_text(items: Sequence[tuple[ClusterIngressCertificate, KeyVaultSecretRef]]) -> str:
    lines = ["array:"]
    for cert, ref in items:
        lines += [
            "  - |",
            f"    objectName: {ref.object_name}",
            "    objectType: secret",
            "    contentType: application/x-pem-file",
        ]
        if cert.name:
            lines.append(f"    objectAlias: {cert.name}")
    return "".join(line + "\n" for line in lines)


def build_key_vault_tls(
    certificates: Sequence[ClusterIngressCertificate], namespace: str, tenant_id: str, client_id: str
) -> KeyVaultTLS:
    """SecretProviderClass objects grouped by vault (ascending), mounts and ``certs.yaml`` entries."""
    by_vault: dict[str, list[tuple[ClusterIngressCertificate, KeyVaultSecretRef]]] = {}
    for cert in certificates:
        if not cert.name or not cert.source:
            continue
        try:
            ref = parse_key_vault_secret_url(cert.source)
        except DriverValidationError as err:
            raise DriverValidationError(f"invalid certificate source for {cert.name}: {reason(err)}") from err
        by_vault.setdefault(ref.vault, []).append((cert, ref))
    result = KeyVaultTLS([], [], [])
    for vault in sorted(by_vault):
        items = by_vault[vault]
        name = spc_name_for_vault(vault)
        result.secret_provider_classes.append(
            {
                "apiVersion": "secrets-store.csi.x-k8s.io/v1",
                "kind": "SecretProviderClass",
                "metadata": {"name": name, "namespace": namespace},
                "spec": {
                    "provider": "azure",
                    "parameters": {
                        "usePodIdentity": "false",
                        "useManagedIdentity": "false",
                        "clientID": client_id,
                        "keyvaultName": vault,
                        "tenantId": tenant_id,
                        "objects": _objects_text(items),
                    },
                    "secretObjects": [
                        {
                            "secretName": f"tls-{cert.name}",
                            "type": "kubernetes.io/tls",
                            "data": [
                                {"objectName": f"{ref.object_name}.key", "key": "tls.key"},
                                {"objectName": f"{ref.object_name}.crt", "key": "tls.crt"},
                            ],
                        }
                        for cert, ref in items
                    ],
                },
            }
        )
        mount = tls_mount_dir(name, vault)
        result.mounts.append(TLSMount(name, mount))
        result.cert_files += [
            {"certFile": f"{mount}/{cert.name}.crt", "keyFile": f"{mount}/{cert.name}.key"} for cert, _ in items
        ]
    return result
