"""The shape of ``aggregates:`` entries in instrument files, as pydantic models (conditions stay raw here).

Three kinds, told apart by ``kind``:

- ``cap``: a running total (of quantities in one unit, or of values in one currency) per group and period,
  with a limit, notices at fractions of it, and a fraction past which supply stops.
- ``split_shipment``: several shipments between the same parties, of the same HS heading, within a window,
  each under a threshold that together they reach.
- ``ship_to_ship``: goods moved at sea from a vessel ``match`` picks out, then carried onward by the receiving
  vessel within a window.

Patterns are signals for a person: their verdict is at most ``review`` (checked with a located error).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sanctionsrules.model.codes import MASS_UNITS, VOLUME_UNITS, Currency, Unit
from sanctionsrules.ruleset.schema import InForce, RuleId, Text

__all__ = [
    "AggregateDoc",
    "CapDoc",
    "DaysDoc",
    "GroupKey",
    "MonthsDoc",
    "PeriodDoc",
    "ShipToShipDoc",
    "SplitShipmentDoc",
]

_STRICT = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

GroupKey = Literal["supplying_state", "receiving_state", "sender", "recipient", "origin", "destination"]
Fraction = Annotated[Decimal, Field(gt=0, le=1)]
Positive = Annotated[Decimal, Field(gt=0)]
VerdictName = Literal["review", "license_required", "prohibited"]


class DaysDoc(BaseModel):
    """A rolling window of ``days`` days, the day of the transfer included."""

    model_config = _STRICT

    days: Annotated[int, Field(ge=1, le=3660)]


class MonthsDoc(BaseModel):
    """Consecutive fixed periods of ``months`` months, the first starting ``from`` (UNSCR 2397 OP 4's periods)."""

    model_config = _STRICT

    months: Annotated[int, Field(ge=1, le=120)]
    start: dt.date = Field(alias="from")


PeriodDoc = Literal["calendar_year", "rolling_12_months", "in_force"] | DaysDoc | MonthsDoc


class _Entry(BaseModel):
    model_config = _STRICT

    id: RuleId
    title: Text
    basis: Text
    in_force: InForce
    match: Any
    notes: str | None = None
    verification: str | None = None


class CapDoc(_Entry):
    """A cumulative cap: ``limit`` in ``unit`` (``sum: quantity``) or in ``currency`` (``sum: value``)."""

    kind: Literal["cap"]
    label: Text | None = None
    sum: Literal["quantity", "value"]
    unit: Unit | None = None
    currency: Currency | None = None
    # Declared conversions into ``unit``: ``{t: 7.33}`` reads "7.33 bbl per tonne". Every other unit of a
    # factor's dimension converts through it (kg -> t -> bbl).
    factors: dict[Unit, Positive] = Field(default_factory=dict)
    group_by: list[GroupKey] = Field(default_factory=list)
    period: PeriodDoc
    limit: Positive
    notices: list[Fraction] = Field(default_factory=list)
    stop_at: Fraction | None = None
    verdict: VerdictName

    @model_validator(mode="after")
    def _consistent(self) -> CapDoc:
        if self.sum == "quantity":
            if self.unit is None:
                raise ValueError("sum: quantity needs a unit (such as bbl or t)")
            if self.currency is not None:
                raise ValueError("sum: quantity takes a unit, not a currency")
            for unit in self.factors:
                if _dimension(unit) == _dimension(self.unit):
                    raise ValueError(f"no factor is needed from {unit} to {self.unit}: they convert by definition")
        else:
            if self.currency is None:
                raise ValueError("sum: value needs a currency (such as USD)")
            if self.unit is not None or self.factors:
                raise ValueError("sum: value takes a currency, not a unit or factors")
        if list(self.notices) != sorted(set(self.notices)):
            raise ValueError("notices must be distinct fractions in increasing order, such as [0.75, 0.9, 0.95]")
        if len(set(self.group_by)) != len(self.group_by):
            raise ValueError("group_by names a key twice")
        return self


class SplitShipmentDoc(_Entry):
    """``min_transfers`` or more shipments, each under ``threshold``, that together reach it within ``window``."""

    kind: Literal["split_shipment"]
    threshold: Any  # money ("USD 10000") or a quantity ("1000 bbl"), parsed like a condition's operand
    min_transfers: Annotated[int, Field(ge=2, le=100)]
    window: DaysDoc
    verdict: VerdictName = "review"


class ShipToShipDoc(_Entry):
    """A ship-to-ship transfer ``match`` picks out, then an onward voyage of the receiving vessel within ``window``."""

    kind: Literal["ship_to_ship"]
    onward: Any = None  # an optional condition on the onward transfer
    window: DaysDoc
    verdict: VerdictName = "review"


AggregateDoc = Annotated[CapDoc | SplitShipmentDoc | ShipToShipDoc, Field(discriminator="kind")]


def _dimension(unit: str) -> str:
    if unit in MASS_UNITS:
        return "mass"
    if unit in VOLUME_UNITS:
        return "volume"
    return unit
