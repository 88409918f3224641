"""The blueprint of a transfer: the literals each attribute must satisfy, and the goals that produce them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from sanctionsrules._strategies_literals import ClaimValue, Lit
from sanctionsrules._strategies_values import DESCRIPTIONS, NAMES, PARTY_KINDS, TRANSFER_KINDS
from sanctionsrules.model.transfer import GoodsItem, Party
from sanctionsrules.ruleset.conditions import Claim, Condition, Test

__all__ = [
    "ATTRS",
    "ITEM_ATTR",
    "NOT_CRAFT",
    "SCALARS",
    "Blueprint",
    "Goal",
    "OutOfBudget",
    "Preferred",
    "Slot",
    "goods_value",
    "party_value",
]

# Kinds of party that fly no flag (the rule language reads a flag only off vessels, aircraft and parties of no
# stated kind; engine/facts.py applies the same reading).
NOT_CRAFT: Final = frozenset({"person", "organisation", "state_body"})
SCALARS: Final = ("date", "contract_date", "kind", "origin", "destination")
ITEM_ATTR: Final = {
    "item.hs_code": "goods",
    "item.category": "goods",
    "item.value": "value",
    "item.quantity": "quantity",
    "item.origin": "origin",
    "item.condition": "condition",
    "item.description": "description",
}
# The pool kind and vocabulary of each attribute, by "where.attr".
ATTRS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "transfer.date": ("date", ()),
    "transfer.contract_date": ("date", ()),
    "transfer.kind": ("token", TRANSFER_KINDS),
    "transfer.origin": ("country", ()),
    "transfer.destination": ("country", ()),
    "route.hop": ("country", ()),
    "slot.country": ("country", ()),
    "slot.flag": ("country", ()),
    "slot.kind": ("token", PARTY_KINDS),
    "slot.name": ("text", NAMES),
    "slot.party": ("party", ()),
    "item.goods": ("goods", ()),
    "item.value": ("money", ()),
    "item.quantity": ("quantity", ()),
    "item.origin": ("country", ()),
    "item.condition": ("token", ("new", "used")),
    "item.description": ("text", DESCRIPTIONS),
}


@dataclass(frozen=True, slots=True)
class Preferred:
    """A test to realise as near its boundary as possible: the one fact a near miss changes."""

    test: Test


class Goal(NamedTuple):
    """A condition the transfer must give ``wanted`` to."""

    cond: Condition | Preferred
    wanted: bool
    regime: str  # whose named conditions ``use`` refers to
    own: bool = False  # part of the rule's own condition (a near miss flips one of these)
    no_item: bool = False  # judged with no item in hand (an exemption of a rule about the whole transfer)

    def to(self, cond: Condition | Preferred, wanted: bool | None = None) -> Goal:
        """The same goal for another condition (a child, a named condition)."""
        return self._replace(cond=cond, wanted=self.wanted if wanted is None else wanted)


@dataclass(frozen=True, slots=True)
class Slot:
    """One party of the transfer. ``lits``: (attribute, literal, mandatory); ``pinned``: a party the user gave."""

    present: bool | None = None
    lits: tuple[tuple[str, Lit, bool], ...] = ()
    fixed: bool = False
    pinned: Party | None = None


@dataclass(frozen=True)
class Blueprint:
    """The literals a transfer must satisfy, attribute by attribute, plus the values the user pinned."""

    scalars: Mapping[str, tuple[Lit, ...]] = field(default_factory=dict)
    slots: Mapping[str, Slot] = field(default_factory=dict)
    intermediaries: int = 0
    intermediaries_fixed: bool = False
    no_intermediaries: bool = False
    role_negs: tuple[tuple[str, str, Lit], ...] = ()
    route_pos: tuple[Lit, ...] = ()
    route_neg: tuple[Lit, ...] = ()
    route_fixed: tuple[str, ...] | None = None
    item: Mapping[str, tuple[Lit, ...]] = field(default_factory=dict)
    shared_items: bool = False  # every item must satisfy the item literals (not just one target item)
    goods_fixed: tuple[GoodsItem, ...] | None = None
    claims_pos: tuple[Claim, ...] = ()
    claims_neg: tuple[Claim, ...] = ()
    claims_fixed: tuple[ClaimValue, ...] | None = None
    trail: tuple[Goal, ...] = ()

    def slot_lits(self, name: str, attr: str) -> list[Lit]:
        """The literals on one attribute of one party."""
        return [lit for a, lit, _ in self.slots[name].lits if a == attr]


class OutOfBudget(Exception):
    """The search took too many steps; the caller rejects the example rather than hang."""


def party_value(party: Party | None, attr: str) -> Any:
    """What a literal on ``attr`` of a party reads: identifiers for the party itself, else the field."""
    if party is None:
        return None
    if attr == "party":
        return party  # designation is the source's answer about the whole party
    return getattr(party, attr)


def goods_value(item: GoodsItem, attr: str) -> Any:
    """What a literal on ``attr`` of an item reads."""
    if attr == "goods":
        return (item.category, item.hs_code)
    if attr == "value":
        return None if item.value is None else (item.value.amount, item.value.currency)
    if attr == "quantity":
        return None if item.quantity is None else (item.quantity.amount, item.quantity.unit)
    return getattr(item, attr)
