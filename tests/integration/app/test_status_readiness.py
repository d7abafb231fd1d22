"""``app status`` is ready only when the latest generation is rolled out (issue #14 point 6).

Upstream reports ``ready`` as soon as one replica is ready, even while a newer
generation has not been observed or its replicas are not yet updated and
available.  Each case below deploys the Gitea example on kmock, then sets the
Deployment's status as the controller would report it mid-rollout.
"""

from __future__ import annotations

from typing import Any

import pytest
from kmock_server import KMockThread

from kompox.kube.client import KubeClient
from kompox.usecase.app_deploy import deploy_app
from kompox.usecase.app_status import app_status

from .conftest import Gitea

DEPLOYMENTS = "apps/v1/deployments"


def _deploy_then_set(server: KMockThread, kube: KubeClient, gitea: Gitea, **changes: Any) -> None:
    deploy_app(kube, gitea.plan, wait=True, timeout=30)
    key = (DEPLOYMENTS, gitea.namespace, "gitea-app")
    deployment = server.objects()[key]
    generation = deployment["metadata"]["generation"]
    assert deployment["status"]["observedGeneration"] == generation and deployment["status"]["readyReplicas"] == 1
    if changes.pop("newer_generation", False):  # a spec change the controller has not seen yet
        deployment["metadata"]["generation"] = generation + 1
        server.put(DEPLOYMENTS, deployment)
    if "spec_replicas" in changes:
        deployment["spec"]["replicas"] = changes.pop("spec_replicas")
        server.put(DEPLOYMENTS, deployment)
    status = {**deployment["status"], **changes}
    server.set_status(DEPLOYMENTS, gitea.namespace, "gitea-app", status)


def test_fully_rolled_out_is_ready(server: KMockThread, kube: KubeClient, gitea: Gitea) -> None:
    _deploy_then_set(server, kube, gitea)
    status = app_status(kube, gitea.target, gitea.target.names())
    assert (status.ready, status.waiting_for) == (True, None)


@pytest.mark.parametrize(
    ("changes", "waiting_for"),
    [
        ({"newer_generation": True}, 'deployment "gitea-app" spec update to be observed'),
        (
            {"spec_replicas": 2, "replicas": 2, "updatedReplicas": 1, "readyReplicas": 2, "availableReplicas": 2},
            'deployment "gitea-app" rollout: 1 of 2 new replicas updated',
        ),
        (
            {"replicas": 2, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1},
            'deployment "gitea-app" rollout: 1 old replicas pending termination',
        ),
        (
            {"updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 0},
            'deployment "gitea-app" rollout: 0 of 1 updated replicas available',
        ),
        (
            {"conditions": [{"type": "Progressing", "status": "False", "reason": "ProgressDeadlineExceeded"}]},
            'deployment "gitea-app" exceeded its progress deadline',
        ),
        ({"spec_replicas": 0}, 'deployment "gitea-app" to be scaled up (spec.replicas is 0)'),
    ],
    ids=["generation-not-observed", "not-updated", "old-replicas", "not-available", "deadline", "scaled-to-zero"],
)
def test_ready_replicas_alone_are_not_ready(
    server: KMockThread, kube: KubeClient, gitea: Gitea, changes: dict[str, Any], waiting_for: str
) -> None:
    _deploy_then_set(server, kube, gitea, **changes)
    if changes.get("spec_replicas") == 0:  # the status of a scaled-down Deployment: nothing wanted, nothing running
        generation = server.objects()[(DEPLOYMENTS, gitea.namespace, "gitea-app")]["metadata"]["generation"]
        server.set_status(DEPLOYMENTS, gitea.namespace, "gitea-app", {"observedGeneration": generation})
    status = app_status(kube, gitea.target, gitea.target.names())
    assert status.ready is False
    assert status.waiting_for == waiting_for
    assert status.to_json()["waiting_for"] == waiting_for
