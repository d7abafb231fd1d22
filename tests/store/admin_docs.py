"""KOM documents of the admin tests: one workspace tree, each document with comments and odd spacing."""

from __future__ import annotations

WS = b"""apiVersion: ops.kompox.dev/v1alpha1
kind: Workspace
metadata:
  name: w1
  annotations:
    ops.kompox.dev/id: /ws/w1
"""
PRV = b"""apiVersion: ops.kompox.dev/v1alpha1
kind: Provider
metadata:
  name: k3s1
  annotations: {ops.kompox.dev/id: /ws/w1/prv/k3s1}
spec:
  driver: k3s
  settings:
    NOTE: "kept as written"
"""
CLS = b"""apiVersion: ops.kompox.dev/v1alpha1
kind: Cluster
metadata:
  name: c1
  annotations:
    ops.kompox.dev/id: /ws/w1/prv/k3s1/cls/c1
spec:
  existing: true
"""
APP = """# the web app   (comments, spacing and key order are kept)
apiVersion: ops.kompox.dev/v1alpha1
kind: App
metadata:
  name: a1
  annotations:
    ops.kompox.dev/id: /ws/w1/prv/k3s1/cls/c1/app/a1
spec:
  volumes:
    - {name: db,   size: 1Gi}
  compose: |
    services:
      web:
        image: nginx:1.27   # pinned — ünïcode
""".encode()
APP_ID = "/ws/w1/prv/k3s1/cls/c1/app/a1"
