"""Properties every decision must have, whatever the rules say: determinism, order independence, monotonicity,
missing data never passing silently, and rules counting only on the days they are in force."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import pickle
import random
from typing import Any

import pytest
from _property_support import (
    COMPILED,
    RULE_IDS,
    RULESET,
    finding_set,
    interesting_transfers,
    monotone_in,
    uses_exists,
    with_changes,
    worst,
)
from _reference import expected_findings
from hypothesis import assume, given
from hypothesis import strategies as st

from sanctionsrules import CompiledRuleSet, Transfer, Verdict, compile_rules
from sanctionsrules._strategies_values import ruleset_info
from sanctionsrules.model import KINDS_WITHOUT_GOODS
from sanctionsrules.strategies import countries, exemption_claims, goods_items, parties, transfers

AS_OF = dt.date(2024, 6, 1)  # for undated transfers: a fixed day, so that no test depends on the clock


def _check(rules: CompiledRuleSet, transfer: Transfer) -> Any:
    return rules.check(transfer, as_of=AS_OF)


# -- a second reading ------------------------------------------------------------------------------------------
REFERENCE = ruleset_info(RULESET, COMPILED.designations)


@given(interesting_transfers(), st.dates(dt.date(2005, 1, 1), dt.date(2030, 12, 31)))
def test_the_engine_agrees_with_a_plain_reading_of_the_rules(transfer: Transfer, as_of: dt.date) -> None:
    # Every rule in force, every item, Kleene logic straight off the condition tree, no index: the same findings
    # with the same verdicts (before and after exemptions), and the same overall verdict.
    decision = COMPILED.check(transfer, as_of=as_of)
    found = {(f.rule, f.item): (f.verdict, f.rule_verdict) for f in decision.findings}
    expected = expected_findings(RULESET, REFERENCE, transfer, as_of)
    assert found == expected
    assert decision.verdict == max((v for v, _ in expected.values()), default=Verdict.PERMITTED)


FIRST_DAY = min(r.start for r in RULESET.rules)


@given(transfers(ruleset=COMPILED), st.dates(FIRST_DAY, FIRST_DAY + dt.timedelta(days=365 * 20)))
def test_the_engine_agrees_with_a_plain_reading_when_facts_are_missing(transfer: Transfer, as_of: dt.date) -> None:
    # Random transfers leave facts out, so here conditions are UNKNOWN and Kleene logic is at work.
    found = {(f.rule, f.item): (f.verdict, f.rule_verdict) for f in COMPILED.check(transfer, as_of=as_of).findings}
    assert found == expected_findings(RULESET, REFERENCE, transfer, as_of)


# -- determinism and order -------------------------------------------------------------------------------------
# A copy that went through pickle (as it does to worker processes), and one compiled again from the rules.
UNPICKLED = pickle.loads(pickle.dumps(COMPILED))
RECOMPILED = compile_rules(RULESET)


@given(interesting_transfers())
def test_the_same_transfer_always_gets_the_same_decision(transfer: Transfer) -> None:
    first = _check(COMPILED, transfer).to_dict()
    assert _check(COMPILED, transfer).to_dict() == first
    assert _check(UNPICKLED, transfer).to_dict() == first
    assert _check(RECOMPILED, Transfer.model_validate_json(transfer.model_dump_json())).to_dict() == first


def _reordered(seed: int) -> CompiledRuleSet:
    # Rules and exemptions in another order, as if the files had been read in another order.
    if seed == 0:
        rules, exemptions = RULESET.rules[::-1], RULESET.exemptions[::-1]
    else:
        shuffle = random.Random(seed)
        rules = tuple(shuffle.sample(RULESET.rules, len(RULESET.rules)))
        exemptions = tuple(shuffle.sample(RULESET.exemptions, len(RULESET.exemptions)))
    return compile_rules(dataclasses.replace(RULESET, rules=rules, exemptions=exemptions))


REORDERED = [_reordered(seed) for seed in range(4)]


@given(interesting_transfers(), st.sampled_from(REORDERED))
def test_the_order_of_rules_and_files_does_not_change_the_decision(
    transfer: Transfer, reordered: CompiledRuleSet
) -> None:
    original, other = _check(COMPILED, transfer), _check(reordered, transfer)
    assert other.verdict == original.verdict
    assert finding_set(other) == finding_set(original)  # findings come in rule order, so compare them as sets
    assert other.coverage == original.coverage


HAS_INDEX_SWITCH = "use_index" in inspect.signature(CompiledRuleSet).parameters
UNINDEXED = CompiledRuleSet(RULESET, COMPILED.designations, use_index=False) if HAS_INDEX_SWITCH else None


@pytest.mark.skipif(not HAS_INDEX_SWITCH, reason="this engine has no use_index switch")
@given(interesting_transfers())
def test_the_index_never_changes_a_decision(transfer: Transfer) -> None:
    assert UNINDEXED is not None
    assert _check(UNINDEXED, transfer).to_dict() == _check(COMPILED, transfer).to_dict()


# -- monotonicity ----------------------------------------------------------------------------------------------
def _never_lower(before: Any, after: Any, facts: tuple[str, ...]) -> None:
    monotone = [r for r in RULE_IDS if monotone_in(RULESET, r, facts, up=True)]
    for rule_id in monotone:
        assert worst(after, rule_id) >= worst(before, rule_id), rule_id
    if len(monotone) == len(RULE_IDS):
        assert after.verdict >= before.verdict


def test_the_monotonicity_properties_are_not_vacuous() -> None:
    # They are checked rule by rule, on the rules whose conditions read the facts in one direction only (an
    # exemption for a party named on a list, say, is not): most rules must be among them.
    for facts, up in ((("intermediary", "party"), True), (("route",), True), (("claim",), False)):
        monotone = [r for r in RULE_IDS if monotone_in(RULESET, r, facts, up=up)]
        assert len(monotone) >= len(RULE_IDS) // 2, facts


@given(interesting_transfers(), parties())
def test_adding_an_intermediary_never_lowers_the_verdict(transfer: Transfer, party: Any) -> None:
    after = with_changes(transfer, intermediaries=[*transfer.intermediaries, party])
    _never_lower(_check(COMPILED, transfer), _check(COMPILED, after), ("intermediary", "party"))


@given(interesting_transfers(), countries())
def test_adding_a_route_hop_never_lowers_the_verdict(transfer: Transfer, country: str) -> None:
    after = with_changes(transfer, route=[*transfer.route, country])
    _never_lower(_check(COMPILED, transfer), _check(COMPILED, after), ("route",))


@given(interesting_transfers(), goods_items(ruleset=COMPILED))
def test_adding_an_item_keeps_every_finding_and_never_lowers_the_verdict(transfer: Transfer, item: Any) -> None:
    # An empty goods list of a transfer of goods is unknown goods; adding an item is then new information.
    assume(transfer.goods or transfer.kind in KINDS_WITHOUT_GOODS)
    before = _check(COMPILED, transfer)
    after = _check(COMPILED, with_changes(transfer, goods=[*transfer.goods, item]))
    assert finding_set(before) <= finding_set(after)
    assert after.verdict >= before.verdict


@given(interesting_transfers(), exemption_claims(ruleset=COMPILED))
def test_adding_an_exemption_claim_never_raises_the_verdict(transfer: Transfer, claim: Any) -> None:
    before = _check(COMPILED, transfer)
    after = _check(COMPILED, with_changes(transfer, exemption_claims=[*transfer.exemption_claims, claim]))
    lowering = [r for r in RULE_IDS if monotone_in(RULESET, r, ("claim",), up=False)]
    for rule_id in lowering:
        assert worst(after, rule_id) <= worst(before, rule_id), rule_id
    if len(lowering) == len(RULE_IDS):
        assert after.verdict <= before.verdict


# -- missing facts ---------------------------------------------------------------------------------------------
def _removals(transfer: Transfer) -> list[tuple[str, ...]]:
    """Paths of the given optional facts of ``transfer`` that can be set to None."""
    data = transfer.model_dump(mode="json")
    paths: list[tuple[str, ...]] = [
        (f,) for f in ("date", "contract_date", "kind", "origin", "destination") if data[f] is not None
    ]
    for role in ("sender", "recipient", "end_user", "carrier"):
        if data[role] is not None:
            if role in ("sender", "recipient"):  # an absent end user or carrier: see test_known_engine_bugs.py
                paths.append((role,))
            paths += [(role, f) for f in ("country", "flag", "kind") if data[role][f] is not None]
            if data[role]["acting_for"] is not None:  # (no principal at all is a statement, not a gap)
                paths.append((role, "acting_for", "country"))
    for i, party in enumerate(data["intermediaries"]):
        paths += [("intermediaries", str(i), f) for f in ("country", "flag", "kind") if party[f] is not None]
    for i, item in enumerate(data["goods"]):
        paths += [
            ("goods", str(i), f)
            for f in ("hs_code", "category", "value", "quantity", "origin", "condition", "description")
            if item[f] is not None and f != "category"
        ]
        if item["category"] is not None and _code_agrees(item["category"], item["hs_code"]):
            paths.append(("goods", str(i), "category"))
    return paths


def _code_agrees(category: str, code: str | None) -> bool:
    # Without its category, an item is judged by its HS code; that is only the same item when the code lies
    # under the category's codes. A code that contradicts the category (or a category with no codes, such as a
    # service) rightly turns the item into whatever the code says.
    codes = RULESET.taxonomy.effective_hs(category) if category in RULESET.taxonomy else ()
    return code is None or any(code.startswith(c) for c in codes)


def _without(transfer: Transfer, path: tuple[str, ...]) -> Transfer:
    data = transfer.model_dump(mode="json")
    node: Any = data
    for part in path[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[path[-1]] = None
    return Transfer.model_validate(data)


@given(interesting_transfers(), st.data())
def test_removing_a_fact_never_makes_a_transfer_permitted(transfer: Transfer, data: st.DataObject) -> None:
    paths = _removals(transfer)
    assume(paths)
    path = data.draw(st.sampled_from(paths), label="removed")
    on = transfer.date or AS_OF  # an undated transfer is judged on the day it was dated, not today
    before = COMPILED.check(transfer, as_of=on)
    after = COMPILED.check(_without(transfer, path), as_of=on)
    for rule_id in RULE_IDS:
        # "exists" tests are never unknown by design: removing their fact may rightly flip them.
        if worst(before, rule_id) > Verdict.PERMITTED and not uses_exists(RULESET, rule_id):
            assert worst(after, rule_id) > Verdict.PERMITTED, (rule_id, path)


# -- dates -----------------------------------------------------------------------------------------------------
@given(interesting_transfers(), st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)))
def test_every_finding_is_of_a_rule_in_force_on_the_decision_date(transfer: Transfer, as_of: dt.date) -> None:
    decision = COMPILED.check(transfer, as_of=as_of)
    assert decision.as_of == (transfer.date or as_of)
    for finding in decision.findings:
        assert RULESET.rule(finding.rule).in_force(decision.as_of), finding.rule
