"""A second, deliberately plain reading of the rule language: the oracle the engine is compared with.

It reads conditions straight off the parsed tree with Kleene logic, evaluates every rule in force (no index, no
memo, no compiled closures), and applies exemptions as the design says: a finding weighs the least effect of the
exemptions in force whose condition is TRUE, if that is lower than the rule's own verdict. Literal semantics
(a country in a set, an HS prefix, a category through the taxonomy, thresholds, designations) come from the
strategies' reading of the language (``sanctionsrules._strategies_literals``), which never calls the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sanctionsrules import RuleSet, Transfer, Verdict
from sanctionsrules._strategies_blueprint import NOT_CRAFT, goods_value
from sanctionsrules._strategies_literals import Lit, tri
from sanctionsrules._strategies_values import RuleSetInfo
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri
from sanctionsrules.model import KINDS_WITHOUT_GOODS, GoodsItem, Party
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.ruleset.facts import FACTS

ITEM_FIELDS = {
    "item.value": "value",
    "item.quantity": "quantity",
    "item.origin": "origin",
    "item.condition": "condition",
    "item.description": "description",
}


def _chain(party: Party | None) -> list[Party]:
    out = []
    while party is not None and party.acting_for is not None and len(out) < 8:
        party = party.acting_for
        out.append(party)
    return out


def members(transfer: Transfer, role: str) -> list[Party | None]:
    """The parties a role reads; None is a party whose absence makes the fact unknown."""
    t = transfer
    if role in ("sender", "recipient", "end_user"):
        return [getattr(t, role)]
    if role == "carrier":
        return [] if t.carrier is None else [t.carrier]
    if role == "intermediary":
        return list(t.intermediaries)
    if role == "receiving_party":
        return [t.recipient, t.end_user, *_chain(t.recipient), *_chain(t.end_user)]
    if role == "supplying_party":
        return [t.sender, *_chain(t.sender)]
    base: list[Party | None] = [t.sender, t.recipient]
    base += [p for p in (t.end_user, t.carrier) if p is not None]
    base += list(t.intermediaries)
    return base + [c for p in base for c in _chain(p)]


@dataclass
class Reading:
    """Evaluates conditions of one rule set on one transfer, on one day, for one item (or none)."""

    ruleset: RuleSet
    info: RuleSetInfo
    transfer: Transfer
    on: dt.date
    item: GoodsItem | None

    def values(self, fact: str) -> list[Any]:
        t = self.transfer
        if fact in ("date", "contract_date", "kind", "origin", "destination"):
            return [getattr(t, fact)]
        if fact == "route":
            return list(t.route)
        if fact in ("item.hs_code", "item.category"):
            return [None if self.item is None else goods_value(self.item, "goods")]
        if fact in ITEM_FIELDS:
            return [None if self.item is None else goods_value(self.item, ITEM_FIELDS[fact])]
        role, _, attr = fact.partition(".")
        parties = members(t, role)
        if not attr:
            return parties
        if attr == "flag":  # only vessels and aircraft (and parties of no stated kind) fly a flag
            return [p.flag for p in parties if p is not None and p.kind not in NOT_CRAFT]
        return [None if p is None else getattr(p, attr) for p in parties]

    def test(self, node: Test) -> Tri:
        spec = FACTS[node.fact]
        lit = Lit(spec.type, node.op, node.operand, True)
        values = self.values(node.fact)
        if node.op == "exists":
            if node.fact in ("item.hs_code", "item.category"):
                return tri(lit, values[0], self.info)  # the field itself, not the item
            present = any(v is not None for v in values)
            return TRUE if present == bool(node.operand) else FALSE
        result = FALSE
        for value in values:
            outcome = UNKNOWN if value is None else tri(lit, value, self.info, self.on)
            if outcome == TRUE:
                return TRUE
            if outcome == UNKNOWN:
                result = UNKNOWN
        return result

    def claim(self, node: Claim) -> Tri:
        claims = [(c.kind, c.authority, c.reference) for c in self.transfer.exemption_claims]
        return tri(Lit("claim", "claim", node, True), claims, self.info)

    def value(self, node: Condition, regime: str) -> Tri:
        if isinstance(node, Test):
            return self.test(node)
        if isinstance(node, Claim):
            return self.claim(node)
        if isinstance(node, Use):
            return self.value(self.ruleset.defines[regime][node.name], regime)
        if isinstance(node, Not):
            inner = self.value(node.child, regime)
            return UNKNOWN if inner == UNKNOWN else (TRUE if inner == FALSE else FALSE)
        outcomes = [self.value(child, regime) for child in node.children]
        strong, weak = (FALSE, TRUE) if isinstance(node, All) else (TRUE, FALSE)
        if strong in outcomes:
            return strong
        return UNKNOWN if UNKNOWN in outcomes else weak


def _reads_item(node: Condition, defines: dict[str, Condition]) -> bool:
    if isinstance(node, Test):
        return FACTS[node.fact].item
    if isinstance(node, (All, AnyOf)):
        return any(_reads_item(c, defines) for c in node.children)
    if isinstance(node, Not):
        return _reads_item(node.child, defines)
    if isinstance(node, Use):
        return _reads_item(defines[node.name], defines)
    return False


def _between(on: dt.date, start: dt.date | None, end: dt.date | None) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


def expected_findings(
    ruleset: RuleSet, info: RuleSetInfo, transfer: Transfer, as_of: dt.date
) -> dict[tuple[str, int | None], tuple[Verdict, Verdict]]:
    """(rule, item) -> (verdict after exemptions, the rule's own verdict) for every rule that is not FALSE."""
    on = transfer.date or as_of
    out: dict[tuple[str, int | None], tuple[Verdict, Verdict]] = {}
    for rule in ruleset.rules:
        if not _between(on, rule.start, rule.end):
            continue
        defines = ruleset.defines[rule.regime]
        items: list[tuple[int | None, GoodsItem | None]] = [(None, None)]
        if _reads_item(rule.condition, defines):
            if transfer.goods:
                items = list(enumerate(transfer.goods))
            elif transfer.kind in KINDS_WITHOUT_GOODS:
                items = []
        for index, item in items:
            reading = Reading(ruleset, info, transfer, on, item)
            outcome = reading.value(rule.condition, rule.regime)
            if outcome == FALSE:
                continue
            own = rule.verdict if outcome == TRUE else Verdict.REVIEW
            effects = [
                e.effect
                for e in ruleset.exemptions
                if rule.id in e.covers and _between(on, e.start, e.end) and reading.value(e.condition, e.regime) == TRUE
            ]
            out[(rule.id, index)] = (min([own, *effects]), own)
    return out


Check = Callable[[Transfer], Any]
