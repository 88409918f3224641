"""The facts a rule can test, with their types. Rule files are checked against this catalogue at load time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from sanctionsrules.model.transfer import PartyKind, TransferKind

__all__ = [
    "FACTS",
    "MULTI_ROLES",
    "OPERATORS",
    "ROLES",
    "SINGLE_ROLES",
    "FactSpec",
    "FactType",
]

FactType = Literal["country", "token", "hs_code", "category", "money", "quantity", "date", "text", "party"]


@dataclass(frozen=True, slots=True)
class FactSpec:
    """A fact name, its type, whether it belongs to a goods item, and what it means."""

    name: str
    type: FactType
    item: bool
    description: str
    values: frozenset[str] | None = None  # the closed vocabulary of a token fact
    multi: bool = False  # several values (intermediaries, route): a test holds when one of them passes


SINGLE_ROLES: Final = {
    "sender": "the party that sends or supplies",
    "recipient": "the party that receives",
    "end_user": "the final user of the goods",
    "carrier": "the vessel, aircraft or company that carries the goods",
}
MULTI_ROLES: Final = {
    "intermediary": "each intermediary (broker, agent, forwarder)",
    "receiving_party": "the recipient, the end user and every principal either acts for",
    "supplying_party": "the sender and every principal it acts for",
    "party": "every party in any role, and every principal any of them acts for",
}
ROLES: Final = {**SINGLE_ROLES, **MULTI_ROLES}

_PARTY_KINDS = frozenset(get_args(PartyKind))
_TRANSFER_KINDS = frozenset(get_args(TransferKind))


def _catalogue() -> dict[str, FactSpec]:
    facts = [
        FactSpec("date", "date", False, "the date of the transfer"),
        FactSpec("contract_date", "date", False, "the date the contract was finalised"),
        FactSpec("kind", "token", False, "what kind of transfer it is", _TRANSFER_KINDS),
        FactSpec("origin", "country", False, "the country the goods leave from"),
        FactSpec("destination", "country", False, "the country the goods are delivered to"),
        FactSpec("route", "country", False, "each transit country", multi=True),
        FactSpec("item.hs_code", "hs_code", True, "the item's HS code (or what its category implies)"),
        FactSpec("item.category", "category", True, "the item's goods category (or what its HS code implies)"),
        FactSpec("item.value", "money", True, "the item's value"),
        FactSpec("item.quantity", "quantity", True, "the item's quantity"),
        FactSpec("item.origin", "country", True, "the country the item originates in"),
        FactSpec("item.condition", "token", True, "new or used", frozenset({"new", "used"})),
        FactSpec("item.description", "text", True, "the item's description"),
    ]
    for role, meaning in ROLES.items():
        multi = role in MULTI_ROLES
        facts += [
            FactSpec(role, "party", False, meaning, multi=multi),
            FactSpec(f"{role}.country", "country", False, f"country of {meaning}", multi=multi),
            FactSpec(f"{role}.flag", "country", False, f"flag state of {meaning}", multi=multi),
            FactSpec(f"{role}.kind", "token", False, f"kind of {meaning}", _PARTY_KINDS, multi=multi),
            FactSpec(f"{role}.name", "text", False, f"name of {meaning}", multi=multi),
        ]
    return {f.name: f for f in facts}


FACTS: Final[dict[str, FactSpec]] = _catalogue()

# Operators each fact type accepts. The first is the one a bare scalar or list means.
OPERATORS: Final[dict[FactType, tuple[str, ...]]] = {
    "country": ("in", "exists"),
    "token": ("in", "exists"),
    "hs_code": ("prefix", "exists"),
    "category": ("is_a", "exists"),
    "money": ("gt", "gte", "lt", "lte", "exists"),
    "quantity": ("gt", "gte", "lt", "lte", "exists"),
    "date": ("eq", "gt", "gte", "lt", "lte", "exists"),
    "text": ("in", "exists"),
    "party": ("designated", "exists"),
}
