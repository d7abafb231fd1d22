"""The Kubernetes API server's own syntax rules for names, keys, ports and paths (pure).

Each check returns the problems of one value as a list of messages worded
like the API server's (apimachinery ``validation`` package); an empty list
means the server accepts the value.  The facts come from the Kubernetes API
conventions and the documented validation rules:

* DNS-1123 label (≤ 63) — Namespace names, container and pod-volume names,
  ``metadata.namespace``, Service port names;
* DNS-1123 subdomain (≤ 253) — most object names (Deployment, Ingress,
  ConfigMap, Secret, PV, PVC, ServiceAccount, NetworkPolicy) and references
  to them; an Ingress host may also be a wildcard ``*.`` subdomain;
* DNS-1035 label (≤ 63, starts with a letter) — Service names and the
  Service an Ingress backend names;
* qualified names — label and annotation keys (optional subdomain prefix,
  name part ≤ 63); label values ≤ 63;
* IANA_SVC_NAME — container port names and Ingress backend port names;
* port numbers 1–65535;
* environment variable names: the rule of servers up to 1.31
  (``[-._a-zA-Z][-._a-zA-Z0-9]*``).  Servers from 1.32 accept any printable
  ASCII except ``=`` (RelaxedEnvironmentVariableValidation); Kompox keeps
  the older, stricter rule so one manifest applies to every supported server;
* ConfigMap/Secret keys ``[-._a-zA-Z0-9]+`` (≤ 253), not ``.``/``..``;
* path-segment names (Role, RoleBinding): not ``.``/``..``, no ``/``/``%``;
* local descending paths (``subPath``, volume item paths): relative and
  without a ``..`` component.

:func:`image_reference_errors` is not an API-server rule: the server stores
any non-blank image, but the kubelet refuses a malformed reference
(``InvalidImageName``), so the pod would never start.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass

from kompox.domain.naming import DNS1123_LABEL_MAX, dns1123_label_errors

DNS1123_SUBDOMAIN_MAX = 253
LABEL_VALUE_MAX = 63
QUALIFIED_NAME_MAX = 63
PORT_NAME_MAX = 15
CONFIG_KEY_MAX = 253

_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_QUALIFIED = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_PORT_NAME_CHARS = re.compile(r"^[-a-z0-9]+$")
_ENV_NAME = re.compile(r"^[-._a-zA-Z][-._a-zA-Z0-9]*$")
_CONFIG_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
    "start with an alphabetic character, and end with an alphanumeric character"
)
QUALIFIED_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character"
)
ENV_NAME_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)
CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain"
PORT_RANGE_MSG = "must be between 1 and 65535, inclusive"


def _too_long(value: str, limit: int) -> list[str]:
    return [f"must be no more than {limit} characters"] if len(value) > limit else []


def _matching(value: str, limit: int, pattern: re.Pattern[str], message: str) -> list[str]:
    """The length problem (if any), then ``message`` when ``value`` does not match ``pattern``."""
    return _too_long(value, limit) + ([] if pattern.match(value) else [message])


def dns1123_label(value: str) -> list[str]:
    return dns1123_label_errors(value)


def dns1123_subdomain(value: str) -> list[str]:
    return _matching(value, DNS1123_SUBDOMAIN_MAX, _SUBDOMAIN, SUBDOMAIN_MSG)


def dns1035_label(value: str) -> list[str]:
    return _matching(value, DNS1123_LABEL_MAX, _DNS1035, DNS1035_MSG)


def qualified_name(value: str) -> list[str]:
    """Label and annotation keys: ``[prefix/]name``, prefix a DNS-1123 subdomain, name ≤ 63."""
    parts = value.split("/")
    if len(parts) > 2:
        return [f"a qualified name {QUALIFIED_MSG}, with an optional DNS subdomain prefix and '/'"]
    errors: list[str] = []
    name = parts[-1]
    if len(parts) == 2:
        prefix = parts[0]
        if not prefix:
            errors.append("prefix part must be non-empty")
        else:
            errors.extend(f"prefix part {m}" for m in dns1123_subdomain(prefix))
    if not name:
        errors.append("name part must be non-empty")
    elif len(name) > QUALIFIED_NAME_MAX:
        errors.append(f"name part must be no more than {QUALIFIED_NAME_MAX} characters")
    if name and not _QUALIFIED.match(name):
        errors.append(f"name part {QUALIFIED_MSG}")
    return errors


def label_value(value: str) -> list[str]:
    return _matching(value, LABEL_VALUE_MAX, _LABEL_VALUE, LABEL_VALUE_MSG)


def port_name(value: str) -> list[str]:
    """IANA_SVC_NAME (RFC 6335): ≤ 15, ``[-a-z0-9]``, one letter at least, no ``--``, no edge ``-``."""
    errors = _too_long(value, PORT_NAME_MAX)
    if not _PORT_NAME_CHARS.match(value):
        errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search(r"[a-z]", value):
        errors.append("must contain at least one letter (a-z)")
    if "--" in value:
        errors.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        errors.append("must not begin or end with a hyphen")
    return errors


def port_number(value: object) -> list[str]:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
        return [PORT_RANGE_MSG]
    return []


def _chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


def env_var_name(value: str) -> list[str]:
    errors = [] if _ENV_NAME.match(value) else [ENV_NAME_MSG]
    return errors + _chdir_prefix(value)


def config_key(value: str) -> list[str]:
    return _matching(value, CONFIG_KEY_MAX, _CONFIG_KEY, CONFIG_KEY_MSG) + _chdir_prefix(value)


def path_segment_name(value: str) -> list[str]:
    """Names of RBAC objects (Role, RoleBinding)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return [f"may not contain '{c}'" for c in "/%" if c in value]


def ingress_host(value: str) -> list[str]:
    """A DNS-1123 subdomain, or ``*.`` + subdomain; never an IP address."""
    try:
        ipaddress.ip_address(value)
    except ValueError:
        pass
    else:
        return ["must be a DNS name, not an IP address"]
    if "*" in value:
        if not value.startswith("*.") or not _SUBDOMAIN.match(value[2:]):
            return [WILDCARD_MSG]
        return _too_long(value, DNS1123_SUBDOMAIN_MAX)
    return dns1123_subdomain(value)


def local_descending_path(value: str) -> list[str]:
    """``subPath`` and volume item paths: relative, no ``..`` component."""
    errors: list[str] = []
    if value.startswith("/"):
        errors.append("must be a relative path")
    if ".." in re.split(r"[/\\]", value):
        errors.append("must not contain '..'")
    return errors


# Docker image references (distribution/reference grammar).
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_PART = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[0-9a-fA-F:]+\])"
_REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def image_reference_errors(value: str) -> list[str]:
    """Blank, padded or malformed image references (the kubelet's ``InvalidImageName``)."""
    if not value.strip():
        return ["Required value"]
    if value != value.strip():
        return ["must not have leading or trailing whitespace"]
    if len(value) > 255 + 129 + 80 or not _REFERENCE.match(value):
        return ["invalid reference format (expected [registry/]name[:tag][@digest], lower-case name, non-empty tag)"]
    return []


@dataclass(frozen=True)
class Rule:
    """A named check with its length limit (None: no length rule)."""

    title: str
    limit: int | None
    check: Callable[[str], list[str]]


LABEL = Rule("DNS-1123 label", DNS1123_LABEL_MAX, dns1123_label)
SUBDOMAIN = Rule("DNS-1123 subdomain", DNS1123_SUBDOMAIN_MAX, dns1123_subdomain)
DNS1035 = Rule("DNS-1035 label", DNS1123_LABEL_MAX, dns1035_label)
QUALIFIED = Rule("qualified name", QUALIFIED_NAME_MAX, qualified_name)
LABEL_VALUE = Rule("label value", LABEL_VALUE_MAX, label_value)
PORT_NAME = Rule("IANA_SVC_NAME port name", PORT_NAME_MAX, port_name)
ENV_NAME = Rule("environment variable name", None, env_var_name)
CONFIG_KEY = Rule("ConfigMap/Secret key", CONFIG_KEY_MAX, config_key)
PATH_SEGMENT = Rule("path segment name", None, path_segment_name)
HOST = Rule("Ingress host", DNS1123_SUBDOMAIN_MAX, ingress_host)
DESCENDING_PATH = Rule("relative path", None, local_descending_path)
IMAGE = Rule("image reference", None, image_reference_errors)
