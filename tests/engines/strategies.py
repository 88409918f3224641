"""Fully specified transfers whose values are drawn from what a rule set tests, for comparing engines.

Every optional field is given (so the native engine's UNKNOWN comes only from comparisons that cannot be made,
such as two currencies), and the values come from the rule set's own operands, edges included: the countries,
kinds, categories, HS prefixes, amounts and dates its rules test, one day either side of every date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from sanctionsrules.model.codes import Money, Quantity, Unit
from sanctionsrules.model.transfer import Transfer
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test
from sanctionsrules.ruleset.rules import RuleSet

__all__ = ["Operands", "full_transfers", "operands_of", "partial_transfers"]

_UNITS: tuple[Unit, ...] = ("piece", "pair", "set", "g", "kg", "t", "l", "m3", "bbl")


@dataclass
class Operands:
    """The values a rule set tests, gathered from every condition."""

    countries: set[str] = field(default_factory=lambda: {"KP", "RU", "CN", "US", "DE"})
    tokens: dict[str, set[str]] = field(default_factory=dict)
    categories: set[str] = field(default_factory=set)
    tested_categories: set[str] = field(default_factory=set)
    tested_hs: set[str] = field(default_factory=set)
    hs: set[str] = field(default_factory=lambda: {"8703", "2710", "9306"})
    money: list[Money] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    dates: set[dt.date] = field(default_factory=set)
    texts: set[str] = field(default_factory=lambda: {"Acme Trading"})
    claims: set[tuple[str, str]] = field(default_factory=lambda: {("other", "someone")})
    regimes: set[str] = field(default_factory=lambda: {"DPRK"})


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    if isinstance(condition, (All, AnyOf)):
        for child in condition.children:
            yield from _walk(child)
    elif isinstance(condition, Not):
        yield from _walk(condition.child)


def operands_of(ruleset: RuleSet) -> Operands:
    """Every operand of every rule, exemption and named condition of ``ruleset``."""
    found = Operands()
    found.categories |= set(ruleset.taxonomy.names())
    for name in ruleset.taxonomy.names():
        found.hs |= set(ruleset.taxonomy.categories[name].hs)
    conditions = [r.condition for r in ruleset.rules] + [e.condition for e in ruleset.exemptions]
    conditions += [c for defines in ruleset.defines.values() for c in defines.values()]
    for rule in ruleset.rules:
        found.dates |= {rule.start, *([rule.end] if rule.end else [])}
    for condition in conditions:
        for node in _walk(condition):
            if isinstance(node, Claim):
                for kind in node.kinds or {"any"}:
                    for authority in node.authorities or {"anyone"}:
                        found.claims.add((kind, authority))
            if not isinstance(node, Test):
                continue
            operand = node.operand
            if node.op == "exists":
                continue
            if node.op == "designated":
                found.regimes |= set(operand)
            elif isinstance(operand, Money):
                found.money.append(operand)
            elif isinstance(operand, Quantity):
                found.quantities.append(operand)
            elif isinstance(operand, dt.date):
                found.dates.add(operand)
            elif node.op == "prefix":
                found.hs |= set(operand)
                found.tested_hs |= set(operand)
            elif node.op == "is_a":
                found.tested_categories |= set(operand)
            elif node.fact.endswith(("country", "flag", "origin", "destination", "route")) or node.fact in (
                    "origin", "destination", "route"):
                found.countries |= set(operand)
            elif node.fact.endswith("name") or node.fact == "item.description":
                found.texts |= set(operand)
            elif isinstance(operand, frozenset) and node.op == "in":
                key = "party.kind" if node.fact.endswith(".kind") else node.fact
                found.tokens.setdefault(key, set()).update(operand)
    return found


def _amounts(bounds: list[Decimal]) -> st.SearchStrategy[Decimal]:
    # Exactly a bound, one cent either side, or anything: the edges are where engines disagree, if anywhere.
    edges = sorted({b + d for b in bounds for d in (Decimal("-0.01"), Decimal(0), Decimal("0.01")) if b + d >= 0})
    anything = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from(edges), anything) if edges else anything


def full_transfers(found: Operands) -> st.SearchStrategy[Transfer]:
    """Transfers with every optional field given, valued from ``found``."""
    return _documents(found).map(Transfer.model_validate)


def partial_transfers(found: Operands) -> st.SearchStrategy[Transfer]:
    """Transfers valued from ``found`` with optional fields left out at random (so the native engine meets UNKNOWN)."""
    return st.builds(_thin, _documents(found), st.randoms(use_true_random=False)).map(Transfer.model_validate)


_REQUIRED = frozenset({"id", "name", "scheme", "value", "amount", "currency", "unit", "kind", "authority"})


def _thin(document: Any, random: Any) -> Any:
    if isinstance(document, dict):
        return {k: _thin(v, random) for k, v in document.items() if k in _REQUIRED or random.random() < 0.8}
    if isinstance(document, list):
        return [_thin(v, random) for v in document]
    return document


def _documents(found: Operands) -> st.SearchStrategy[dict[str, Any]]:
    countries = st.sampled_from(sorted(found.countries))
    day_edges = sorted({d + dt.timedelta(days=k) for d in found.dates for k in (-1, 0, 1)})
    dates = st.one_of(st.sampled_from(day_edges or [dt.date(2020, 1, 1)]),
                      st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2027, 12, 31)),
                      st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2027, 12, 31)))
    names = st.sampled_from(sorted(found.texts | {"Ocean Star", "Kim Chol"}))
    refs = st.one_of(
        st.builds(lambda p, t, n: f"{p}{t}.{n:03d}", st.sampled_from(["KP", "QD", "IQ", "XX"]),
                  st.sampled_from(["i", "e"]), st.integers(0, 999)),
        st.sampled_from(["KPe.001", "not a reference"]),
    )
    identifiers = st.lists(st.fixed_dictionaries({
        "scheme": st.sampled_from(["un_ref", "imo", "passport", "registration"]), "value": refs}), max_size=2)
    party_kinds = st.sampled_from(sorted(found.tokens.get("party.kind", set()) | {"person", "organisation", "vessel"}))

    def party(depth: int) -> st.SearchStrategy[dict[str, Any]]:
        acting = st.none() if depth >= 2 else st.one_of(st.none(), st.deferred(lambda: party(depth + 1)))
        return st.fixed_dictionaries({
            "name": names, "kind": party_kinds, "country": countries, "flag": countries,
            "identifiers": identifiers, "date_of_birth": st.dates(dt.date(1950, 1, 1), dt.date(2000, 1, 1)),
            "acting_for": acting,
        }).map(lambda d: {k: v for k, v in d.items() if v is not None})

    # Half the time a value a rule tests (a category, an HS prefix); else any the taxonomy knows.
    hs_prefixes = st.one_of(st.sampled_from(sorted(found.tested_hs or found.hs)), st.sampled_from(sorted(found.hs)))
    hs_codes = st.builds(lambda p, tail: (p + tail)[:10], hs_prefixes,
                         st.text(alphabet="0123456789", max_size=6)).filter(lambda c: len(c) >= 2)
    categories = st.one_of(st.sampled_from(sorted(found.tested_categories or found.categories)),
                           st.sampled_from(sorted(found.categories)))
    currencies = sorted({m.currency for m in found.money} | {"USD", "EUR"})
    money = st.fixed_dictionaries({"amount": _amounts([m.amount for m in found.money]),
                                   "currency": st.sampled_from(currencies)})
    units = sorted({q.unit for q in found.quantities} | set(_UNITS))
    quantity = st.fixed_dictionaries({"amount": _amounts([q.amount for q in found.quantities]),
                                      "unit": st.sampled_from(units)})
    item = st.fixed_dictionaries({
        "description": st.sampled_from(sorted(found.texts | {"goods"})), "hs_code": hs_codes,
        "category": categories, "quantity": quantity, "value": money,
        "origin": countries, "condition": st.sampled_from(["new", "used"]),
    })
    claims = st.lists(st.builds(
        lambda ka, ref, day: {"kind": ka[0], "authority": ka[1], **({"reference": ref} if ref else {}), "date": day},
        st.sampled_from(sorted(found.claims)), st.sampled_from([None, "REF-1"]), dates), max_size=2)
    kinds = st.sampled_from(sorted(found.tokens.get("kind", set()) | {"sale", "gift", "ship_to_ship", "payment"}))
    return st.fixed_dictionaries({
        "id": st.just("T-1"), "date": dates, "contract_date": dates, "kind": kinds,
        "sender": party(0), "recipient": party(0), "end_user": party(0),
        "intermediaries": st.lists(party(1), max_size=2), "carrier": party(1),
        "origin": countries, "destination": countries, "route": st.lists(countries, max_size=2),
        "goods": st.lists(item, min_size=1, max_size=3), "exemption_claims": claims, "notes": st.just("generated"),
    })
