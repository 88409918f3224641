"""Find a set of literals that makes a condition tree take a wanted truth value, as a blueprint of a transfer.

The search walks the condition tree: every child of a true ``all`` (or a false ``any``) must hold; one child of
a true ``any`` (or a false ``all``) is chosen; ``not`` flips the wanted value; ``use`` expands the named
condition. Each test becomes a literal on one attribute of the blueprint (a transfer field, one party, the
item), and the attribute's pool of satisfying values must stay non-empty, or the search backtracks.

Facts about several parties follow the engine's reading of the rule language (``ruleset.facts``): a test
on ``receiving_party`` is true when one of the recipient, the end user or a principal passes, and false only
when every one of them fails (an absent recipient or end user is unknown there, an absent principal is not a
party at all). A true literal is placed on one party (an existing one, a new intermediary or a new principal);
a false one applies to every party of the role, and to every party created later.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

from sanctionsrules._strategies_blueprint import (
    ATTRS,
    ITEM_ATTR,
    NOT_CRAFT,
    SCALARS,
    Blueprint,
    Goal,
    OutOfBudget,
    Preferred,
    Slot,
    goods_value,
    party_value,
)
from sanctionsrules._strategies_literals import Lit, claim_pool, holds, pool, satisfiable, wants_absent
from sanctionsrules._strategies_values import RuleSetInfo
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test, Use
from sanctionsrules.ruleset.facts import FACTS, SINGLE_ROLES

__all__ = ["Search"]

_Goals = tuple[Goal, "_Goals"] | None  # a cons list: pushing children in front is O(1)


def _chain(names: Sequence[str], base: str) -> list[str]:
    return sorted((n for n in names if n.startswith(base + "^") and set(n[len(base) :]) == {"^"}), key=len)


class Search:
    """A depth-first search over the choices of a condition tree; ``order(n)`` orders the branches of a choice."""

    def __init__(
        self,
        defines: Mapping[str, Mapping[str, Condition]],
        info: RuleSetInfo,
        order: Callable[[int], Sequence[int]],
        budget: int = 20_000,
    ) -> None:
        self.defines = defines
        self.info = info
        self.order = order
        self.budget = budget
        self.steps = 0

    # -- the search ----------------------------------------------------------------------------------------
    def solve(self, goals: Sequence[Goal], start: Blueprint) -> Blueprint | None:
        """The first blueprint that satisfies every goal, or None when there is none (within the budget)."""
        chain: _Goals = None
        for goal in reversed(goals):
            chain = (goal, chain)
        stack: list[tuple[_Goals, Blueprint]] = [(chain, start)]
        while stack:
            pending, bp = stack.pop()
            while True:
                self.steps += 1
                if self.steps > self.budget:
                    raise OutOfBudget
                if pending is None:
                    return bp
                goal, rest = pending
                cond, wanted = goal.cond, goal.wanted
                if isinstance(cond, Use):
                    pending = (goal.to(self.defines[goal.regime][cond.name]), rest)
                elif isinstance(cond, Not):
                    pending = (goal.to(cond.child, not wanted), rest)
                elif isinstance(cond, (All, AnyOf)):
                    every = isinstance(cond, All) == wanted
                    if every:
                        for child in reversed(cond.children):
                            rest = (goal.to(child), rest)
                        pending = rest
                    else:
                        order = list(self.order(len(cond.children)))
                        for i in reversed(order[1:]):
                            stack.append(((goal.to(cond.children[i]), rest), bp))
                        pending = (goal.to(cond.children[order[0]]), rest)
                else:
                    options = self.apply(bp, cond, wanted, no_item=goal.no_item)
                    if not options:
                        break
                    options = [dataclasses.replace(o, trail=(*o.trail, goal)) for o in options]
                    picked = list(self.order(len(options))) if len(options) > 1 else [0]
                    for i in reversed(picked[1:]):
                        stack.append((rest, options[i]))
                    pending, bp = rest, options[picked[0]]
        return None

    # -- literals ------------------------------------------------------------------------------------------
    def apply(
        self, bp: Blueprint, cond: Test | Claim | Preferred, wanted: bool, *, no_item: bool = False
    ) -> list[Blueprint]:
        """Every way to add the literal ``cond`` = ``wanted`` to ``bp`` (several when a party must be chosen)."""
        if isinstance(cond, Claim):
            return _some(self._claim(bp, cond, wanted))
        prefer = isinstance(cond, Preferred)
        test = cond.test if isinstance(cond, Preferred) else cond
        spec = FACTS[test.fact]
        lit = Lit(spec.type, test.op, test.operand, wanted, prefer)
        if no_item and test.fact in ITEM_ATTR:
            # No item in hand: its facts are absent, whatever the transfer's goods are.
            return [bp] if holds(lit, None, self.info) else []
        return self.apply_lit(bp, test.fact, lit)

    def apply_lit(self, bp: Blueprint, fact: str, lit: Lit) -> list[Blueprint]:
        """Every way to add ``lit`` on ``fact``."""
        if fact in SCALARS:
            return _some(self._scalar(bp, fact, lit))
        if fact == "route":
            return _some(self._route(bp, lit))
        if fact in ITEM_ATTR:
            return _some(self._item(bp, ITEM_ATTR[fact], lit))
        role, _, attr = fact.partition(".")
        attr = attr or "party"
        if role in SINGLE_ROLES and role != "carrier":
            return _some(self._put(bp, role, attr, lit, mandatory=True))
        needs_value = not holds(lit, None, self.info)
        existential = lit.positive if lit.op != "exists" else not wants_absent([lit])
        if existential and needs_value:
            out = []
            for option in self._placements(bp, role):
                placed = self.fresh(bp, option) if option not in bp.slots else bp
                if placed is not None and (done := self._put(placed, option, attr, lit, mandatory=True)):
                    out.append(done)
            return out
        return _some(self._universal(bp, role, attr, lit))

    def _ok(self, where: str, lits: Sequence[Lit]) -> bool:
        kind, vocabulary = ATTRS[where]
        return satisfiable(kind, lits, self.info, vocabulary=vocabulary)

    def _scalar(self, bp: Blueprint, fact: str, lit: Lit) -> Blueprint | None:
        lits = (*bp.scalars.get(fact, ()), lit)
        if not self._ok(f"transfer.{fact}", lits):
            return None
        return dataclasses.replace(bp, scalars={**bp.scalars, fact: lits})

    def _route(self, bp: Blueprint, lit: Lit) -> Blueprint | None:
        if bp.route_fixed is not None:
            hops = bp.route_fixed
            if lit.op == "exists":
                return bp if (bool(hops) == bool(lit.operand)) == lit.positive else None
            good = [holds(lit, h, self.info) for h in hops]
            return bp if (any(good) if lit.positive else all(good)) else None
        existential = lit.positive if lit.op != "exists" else not wants_absent([lit])
        pos, neg = bp.route_pos, bp.route_neg
        if existential:
            pos = (*pos, lit)
        else:
            neg = (*neg, lit)
        if wants_absent(neg) and pos:
            return None
        if not all(self._ok("route.hop", [p, *neg]) for p in pos):
            return None
        return dataclasses.replace(bp, route_pos=pos, route_neg=neg)

    def _item(self, bp: Blueprint, attr: str, lit: Lit) -> Blueprint | None:
        lits = (*bp.item.get(attr, ()), lit)
        if bp.goods_fixed is not None:
            if not self._fixed_items_ok(bp, {**bp.item, attr: lits}):
                return None
        elif not self._ok(f"item.{attr}", lits):
            return None
        return dataclasses.replace(bp, item={**bp.item, attr: lits})

    def _fixed_items_ok(self, bp: Blueprint, item: Mapping[str, tuple[Lit, ...]]) -> bool:
        assert bp.goods_fixed is not None
        fits = [
            all(holds(lit, goods_value(g, a), self.info) for a, lits in item.items() for lit in lits)
            for g in bp.goods_fixed
        ]
        if not fits:
            return not any(item.values())
        return all(fits) if bp.shared_items else any(fits)

    def _claim(self, bp: Blueprint, claim: Claim, wanted: bool) -> Blueprint | None:
        if bp.claims_fixed is not None:
            lit = Lit("claim", "claim", claim, wanted)
            return bp if holds(lit, bp.claims_fixed, self.info) else None
        pos = (*bp.claims_pos, claim) if wanted else bp.claims_pos
        neg = bp.claims_neg if wanted else (*bp.claims_neg, claim)
        if not all(claim_pool(p, neg, self.info) for p in pos):
            return None
        return dataclasses.replace(bp, claims_pos=pos, claims_neg=neg)

    # -- parties -------------------------------------------------------------------------------------------
    def members(self, bp: Blueprint, role: str) -> list[tuple[str, bool]]:
        """The party slots ``role`` reads, each with whether it counts even when absent (unknown, not skipped)."""
        names = list(bp.slots)
        inter = [f"intermediary{i}" for i in range(bp.intermediaries)]
        if role == "carrier":
            return [("carrier", False)]  # an absent carrier is no carrier, as no intermediaries means none
        if role in SINGLE_ROLES:
            return [(role, True)]
        if role == "intermediary":
            return [(n, False) for n in inter]
        if role == "receiving_party":
            bases, chained = [("recipient", True), ("end_user", True)], ["recipient", "end_user"]
        elif role == "supplying_party":
            bases, chained = [("sender", True)], ["sender"]
        else:  # party: sender and recipient always count; end user and carrier only when given
            bases = [("recipient", True), ("sender", True), ("end_user", False), ("carrier", False)]
            bases += [(n, False) for n in inter]
            chained = [b for b, _ in bases]
        return bases + [(c, False) for base in chained for c in _chain(names, base)]

    def _placements(self, bp: Blueprint, role: str) -> list[str]:
        existing = [name for name, _ in self.members(bp, role)]
        fresh: list[str] = []
        if role in ("intermediary", "party") and not (bp.intermediaries_fixed or bp.no_intermediaries):
            fresh.append(f"intermediary{bp.intermediaries}")
        bases = {
            "receiving_party": ("recipient", "end_user"),
            "supplying_party": ("sender",),
            "party": ("recipient", "sender", "end_user"),
        }.get(role, ())
        for base in bases:
            slot = bp.slots[base]
            if not slot.fixed and slot.present is not False and base + "^" not in bp.slots:
                fresh.append(base + "^")
        return existing + fresh

    def fresh(self, bp: Blueprint, name: str) -> Blueprint | None:
        """``bp`` with a new party ``name``, already bound by every universal literal of the roles it joins."""
        slots = {**bp.slots, name: Slot(present=True)}
        count = bp.intermediaries + 1 if name.startswith("intermediary") else bp.intermediaries
        new: Blueprint | None = dataclasses.replace(bp, slots=slots, intermediaries=count)
        for role, attr, lit in bp.role_negs:
            if new is None:
                return None
            mandatory = dict(self.members(new, role)).get(name)
            if mandatory is not None:
                new = self._put(new, name, attr, lit, mandatory)
        return new

    def _put(self, bp: Blueprint, name: str, attr: str, lit: Lit, mandatory: bool) -> Blueprint | None:
        placed = self._place_lit(bp, name, attr, lit, mandatory)
        if placed is None or not (lit.op == "designated" and lit.positive):
            return placed
        # A party is designated only from its listing day on: the transfer cannot be dated earlier.
        slot = placed.slots[name]
        if slot.fixed:
            since = self.info.listed_since(slot.pinned, lit.operand) if slot.pinned is not None else None
        else:
            lits = placed.slot_lits(name, "party")
            found = [self.info.listed_since(c, lit.operand) for c in pool("party", lits, self.info)]
            since = min((d for d in found if d is not None), default=None)
        if since is None:
            return None
        return self._scalar(placed, "date", Lit("date", "gte", since, True))

    def _place_lit(self, bp: Blueprint, name: str, attr: str, lit: Lit, mandatory: bool) -> Blueprint | None:
        slot = bp.slots[name]
        if slot.fixed:
            if attr == "flag":
                party = slot.pinned
                if party is None or party.kind in NOT_CRAFT:
                    return bp if _holds_without_value(lit) else None
            if slot.pinned is None and not mandatory:
                return bp
            return bp if holds(lit, party_value(slot.pinned, attr), self.info) else None
        if attr == "party" and lit.op == "exists":
            if wants_absent([lit]):
                return self._absent(bp, name)
            return None if slot.present is False else self._with(bp, name, dataclasses.replace(slot, present=True))
        if attr == "flag":
            return self._flag(bp, name, lit)
        if slot.present is False:
            return bp if (not mandatory or holds(lit, None, self.info)) else None
        lits = (*slot.lits, (attr, lit, mandatory))
        if not self._ok(f"slot.{attr}", [x for a, x, _ in lits if a == attr]):
            return None
        present = True if mandatory and not holds(lit, None, self.info) else slot.present
        return self._with(bp, name, Slot(present, lits))

    def _flag(self, bp: Blueprint, name: str, lit: Lit) -> Blueprint | None:
        # Only a vessel or an aircraft flies a flag; an absent party or any other kind gives no value at all.
        slot = bp.slots[name]
        if _holds_without_value(lit):
            if slot.present is False:
                return bp
            lits = (*slot.lits, ("flag", lit, False))  # and if the party is a craft, its flag passes too
        elif slot.present is False:
            return None
        else:
            lits = (*slot.lits, ("flag", lit, True), ("kind", Lit("token", "in", NOT_CRAFT, False), True))
        for attr in ("flag", "kind"):
            if not self._ok(f"slot.{attr}", [x for a, x, _ in lits if a == attr]):
                return None
        present = True if any(m for a, _, m in lits if a == "flag") else slot.present
        return self._with(bp, name, Slot(present, lits))

    def _absent(self, bp: Blueprint, name: str) -> Blueprint | None:
        slot = bp.slots[name]
        if slot.fixed:
            return bp if slot.pinned is None else None
        if slot.present is True or name.startswith("intermediary") or _chain(list(bp.slots), name):
            return None
        if any(mandatory and not holds(lit, None, self.info) for _, lit, mandatory in slot.lits):
            return None
        return self._with(bp, name, dataclasses.replace(slot, present=False))

    def _universal(self, bp: Blueprint, role: str, attr: str, lit: Lit) -> Blueprint | None:
        if role == "intermediary" and attr == "party" and wants_absent([lit]):
            if bp.intermediaries:
                return None
            bp = dataclasses.replace(bp, no_intermediaries=True)
        new: Blueprint | None = bp
        for name, mandatory in self.members(bp, role):
            if new is None:
                return None
            new = self._put(new, name, attr, lit, mandatory)
        if new is None:
            return None
        return dataclasses.replace(new, role_negs=(*new.role_negs, (role, attr, lit)))

    @staticmethod
    def _with(bp: Blueprint, name: str, slot: Slot) -> Blueprint:
        return dataclasses.replace(bp, slots={**bp.slots, name: slot})


def _holds_without_value(lit: Lit) -> bool:
    # A party that gives no value for a fact (no flag): every test on it is false, and so is "exists".
    false_test = not (lit.op == "exists" and lit.operand is False)
    return false_test != lit.positive


def _some(bp: Blueprint | None) -> list[Blueprint]:
    return [] if bp is None else [bp]
