"""The registry of ARM rules matches the fakes: each rule is modelled (and cited) at a place in a fake."""

from __future__ import annotations

import re
from pathlib import Path

from .arm_rules import ARM_RULES, PENDING

TESTS = Path(__file__).resolve().parents[2]
FAKES = (
    TESTS / "providers" / "aks" / "fake_arm_volumes.py",
    TESTS / "contract" / "nodepool" / "agentpool_fake.py",
)
_COMMENT = re.compile(r"# ARM rule ([a-z0-9-]+):")


def _commented() -> list[str]:
    return [name for path in FAKES for name in _COMMENT.findall(path.read_text())]


def test_every_rule_is_modelled_in_a_fake_and_every_modelled_rule_is_registered() -> None:
    commented = _commented()
    assert sorted(set(commented)) == sorted(ARM_RULES)
    assert len(commented) == len(set(commented)), "a rule is modelled at one place"


def test_every_rule_cites_a_specification_or_documentation() -> None:
    for name, citation in ARM_RULES.items():
        assert "specification/" in citation or "docs: https://learn.microsoft.com/" in citation, name


def test_no_rule_is_left_pending() -> None:
    """Pending rules exist only between a strict-fake test commit and its driver fix."""
    assert not PENDING
