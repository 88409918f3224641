"""Shared pieces of the property suite: the rules under test, a mix of interesting transfers, and helpers.

The rules are the built-in ones, or the rules tree named by ``SANCTIONSRULES_RULES`` (so rule authors can run
this suite against their own rules). The suite runs under the profile the root conftest loads (``ci`` by
default); per-rule tests take a fraction of its ``max_examples`` so that it stays inside its time budget
however many rules there are.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from sanctionsrules import CompiledRuleSet, Decision, RuleSet, Transfer, Verdict, compile_rules, load_rules
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.strategies import transfers

RULES_PATH: str | None = os.environ.get("SANCTIONSRULES_RULES") or None
RULESET: RuleSet = load_rules(RULES_PATH)
COMPILED: CompiledRuleSet = compile_rules(RULESET)
RULE_IDS: list[str] = [r.id for r in RULESET.rules]


def per_rule_settings(fraction: int = 15, minimum: int = 4) -> settings:
    """Settings for a test parametrised over every rule: a ``fraction`` of the profile's examples each."""
    return settings(max_examples=max(minimum, settings.default.max_examples // fraction))


def interesting_transfers(ruleset: CompiledRuleSet = COMPILED) -> st.SearchStrategy[Transfer]:
    """Random transfers (often with unknown facts) mixed with violations, near misses and compliant ones."""
    ids = [r.id for r in ruleset.ruleset.rules]
    return st.one_of(
        transfers(ruleset=ruleset),
        st.one_of(*[transfers(violating=r, ruleset=ruleset) for r in ids]),
        st.one_of(*[transfers(near=r, ruleset=ruleset) for r in ids]),
        transfers(compliant_with=ruleset),
    )


def finding_set(decision: Decision) -> set[str]:
    """The findings as a set of canonical JSON texts: rule order must not matter, content must."""
    return {json.dumps(f.to_dict(), sort_keys=True) for f in decision.findings}


def worst(decision: Decision, rule_id: str) -> Verdict:
    """The most severe finding of one rule in a decision (``permitted`` when it has none)."""
    return max((f.verdict for f in decision.findings if f.rule == rule_id), default=Verdict.PERMITTED)


def with_changes(transfer: Transfer, **changes: Any) -> Transfer:
    """The transfer with some fields replaced, validated again (never ``model_copy``, which skips validation)."""
    return Transfer.model_validate({**transfer.model_dump(), **changes})


# -- which facts a rule reads, and in which direction ---------------------------------------------------------
def occurrences(
    condition: Condition, defines: dict[str, Condition], positive: bool = True
) -> Iterator[tuple[str, str, Any, bool]]:
    """Every test in ``condition`` as (fact, op, operand, polarity); a claim is fact ``claim``."""
    if isinstance(condition, Test):
        yield condition.fact, condition.op, condition.operand, positive
    elif isinstance(condition, Claim):
        yield "claim", "claim", condition, positive
    elif isinstance(condition, (All, AnyOf)):
        for child in condition.children:
            yield from occurrences(child, defines, positive)
    elif isinstance(condition, Not):
        yield from occurrences(condition.child, defines, not positive)
    elif isinstance(condition, Use):
        yield from occurrences(defines[condition.name], defines, positive)


def _rises(op: str, operand: Any, positive: bool) -> bool:
    # More values of a multi-valued fact can only make a positive test truer ("exists: false" is the opposite).
    up = not (op == "exists" and operand is False)
    return up == positive


def monotone_in(ruleset: RuleSet, rule_id: str, facts: tuple[str, ...], *, up: bool) -> bool:
    """True when adding values to ``facts`` can only raise (``up``) or only lower the rule's verdict.

    The rule's condition must read the facts in that direction, and the exemptions covering the rule in the
    opposite one (an exemption that becomes true lowers the verdict).
    """
    rule = ruleset.rule(rule_id)

    def reads(fact: str) -> bool:
        return fact in facts or fact.split(".")[0] in facts

    in_rule = [o for o in occurrences(rule.condition, ruleset.defines[rule.regime]) if reads(o[0])]
    if not all(_rises(op, operand, pos) == up for _, op, operand, pos in in_rule):
        return False
    for exemption in ruleset.exemptions:
        if rule_id in exemption.covers:
            found = [o for o in occurrences(exemption.condition, ruleset.defines[exemption.regime]) if reads(o[0])]
            if not all(_rises(op, operand, pos) != up for _, op, operand, pos in found):
                return False
    return True


def uses_exists(ruleset: RuleSet, rule_id: str) -> bool:
    """True when the rule or an exemption covering it asks whether a fact is given (never unknown, by design)."""
    rule = ruleset.rule(rule_id)
    conditions = [(rule.condition, rule.regime)]
    conditions += [(e.condition, e.regime) for e in ruleset.exemptions if rule_id in e.covers]
    return any(op == "exists" for c, regime in conditions for _, op, _, _ in occurrences(c, ruleset.defines[regime]))
