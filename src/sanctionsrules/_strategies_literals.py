"""Literals of the rule language and the values that satisfy them, for rule-directed generation.

A literal is one test of a condition with the polarity it must take: ``destination in {KP}`` true, or
``item.category is_a luxury_goods`` false. ``tri`` decides a literal on one value in the language's
three-valued logic, from the rule language's own definitions (the fact catalogue and the taxonomy), not from
the engine, so that the property suite checks the engine against an independent reading of the rules.
A literal *holds* only when its test is definitely TRUE (positive) or definitely FALSE (negative): UNKNOWN
never satisfies anything.

``pool`` lists candidate values for one attribute that satisfy all its literals, simplest first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from sanctionsrules._strategies_values import RuleSetInfo, all_countries, all_currencies
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri
from sanctionsrules.model.codes import Money, Quantity, convert_quantity
from sanctionsrules.ruleset.conditions import Claim

__all__ = [
    "CMP",
    "ClaimValue",
    "Identifiers",
    "Lit",
    "claim_pool",
    "extra_claims",
    "holds",
    "pool",
    "satisfiable",
    "tri",
    "wants_absent",
]

CMP: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}
_TOKEN: Final = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")

Identifiers = tuple[tuple[str, str], ...]  # (scheme, value) pairs of a party
ClaimValue = tuple[str, str, str | None]  # kind, authority, reference


@dataclass(frozen=True, slots=True)
class Lit:
    """One test with the polarity it must take. ``prefer``: realise it as near its boundary as possible."""

    type: str  # a fact type of the catalogue, or "claim"
    op: str
    operand: Any
    positive: bool
    prefer: bool = False

    def flipped(self, *, prefer: bool = False) -> Lit:
        """The same test with the other polarity."""
        return Lit(self.type, self.op, self.operand, not self.positive, prefer)


def wants_absent(lits: Iterable[Lit]) -> bool:
    """True when a literal asks for the value to be left out (``exists: false``, or ``exists: true`` negated)."""
    return any(lit.op == "exists" and bool(lit.operand) != lit.positive for lit in lits)


def tri(lit: Lit, value: Any, info: RuleSetInfo, on: dt.date | None = None) -> Tri:
    """The test of ``lit`` (ignoring its polarity) on ``value``; ``None`` is an absent fact.

    ``on`` is the transfer date, which only designations depend on (without it: as of a far future day).
    """
    if lit.op == "exists":
        present = value is not None
        if lit.type in ("hs_code", "category") and value is not None:
            # One goods value carries both facts; each exists test asks about its own field.
            present = value[1 if lit.type == "hs_code" else 0] is not None
        return TRUE if present == bool(lit.operand) else FALSE
    if lit.type == "claim":
        claim: Claim = lit.operand
        return TRUE if any(_claim_matches(claim, c) for c in value) else FALSE
    if lit.type in ("hs_code", "category"):
        return _goods(lit, value, info)
    if value is None:
        return UNKNOWN
    if lit.op == "in":
        if lit.type == "text":
            return TRUE if str(value).casefold() in {v.casefold() for v in lit.operand} else FALSE
        return TRUE if value in lit.operand else FALSE
    if lit.op == "designated":
        return info.designated(value, lit.operand, on)
    compare = CMP[lit.op]
    if lit.type == "money":
        amount, currency = value
        if currency != lit.operand.currency:
            return UNKNOWN  # the language guesses no exchange rate
        return TRUE if compare(amount, lit.operand.amount) else FALSE
    if lit.type == "quantity":
        amount, unit = value
        converted = convert_quantity(amount, unit, lit.operand.unit)
        if converted is None:
            return UNKNOWN
        return TRUE if compare(converted, lit.operand.amount) else FALSE
    return TRUE if compare(value, lit.operand) else FALSE


def holds(lit: Lit, value: Any, info: RuleSetInfo, on: dt.date | None = None) -> bool:
    """True when ``lit`` takes its polarity, definitely, on ``value``."""
    return tri(lit, value, info, on) == (TRUE if lit.positive else FALSE)


def _claim_matches(claim: Claim, value: ClaimValue) -> bool:
    kind, authority, reference = value
    if claim.kinds is not None and kind not in claim.kinds:
        return False
    if claim.authorities is not None and authority not in claim.authorities:
        return False
    return not (claim.needs_reference and not reference)


def _goods(lit: Lit, value: tuple[str | None, str | None] | None, info: RuleSetInfo) -> Tri:
    # The rule language: an item's HS code and category each stand in for the other, through the taxonomy.
    category, code = value if value is not None else (None, None)
    taxonomy = info.taxonomy
    if lit.op == "prefix":
        prefixes: tuple[str, ...] = lit.operand
        if code is not None:
            if any(code.startswith(p) for p in prefixes):
                return TRUE
            return UNKNOWN if any(p.startswith(code) for p in prefixes) else FALSE
        if category is not None:
            return taxonomy.hs_of_category(category, prefixes)
        return UNKNOWN
    targets: frozenset[str] = lit.operand
    if category is not None:
        declared = taxonomy.declared(category, targets)
        if declared != TRUE and code is not None and taxonomy.definitely_by_hs(code, targets):
            return TRUE
        return declared
    if code is not None:
        return taxonomy.by_hs(code, targets)[0]
    return UNKNOWN


# -- pools ---------------------------------------------------------------------------------------------------
def pool(
    kind: str,
    lits: Sequence[Lit],
    info: RuleSetInfo,
    *,
    vocabulary: Sequence[str] = (),
    extra: Sequence[Any] = (),
    on: dt.date | None = None,
) -> list[Any]:
    """Values of type ``kind`` that satisfy every literal in ``lits``, simplest (or nearest a ``prefer``) first.

    Without a literal asking for absence, ``None`` is never offered: generated facts are given, not unknown.
    """
    if kind != "goods" and wants_absent(lits):
        return [None] if all(holds(lit, None, info) for lit in lits) else []
    found = _static(kind, lits, info)
    if found is None:
        candidates = _candidates(kind, lits, info, vocabulary, extra)
        if not lits:
            return list(dict.fromkeys(candidates))
        found = [c for c in candidates if all(holds(lit, c, info, on) for lit in lits)]
    preferred = [lit for lit in lits if lit.prefer]
    if preferred and len(found) > 1:
        found.sort(key=lambda c: _distance(kind, preferred[0], c, info))
    return list(dict.fromkeys(found))


def satisfiable(kind: str, lits: Sequence[Lit], info: RuleSetInfo, *, vocabulary: Sequence[str] = ()) -> bool:
    """True when some value of ``kind`` satisfies every literal (stops at the first one found)."""
    if kind != "goods" and wants_absent(lits):
        return all(holds(lit, None, info) for lit in lits)
    found = _static(kind, lits, info)
    if found is not None:
        return bool(found)
    candidates = _candidates(kind, lits, info, vocabulary, ())
    return any(all(holds(lit, c, info) for lit in lits) for c in candidates)


def _static(kind: str, lits: Sequence[Lit], info: RuleSetInfo) -> list[Any] | None:
    # Countries and goods come from fixed universes, and a rule set repeats the same literals over and over
    # (every rule about the DPRK tests destination KP): each literal's matches are computed once per rule set,
    # and a pool is the intersection of its literals' matches.
    if kind == "country":
        universe: Sequence[Any] = all_countries()
    elif kind == "goods":
        universe = info.archetypes if any(lit.op == "exists" for lit in lits) else info.complete
    else:
        return None
    chosen: frozenset[int] | None = None
    for lit in lits:
        key = ("matches", kind, len(universe), lit.type, lit.op, lit.operand, lit.positive)
        matches = info.answers.get(key)
        if matches is None:
            matches = frozenset(i for i, value in enumerate(universe) if holds(lit, value, info))
            info.answers[key] = matches
        chosen = matches if chosen is None else chosen & matches
    return list(universe) if chosen is None else [universe[i] for i in sorted(chosen)]


def _candidates(
    kind: str, lits: Sequence[Lit], info: RuleSetInfo, vocabulary: Sequence[str], extra: Sequence[Any]
) -> list[Any]:
    if kind == "country":
        allowed = [set(lit.operand) for lit in lits if lit.op == "in" and lit.positive]
        if allowed:
            common = set.intersection(*allowed)
            return [c for c in all_countries() if c in common]
        return list(all_countries())
    if kind == "token":
        return list(vocabulary)
    if kind == "text":
        named = sorted({v for lit in lits if lit.op == "in" and lit.positive for v in lit.operand})
        return [*named, *vocabulary]
    if kind == "goods":
        # Items with a fact left out only when a rule asks whether it is given.
        asks = any(lit.op == "exists" for lit in lits)
        return list(info.archetypes if asks else info.complete)
    if kind == "money":
        return _money_candidates(lits)
    if kind == "quantity":
        return _quantity_candidates(lits)
    if kind == "date":
        return _date_candidates(lits, extra)
    if kind == "party":
        return _designation_candidates(lits, info)
    raise AssertionError(kind)


def _bounds(lits: Sequence[Lit]) -> list[Any]:
    return [lit.operand for lit in lits if lit.op in CMP]


def _steps(amount: Decimal, fine: Decimal) -> list[Decimal]:
    return [amount + d for d in (Decimal(1), fine, Decimal(0), -fine, Decimal(-1)) if amount + d >= 0]


def _money_candidates(lits: Sequence[Lit]) -> list[Any]:
    bounds: list[Money] = _bounds(lits)
    currencies = sorted({b.currency for b in bounds}) or list(all_currencies()[:3])
    amounts = [Decimal(v) for v in (1, 100, 0, 1000, 1_000_000)]
    for bound in bounds:
        amounts += _steps(bound.amount, Decimal("0.01"))
    amounts.sort(key=lambda a: (a != a.to_integral_value(), a))  # whole amounts first, then the smallest
    return [(a, c) for c in currencies for a in amounts if a < Decimal(10) ** 15]


def _quantity_candidates(lits: Sequence[Lit]) -> list[Any]:
    bounds: list[Quantity] = _bounds(lits)
    units = [bounds[0].unit] if bounds else ["piece", "kg", "t", "bbl", "l"]
    amounts = [Decimal(v) for v in (1, 10, 0, 1000)]
    for bound in bounds:
        converted = convert_quantity(bound.amount, bound.unit, units[0])
        if converted is not None:
            amounts += _steps(converted.quantize(Decimal("0.000001")), Decimal("0.001"))
    amounts.sort(key=lambda a: (a != a.to_integral_value(), a))
    return [(a, u) for u in units for a in amounts if a < Decimal(10) ** 13]


def _date_candidates(lits: Sequence[Lit], extra: Sequence[Any]) -> list[Any]:
    days = [dt.timedelta(days=d) for d in (0, 1, -1)]
    out: list[dt.date] = [*extra]
    for lit in lits:
        if lit.op in CMP:
            out += [lit.operand + d for d in days]
    if not out:
        out = [dt.date(2024, 1, 1)]
    return sorted(set(out))


def _designation_candidates(lits: Sequence[Lit], info: RuleSetInfo) -> list[Any]:
    # No identifier first, then an IMO number (designated by no list entry of ours), then identities the
    # designation source holds listed: under the regimes the literals ask about, then any the rules mention.
    out: list[Identifiers] = [(), (("imo", "IMO 9000001"),)]
    asked = [lit.operand for lit in lits if lit.op == "designated" and lit.positive]
    for regimes in [*asked, *info.regimes]:
        out += info.identities(regimes)
    return out


def _distance(kind: str, lit: Lit, value: Any, info: RuleSetInfo) -> Any:
    # Near-miss samples: the value closest to the boundary the flipped literal draws.
    if kind in ("money", "quantity") and lit.op in CMP:
        return abs(value[0] - _as_amount(lit.operand, value, kind))
    if kind == "date" and lit.op in CMP:
        return abs((value - lit.operand).days)
    if kind == "goods" and lit.op in ("prefix", "is_a"):
        category, code = value
        if lit.op == "prefix":
            return 0 if code in info.neighbours else 1
        siblings = {p for t in lit.operand for p in info.taxonomy.categories[t].parents}
        parents = set(info.taxonomy.categories[category].parents) if category else set()
        return 0 if parents & siblings else 1
    return 0


def _as_amount(bound: Any, value: Any, kind: str) -> Decimal:
    if kind == "money":
        amount: Decimal = bound.amount
        return amount
    converted = convert_quantity(bound.amount, bound.unit, value[1])
    return converted if converted is not None else Decimal(0)


def claim_pool(lit: Claim, negatives: Sequence[Claim], info: RuleSetInfo) -> list[ClaimValue]:
    """Claims that match ``lit`` and none of ``negatives``, simplest first. Kinds must be model tokens."""
    kinds = sorted(lit.kinds) if lit.kinds is not None else [*info.claim_kinds, "other"]
    authorities = sorted(lit.authorities) if lit.authorities is not None else [*info.claim_authorities, "national"]
    references: list[str | None] = ["REF-1"] if lit.needs_reference else ["REF-1", None]
    out: list[ClaimValue] = []
    for kind in kinds:
        for authority in authorities:
            for reference in references:
                value = (kind, authority, reference)
                if not (_TOKEN.match(kind) and _TOKEN.match(authority)) or not _claim_matches(lit, value):
                    continue
                if any(_claim_matches(n, value) for n in negatives):
                    continue
                out.append(value)
    return out


def extra_claims(negatives: Sequence[Claim], info: RuleSetInfo) -> list[ClaimValue]:
    """Claims that match none of ``negatives``: what a transfer may carry besides the ones a rule asks for."""
    free = Claim(None, None, False, "$")
    return claim_pool(free, negatives, info)
