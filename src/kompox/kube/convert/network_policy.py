"""NetworkPolicy ``<app>`` (converter.md §10)."""

from __future__ import annotations

from typing import Any

from kompox.domain.model import LabelSelector, NetworkPolicy
from kompox.kube.convert.names import AppNames, object_meta

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"


def _selector(sel: LabelSelector) -> dict[str, Any] | None:
    out: dict[str, Any] = {}
    if sel.match_labels:
        out["matchLabels"] = dict(sel.match_labels)
    if sel.match_expressions:
        exprs: list[dict[str, Any]] = []
        for req in sel.match_expressions:
            expr: dict[str, Any] = {"key": req.key, "operator": req.operator}
            if req.values:
                expr["values"] = list(req.values)
            exprs.append(expr)
        out["matchExpressions"] = exprs
    return out or None


def network_policy(names: AppNames, policy: NetworkPolicy, ingress_namespace: str) -> dict[str, Any]:
    """Default rule (app namespace, kube-system, ingress namespace) then the App's rules."""
    allowed: list[str] = []
    for ns in (names.namespace, "kube-system", ingress_namespace.strip()):
        if ns and ns not in allowed:
            allowed.append(ns)
    rules: list[dict[str, Any]] = [
        {
            "from": [
                {
                    "namespaceSelector": {
                        "matchExpressions": [{"key": NAMESPACE_NAME_LABEL, "operator": "In", "values": allowed}]
                    }
                }
            ]
        }
    ]
    for user_rule in policy.ingress_rules:
        rule: dict[str, Any] = {}
        peers: list[dict[str, Any]] = []
        for peer in user_rule.from_:
            if peer.namespace_selector is None:
                continue
            sel = _selector(peer.namespace_selector)
            if sel is not None:
                peers.append({"namespaceSelector": sel})
        if peers:
            rule["from"] = peers
        if user_rule.ports:
            rule["ports"] = [{"protocol": p.protocol or "TCP", "port": p.port} for p in user_rule.ports]
        if rule:
            rules.append(rule)
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": object_meta(names.app, names.base_labels(), names.namespace),
        "spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": rules},
    }
