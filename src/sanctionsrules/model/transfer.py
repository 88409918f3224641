"""The transfer model: who sends what to whom, through whom, when. Absent optional facts are unknown, not false."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sanctionsrules.model.codes import Country, HsCode, Money, Quantity

__all__ = [
    "ExemptionClaim",
    "GoodsItem",
    "Identifier",
    "Party",
    "PartyKind",
    "Transfer",
    "TransferKind",
]

PartyKind = Literal["person", "organisation", "vessel", "aircraft", "state_body"]
TransferKind = Literal[
    "sale",
    "gift",
    "donation",
    "loan",
    "lease",
    "charter",
    "barter",
    "ship_to_ship",
    "service",
    "training",
    "payment",
    "investment",
    "employment",
    "other",
]
# Kinds that need no goods; any other kind with an empty goods list leaves the goods unknown.
KINDS_WITHOUT_GOODS: frozenset[str] = frozenset({"payment", "investment", "employment"})

Name = Annotated[str, Field(min_length=1, max_length=500)]
Token = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9][a-z0-9_.\-]*$")]

_MODEL = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Identifier(BaseModel):
    """An identifier of a party: a UN list reference (``KPe.001``), an IMO number, a passport, a registration."""

    model_config = _MODEL

    scheme: Literal["un_ref", "imo", "passport", "national_id", "registration", "other"]
    value: Annotated[str, Field(min_length=1, max_length=100)]


class Party(BaseModel):
    """A person, organisation, vessel, aircraft or state body taking part in a transfer.

    ``country`` is where the party belongs: nationality for a person, seat for an organisation or state body.
    ``flag`` is a vessel's or aircraft's flag state. ``acting_for`` is the principal an agent acts for: the
    goods reach the principal, so a rule about the recipient also looks at the recipient's principal.
    """

    model_config = _MODEL

    name: Name
    kind: PartyKind | None = None
    country: Country | None = None
    flag: Country | None = None
    identifiers: tuple[Identifier, ...] = ()
    aliases: tuple[Name, ...] = ()
    date_of_birth: dt.date | None = None
    acting_for: Party | None = None


class GoodsItem(BaseModel):
    """One line item. For a service or training, the line items name the goods the service relates to."""

    model_config = _MODEL

    description: Annotated[str, Field(max_length=1000)] | None = None
    hs_code: HsCode | None = None
    category: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)] | None = None
    quantity: Quantity | None = None
    value: Money | None = None
    origin: Country | None = None
    condition: Literal["new", "used"] | None = None


class ExemptionClaim(BaseModel):
    """An exemption, approval or notification the parties rely on (for example a 1718 Committee exemption)."""

    model_config = _MODEL

    kind: Token
    authority: Token
    reference: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    date: dt.date | None = None


class Transfer(BaseModel):
    """A transfer of goods, services, funds, vessels or people.

    Lists (``intermediaries``, ``route``, ``goods``, ``exemption_claims``) are taken as complete: an empty list
    says there are none. Every other optional field left out is unknown, and a rule that needs it gives
    ``review``. ``origin`` is the country the goods leave from; ``destination`` the country they are delivered to.
    """

    model_config = _MODEL

    id: Annotated[str, Field(min_length=1, max_length=200)]
    date: dt.date | None = None
    contract_date: dt.date | None = None
    kind: TransferKind | None = None
    sender: Party | None = None
    recipient: Party | None = None
    end_user: Party | None = None
    intermediaries: tuple[Party, ...] = ()
    carrier: Party | None = None
    origin: Country | None = None
    destination: Country | None = None
    route: tuple[Country, ...] = ()
    goods: tuple[GoodsItem, ...] = ()
    exemption_claims: tuple[ExemptionClaim, ...] = ()
    notes: Annotated[str, Field(max_length=4000)] | None = None
