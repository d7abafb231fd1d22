"""Which provider pairs ``app move`` can copy disks between, answered from the KOM alone (no request).

* ``aks`` → ``aks``: the same provider (one subscription, region and app
  resource group), or two providers in the same subscription and region (the
  target's disk is created from the snapshot's resource id).  Another
  subscription or region is not supported: a managed disk can only be created
  from a snapshot in its own region, and a copy across subscriptions needs
  rights kompoxops does not manage.
* ``k3s``: a localpath disk is a directory on one node of one cluster; there
  is no channel to copy it to another cluster (not supported).
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
        return (
            "not supported by the k3s driver: a localpath disk lives on one node of its cluster and kompoxops "
            "has no way to copy it to another cluster (copy the data yourself, then disk create/assign there)"
        )
    return f"not supported by the {source.driver} driver"


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
