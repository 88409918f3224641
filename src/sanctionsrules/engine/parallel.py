"""Batches over several processes: the compiled rule set travels once per worker, work in chunks.

Two paths. ``check_in_processes`` sends validated transfers (pickling pydantic models costs about as much as
checking them, so it pays only for rule sets that are slow to evaluate). ``check_lines_in_processes`` sends raw
JSON lines, so parsing and validation, the expensive part of a batch, run on every core.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sanctionsrules.decision import Decision
from sanctionsrules.errors import InputError
from sanctionsrules.model.transfer import Transfer
from sanctionsrules.verdict import Verdict

if TYPE_CHECKING:
    from sanctionsrules.engine.evaluator import CompiledRuleSet

__all__ = ["LineResult", "check_in_processes", "check_line", "check_lines_in_processes"]


@dataclass(frozen=True, slots=True)
class LineResult:
    """One JSON line checked: its decision as a JSON line (with the verdict beside it), or its input error."""

    line: int
    verdict: Verdict | None
    output: str | None
    error: InputError | None


_In = TypeVar("_In")
_Out = TypeVar("_Out")

_WORKER_RULES: CompiledRuleSet | None = None


def _init(rules: CompiledRuleSet) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _check_chunk(chunk: list[Transfer], as_of: dt.date | None) -> list[Decision]:
    assert _WORKER_RULES is not None
    return [_WORKER_RULES.check(t, as_of=as_of) for t in chunk]


def check_line(rules: CompiledRuleSet, number: int, line: str, file: str | None, as_of: dt.date | None) -> LineResult:
    """Parse, validate, check and serialise one JSON line; a bad line gives its located ``InputError``."""
    from sanctionsrules.io import located, parse_transfer

    try:
        decision = rules.check(parse_transfer(line, file, number), as_of=as_of)
    except InputError as exc:
        return LineResult(number, None, None, located(exc, file, number))
    # Serialised here, in the worker: sending a string back is far cheaper than pickling a decision.
    return LineResult(number, decision.verdict, json.dumps(decision.to_dict(), ensure_ascii=False), None)


def _check_lines(chunk: list[tuple[int, str]], file: str | None, as_of: dt.date | None) -> list[LineResult]:
    assert _WORKER_RULES is not None
    return [check_line(_WORKER_RULES, number, line, file, as_of) for number, line in chunk]


def _ordered_chunks(
    rules: CompiledRuleSet,
    items: Iterable[_In],
    workers: int,
    chunk_size: int,
    submit: Callable[[ProcessPoolExecutor, list[_In]], Future[list[_Out]]],
) -> Iterator[_Out]:
    # At most 2 * workers chunks in flight, so memory stays bounded on any input size; results keep input order.
    iterator = iter(items)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(rules,)) as pool:
        pending: list[Future[list[_Out]]] = []
        while True:
            while len(pending) < 2 * workers:
                chunk = list(itertools.islice(iterator, chunk_size))
                if not chunk:
                    break
                pending.append(submit(pool, chunk))
            if not pending:
                return
            yield from pending.pop(0).result()


def check_in_processes(
    rules: CompiledRuleSet,
    transfers: Iterable[Transfer],
    *,
    as_of: dt.date | None,
    workers: int,
    chunk_size: int,
) -> Iterator[Decision]:
    """Decisions for validated transfers, in input order."""
    return _ordered_chunks(
        rules, transfers, workers, chunk_size, lambda pool, chunk: pool.submit(_check_chunk, chunk, as_of)
    )


def check_lines_in_processes(
    rules: CompiledRuleSet,
    lines: Iterable[tuple[int, str]],
    *,
    file: str | None,
    as_of: dt.date | None,
    workers: int,
    chunk_size: int,
) -> Iterator[LineResult]:
    """Decisions (or located input errors) for numbered JSON lines, in input order."""
    return _ordered_chunks(
        rules, lines, workers, chunk_size, lambda pool, chunk: pool.submit(_check_lines, chunk, file, as_of)
    )
