"""Issue 10's alarm matrix as tests: one per scenario, so a failure names it.

Each runs the scenario against the real keepalived lab (``tests.lab.matrix``) and
fails with the scenario's row (expected, raised, false +, false -) and what
keepalived did. ``python -m tests.lab matrix`` runs the same scenarios and prints
the whole table.
"""

from __future__ import annotations

import pytest

from tests.lab import Lab
from tests.lab.matrix import run_scenario
from tests.lab.matrix_cases import SCENARIOS, Scenario

pytestmark = pytest.mark.lab


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_alarms_match_keepalived(lab: Lab, scenario: Scenario) -> None:
    row = run_scenario(lab, scenario)
    detail = "\n  ".join([f"expected: {row.expected}", f"raised: {row.raised}", *row.notes])
    assert row.lab_error is None, f"the lab did not do what {row.name} assumes: {row.lab_error}"
    assert not row.false_pos and not row.false_neg, (
        f"{row.name}: false + {row.false_pos}, false - {row.false_neg}\n  {detail}"
    )
