"""``check_many`` over several processes: the compiled rule set travels once per worker, transfers in chunks."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from sanctionsrules.decision import Decision
from sanctionsrules.model.transfer import Transfer

if TYPE_CHECKING:
    from sanctionsrules.engine.evaluator import CompiledRuleSet

__all__ = ["check_in_processes"]

_WORKER_RULES: CompiledRuleSet | None = None


def _init(rules: CompiledRuleSet) -> None:
    global _WORKER_RULES
    _WORKER_RULES = rules


def _check_chunk(chunk: list[Transfer], as_of: dt.date | None) -> list[Decision]:
    assert _WORKER_RULES is not None
    return [_WORKER_RULES.check(t, as_of=as_of) for t in chunk]


def check_in_processes(rules: CompiledRuleSet, transfers: Iterable[Transfer], *, as_of: dt.date | None,
                       workers: int, chunk_size: int) -> Iterator[Decision]:
    """Decisions in input order; at most ``2 * workers`` chunks are in flight, so memory stays bounded."""
    iterator = iter(transfers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=(rules,)) as pool:
        pending = []
        while True:
            while len(pending) < 2 * workers:
                chunk = list(itertools.islice(iterator, chunk_size))
                if not chunk:
                    break
                pending.append(pool.submit(_check_chunk, chunk, as_of))
            if not pending:
                return
            yield from pending.pop(0).result()
