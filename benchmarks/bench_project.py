"""The KOM files of the benchmarks' generated projects (workspace ``bench``, K3s cluster ``c1``, app ``big``).

Shared by :mod:`perf_table` and :mod:`validate`; each writes its own compose file.
"""

from __future__ import annotations

KOM_CLUSTER = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata: {name: bench, annotations: {ops.kompox.dev/id: /ws/bench}}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata: {name: k3s1, annotations: {ops.kompox.dev/id: /ws/bench/prv/k3s1}}
spec: {driver: k3s}
---
apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata: {name: c1, annotations: {ops.kompox.dev/id: /ws/bench/prv/k3s1/cls/c1}}
spec: {ingress: {domain: bench.example.com}}
"""

KOM_APP = """\
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata: {name: big, annotations: {ops.kompox.dev/id: /ws/bench/prv/k3s1/cls/c1/app/big}}
spec:
  compose: file:compose.yml
  volumes: [{name: data, size: 10Gi}]
  ingress: {rules: [{name: web, port: 10000, hosts: [big.example.org]}]}
"""
