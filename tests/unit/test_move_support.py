"""Which provider pairs ``app move`` copies disks between (answered from the KOM alone)."""

from __future__ import annotations

from kompox.domain.model import Provider
from kompox.providers.move_support import move_refusal, needs_transfer

SUB = "00000000-0000-0000-0000-000000000000"


def aks(name: str, sub: str = SUB, location: str = "japaneast") -> Provider:
    settings = {"AZURE_SUBSCRIPTION_ID": sub, "AZURE_LOCATION": location}
    return Provider(id=f"/ws/w/prv/{name}", name=name, driver="aks", settings=settings)


def test_aks_same_provider_and_same_subscription_and_region_are_supported() -> None:
    assert move_refusal(aks("a"), aks("a")) == ""
    assert move_refusal(aks("a"), aks("b", location="JapanEast")) == ""  # regions compare case-insensitively


def test_aks_across_subscriptions_or_regions_is_refused_naming_both_values() -> None:
    other = "11111111-1111-1111-1111-111111111111"
    assert move_refusal(aks("a"), aks("b", sub=other)) == (
        f"moving data across Azure subscriptions is not supported (AZURE_SUBSCRIPTION_ID of provider a is {SUB}, "
        f"of provider b {other})"
    )
    assert "across Azure regions is not supported" in move_refusal(aks("a"), aks("b", location="westeurope"))


def test_k3s_within_one_provider_is_a_transfer_across_k3s_providers_and_drivers_refused() -> None:
    k3s = Provider(id="/ws/w/prv/k", name="k", driver="k3s")
    k3s2 = Provider(id="/ws/w/prv/k2", name="k2", driver="k3s")
    assert move_refusal(k3s, k3s) == "" and needs_transfer(k3s, k3s)
    assert not needs_transfer(aks("a"), aks("a")) and not needs_transfer(aks("a"), k3s)
    assert move_refusal(k3s, k3s2).startswith(
        "moving data across K3s providers is not supported (provider k and provider k2;"
    )
    assert move_refusal(aks("a"), k3s) == (
        "moving data across providers is not supported (provider a uses driver aks, provider k uses driver k3s)"
    )
    other = Provider(id="/ws/w/prv/x", name="x", driver="x")
    assert move_refusal(other, other) == "not supported by the x driver"
