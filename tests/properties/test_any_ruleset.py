"""Rule-directed generation works for any rule set written in the rule language, not only the shipped one.

Random rule sets over the whole fact catalogue (every fact, every operator, nesting, negation, named conditions,
claims, exemptions, end dates) are built on the real taxonomy; then every rule's violations and near misses, the
set's compliant transfers, and random transfers with facts left out are checked against the engine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from _property_support import COMPILED
from _reference import expected_findings
from hypothesis import given, settings
from hypothesis import strategies as st

from sanctionsrules import RuleSet, Verdict, compile_rules
from sanctionsrules._strategies_rules import plan
from sanctionsrules._strategies_values import ruleset_info
from sanctionsrules.ruleset.conditions import Condition, parse_condition
from sanctionsrules.ruleset.facts import MULTI_ROLES, SINGLE_ROLES
from sanctionsrules.ruleset.rules import Exemption, Regime, Rule, Source
from sanctionsrules.ruleset.yamlsource import YamlDocument
from sanctionsrules.strategies import transfers

CATEGORIES = sorted(COMPILED.ruleset.taxonomy.names())
ROLES = [*SINGLE_ROLES, *MULTI_ROLES]
COUNTRIES = ["KP", "RU", "CN", "IR", "US"]
DESIGNATIONS = COMPILED.designations  # one designation source for all (a list-backed one loads its list once)
DATES = [dt.date(2006, 10, 14), dt.date(2013, 3, 7), dt.date(2017, 12, 22)]


def _some(values: list[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)


def _exists(fact: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.booleans().map(lambda b: {fact: {"exists": b}})


def _leaves() -> st.SearchStrategy[dict[str, Any]]:
    country_facts = [
        "destination",
        "origin",
        "route",
        "item.origin",
        *[f"{role}.{attr}" for role in ROLES for attr in ("country", "flag")],
    ]
    token_facts = {
        "kind": ["sale", "gift", "service", "payment"],
        "item.condition": ["new", "used"],
        **{f"{role}.kind": ["person", "vessel", "state_body"] for role in ROLES},
    }
    text_facts = {
        "item.description": ["Aurus Senat"],
        **{f"{role}.name": ["Kim Jong Un", "Ocean Star"] for role in ROLES},
    }
    compare = st.sampled_from(["gt", "gte", "lt", "lte"])
    money = st.builds(
        lambda op, amount, cur: {"item.value": {op: f"{cur} {amount}"}},
        compare,
        st.sampled_from([0, 2000, "1500.50"]),
        st.sampled_from(["USD", "EUR"]),
    )
    money_range = st.just({"item.value": {"gte": "USD 1000", "lt": "USD 5000"}})
    quantity = st.builds(
        lambda op, q: {"item.quantity": {op: q}}, compare, st.sampled_from(["500000 bbl", "1000 kg", "2 t", "10 piece"])
    )
    dates = st.builds(
        lambda fact, op, on: {fact: {op: on}},
        st.sampled_from(["date", "contract_date"]),
        st.sampled_from(["eq", "gt", "gte", "lt", "lte"]),
        st.sampled_from(DATES),
    )
    claim = st.builds(
        lambda k, a, r: {"claim": {"kind": k, "authority": a, "reference": r}},
        st.sampled_from(["humanitarian", ["humanitarian", "basic_expenses"]]),
        st.sampled_from(["1718-committee", "un"]),
        st.booleans(),
    )
    return st.one_of(
        st.builds(lambda f, v: {f: v}, st.sampled_from(country_facts), _some(COUNTRIES)),
        st.sampled_from(sorted(token_facts)).flatmap(lambda f: _some(token_facts[f]).map(lambda v: {f: v})),
        st.sampled_from(sorted(text_facts)).flatmap(lambda f: _some(text_facts[f]).map(lambda v: {f: v})),
        _some(["8703", "93", "870323", "2710", "8802"]).map(lambda v: {"item.hs_code": v}),
        _some(CATEGORIES).map(lambda v: {"item.category": v}),
        money,
        money_range,
        quantity,
        dates,
        claim,
        st.builds(
            lambda role, regimes: {role: {"designated": regimes}},
            st.sampled_from(ROLES),
            st.sampled_from(["DPRK", ["DPRK", "Iran"]]),
        ),
        st.sampled_from(
            [
                "destination",
                "kind",
                "route",
                "item.value",
                "item.hs_code",
                "item.category",
                *[f"{r}.country" for r in ROLES],
                *[f"{r}.flag" for r in ROLES],
                *ROLES,
            ]
        ).flatmap(_exists),
        st.sampled_from([{"use": "to_dprk"}, {"use": "from_dprk"}]),
    )


def _conditions() -> st.SearchStrategy[dict[str, Any]]:
    return st.recursive(
        _leaves(),
        lambda inner: st.one_of(
            st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"all": cs}),
            st.lists(inner, min_size=1, max_size=3).map(lambda cs: {"any": cs}),
            inner.map(lambda c: {"not": c}),
        ),
        max_leaves=6,
    )


def _condition(data: Any, path: str) -> Condition:
    # The rule loader's own parser, so operands are read exactly as in a rule file ("USD 1500.50", "8703").
    problems: list[Any] = []
    condition, _ = parse_condition(
        data, path, YamlDocument("random.yaml", data, []), COMPILED.ruleset.taxonomy, problems
    )
    assert condition is not None and not problems, problems
    return condition


DEFINES = {
    "to_dprk": _condition({"any": [{"destination": "KP"}, {"receiving_party.country": "KP"}]}, "$"),
    "from_dprk": _condition({"any": [{"origin": "KP"}, {"supplying_party.country": "KP"}]}, "$"),
}


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    """A random rule set of one regime with one to four rules and up to two exemptions, on the real taxonomy.

    Built in memory (parsed by the loader's condition parser): writing and loading YAML for every example would
    make the test, and the shrinking of a failure, many times slower.
    """
    source = Source("random.yaml", 1)
    rules = []
    for i in range(draw(st.integers(1, 4))):
        start = draw(st.sampled_from(DATES))
        end = start + dt.timedelta(days=draw(st.integers(0, 3000))) if draw(st.booleans()) else None
        verdict = Verdict.parse(draw(st.sampled_from(["review", "license_required", "prohibited"])))
        rules.append(
            Rule(
                f"test-r.i1.r{i}",
                "test-r",
                "i1",
                "t",
                "b",
                start,
                end,
                verdict,
                True,
                _condition(draw(_conditions()), f"$.rules[{i}].when"),
                None,
                None,
                source,
            )
        )
    exemptions = []
    for i in range(draw(st.integers(0, 2))):
        covers = frozenset(draw(st.lists(st.sampled_from([r.id for r in rules]), min_size=1, unique=True)))
        effect = Verdict.parse(draw(st.sampled_from(["permitted", "review", "license_required"])))
        start = draw(st.none() | st.sampled_from(DATES))
        exemptions.append(
            Exemption(
                f"test-r.i1.e{i}",
                "test-r",
                "t",
                "b",
                covers,
                start,
                None,
                effect,
                _condition(draw(_conditions()), f"$.exemptions[{i}].when"),
                None,
                source,
            )
        )
    regime = Regime("test-r", "t", "a", "1", ("i1",))
    return RuleSet(
        (regime,),
        tuple(rules),
        tuple(exemptions),
        {"test-r": DEFINES},
        COMPILED.ruleset.taxonomy,
        digest="sha256:random",
    )


@settings(max_examples=max(10, settings.default.max_examples // 2))
@given(rule_sets(), st.data())
def test_rule_directed_generation_works_for_any_rule_set(ruleset: RuleSet, data: st.DataObject) -> None:
    compiled = compile_rules(ruleset, DESIGNATIONS)
    for rule in ruleset.rules:
        if plan("violating", ruleset, rule_id=rule.id, designations=DESIGNATIONS) is not None:
            transfer = data.draw(transfers(violating=rule.id, ruleset=compiled), label=f"violating {rule.id}")
            findings = [f for f in compiled.check(transfer).findings if f.rule == rule.id]
            assert any(f.rule_verdict == rule.verdict and not f.missing and f.exemption is None for f in findings), (
                rule.id,
                findings,
            )
        if plan("near", ruleset, rule_id=rule.id, designations=DESIGNATIONS) is not None:
            transfer = data.draw(transfers(near=rule.id, ruleset=compiled), label=f"near {rule.id}")
            assert rule.id not in compiled.check(transfer).rules(), rule.id
    # Transfers with facts left out, read by the engine and by the plain reading of _reference.py.
    info = ruleset_info(ruleset, DESIGNATIONS)
    for _ in range(3):
        transfer = data.draw(transfers(ruleset=compiled), label="any transfer")
        decision = compiled.check(transfer, as_of=DATES[-1])
        found = {(f.rule, f.item): (f.verdict, f.rule_verdict) for f in decision.findings}
        assert found == expected_findings(ruleset, info, transfer, DATES[-1])
    on = data.draw(st.sampled_from([d + dt.timedelta(days=n) for d in DATES for n in (-1, 0, 400)]), label="on")
    if plan("compliant", ruleset, on=on, designations=DESIGNATIONS) is not None:
        transfer = data.draw(transfers(compliant_with=compiled, date=on), label="compliant")
        decision = compiled.check(transfer)
        assert decision.verdict == Verdict.PERMITTED and decision.findings == (), decision.findings
