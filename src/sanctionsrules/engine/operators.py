"""The operators of the rule language: each a small test of one known value, in three-valued logic.

An operator never sees an unknown value (the caller handles those); it may still answer UNKNOWN, for example
when money in two currencies cannot be compared or an item's HS code is broader than the tested heading.
Each operator can say in words why it held (``because``) or what is missing (``missing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sanctionsrules.engine.designations import DesignationSource
from sanctionsrules.engine.facts import Context
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri
from sanctionsrules.model.codes import Money, Quantity, convert_quantity
from sanctionsrules.model.transfer import GoodsItem, Party
from sanctionsrules.ruleset.facts import FactSpec
from sanctionsrules.ruleset.taxonomy import Taxonomy, hs_relation

__all__ = ["Operator", "make_operator"]


@dataclass(frozen=True, slots=True)
class Operator:
    """``test(value, ctx)`` decides; ``say(label, value, result, ctx)`` explains a TRUE or UNKNOWN result."""

    test: Callable[[Any, Context], Tri]
    say: Callable[[str, Any, Tri, Context], str]


_SYMBOL = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "eq": "="}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "eq": lambda a, b: a == b,
}


def _fmt_set(values: Any) -> str:
    items = sorted(values)
    return items[0] if len(items) == 1 else "one of " + ", ".join(items)


def _membership(operand: frozenset[str], casefold: bool) -> Operator:
    if casefold:
        folded = frozenset(v.casefold() for v in operand)

        def test_text(value: Any, ctx: Context) -> Tri:
            return TRUE if str(value).casefold() in folded else FALSE

        test = test_text
    else:

        def test_code(value: Any, ctx: Context) -> Tri:
            return TRUE if value in operand else FALSE

        test = test_code

    def say(label: str, value: Any, result: Tri, ctx: Context) -> str:
        return f"{label} is {value}"

    return Operator(test, say)


_CACHE_LIMIT = 4096


def _category(targets: frozenset[str], taxonomy: Taxonomy) -> Operator:
    # Results depend only on (category, HS code) for fixed targets, and goods repeat: memoise them, bounded.
    memo: dict[tuple[str | None, str | None], Tri] = {}

    def decide(category: str | None, code: str | None) -> Tri:
        if category is not None and category in taxonomy:
            result = taxonomy.declared(category, targets)
            if result != TRUE and code is not None and taxonomy.definitely_by_hs(code, targets):
                return TRUE
            return result
        if code is not None:
            return taxonomy.by_hs(code, targets)[0]
        return UNKNOWN

    def test(item: GoodsItem, ctx: Context) -> Tri:
        key = (item.category, item.hs_code)
        found = memo.get(key)
        if found is None:
            if len(memo) >= _CACHE_LIMIT:
                memo.clear()
            found = memo[key] = decide(*key)
        return found

    def which(name: str) -> str:
        return next(t for t in sorted(targets) if taxonomy.is_a(name, t))

    def say(label: str, item: GoodsItem, result: Tri, ctx: Context) -> str:
        cat, code = item.category, item.hs_code
        if result == TRUE:
            if cat is not None and taxonomy.declared(cat, targets) == TRUE:
                target = which(cat)
                return f"{label} category {cat}" + ("" if cat == target else f" is a {target}")
            assert code is not None
            name = taxonomy.definitely_by_hs(code, targets) or ""
            return f"{label} HS {code} is {name}" + ("" if name in targets else f", a {which(name)}")
        wanted = _fmt_set(targets)
        if cat is None and code is None:
            return f"{label}.category or {label}.hs_code (is it {wanted}?)"
        if cat is not None:
            return f"{label}.category: {cat} is broader than {wanted}; name the specific category"
        maybe = taxonomy.by_hs(code or "", targets)[1]
        return (
            f"{label}.category: HS {code} may be {maybe}, a {which(maybe or '')}; name the category"
            if maybe
            else f"{label}.category (HS {code})"
        )

    return Operator(test, say)


def _hs_prefix(prefixes: tuple[str, ...], taxonomy: Taxonomy) -> Operator:
    def test(item: GoodsItem, ctx: Context) -> Tri:
        code = item.hs_code
        if code is not None:
            best = FALSE
            for prefix in prefixes:
                relation = hs_relation(code, prefix)
                if relation == TRUE:
                    return TRUE
                if relation == UNKNOWN:
                    best = UNKNOWN
            return best
        if item.category is not None and item.category in taxonomy:
            return taxonomy.hs_of_category(item.category, prefixes)
        return UNKNOWN

    def say(label: str, item: GoodsItem, result: Tri, ctx: Context) -> str:
        wanted = "HS " + ", ".join(prefixes)
        if result == TRUE:
            if item.hs_code is not None:
                hit = next(p for p in prefixes if item.hs_code.startswith(p))
                return f"{label} HS {item.hs_code} is under HS {hit}"
            return f"{label} category {item.category} is classified under {wanted}"
        if item.hs_code is not None:
            return f"{label}.hs_code: {item.hs_code} is broader than {wanted}; give the full code"
        if item.category is not None:
            return f"{label}.hs_code (category {item.category} may or may not be under {wanted})"
        return f"{label}.hs_code or {label}.category (is it under {wanted}?)"

    return Operator(test, say)


def _money(op: str, bound: Money) -> Operator:
    compare = _COMPARE[op]

    def test(value: Money, ctx: Context) -> Tri:
        if value.currency != bound.currency:
            return UNKNOWN  # no exchange rate is guessed
        return TRUE if compare(value.amount, bound.amount) else FALSE

    def say(label: str, value: Money, result: Tri, ctx: Context) -> str:
        if result == UNKNOWN:
            return f"{label} in {bound.currency} (given {value.amount} {value.currency}; no exchange rate is assumed)"
        return f"{label} {value.currency} {value.amount} {_SYMBOL[op]} {bound.currency} {bound.amount}"

    return Operator(test, say)


def _quantity(op: str, bound: Quantity) -> Operator:
    compare = _COMPARE[op]

    def convert(value: Quantity) -> Decimal | None:
        return convert_quantity(value.amount, value.unit, bound.unit)

    def test(value: Quantity, ctx: Context) -> Tri:
        amount = convert(value)
        if amount is None:
            return UNKNOWN
        return TRUE if compare(amount, bound.amount) else FALSE

    def say(label: str, value: Quantity, result: Tri, ctx: Context) -> str:
        if result == UNKNOWN:
            return f"{label} in {bound.unit} (given in {value.unit}, which does not convert)"
        shown = convert(value)
        return f"{label} {shown} {bound.unit} {_SYMBOL[op]} {bound.amount} {bound.unit}"

    return Operator(test, say)


def _date(op: str, bound: dt.date) -> Operator:
    compare = _COMPARE[op]

    def test(value: dt.date, ctx: Context) -> Tri:
        return TRUE if compare(value, bound) else FALSE

    def say(label: str, value: dt.date, result: Tri, ctx: Context) -> str:
        return f"{label} {value} {_SYMBOL[op]} {bound}"

    return Operator(test, say)


def _designated(regimes: frozenset[str], source: DesignationSource) -> Operator:
    def test(party: Party, ctx: Context) -> Tri:
        return source.check(party, regimes, ctx.on)[0]

    def say(label: str, party: Party, result: Tri, ctx: Context) -> str:
        why = source.check(party, regimes, ctx.on)[1]
        lists = _fmt_set(regimes)
        if result == TRUE:
            return f"{label} {party.name} is designated on the UN {lists} list: {why}"
        return f"{label}: {party.name} may be designated on the UN {lists} list ({why}); confirm or rule out"

    return Operator(test, say)


def make_operator(
    spec: FactSpec, op: str, operand: Any, taxonomy: Taxonomy, designations: DesignationSource
) -> Operator:
    """The operator for ``op`` on a fact of ``spec``'s type, bound to its (already checked) operand."""
    if op == "in":
        return _membership(operand, casefold=spec.type == "text")
    if op == "is_a":
        return _category(operand, taxonomy)
    if op == "prefix":
        return _hs_prefix(operand, taxonomy)
    if op == "designated":
        return _designated(operand, designations)
    if spec.type == "money":
        return _money(op, operand)
    if spec.type == "quantity":
        return _quantity(op, operand)
    if spec.type == "date":
        return _date(op, operand)
    raise AssertionError(f"no operator {op!r} for {spec.type}")  # pragma: no cover - the loader checks this
