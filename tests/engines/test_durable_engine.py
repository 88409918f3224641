"""The durable-rules module on its own: sessions, the traps it guards against, and what it compiles."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

pytest.importorskip("durable.lang")

from sanctionsrules import Transfer, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations
from sanctionsrules.engine.durable import (
    SHARD_PATHS,
    ActionContext,
    DurableActionError,
    DurableRuleSet,
    DurableSession,
    RuleSpec,
)
from sanctionsrules.errors import InputError, SanctionsRulesError

FIXTURE_RULES = Path(__file__).resolve().parents[1] / "monitor" / "rules"


def test_a_fact_no_rule_takes_is_the_normal_no_finding_path() -> None:
    seen: list[int] = []

    def note(context: ActionContext) -> None:
        seen.append(context.facts["m"]["n"])

    with DurableSession({"r": RuleSpec(({"m": {"kind": "a"}},), note)}) as session:
        assert session.assert_fact({"kind": "zzz", "n": 1}) is False  # no MessageNotHandledException escapes
        assert session.assert_fact({"kind": "a", "n": 2}) is True
        assert seen == [2]  # the action ran inside the call, on this thread
        assert [f["n"] for f in session.facts()] == [2]  # a fact no rule takes is not kept either


def test_an_action_that_fails_is_raised_to_the_caller_not_swallowed() -> None:
    def boom(context: ActionContext) -> None:
        raise ZeroDivisionError("in an action")

    with DurableSession({"r": RuleSpec(({"m": {"kind": "a"}},), boom)}) as session:
        with pytest.raises(DurableActionError, match="ZeroDivisionError") as caught:
            session.assert_fact({"kind": "a", "n": 1})
        assert isinstance(caught.value, SanctionsRulesError)
        assert session.assert_fact({"kind": "b", "n": 2}) is False  # the error was reported once, and cleared


def test_a_closed_session_is_gone_and_closing_a_session_without_actions_is_safe() -> None:
    session = DurableSession({"r": RuleSpec(({"m": {"kind": "a"}},), lambda context: None)})
    session.assert_fact({"kind": "zzz"})  # no action ever ran: delete_state alone would crash the process
    session.close()
    session.close()
    with pytest.raises(SanctionsRulesError, match="closed"):
        session.assert_fact({"kind": "a"})


def test_rule_sets_larger_than_the_engines_stack_are_sharded(tmp_path: Path) -> None:
    # 150 rules whose first tests all pass on one fact: a single durable ruleset fails with error 303.
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES / "taxonomy", root / "taxonomy")
    (root / "x").mkdir()
    (root / "x" / "regime.yaml").write_text('regime: x\ntitle: X\nauthority: X\nversion: "1"\n')
    rules = "".join(f"""
  - id: x.a.r{k}
    title: Rule {k}
    basis: test
    in_force: {{from: 2020-01-01}}
    verdict: review
    when: {{all: [{{item.value: {{gt: USD {k}}}}}, {{destination: KP}}]}}
""" for k in range(150))
    (root / "x" / "a.yaml").write_text(f"regime: x\ninstrument: a\ntitle: A\nadopted: 2020-01-01\nrules:{rules}")
    ruleset = load_rules(root)
    transfer = Transfer.model_validate({"id": "t", "date": "2021-01-01", "destination": "KP",
                                        "goods": [{"value": {"amount": 1000, "currency": "USD"}}]})
    with DurableRuleSet(ruleset, ReferenceDesignations()) as durable:
        assert len(durable._shards) == -(-150 // SHARD_PATHS)
        found = durable.check(transfer)
    assert found == {(f"x.a.r{k}", 0) for k in range(150)}
    native = compile_rules(ruleset, ReferenceDesignations()).check(transfer)
    assert {(f.rule, f.item) for f in native.findings} == found


def test_checks_are_sessions_of_their_own(tmp_path: Path) -> None:
    ruleset = load_rules(FIXTURE_RULES)
    car = Transfer.model_validate({"id": "t", "date": "2024-02-18", "kind": "gift", "destination": "KP",
                                   "goods": [{"category": "luxury_vehicle", "hs_code": "870323"}]})
    with DurableRuleSet(ruleset, ReferenceDesignations()) as durable:
        assert durable.check(car) == {("un-dprk.1718.8a-iii", 0)}
        assert durable.check(car) == {("un-dprk.1718.8a-iii", 0)}  # nothing left over from the first check
        assert durable.check(car.model_copy(update={"date": dt.date(2006, 10, 13)})) == frozenset()  # not in force
        with pytest.raises(InputError, match="unknown goods category"):
            durable.check(car.model_copy(update={"goods": (car.goods[0].model_copy(update={"category": "nope"}),)}))
    with pytest.raises(SanctionsRulesError, match="closed"):
        durable.check(car)


def test_native_engine_item_hs_code_exists_false_on_an_item_without_a_code(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES / "taxonomy", root / "taxonomy")
    (root / "x").mkdir()
    (root / "x" / "regime.yaml").write_text('regime: x\ntitle: X\nauthority: X\nversion: "1"\n')
    (root / "x" / "a.yaml").write_text("""regime: x
instrument: a
title: A
adopted: 2020-01-01
rules:
  - id: x.a.no-code
    title: An item declared without an HS code
    basis: test
    in_force: {from: 2020-01-01}
    verdict: review
    when: {item.hs_code: {exists: false}}
""")
    ruleset = load_rules(root)
    no_code = Transfer.model_validate({"id": "t", "date": "2021-01-01", "goods": [{"description": "no code"}]})
    with DurableRuleSet(ruleset, ReferenceDesignations()) as durable:
        assert durable.check(no_code) == {("x.a.no-code", 0)}  # durable-rules: the code is absent
    native = compile_rules(ruleset, ReferenceDesignations()).check(no_code)
    assert [(f.rule, f.item) for f in native.findings] == [("x.a.no-code", 0)]  # fails today: no finding
