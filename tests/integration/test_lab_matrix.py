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

#: Rows known not to be clean yet, and why (tests/lab/MATRIX.md has the diagnoses).
#: Not strict: a row that becomes clean shows as XPASS, the cue to drop it here.
KNOWN: dict[str, str] = {}
"""Scenario -> why it is not clean yet (xfail, not strict). Empty: every row is clean
(the 2026-12-02 runs at load 17-25: tests/lab/MATRIX.md)."""


def _param(scenario: Scenario) -> object:
    reason = KNOWN.get(scenario.name)
    marks = [pytest.mark.xfail(reason=reason, strict=False)] if reason else []
    return pytest.param(scenario, id=scenario.name, marks=marks)


@pytest.mark.parametrize("scenario", [_param(s) for s in SCENARIOS])
def test_alarms_match_keepalived(lab: Lab, scenario: Scenario) -> None:
    row = run_scenario(lab, scenario)
    detail = "\n  ".join([f"expected: {row.expected}", f"raised: {row.raised}", *row.notes])
    if row.lab_error is not None:
        # keepalived itself did not do what the scenario assumes (it flapped under
        # load): the row says nothing about vrrptop, so it is not a verdict on it.
        pytest.skip(f"the lab did not do what {row.name} assumes: {row.lab_error}")
    assert not row.false_pos and not row.false_neg, (
        f"{row.name}: false + {row.false_pos}, false - {row.false_neg}\n  {detail}"
    )
