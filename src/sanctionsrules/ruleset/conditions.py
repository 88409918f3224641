"""The condition language: parse YAML data into a typed tree, checking every fact and operand at load time.

A condition is a mapping with one key: ``all``/``any`` (a list), ``not`` (a condition), ``use`` (a named
condition), ``claim`` (an exemption claim on the transfer), or a fact name whose value is the test. A bare
scalar or list tests with the fact type's default operator (membership for countries, prefix for HS codes,
the taxonomy for categories); a mapping names operators (``{gt: USD 2000}``), all of which must hold.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, TypeAlias

from sanctionsrules.errors import Problem
from sanctionsrules.model.codes import (
    Money,
    Quantity,
    country_codes,
    currency_codes,
    normalise_hs_code,
)
from sanctionsrules.ruleset.facts import FACTS, OPERATORS, FactSpec
from sanctionsrules.ruleset.taxonomy import Taxonomy
from sanctionsrules.ruleset.yamlsource import YamlDocument, child_path

__all__ = [
    "All",
    "AnyOf",
    "Claim",
    "Condition",
    "Not",
    "Test",
    "Use",
    "parse_condition",
    "suggest",
]


@dataclass(frozen=True, slots=True)
class Test:
    """One fact tested with one operator. ``operand`` is already normalised (frozensets, Money, dates)."""

    fact: str
    op: str
    operand: Any
    path: str


@dataclass(frozen=True, slots=True)
class All:
    children: tuple[Condition, ...]
    path: str


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Condition, ...]
    path: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Condition
    path: str


@dataclass(frozen=True, slots=True)
class Use:
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Claim:
    """An exemption claim on the transfer whose kind and authority are in the given sets (None: any)."""

    kinds: frozenset[str] | None
    authorities: frozenset[str] | None
    needs_reference: bool
    path: str


Condition: TypeAlias = Test | All | AnyOf | Not | Use | Claim

_MONEY_TEXT = re.compile(r"^\s*([A-Za-z]{3})\s*([0-9][0-9_,]*(\.[0-9]+)?)\s*$")
_QUANTITY_TEXT = re.compile(r"^\s*([0-9][0-9_,]*(\.[0-9]+)?)\s*([A-Za-z0-9]+)\s*$")


def suggest(word: str, choices: Any) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``choices``, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class _Parser:
    def __init__(self, doc: YamlDocument, taxonomy: Taxonomy, problems: list[Problem]) -> None:
        self.doc = doc
        self.taxonomy = taxonomy
        self.problems = problems
        self.uses: list[Use] = []

    def fail(self, code: str, message: str, path: str) -> None:
        # A wrong name is best shown at the name itself; a wrong value at the value.
        at_key = code in ("unknown-fact", "unknown-operator")
        self.problems.append(self.doc.problem(code, message, path, at_key=at_key))

    def condition(self, data: Any, path: str) -> Condition | None:
        if not isinstance(data, dict) or len(data) != 1:
            shape = "an empty mapping" if data == {} else type(data).__name__
            if isinstance(data, dict):
                shape = f"a mapping with {len(data)} keys ({', '.join(map(str, data))}); wrap them in all: or any:"
            self.fail("bad-condition", f"a condition is a mapping with exactly one key, not {shape}", path)
            return None
        ((key, value),) = data.items()
        sub = child_path(path, key)
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                self.fail("bad-condition", f"{key}: takes a non-empty list of conditions", sub)
                return None
            children = [self.condition(v, child_path(sub, i)) for i, v in enumerate(value)]
            if any(c is None for c in children):
                return None
            kids = tuple(c for c in children if c is not None)
            return All(kids, path) if key == "all" else AnyOf(kids, path)
        if key == "not":
            child = self.condition(value, sub)
            return None if child is None else Not(child, path)
        if key == "use":
            if not isinstance(value, str):
                self.fail("bad-condition", "use: takes the name of a defined condition", sub)
                return None
            use = Use(value, sub)
            self.uses.append(use)
            return use
        if key == "claim":
            return self.claim(value, sub)
        spec = FACTS.get(str(key))
        if spec is None:
            self.fail(
                "unknown-fact",
                f"unknown fact {key!r}{suggest(str(key), [*FACTS, 'all', 'any', 'not', 'use', 'claim'])}",
                sub,
            )
            return None
        return self.test(spec, value, sub)

    def claim(self, value: Any, path: str) -> Claim | None:
        if not isinstance(value, dict) or not set(value) <= {"kind", "authority", "reference"}:
            self.fail(
                "bad-claim",
                "claim: takes a mapping with kind, authority and reference (true to require one)",
                path,
            )
            return None
        kinds = _str_set(value.get("kind"))
        authorities = _str_set(value.get("authority"))
        needs_reference = value.get("reference", False)
        if not isinstance(needs_reference, bool):
            self.fail("bad-claim", "claim reference: is true or false", child_path(path, "reference"))
            return None
        return Claim(kinds, authorities, needs_reference, path)

    def test(self, spec: FactSpec, value: Any, path: str) -> Condition | None:
        allowed = OPERATORS[spec.type]
        if isinstance(value, dict):
            tests: list[Condition] = []
            for op, operand in value.items():
                sub = child_path(path, op)
                if op not in allowed:
                    self.fail(
                        "unknown-operator",
                        f"{spec.name} ({spec.type}) takes {', '.join(allowed)}, not {op!r}{suggest(str(op), allowed)}",
                        sub,
                    )
                    continue
                parsed = self.operand(spec, op, operand, sub)
                if parsed is not None:
                    tests.append(Test(spec.name, op, parsed, path))
            if len(tests) != len(value):
                return None
            return tests[0] if len(tests) == 1 else All(tuple(tests), path)
        op = allowed[0]
        parsed = self.operand(spec, op, value, path)
        return None if parsed is None else Test(spec.name, op, parsed, path)

    def operand(self, spec: FactSpec, op: str, value: Any, path: str) -> Any:
        if op == "exists":
            if not isinstance(value, bool):
                self.fail("bad-operand", "exists: takes true or false", path)
                return None
            return value
        if op == "designated":
            regimes = _str_set(value)
            if not regimes:
                self.fail("bad-operand", "designated: takes a UN list regime such as DPRK (or a list of them)", path)
                return None
            return regimes
        kind = spec.type
        if kind == "country":
            return self.codes(value, path, country_codes(), "country", "ISO 3166-1 alpha-2 code such as KP")
        if kind == "token":
            assert spec.values is not None
            return self.codes(value, path, spec.values, "value", " | ".join(sorted(spec.values)), upper=False)
        if kind == "text":
            texts = _str_set(value)
            if not texts:
                self.fail("bad-operand", "expected a text or a list of texts", path)
            return texts
        if kind == "hs_code":
            return self.hs_codes(value, path)
        if kind == "category":
            return self.categories(value, path)
        if kind == "money":
            return self.money(value, path)
        if kind == "quantity":
            return self.quantity(value, path)
        if kind == "date":
            if not isinstance(value, dt.date):
                self.fail("bad-date", f"expected a date as YYYY-MM-DD, not {value!r}", path)
                return None
            return value
        raise AssertionError(kind)  # pragma: no cover - the catalogue has no other type

    def codes(
        self, value: Any, path: str, known: frozenset[str], what: str, hint: str, *, upper: bool = True
    ) -> frozenset[str] | None:
        items = value if isinstance(value, list) else [value]
        out: set[str] = set()
        for i, item in enumerate(items):
            where = child_path(path, i) if isinstance(value, list) else path
            text = str(item).strip() if isinstance(item, str) else None
            code = text.upper() if text is not None and upper else text
            if code is None or code not in known:
                self.fail(
                    f"unknown-{what}",
                    f"unknown {what} {item!r}: expected {hint}{suggest(str(item), known)}",
                    where,
                )
                continue
            out.add(code)
        return frozenset(out) if len(out) == len(items) and out else None

    def hs_codes(self, value: Any, path: str) -> tuple[str, ...] | None:
        items = value if isinstance(value, list) else [value]
        out: list[str] = []
        for i, item in enumerate(items):
            where = child_path(path, i) if isinstance(value, list) else path
            try:
                out.append(normalise_hs_code(item))
            except ValueError as exc:
                self.fail("bad-hs-code", str(exc), where)
        return tuple(sorted(set(out))) if len(out) == len(items) and out else None

    def categories(self, value: Any, path: str) -> frozenset[str] | None:
        items = value if isinstance(value, list) else [value]
        out: set[str] = set()
        for i, item in enumerate(items):
            where = child_path(path, i) if isinstance(value, list) else path
            if not isinstance(item, str) or item not in self.taxonomy:
                self.fail(
                    "unknown-category",
                    f"unknown goods category {item!r}{suggest(str(item), self.taxonomy.names())}",
                    where,
                )
                continue
            out.add(item)
        return frozenset(out) if len(out) == len(items) and out else None

    def money(self, value: Any, path: str) -> Money | None:
        amount: Any
        if isinstance(value, str) and (m := _MONEY_TEXT.match(value)):
            currency, amount = m.group(1).upper(), m.group(2).replace(",", "").replace("_", "")
        elif isinstance(value, dict) and set(value) == {"amount", "currency"}:
            currency, amount = str(value["currency"]).upper(), str(value["amount"])
        else:
            self.fail("bad-money", f"expected money as 'USD 2000' or {{amount, currency}}, not {value!r}", path)
            return None
        if currency not in currency_codes():
            self.fail("bad-money", f"unknown currency {currency!r}", path)
            return None
        try:
            return Money(amount=Decimal(amount), currency=currency)
        except (InvalidOperation, ValueError):
            self.fail("bad-money", f"bad amount {amount!r}", path)
            return None

    def quantity(self, value: Any, path: str) -> Quantity | None:
        if isinstance(value, str) and (m := _QUANTITY_TEXT.match(value)):
            amount, unit = m.group(1).replace(",", "").replace("_", ""), m.group(3)
        elif isinstance(value, dict) and set(value) == {"amount", "unit"}:
            amount, unit = str(value["amount"]), str(value["unit"])
        else:
            self.fail(
                "bad-quantity",
                f"expected a quantity as '500000 bbl' or {{amount, unit}}, not {value!r}",
                path,
            )
            return None
        try:
            return Quantity.model_validate({"amount": Decimal(amount), "unit": unit})
        except (InvalidOperation, ValueError) as exc:
            self.fail("bad-quantity", f"bad quantity {value!r}: {exc}", path)
            return None


def _str_set(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v.strip() for v in items):
        return None
    return frozenset(v.strip() for v in items)


def parse_condition(
    data: Any, path: str, doc: YamlDocument, taxonomy: Taxonomy, problems: list[Problem]
) -> tuple[Condition | None, list[Use]]:
    """Parse one condition; append problems; return the tree (None if broken) and the ``use`` references in it."""
    parser = _Parser(doc, taxonomy, problems)
    return parser.condition(data, path), parser.uses
