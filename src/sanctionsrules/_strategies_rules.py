"""Rule-directed generation: transfers that violate a rule, that miss it by one fact, or that a rule set permits.

Samples are constructed from the rule's condition tree (see ``_strategies_solver``), never by filtering random
transfers, and never by asking the engine: the property suite checks the engine against these samples, so
they must not depend on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.control import reject

from sanctionsrules._strategies_blueprint import Blueprint, Goal, OutOfBudget, Preferred, Slot
from sanctionsrules._strategies_literals import Lit
from sanctionsrules._strategies_realise import realise
from sanctionsrules._strategies_solver import Search
from sanctionsrules._strategies_values import date_window, ruleset_info
from sanctionsrules.engine.compiler import uses_item
from sanctionsrules.model.transfer import Party, Transfer
from sanctionsrules.ruleset.conditions import AnyOf, Condition, Not, Test
from sanctionsrules.ruleset.rules import Rule, RuleSet

if TYPE_CHECKING:
    from sanctionsrules.engine.designations import DesignationSource

__all__ = ["compliant", "near", "plan", "start_blueprint", "violating", "violation_goals", "violation_plan"]

_DAY = dt.timedelta(days=1)


def _date_test(op: str, on: dt.date) -> Test:
    return Test("date", op, on, "$")


def _reads_item(condition: Condition, defines: Mapping[str, Condition]) -> bool:
    # A rule that tests a goods item is judged item by item, exactly as the engine decides it.
    return uses_item(condition, dict(defines))


def violation_goals(ruleset: RuleSet, rule: Rule) -> list[Goal]:
    """What a violation of ``rule`` needs: a date in force, its condition true, and every exemption escaped.

    An exemption that could lower the rule's verdict is escaped by making its condition false, or by a date
    outside its own dates. It is judged where the rule is: on the item, or with no item for a rule about the
    whole transfer.
    """
    goals = [Goal(_date_test("gte", rule.start), True, rule.regime)]
    if rule.end is not None:
        goals.append(Goal(_date_test("lte", rule.end), True, rule.regime))
    goals.append(Goal(rule.condition, True, rule.regime, own=True))
    per_item = _reads_item(rule.condition, ruleset.defines[rule.regime])
    for exemption in ruleset.exemptions:
        if rule.id not in exemption.covers or exemption.effect >= rule.verdict:
            continue
        escapes: list[Any] = [Not(exemption.condition, "$")]
        if exemption.start is not None:
            escapes.append(_date_test("lt", exemption.start))
        if exemption.end is not None:
            escapes.append(_date_test("gt", exemption.end))
        goal = escapes[0] if len(escapes) == 1 else AnyOf(tuple(escapes), "$")
        goals.append(Goal(goal, True, exemption.regime, no_item=not per_item))
    return goals


def start_blueprint(given: Mapping[str, Any], *, shared: bool) -> Blueprint:
    """The blueprint before any rule: the user's overrides pinned, every other party still free."""
    slots: dict[str, Slot] = {}
    for role in ("sender", "recipient", "end_user", "carrier"):
        if role in given:
            _pin(slots, role, given[role])
        else:
            slots[role] = Slot()
    scalars: dict[str, tuple[Lit, ...]] = {}
    for fact, kind in (
        ("date", "date"),
        ("contract_date", "date"),
        ("kind", "token"),
        ("origin", "country"),
        ("destination", "country"),
    ):
        if fact not in given:
            continue
        value = given[fact]
        if value is None:
            scalars[fact] = (Lit(kind, "exists", True, False),)
        else:
            pin = Lit(kind, "eq", value, True) if kind == "date" else Lit(kind, "in", frozenset({value}), True)
            scalars[fact] = (pin,)
    count, fixed = 0, False
    if "intermediaries" in given:
        for i, party in enumerate(given["intermediaries"]):
            _pin(slots, f"intermediary{i}", party)
        count, fixed = len(given["intermediaries"]), True
    claims = given.get("exemption_claims")
    return Blueprint(
        scalars=scalars,
        slots=slots,
        intermediaries=count,
        intermediaries_fixed=fixed,
        shared_items=shared,
        route_fixed=tuple(given["route"]) if "route" in given else None,
        goods_fixed=tuple(given["goods"]) if "goods" in given else None,
        claims_fixed=None if claims is None else tuple((c.kind, c.authority, c.reference) for c in claims),
    )


def _pin(slots: dict[str, Slot], name: str, party: Party | None) -> None:
    slots[name] = Slot(present=party is not None, fixed=True, pinned=party)
    depth = 1
    while party is not None and party.acting_for is not None:
        party = party.acting_for
        slots[name + "^" * depth] = Slot(present=True, fixed=True, pinned=party)
        depth += 1


_PERMUTATIONS: dict[int, st.SearchStrategy[list[int]]] = {}


def _order(draw: st.DrawFn) -> Callable[[int], Sequence[int]]:
    def order(n: int) -> Sequence[int]:
        if n <= 1:
            return range(n)
        if n not in _PERMUTATIONS:  # built once per size: building a strategy costs more than drawing from it
            _PERMUTATIONS[n] = st.permutations(range(n))
        return draw(_PERMUTATIONS[n])

    return order


def _solve(search: Search, goals: Sequence[Goal], start: Blueprint) -> Blueprint | None:
    try:
        return search.solve(goals, start)
    except OutOfBudget:
        return None


def _violation(search: Search, ruleset: RuleSet, rule: Rule, given: Mapping[str, Any]) -> Blueprint | None:
    return _solve(search, violation_goals(ruleset, rule), start_blueprint(given, shared=False))


def _compliance(search: Search, ruleset: RuleSet, on: dt.date | None, given: Mapping[str, Any]) -> Blueprint | None:
    # Without a date the engine judges the transfer as of any day, so every rule must then be false.
    rules = [r for r in ruleset.rules if on is None or r.in_force(on)]
    goals = [] if on is None else [Goal(_date_test("eq", on), True, "")]
    goals += [Goal(r.condition, False, r.regime, own=True) for r in rules]
    return _solve(search, goals, start_blueprint(given, shared=True))


def _near(search: Search, ruleset: RuleSet, rule: Rule, given: Mapping[str, Any]) -> Blueprint | None:
    base = _violation(search, ruleset, rule, given)
    if base is None:
        return None
    own = [g for g in base.trail if g.own]
    mutations: list[Any] = ["before"] + (["after"] if rule.end is not None else []) + list(range(len(own)))
    in_force = [Goal(_date_test("gte", rule.start), True, rule.regime)]
    if rule.end is not None:
        in_force.append(Goal(_date_test("lte", rule.end), True, rule.regime))
    for index in search.order(len(mutations)):
        mutation = mutations[index]
        kept = [g._replace(own=False) for g in own]
        if mutation in ("before", "after"):
            on = rule.start - _DAY if mutation == "before" or rule.end is None else rule.end + _DAY
            goals = [Goal(_date_test("eq", on), True, rule.regime)]
            goals += [g for g in kept if not (isinstance(g.cond, Test) and g.cond.fact == "date")]
            shared = False
        else:
            chosen = own[mutation]
            cond = Preferred(chosen.cond) if isinstance(chosen.cond, Test) else chosen.cond
            flipped = chosen._replace(cond=cond, wanted=not chosen.wanted, own=False)
            goals = [
                *in_force,
                *kept[:mutation],
                *kept[mutation + 1 :],
                flipped,
                Goal(rule.condition, False, rule.regime, own=True),
            ]
            shared = True
        bp = _solve(search, goals, start_blueprint(given, shared=shared))
        if bp is not None:
            return bp
    return None


def plan(
    mode: str,
    ruleset: RuleSet,
    *,
    rule_id: str | None = None,
    on: dt.date | None = None,
    designations: DesignationSource | None = None,
    budget: int = 200_000,
) -> Blueprint | None:
    """A blueprint for ``mode`` (violating, near or compliant) found without randomness, or None if none exists.

    The search is exhaustive within ``budget`` steps, so None means no sample can be built: for ``violating``,
    the rule as written cannot be TRUE on a transfer with every other fact known.
    """
    search = Search(ruleset.defines, ruleset_info(ruleset, designations), lambda n: range(n), budget=budget)
    if mode == "compliant":
        return _compliance(search, ruleset, on, {})
    assert rule_id is not None
    rule = ruleset.rule(rule_id)
    return (_violation if mode == "violating" else _near)(search, ruleset, rule, {})


def violation_plan(ruleset: RuleSet, rule_id: str, designations: DesignationSource | None = None) -> Blueprint | None:
    """``plan("violating", ...)``: None when no transfer with every other fact known can violate the rule."""
    return plan("violating", ruleset, rule_id=rule_id, designations=designations)


@st.composite
def violating(
    draw: st.DrawFn, ruleset: RuleSet, designations: DesignationSource, rule_id: str, given: Mapping[str, Any]
) -> Transfer:
    """A transfer on which ``rule_id`` is TRUE, in force, with no exemption applying to it."""
    info = ruleset_info(ruleset, designations)
    search = Search(ruleset.defines, info, _order(draw))
    bp = _violation(search, ruleset, ruleset.rule(rule_id), given)
    if bp is None:
        reject()
    return realise(draw, bp, info, search, given)


@st.composite
def compliant(draw: st.DrawFn, ruleset: RuleSet, designations: DesignationSource, given: Mapping[str, Any]) -> Transfer:
    """A transfer on which every rule in force is FALSE: permitted, with no finding at all."""
    info = ruleset_info(ruleset, designations)
    search = Search(ruleset.defines, info, _order(draw))
    if "date" in given:
        on = given["date"]
    else:
        low, high = date_window(ruleset)
        starts = sorted({r.start for r in ruleset.rules}) or [low]
        anchored = st.builds(
            lambda s, d: s + dt.timedelta(days=d), st.sampled_from(starts), st.integers(min_value=0, max_value=3650)
        )
        on = draw(st.one_of(anchored, st.dates(min_value=low, max_value=high)))
    bp = _compliance(search, ruleset, on, given)
    if bp is None:
        reject()
    return realise(draw, bp, info, search, given)


@st.composite
def near(
    draw: st.DrawFn, ruleset: RuleSet, designations: DesignationSource, rule_id: str, given: Mapping[str, Any]
) -> Transfer:
    """A transfer one fact away from violating ``rule_id``, on which the rule does not fire.

    The fact is the date (the day before the rule comes into force, or the day after it ends) or one literal
    of a violation, flipped and placed as near its boundary as the pool allows (a threshold exactly, the
    neighbouring HS heading, another country), with the rest of the rule's condition made false.
    """
    info = ruleset_info(ruleset, designations)
    search = Search(ruleset.defines, info, _order(draw))
    bp = _near(search, ruleset, ruleset.rule(rule_id), given)
    if bp is None:
        reject()
    return realise(draw, bp, info, search, given)
