"""Rule-directed samples against the engine: violations fire, near misses do not, compliant transfers pass.

The strategies build their samples from the rule language alone, so a disagreement here is a bug in the engine
or in the strategies, never a tautology.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _property_support import COMPILED, RULE_IDS, RULESET, per_rule_settings, with_changes
from hypothesis import given
from hypothesis import strategies as st

from sanctionsrules import Transfer, Verdict
from sanctionsrules._strategies_rules import violation_plan
from sanctionsrules.strategies import transfers

# Rules that violating= cannot build a sample for, each with the reason. Keep it empty: a rule nobody can
# break is usually a rule written wrong (two tests that contradict each other, a fact that is never given).
CANNOT_CONSTRUCT: dict[str, str] = {}


def test_every_shipped_rule_can_be_violated() -> None:
    missing = [rule_id for rule_id in RULE_IDS if violation_plan(RULESET, rule_id) is None]
    assert sorted(missing) == sorted(CANNOT_CONSTRUCT), {r: CANNOT_CONSTRUCT.get(r, "unexplained") for r in missing}


@pytest.mark.parametrize("rule_id", RULE_IDS)
@per_rule_settings()
@given(data=st.data())
def test_violating_samples_are_flagged_by_their_rule(rule_id: str, data: st.DataObject) -> None:
    rule = RULESET.rule(rule_id)
    transfer = data.draw(transfers(violating=rule_id, ruleset=COMPILED), label="transfer")
    decision = COMPILED.check(transfer)
    findings = [f for f in decision.findings if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire"
    # A true finding, not a review for want of facts, and no exemption lowers it.
    assert any(f.rule_verdict == rule.verdict and not f.missing and f.exemption is None for f in findings), findings
    assert decision.verdict >= rule.verdict


@pytest.mark.parametrize("rule_id", RULE_IDS)
@per_rule_settings()
@given(data=st.data())
def test_near_misses_are_not_flagged(rule_id: str, data: st.DataObject) -> None:
    transfer = data.draw(transfers(near=rule_id, ruleset=COMPILED), label="transfer")
    assert rule_id not in COMPILED.check(transfer).rules()


@given(transfers(compliant_with=COMPILED))
def test_compliant_samples_are_permitted(transfer: Transfer) -> None:
    decision = COMPILED.check(transfer)
    assert decision.verdict == Verdict.PERMITTED
    assert decision.findings == ()


@given(transfers(compliant_with=COMPILED, date=None))
def test_undated_compliant_samples_are_permitted_on_any_day(transfer: Transfer) -> None:
    for as_of in (dt.date(2000, 1, 1), dt.date(2017, 12, 22), dt.date(2099, 1, 1)):
        assert COMPILED.check(transfer, as_of=as_of).findings == ()


@pytest.mark.parametrize("rule_id", RULE_IDS)
@per_rule_settings()
@given(data=st.data())
def test_a_rule_never_fires_outside_its_dates(rule_id: str, data: st.DataObject) -> None:
    rule = RULESET.rule(rule_id)
    transfer = data.draw(transfers(violating=rule_id, ruleset=COMPILED), label="violation")
    outside = [rule.start - dt.timedelta(days=data.draw(st.integers(1, 4000), label="days before"))]
    if rule.end is not None:
        outside.append(rule.end + dt.timedelta(days=data.draw(st.integers(1, 4000), label="days after")))
    for on in outside:
        moved = with_changes(transfer, date=on)
        assert rule_id not in COMPILED.check(moved).rules(), on
        # An undated transfer checked as of that day is outside the rule's dates too.
        assert rule_id not in COMPILED.check(with_changes(moved, date=None), as_of=on).rules(), on
