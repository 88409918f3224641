"""What the monitor returns: aggregate findings, each transfer's result, and the running totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sanctionsrules.decision import Decision
from sanctionsrules.monitor.measure import amount_text, percent_text
from sanctionsrules.verdict import Verdict

__all__ = ["AggregateFinding", "MonitorResult", "RunningTotal"]


def _number(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


@dataclass(frozen=True, slots=True)
class AggregateFinding:
    """A finding of a rule over many transfers, on the transfer (and item) that triggered it.

    ``kind`` is ``cap``, ``split_shipment`` or ``ship_to_ship``. For a cap, ``total`` is the running total after
    this delivery, ``notices`` the fractions of the limit this delivery crossed, and ``verdict`` is the cap's
    verdict where supply had to stop or the limit is passed (``permitted`` for a delivery within it, ``review``
    where it cannot be counted for want of facts). A pattern names every transfer in ``transfers``.
    """

    rule: str
    kind: str
    verdict: Verdict
    basis: str
    title: str
    message: str
    item: int | None = None
    because: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    transfers: tuple[str, ...] = ()
    total: Decimal | None = None
    limit: Decimal | None = None
    unit: str | None = None
    notices: tuple[Decimal, ...] = ()
    group: str | None = None
    period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping; amounts are decimal strings, so nothing is lost to floating point."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "kind": self.kind,
            "verdict": str(self.verdict),
            "basis": self.basis,
            "title": self.title,
            "item": self.item,
            "message": self.message,
            "because": list(self.because),
        }
        if self.missing:
            out["missing"] = list(self.missing)
        if self.transfers:
            out["transfers"] = list(self.transfers)
        if self.total is not None:
            out["total"] = {"amount": _number(self.total), "limit": _number(self.limit), "unit": self.unit,
                            "group": self.group, "period": self.period,
                            "notices": [_number(n) for n in self.notices]}
        return out


@dataclass(frozen=True, slots=True)
class MonitorResult:
    """One transfer through the monitor: its single-transfer decision and the aggregate findings it triggered."""

    decision: Decision
    findings: tuple[AggregateFinding, ...]

    @property
    def transfer(self) -> str:
        """The transfer's id."""
        return self.decision.transfer

    @property
    def date(self) -> dt.date:
        """The transfer's date."""
        return self.decision.as_of

    @property
    def verdict(self) -> Verdict:
        """The most severe of the decision and the aggregate findings."""
        return max([self.decision.verdict, *(f.verdict for f in self.findings)])

    def aggregate(self, rule: str) -> tuple[AggregateFinding, ...]:
        """The aggregate findings of one rule id."""
        return tuple(f for f in self.findings if f.rule == rule)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: the verdict, the decision as ``check`` gives it, and the aggregate findings."""
        return {
            "transfer": self.transfer,
            "date": self.date.isoformat(),
            "verdict": str(self.verdict),
            "decision": self.decision.to_dict(),
            "aggregates": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class RunningTotal:
    """A cap's running total for one group and period, as it stands after the last transfer seen."""

    rule: str
    label: str
    group: str
    period: str
    total: Decimal
    limit: Decimal
    unit: str
    notices: tuple[Decimal, ...]
    stop_at: Decimal | None

    @property
    def fraction(self) -> Decimal:
        """The total as a fraction of the limit."""
        return self.total / self.limit

    @property
    def status(self) -> str:
        """``over the limit``, ``stopped at 95%``, ``90% notice`` or empty."""
        if self.total > self.limit:
            return "over the limit"
        if self.stop_at is not None and self.total >= self.limit * self.stop_at:
            return f"supply stopped at {percent_text(self.stop_at)}"
        reached = [n for n in self.notices if self.total >= self.limit * n]
        return f"{percent_text(reached[-1])} notice" if reached else ""

    def text(self) -> str:
        """``refined petroleum to KP in 2019: 430,000 of 500,000 bbl, 86%: 75% notice``."""
        head = f"{self.label}{self.group} {self.period}: {amount_text(self.total)} of {amount_text(self.limit)} " \
               f"{self.unit}, {percent_text(self.fraction, floor=True)}"
        return f"{head}: {self.status}" if self.status else head

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {"rule": self.rule, "label": self.label, "group": self.group.strip(), "period": self.period,
                "total": _number(self.total), "limit": _number(self.limit), "unit": self.unit,
                "percent": percent_text(self.fraction, floor=True), "status": self.status}
