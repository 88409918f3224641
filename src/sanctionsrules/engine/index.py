"""The rule index, generated as one Python function per compiled rule set.

Each rule is keyed on its most selective necessary clause (``compiler.guards_of``). The generated function reads
each keyed fact once, straight off the transfer, and returns the position sets that light up: a rule keyed on
"a receiving party is in KP" lights up when one is in KP or is unknown. A clean transfer touches a few attributes
and returns nothing. Generating the code (instead of looping over getters) removes most of the interpreter's
per-fact overhead on the path every transfer takes; the generated source is kept for inspection (``source``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sanctionsrules.engine.designations import DesignationSource
from sanctionsrules.engine.facts import NOT_CRAFT, ROLE_PARTIES
from sanctionsrules.model.transfer import Transfer
from sanctionsrules.ruleset.facts import FACTS

__all__ = ["RuleIndex", "build_index"]

_TRANSFER_FACTS = ("date", "contract_date", "kind", "origin", "destination")
_SINGLE_ROLES = ("sender", "recipient", "end_user", "carrier")

# Keys are widened to a group of parties that holds the original ones: a rule keyed on "the recipient is in KP"
# lights up when any receiving party is in KP or unknown, a superset, so no rule is ever missed. Fewer, wider
# keys mean fewer party lists to build per transfer.
_WIDER = {
    "recipient.country": "receiving_party.country",
    "end_user.country": "receiving_party.country",
    "sender.country": "party.country",
    "supplying_party.country": "party.country",
    "intermediary.country": "party.country",
    "carrier.country": "party.country",
    "sender.flag": "party.flag",
    "recipient.flag": "party.flag",
    "end_user.flag": "party.flag",
    "carrier.flag": "party.flag",
    "intermediary.flag": "party.flag",
    "supplying_party.flag": "party.flag",
    "receiving_party.flag": "party.flag",
    "recipient": "receiving_party",
    "end_user": "receiving_party",
    "sender": "supplying_party",
}


@dataclass
class RuleIndex:
    """Rule positions that may apply to a transfer: ``lookup(transfer)`` gives the sets to union."""

    always: frozenset[int]
    lookup: Callable[[Transfer], list[frozenset[int]]]
    source: str = field(repr=False)


@dataclass
class _Keys:
    by_value: dict[str, dict[str, set[int]]] = field(default_factory=dict)
    unknown: dict[str, set[int]] = field(default_factory=dict)
    present: dict[str, set[int]] = field(default_factory=dict)
    designated: dict[str, set[int]] = field(default_factory=dict)


def build_index(first_clauses: Sequence[tuple[int, Sequence[Any]]], designations: DesignationSource) -> RuleIndex:
    """The index over rules given as ``(position, first clause)``; an empty clause means "always a candidate"."""
    always: set[int] = set()
    keys = _Keys()
    for position, clause in first_clauses:
        if not clause:
            always.add(position)
            continue
        for guard in clause:
            if guard.kind == "designated":
                keys.designated.setdefault(_WIDER.get(guard.fact, guard.fact), set()).add(position)
            elif guard.kind == "present":
                keys.present.setdefault(guard.fact, set()).add(position)
            else:
                fact = _WIDER.get(guard.fact, guard.fact)
                keys.unknown.setdefault(fact, set()).add(position)
                positions = keys.by_value.setdefault(fact, {})
                for value in guard.values:
                    positions.setdefault(value, set()).add(position)
    constants: dict[str, Any] = {
        "ROLE_PARTIES": ROLE_PARTIES,
        "NOT_CRAFT": NOT_CRAFT,
        "may_designate": designations.may_designate,
    }
    lines = ["def lookup(t):", "    hits = []", "    add = hits.append"]
    keyed = [*keys.by_value, *(f for f in keys.present if f not in _SINGLE_ROLES), *keys.designated]
    roles_needed = sorted({f.partition(".")[0] for f in keyed if f.partition(".")[0] in ROLE_PARTIES})
    for role in roles_needed:
        lines.append(f"    p_{role} = ROLE_PARTIES[{role!r}](t)")
    for n, fact in enumerate(sorted(set(keys.by_value) | set(keys.present))):
        table: dict[str, frozenset[int]] = {v: frozenset(ps) for v, ps in keys.by_value.get(fact, {}).items()}
        unknown = frozenset(keys.unknown.get(fact, ()))
        present = frozenset(keys.present.get(fact, ()))
        constants[f"T{n}"], constants[f"U{n}"], constants[f"P{n}"] = table, unknown, present
        lines += _fact_code(fact, n, bool(table or unknown), bool(present))
    for n, (fact, designated) in enumerate(sorted(keys.designated.items())):
        constants[f"D{n}"] = frozenset(designated)
        lines += [
            f"    for p in p_{fact}:",
            "        if p is None or may_designate(p):",
            f"            add(D{n})",
            "            break",
        ]
    lines.append("    return hits")
    source = "\n".join(lines) + "\n"
    namespace: dict[str, Any] = dict(constants)
    exec(compile(source, "<sanctionsrules rule index>", "exec"), namespace)
    return RuleIndex(frozenset(always), namespace["lookup"], source)


def _fact_code(fact: str, n: int, by_value: bool, present: bool) -> list[str]:
    """Code that adds this fact's position sets to ``hits``."""
    spec = FACTS[fact]
    role, _, attr = fact.partition(".")
    out: list[str] = []
    if fact in _TRANSFER_FACTS:
        out.append(f"    v = t.{fact}")
        if present:
            out.append(f"    if v is not None: add(P{n})")
        if by_value:
            out += [
                f"    if v is None: add(U{n})",
                "    else:",
                f"        h = T{n}.get(v)",
                "        if h is not None: add(h)",
            ]
        return out
    if fact in _SINGLE_ROLES:  # only "is this party given" is keyed on a role itself
        return [f"    if t.{fact} is not None: add(P{n})"] if present else []
    if fact == "route":
        loop, value = "for v in t.route:", None
    elif role in ROLE_PARTIES and attr == "flag":
        loop, value = f"for p in p_{role}:", "if p is None or p.kind in NOT_CRAFT: continue\n        v = p.flag"
    elif role in ROLE_PARTIES and attr:
        loop, value = f"for p in p_{role}:", f"v = None if p is None else p.{attr}"
    elif role in ROLE_PARTIES:
        loop, value = f"for v in p_{role}:", None
    else:  # pragma: no cover - item facts are never keys
        raise AssertionError(f"cannot index {fact} ({spec.type})")
    if present:
        out += [f"    {loop}", *([f"        {value}"] if value else []), f"        if v is not None: add(P{n}); break"]
    if by_value:
        out += [
            f"    {loop}",
            *([f"        {value}"] if value else []),
            f"        if v is None: add(U{n})",
            "        else:",
            f"            h = T{n}.get(v)",
            "            if h is not None: add(h)",
        ]
    return out
