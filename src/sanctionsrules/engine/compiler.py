"""Turn parsed conditions into nodes, inlining named conditions; say conditions in words; find index guards."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionsrules.engine.designations import DesignationSource
from sanctionsrules.engine.facts import getter_for, values_getter_for
from sanctionsrules.engine.nodes import AllNode, AnyNode, ClaimNode, ExistsNode, Node, NotNode, TestNode
from sanctionsrules.engine.operators import make_operator
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.ruleset.facts import FACTS
from sanctionsrules.ruleset.taxonomy import Taxonomy

__all__ = ["Guard", "compile_condition", "describe", "guard_of", "uses_item"]

_WORDS = {
    "in": "is",
    "is_a": "is a",
    "prefix": "is under HS",
    "designated": "is designated on the UN list of",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "eq": "is",
}


def _operand_words(operand: object) -> str:
    if isinstance(operand, (frozenset, set, tuple, list)):
        items = sorted(str(x) for x in operand)
        return items[0] if len(items) == 1 else "[" + ", ".join(items) + "]"
    if hasattr(operand, "currency"):
        return f"{operand.currency} {operand.amount}"  # type: ignore[attr-defined]
    if hasattr(operand, "unit"):
        return f"{operand.amount} {operand.unit}"  # type: ignore[attr-defined]
    return str(operand)


def describe(condition: Condition, defines: dict[str, Condition] | None = None, depth: int = 0) -> str:
    """The condition in words, one line: ``all of (destination is KP, item.category is a luxury_goods)``."""
    if isinstance(condition, Test):
        if condition.op == "exists":
            return f"{condition.fact} is {'given' if condition.operand else 'not given'}"
        return f"{condition.fact} {_WORDS[condition.op]} {_operand_words(condition.operand)}"
    if isinstance(condition, All):
        return "all of (" + ", ".join(describe(c, defines, depth) for c in condition.children) + ")"
    if isinstance(condition, AnyOf):
        return "any of (" + ", ".join(describe(c, defines, depth) for c in condition.children) + ")"
    if isinstance(condition, Not):
        return "not " + describe(condition.child, defines, depth)
    if isinstance(condition, Use):
        if defines is not None and depth < 1 and condition.name in defines:
            return f"{condition.name} [{describe(defines[condition.name], defines, depth + 1)}]"
        return condition.name
    parts = []
    if condition.kinds:
        parts.append("kind " + _operand_words(condition.kinds))
    if condition.authorities:
        parts.append("from " + _operand_words(condition.authorities))
    if condition.needs_reference:
        parts.append("with a reference")
    return "an exemption claim" + (" (" + ", ".join(parts) + ")" if parts else "")


def uses_item(condition: Condition, defines: dict[str, Condition]) -> bool:
    """True when the condition tests a goods item, so it is evaluated once per line item."""
    if isinstance(condition, Test):
        return FACTS[condition.fact].item
    if isinstance(condition, (All, AnyOf)):
        return any(uses_item(c, defines) for c in condition.children)
    if isinstance(condition, Not):
        return uses_item(condition.child, defines)
    if isinstance(condition, Use):
        return uses_item(defines[condition.name], defines)
    return False


@dataclass(frozen=True, slots=True)
class Guard:
    """A necessary condition for a rule to be anything but FALSE: one of ``fact`` values is in ``values``.

    A list of guards is a disjunction. If every guard is definitely false, so is the rule, and the index skips it.
    """

    fact: str
    values: frozenset[str] | None  # None: a designation guard (some party of ``fact`` may be designated)


def guard_of(condition: Condition, defines: dict[str, Condition]) -> list[Guard] | None:
    """Guards the condition implies (transfer-level country and token tests, designations), or None if none."""
    if isinstance(condition, Test):
        spec = FACTS[condition.fact]
        if condition.op == "in" and not spec.item and spec.type in ("country", "token"):
            return [Guard(condition.fact, condition.operand)]
        if condition.op == "designated":
            return [Guard(condition.fact, None)]
        return None
    if isinstance(condition, Use):
        return guard_of(defines[condition.name], defines)
    if isinstance(condition, All):
        # Any one conjunct's guard is necessary; the one with fewest alternatives is the most selective.
        found = [g for g in (guard_of(c, defines) for c in condition.children) if g is not None]
        return min(found, key=len) if found else None
    if isinstance(condition, AnyOf):
        parts = [guard_of(c, defines) for c in condition.children]
        if any(p is None for p in parts):
            return None
        return [g for p in parts if p is not None for g in p]
    return None


def compile_condition(
    condition: Condition,
    defines: dict[str, Condition],
    taxonomy: Taxonomy,
    designations: DesignationSource,
    cache: dict[str, Node] | None = None,
) -> Node:
    """The node tree for ``condition``; named conditions compile once and are shared (``cache``)."""
    cache = {} if cache is None else cache
    text = describe(condition)
    if isinstance(condition, Test):
        spec = FACTS[condition.fact]
        values = values_getter_for(condition.fact)
        if condition.op == "exists":
            return ExistsNode(text, values, bool(condition.operand))
        operator = make_operator(spec, condition.op, condition.operand, taxonomy, designations)
        return TestNode(text, getter_for(condition.fact), values, operator)
    if isinstance(condition, All):
        return AllNode(
            text,
            tuple(compile_condition(c, defines, taxonomy, designations, cache) for c in condition.children),
        )
    if isinstance(condition, AnyOf):
        return AnyNode(
            text,
            tuple(compile_condition(c, defines, taxonomy, designations, cache) for c in condition.children),
        )
    if isinstance(condition, Not):
        return NotNode(text, compile_condition(condition.child, defines, taxonomy, designations, cache))
    if isinstance(condition, Use):
        if condition.name not in cache:
            cache[condition.name] = compile_condition(defines[condition.name], defines, taxonomy, designations, cache)
        return cache[condition.name]
    assert isinstance(condition, Claim)
    return ClaimNode(text, condition.kinds, condition.authorities, condition.needs_reference)
