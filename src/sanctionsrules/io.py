"""Read transfers from JSON (one object, or an array) or JSON lines, with every error located.

JSON syntax errors carry ``file:line:column``; validation errors carry the JSON path (``$.goods[0].hs_code``)
and, in JSON lines, the line number.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from sanctionsrules.errors import InputError, Problem
from sanctionsrules.model.transfer import Transfer

__all__ = [
    "ParsedLine",
    "looks_like_json_lines",
    "parse_transfer",
    "problems_from_validation",
    "read_transfers",
]

_COUNTRY_FIELDS = frozenset({"country", "flag", "origin", "destination", "route"})


def _path(loc: Iterable[Any]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _code(error_type: str, loc: tuple[Any, ...]) -> str:
    if error_type == "extra_forbidden":
        return "unknown-field"
    if error_type == "missing":
        return "missing-field"
    names = [p for p in loc if isinstance(p, str)]
    last = names[-1] if names else ""
    if last == "hs_code":
        return "bad-hs-code"
    if last in _COUNTRY_FIELDS:
        return "unknown-country"
    if last == "currency":
        return "unknown-currency"
    return "invalid-value"


def problems_from_validation(exc: ValidationError, file: str | None, line: int = 0) -> list[Problem]:
    """Pydantic's errors as located problems, one per error."""
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown field {str(loc[-1])!r}"
        problems.append(Problem(_code(error["type"], loc), message, _path(loc), file, line, 0))
    return problems


def parse_transfer(data: str | bytes | dict[str, Any], file: str | None = None, line: int = 0) -> Transfer:
    """One transfer from JSON text or a decoded mapping; ``InputError`` with located problems if it is bad."""
    try:
        if isinstance(data, dict):
            return Transfer.model_validate(data)
        return Transfer.model_validate_json(data)
    except ValidationError as exc:
        if exc.title == "Transfer" and any(e["type"] == "json_invalid" for e in exc.errors()):
            return _json_problem(data, file, line)
        raise InputError(problems_from_validation(exc, file, line)) from None


def _json_problem(data: str | bytes | dict[str, Any], file: str | None, line: int) -> Transfer:
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        where_line = (line - 1 + exc.lineno) if line else exc.lineno
        raise InputError([Problem("bad-json", exc.msg, "$", file, where_line, exc.colno)]) from None
    raise InputError([Problem("bad-json", "not a JSON object", "$", file, line)])


@dataclass(frozen=True, slots=True)
class ParsedLine:
    """One transfer of a batch, or the error that kept it from being read. ``line`` is 1-based (0: whole file)."""

    line: int
    transfer: Transfer | None
    error: InputError | None


def located(error: InputError, file: str | None, line: int) -> InputError:
    """The same problems, placed at ``file:line`` where they carry no place of their own (errors raised while
    checking a transfer, such as an unknown goods category, know their JSON path but not their line)."""
    return InputError([p if p.line else Problem(p.code, p.message, p.path, file, line) for p in error.problems])


def looks_like_json_lines(text: str) -> bool:
    """True when ``text`` is several JSON values, one per line, rather than one JSON document."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2:
        return False
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.msg.startswith("Extra data")
    return False


def read_transfers(text: str, file: str | None = None) -> Iterator[ParsedLine]:
    """Transfers from a whole document: a JSON object, a JSON array of objects, or JSON lines."""
    stripped = text.lstrip()
    if not stripped:
        yield ParsedLine(0, None, InputError([Problem("empty-input", "no transfer in the input", "$", file)]))
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if "\n" in text.strip() and exc.msg.startswith("Extra data"):
            yield from _json_lines(text, file)
            return
        problem = Problem("bad-json", exc.msg, "$", file, exc.lineno, exc.colno)
        yield ParsedLine(exc.lineno, None, InputError([problem]))
        return
    items = document if isinstance(document, list) else [document]
    for i, item in enumerate(items):
        prefix = f"$[{i}]" if isinstance(document, list) else "$"
        if not isinstance(item, dict):
            problem = Problem("bad-json", "a transfer is a JSON object", prefix, file)
            yield ParsedLine(0, None, InputError([problem]))
            continue
        try:
            yield ParsedLine(0, Transfer.model_validate(item), None)
        except ValidationError as exc:
            problems = [
                Problem(p.code, p.message, prefix + p.path[1:], p.file, p.line, p.column)
                for p in problems_from_validation(exc, file)
            ]
            yield ParsedLine(0, None, InputError(problems))


def _json_lines(text: str, file: str | None) -> Iterator[ParsedLine]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield ParsedLine(number, parse_transfer(raw, file, number), None)
        except InputError as exc:
            yield ParsedLine(number, None, exc)
