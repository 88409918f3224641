"""Turn parsed conditions into nodes, inlining named conditions; say conditions in words; find index guards."""

from __future__ import annotations

from dataclasses import dataclass

from sanctionsrules.engine.designations import DesignationSource
from sanctionsrules.engine.facts import getter_for, presence_getter_for, values_getter_for
from sanctionsrules.engine.nodes import AllNode, AnyNode, ClaimNode, ExistsNode, MemoNode, Node, NotNode, TestNode
from sanctionsrules.engine.operators import make_operator
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.ruleset.facts import FACTS
from sanctionsrules.ruleset.taxonomy import Taxonomy

__all__ = [
    "Clause",
    "Guard",
    "compile_condition",
    "describe",
    "goods_part",
    "guards_of",
    "selectivity",
    "transfer_part",
    "uses_item",
]

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


_GOODS_FACTS = frozenset({"item.category", "item.hs_code"})


def _goods_only(condition: Condition, defines: dict[str, Condition]) -> bool:
    if isinstance(condition, Test):
        return condition.fact in _GOODS_FACTS
    if isinstance(condition, (All, AnyOf)):
        return all(_goods_only(c, defines) for c in condition.children)
    if isinstance(condition, Not):
        return _goods_only(condition.child, defines)
    if isinstance(condition, Use):
        return _goods_only(defines[condition.name], defines)
    return False


def goods_part(condition: Condition, defines: dict[str, Condition]) -> Condition | None:
    """The conjuncts of a goods rule that look only at an item's category and HS code (None if there are none).

    Their value depends on (category, HS code) alone, so the engine decides them once per kind of good and skips
    the rules whose goods part is false for an item, without evaluating them: the index "by HS code".
    """
    while isinstance(condition, Use):
        condition = defines[condition.name]
    if not isinstance(condition, All):
        return condition if _goods_only(condition, defines) else None
    inside = tuple(c for c in condition.children if _goods_only(c, defines))
    if not inside:
        return None
    return inside[0] if len(inside) == 1 else All(inside, condition.path)


def transfer_part(condition: Condition, defines: dict[str, Condition]) -> Condition | None:
    """The conjuncts of a goods rule that do not look at items, as one condition (None if there are none).

    If they are false, the rule is false for every item: the engine tests them once per transfer, not per item.
    """
    while isinstance(condition, Use):
        condition = defines[condition.name]
    if not isinstance(condition, All):
        return None
    outside = tuple(c for c in condition.children if not uses_item(c, defines))
    if not outside:
        return None
    return outside[0] if len(outside) == 1 else All(outside, condition.path)


@dataclass(frozen=True, slots=True)
class Guard:
    """One atom of a necessary condition, on a transfer-level fact. It is *live* for a transfer when it may hold:

    - ``in``: a value of ``fact`` is in ``values``, or is unknown;
    - ``present``: ``fact`` has a value (an ``exists: true`` test, never unknown);
    - ``designated``: a party of ``fact`` is unknown or may be designated.
    """

    fact: str
    kind: str  # "in" | "present" | "designated"
    values: frozenset[str] = frozenset()


Clause = tuple[Guard, ...]  # live when one of its atoms is live


def guards_of(condition: Condition, defines: dict[str, Condition]) -> list[Clause]:
    """A conjunction of clauses implied by the condition: if any clause is dead, the condition is FALSE.

    An empty list means nothing could be found and the condition must always be evaluated.
    """
    if isinstance(condition, Test):
        spec = FACTS[condition.fact]
        if spec.item:
            return []
        if condition.op == "in" and spec.type in ("country", "token"):
            return [(Guard(condition.fact, "in", condition.operand),)]
        if condition.op == "exists" and condition.operand is True:
            return [(Guard(condition.fact, "present"),)]
        if condition.op == "designated":
            return [(Guard(condition.fact, "designated"),)]
        return []
    if isinstance(condition, Use):
        return guards_of(defines[condition.name], defines)
    if isinstance(condition, All):
        return [clause for child in condition.children for clause in guards_of(child, defines)]
    if isinstance(condition, AnyOf):
        # A disjunction holds only if one branch does: one clause of each branch, joined, is necessary.
        branches = [guards_of(child, defines) for child in condition.children]
        if any(not clauses for clauses in branches):
            return []
        return [tuple(atom for clauses in branches for atom in min(clauses, key=selectivity))]
    return []


def selectivity(clause: Clause) -> tuple[int, int]:
    """Sort key, most selective first: clauses on countries and designations (few transfers touch the DPRK),
    then on the presence of a fact (an end user is usually given), then on tokens such as the kind of transfer
    (most are sales); among equals, fewer alternatives."""
    weight = max(_WEIGHT[g.kind if g.kind != "in" else FACTS[g.fact].type] for g in clause)
    return (weight, len(clause))


_WEIGHT = {"country": 0, "designated": 0, "present": 1, "token": 2}


def compile_condition(
    condition: Condition,
    defines: dict[str, Condition],
    taxonomy: Taxonomy,
    designations: DesignationSource,
    cache: dict[str, Node] | None = None,
    *,
    memo: bool = True,
) -> Node:
    """The node tree for ``condition``; named conditions compile once and are shared (``cache``).

    With ``memo``, a named condition that does not look at items is decided once per transfer for every rule
    that uses it; without, each use decides it again (the naive baseline).
    """
    cache = {} if cache is None else cache
    text = describe(condition)
    if isinstance(condition, Test):
        spec = FACTS[condition.fact]
        if condition.op == "exists":
            return ExistsNode(text, presence_getter_for(condition.fact), bool(condition.operand))
        values = values_getter_for(condition.fact)
        operator = make_operator(spec, condition.op, condition.operand, taxonomy, designations)
        return TestNode(text, getter_for(condition.fact), values, operator)
    if isinstance(condition, All):
        return AllNode(
            text,
            tuple(compile_condition(c, defines, taxonomy, designations, cache, memo=memo) for c in condition.children),
        )
    if isinstance(condition, AnyOf):
        return AnyNode(
            text,
            tuple(compile_condition(c, defines, taxonomy, designations, cache, memo=memo) for c in condition.children),
        )
    if isinstance(condition, Not):
        return NotNode(text, compile_condition(condition.child, defines, taxonomy, designations, cache, memo=memo))
    if isinstance(condition, Use):
        if condition.name not in cache:
            definition = defines[condition.name]
            node = compile_condition(definition, defines, taxonomy, designations, cache, memo=memo)
            if memo and not uses_item(definition, defines):
                node = MemoNode(condition.name, node)
            cache[condition.name] = node
        return cache[condition.name]
    assert isinstance(condition, Claim)
    return ClaimNode(text, condition.kinds, condition.authorities, condition.needs_reference)
