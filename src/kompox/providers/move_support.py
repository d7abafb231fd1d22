"""Which provider pairs ``app move`` can copy disks between, answered from the KOM alone (no request).

* ``aks`` → ``aks``: the same provider (one subscription, region and app
  resource group), or two providers in the same subscription and region (the
  target's disk is created from the snapshot's resource id).  Another
  subscription or region is not supported: a managed disk can only be created
  from a snapshot in its own region, and a copy across subscriptions needs
  rights kompoxops does not manage.
* ``k3s`` → ``k3s`` under the same provider: the snapshot's archive is
  copied to a node of the target cluster (:func:`needs_transfer`; helper
  pods on both nodes, see docs/k3s-volumes.md).  Two K3s providers: not
  supported (the app's directories and records are named by the provider).
* across drivers: not supported.
"""

from __future__ import annotations

from kompox.domain.model import Provider


def move_refusal(source: Provider, dest: Provider) -> str:
    """Why an app's disks cannot move from ``source`` to ``dest``; empty when they can."""
    if source.driver != dest.driver:
        return (
            f"moving data across providers is not supported (provider {source.name} uses driver {source.driver}, "
            f"provider {dest.name} uses driver {dest.driver})"
        )
    if source.driver == "aks":
        return _aks(source, dest)
    if source.driver == "k3s":
        if source.id == dest.id:
            return ""
        return (
            f"moving data across K3s providers is not supported (provider {source.name} and provider {dest.name}; "
            "localpath directories and records are named by the provider): move between clusters of one provider"
        )
    return f"not supported by the {source.driver} driver"


def needs_transfer(source: Provider, dest: Provider) -> bool:
    """True when each cluster keeps its own disks, so a snapshot is copied to the target before the disk is made."""
    return source.driver == dest.driver == "k3s"


def _aks(source: Provider, dest: Provider) -> str:
    if source.id == dest.id:
        return ""
    for key, what in (("AZURE_SUBSCRIPTION_ID", "subscriptions"), ("AZURE_LOCATION", "regions")):
        a = (source.settings or {}).get(key, "").strip().lower()
        b = (dest.settings or {}).get(key, "").strip().lower()
        if a != b:
            return (
                f"moving data across Azure {what} is not supported ({key} of provider {source.name} is "
                f"{a or '(unset)'}, of provider {dest.name} {b or '(unset)'})"
            )
    return ""
