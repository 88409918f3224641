"""Validate and compile a rule set's ``aggregates:`` entries: caps, split-shipment and ship-to-ship patterns.

Every problem is located (``file:line:column`` and a JSON path such as ``$.aggregates[0].verdict``) and reported
through ``RuleSetError``, as the loader does for rules. ``match`` (and ``onward``) are conditions of the rule
language, parsed by the same parser, so facts, categories and named conditions are checked the same way; they
are compiled to the native engine's nodes, which keep three-valued logic and explain themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from sanctionsrules.engine.compiler import compile_condition, describe, uses_item
from sanctionsrules.engine.designations import DesignationSource, ReferenceDesignations
from sanctionsrules.engine.nodes import Node
from sanctionsrules.errors import Problem, RuleSetError
from sanctionsrules.model.codes import Money, Quantity
from sanctionsrules.monitor.measure import add_months
from sanctionsrules.monitor.schema import AggregateDoc, CapDoc, DaysDoc, MonthsDoc, ShipToShipDoc, SplitShipmentDoc
from sanctionsrules.ruleset.conditions import Condition, parse_condition, suggest
from sanctionsrules.ruleset.loader import error_code
from sanctionsrules.ruleset.rules import AggregateSource, RuleSet, Source
from sanctionsrules.ruleset.yamlsource import YamlDocument, child_path
from sanctionsrules.verdict import Verdict

__all__ = [
    "Aggregate",
    "Cap",
    "Period",
    "ShipToShip",
    "SplitShipment",
    "compile_aggregates",
    "lint_aggregates",
]

_ADAPTER: TypeAdapter[CapDoc | SplitShipmentDoc | ShipToShipDoc] = TypeAdapter(AggregateDoc)
_KINDS = ("cap", "split_shipment", "ship_to_ship")
_SHAPES = {
    "period": "period: takes calendar_year, rolling_12_months, in_force, {days: N} or {months: N, from: YYYY-MM-DD}",
    "window": "window: takes {days: N}",
}


@dataclass(frozen=True, slots=True)
class Period:
    """How a cap's deliveries are grouped in time.

    ``calendar_year``; ``in_force`` (one period: the cap's dates); ``months`` (fixed periods of ``months``
    months from ``start``); ``rolling`` (the ``days`` days or ``months`` months up to each delivery).
    """

    kind: Literal["calendar_year", "in_force", "months", "rolling"]
    days: int = 0
    months: int = 0
    start: dt.date | None = None

    def place(self, on: dt.date, first: dt.date, last: dt.date | None) -> tuple[str, str, dt.date | None]:
        """The period of a delivery on ``on``: its key, its words, and (rolling windows) when it stops counting."""
        if self.kind == "calendar_year":
            return str(on.year), f"in {on.year}", None
        if self.kind == "in_force":
            return "all", f"from {first}" + (f" to {last}" if last else ""), None
        if self.kind == "months":
            assert self.start is not None
            elapsed = (on.year - self.start.year) * 12 + on.month - self.start.month
            if on.day < self.start.day:
                elapsed -= 1
            index = elapsed // self.months
            begin = add_months(self.start, index * self.months)
            end = add_months(self.start, (index + 1) * self.months) - dt.timedelta(days=1)
            return f"{begin}", f"in the period {begin} to {end}", None
        expires = on + dt.timedelta(days=self.days) if self.days else add_months(on, self.months)
        return "rolling", f"in the {self.window} to {on}", expires

    @property
    def window(self) -> str:
        """A rolling window in words (``12 months``)."""
        return f"{self.days} days" if self.days else f"{self.months} months"


@dataclass(frozen=True, kw_only=True, eq=False)
class Aggregate:
    """What every aggregate entry has: identity, law, dates, and its compiled ``match`` condition."""

    id: str
    kind: str
    regime: str
    instrument: str
    title: str
    basis: str
    start: dt.date
    end: dt.date | None
    verdict: Verdict
    match: Node
    match_text: str
    per_item: bool
    source: Source
    notes: str | None

    def in_force(self, on: dt.date) -> bool:
        """True when ``on`` lies inside the entry's dates (both ends inclusive)."""
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, kw_only=True, eq=False)
class Cap(Aggregate):
    """A cumulative cap. ``unit`` is a unit of quantity (``measure == 'quantity'``) or a currency."""

    label: str
    measure: Literal["quantity", "value"]
    unit: str
    factors: tuple[tuple[str, Decimal], ...]
    group_by: tuple[str, ...]
    period: Period
    limit: Decimal
    notices: tuple[Decimal, ...]
    stop_at: Decimal | None


@dataclass(frozen=True, kw_only=True, eq=False)
class SplitShipment(Aggregate):
    """Shipments each under ``threshold`` (money or quantity) that together reach it."""

    threshold: Money | Quantity
    min_transfers: int
    window_days: int


@dataclass(frozen=True, kw_only=True, eq=False)
class ShipToShip(Aggregate):
    """A ship-to-ship transfer ``match`` picks out, then the receiving vessel's onward voyage within the window."""

    onward: Node | None
    onward_text: str | None
    window_days: int


def compile_aggregates(
    ruleset: RuleSet, designations: DesignationSource | None = None
) -> tuple[Cap | SplitShipment | ShipToShip, ...]:
    """The rule set's aggregates, compiled. Raises ``RuleSetError`` with every problem found."""
    problems: list[Problem] = []
    compiled = _Compiler(ruleset, designations or ReferenceDesignations(), problems).run()
    if problems:
        raise RuleSetError(sorted(problems, key=lambda p: (p.file or "", p.line, p.column)))
    return compiled


def lint_aggregates(ruleset: RuleSet) -> list[Problem]:
    """Every problem in the rule set's aggregates (empty when they compile)."""
    problems: list[Problem] = []
    _Compiler(ruleset, ReferenceDesignations(), problems).run()
    return sorted(problems, key=lambda p: (p.file or "", p.line, p.column))


class _Compiler:
    def __init__(self, ruleset: RuleSet, designations: DesignationSource, problems: list[Problem]) -> None:
        self.ruleset = ruleset
        self.designations = designations
        self.problems = problems
        self.seen: dict[str, str] = {r.id: f"{r.source.file}:{r.source.line}" for r in ruleset.rules}
        self.seen.update({e.id: f"{e.source.file}:{e.source.line}" for e in ruleset.exemptions})

    def run(self) -> tuple[Cap | SplitShipment | ShipToShip, ...]:
        out = []
        for source in self.ruleset.aggregates:
            compiled = self.entry(source)
            if compiled is not None:
                out.append(compiled)
        return tuple(out)

    def fail(self, doc: YamlDocument, code: str, message: str, path: str) -> None:
        self.problems.append(doc.problem(code, message, path))

    def entry(self, source: AggregateSource) -> Cap | SplitShipment | ShipToShip | None:
        doc, base = source.document, source.path
        try:
            parsed = _ADAPTER.validate_python(source.data)
        except ValidationError as exc:
            self.schema_problems(exc, doc, base)
            return None
        before = len(self.problems)
        prefix = f"{source.regime}.{source.instrument}."
        if not parsed.id.startswith(prefix):
            self.fail(
                doc,
                "rule-id-mismatch",
                f"aggregate id {parsed.id!r} must start with {prefix!r}",
                child_path(base, "id"),
            )
        first = self.seen.get(parsed.id)
        where = doc.locate(base)
        if first is not None:
            self.fail(
                doc, "duplicate-rule-id", f"id {parsed.id!r} is used twice (first at {first})", child_path(base, "id")
            )
        self.seen.setdefault(parsed.id, f"{doc.file}:{where.line if where else 0}")
        verdict = Verdict.parse(parsed.verdict)
        if not isinstance(parsed, CapDoc) and verdict > Verdict.REVIEW:
            self.fail(
                doc,
                "pattern-too-severe",
                f"a {parsed.kind} pattern is a signal for a person: its verdict is at most review, not {verdict}",
                child_path(base, "verdict"),
            )
        defines = self.ruleset.defines.get(source.regime, {})
        match = self.condition(parsed.match, child_path(base, "match"), doc, defines)
        onward = None
        if isinstance(parsed, ShipToShipDoc) and parsed.onward is not None:
            onward = self.condition(parsed.onward, child_path(base, "onward"), doc, defines)
        threshold = None
        if isinstance(parsed, SplitShipmentDoc):
            threshold = self.threshold(parsed.threshold, child_path(base, "threshold"), doc)
        if len(self.problems) > before or match is None:
            return None
        node = compile_condition(match, defines, self.ruleset.taxonomy, self.designations)
        head: dict[str, Any] = {
            "id": parsed.id,
            "kind": parsed.kind,
            "regime": source.regime,
            "instrument": source.instrument,
            "title": parsed.title,
            "basis": parsed.basis,
            "start": parsed.in_force.start,
            "end": parsed.in_force.end,
            "verdict": verdict,
            "match": node,
            "match_text": describe(match, defines),
            "per_item": uses_item(match, defines),
            "source": Source(doc.file, where.line if where else 0),
            "notes": parsed.notes,
        }
        if isinstance(parsed, CapDoc):
            return Cap(
                **head,
                label=parsed.label or parsed.title,
                measure=parsed.sum,
                unit=parsed.unit if parsed.sum == "quantity" and parsed.unit else str(parsed.currency),
                factors=tuple(sorted(parsed.factors.items())),
                group_by=tuple(parsed.group_by),
                period=_period(parsed.period),
                limit=parsed.limit,
                notices=tuple(parsed.notices),
                stop_at=parsed.stop_at,
            )
        if isinstance(parsed, SplitShipmentDoc):
            assert threshold is not None
            return SplitShipment(
                **head, threshold=threshold, min_transfers=parsed.min_transfers, window_days=parsed.window.days
            )
        onward_node = None
        if onward is not None:
            onward_node = compile_condition(onward, defines, self.ruleset.taxonomy, self.designations)
        return ShipToShip(
            **head,
            onward=onward_node,
            onward_text=describe(onward, defines) if onward else None,
            window_days=parsed.window.days,
        )

    def condition(self, data: Any, path: str, doc: YamlDocument, defines: dict[str, Condition]) -> Condition | None:
        condition, uses = parse_condition(data, path, doc, self.ruleset.taxonomy, self.problems)
        for use in uses:
            if use.name not in defines:
                self.fail(
                    doc,
                    "unknown-condition",
                    f"no condition named {use.name!r} is defined{suggest(use.name, defines)}",
                    use.path,
                )
        return condition if all(u.name in defines for u in uses) else None

    def threshold(self, value: Any, path: str, doc: YamlDocument) -> Money | Quantity | None:
        # The condition parser reads money ("USD 10000") and quantities ("1000 bbl") with located errors.
        from sanctionsrules.ruleset.conditions import _Parser

        parser = _Parser(doc, self.ruleset.taxonomy, self.problems)
        looks_like_money = (isinstance(value, str) and value.strip()[:3].isalpha()) or (
            isinstance(value, dict) and "currency" in value
        )
        parsed: Money | Quantity | None = (
            parser.money(value, path) if looks_like_money else parser.quantity(value, path)
        )
        if parsed is not None and parsed.amount <= 0:
            self.fail(doc, "bad-threshold", "a per-shipment threshold is above zero", path)
            return None
        return parsed

    def schema_problems(self, exc: ValidationError, doc: YamlDocument, base: str) -> None:
        reported: set[str] = set()
        for error in exc.errors(include_url=False):
            loc = list(error["loc"])
            if loc and loc[0] in _KINDS:
                loc = loc[1:]  # the discriminator's tag, not a key of the document
            kind, message = error["type"], error["msg"].removeprefix("Value error, ")
            if kind in ("union_tag_not_found", "union_tag_invalid"):
                loc, message = ["kind"], f"kind: takes {', '.join(_KINDS)}"
                kind = "missing" if error["type"] == "union_tag_not_found" else "literal_error"
            elif loc and str(loc[0]) in _SHAPES and kind != "missing":
                loc, message = loc[:1], _SHAPES[str(loc[0])]
            elif kind == "extra_forbidden":
                message = f"unknown key {str(loc[-1])!r}{suggest(str(loc[-1]), _keys(loc))}"
            elif kind == "missing":
                message = f"missing required key {str(loc[-1])!r}"
            path = base
            for part in loc:
                path = child_path(path, part)
            if path + message in reported:
                continue
            reported.add(path + message)
            self.problems.append(doc.problem(_code(kind), message, path, at_key=kind == "extra_forbidden"))


def _period(doc: Any) -> Period:
    if isinstance(doc, DaysDoc):
        return Period("rolling", days=doc.days)
    if isinstance(doc, MonthsDoc):
        return Period("months", months=doc.months, start=doc.start)
    if doc == "rolling_12_months":
        return Period("rolling", months=12)
    assert doc in ("calendar_year", "in_force")
    return Period(doc)


def _keys(loc: Iterable[Any]) -> list[str]:
    names: set[str] = set()
    for model in (CapDoc, SplitShipmentDoc, ShipToShipDoc):
        names |= {f.alias or n for n, f in model.model_fields.items()}
    return sorted(names)


def _code(error_type: str) -> str:
    # The loader's codes for the same pydantic errors, so tools can match them alike.
    return error_code(error_type)
