"""The shape of rule files, as pydantic models. Conditions are kept raw here and parsed by ``conditions``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CategoryDoc", "ExemptionDoc", "InForce", "InstrumentDoc", "RegimeDoc", "RuleDoc", "TaxonomyDoc"]

_STRICT = ConfigDict(extra="forbid", frozen=True)

RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*(\.[a-z0-9][a-z0-9\-]*)+$", max_length=120)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]*$", max_length=60)]
Text = Annotated[str, Field(min_length=1)]


class InForce(BaseModel):
    """The dates a rule counts: ``from`` its first day, ``to`` its last day (open when absent). Both inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _ordered(self) -> InForce:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"'to' ({self.end}) is before 'from' ({self.start})")
        return self


class RuleDoc(BaseModel):
    """One rule: a condition on a transfer, the verdict it gives and the law that says so."""

    model_config = _STRICT

    id: RuleId
    title: Text
    basis: Text
    in_force: InForce
    verdict: Literal["review", "license_required", "prohibited"]
    binding: bool = True
    when: Any
    notes: str | None = None
    verification: str | None = None


class ExemptionDoc(BaseModel):
    """An exemption: when its condition holds, the findings of the rules it covers weigh no more than ``effect``."""

    model_config = _STRICT

    id: RuleId
    title: Text
    basis: Text
    covers: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]
    in_force: InForce | None = None
    when: Any
    effect: Literal["permitted", "review", "license_required"]
    notes: str | None = None
    verification: str | None = None


class RegimeDoc(BaseModel):
    """``regime.yaml``: a regime's header and the named conditions its rules share."""

    model_config = _STRICT

    regime: Slug
    title: Text
    authority: Text
    version: Text
    define: dict[str, Any] = Field(default_factory=dict)
    notes: str | None = None


class InstrumentDoc(BaseModel):
    """One instrument (a resolution, a regulation) of a regime: its rules and exemptions."""

    model_config = _STRICT

    regime: Slug
    instrument: Slug
    title: Text
    adopted: dt.date
    source: str | None = None
    define: dict[str, Any] = Field(default_factory=dict)
    rules: list[RuleDoc] = Field(default_factory=list)
    exemptions: list[ExemptionDoc] = Field(default_factory=list)
    # Rules over many transfers (cumulative caps, split shipments). Their schema belongs to the monitor
    # (``sanctionsrules.monitor``), which validates them with their locations when it compiles them.
    aggregates: list[dict[str, Any]] = Field(default_factory=list)
    notes: str | None = None


class CategoryDoc(BaseModel):
    """One goods category of the taxonomy."""

    model_config = _STRICT

    title: Text
    parents: list[str] = Field(default_factory=list)
    hs: list[str] = Field(default_factory=list)
    defined_by_hs: bool = False
    notes: str | None = None


class TaxonomyDoc(BaseModel):
    """``taxonomy/goods.yaml``: the shared goods categories."""

    model_config = _STRICT

    taxonomy: Literal["goods"]
    categories: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")], CategoryDoc]
