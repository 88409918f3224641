"""Saving and restoring a monitor's state: a JSON file tied to the rule set's digest.

The file holds the facts of the working memory that outlive a call (the clock, running totals, held
deliveries, pending pattern candidates), the date of the last transfer and how many were seen. Restoring
puts the facts back into a fresh durable-rules session; nothing is recomputed, so the totals are the same.
A state made with another rule set is refused: its totals were counted under other rules.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from sanctionsrules.monitor.errors import MonitorStateError
from sanctionsrules.monitor.memory import FACT_TYPES

if TYPE_CHECKING:
    from sanctionsrules.monitor.monitor import Monitor

__all__ = ["FORMAT", "SavedState", "read_state", "save_state"]

FORMAT = "sanctionsrules-monitor-state/1"


class _Memory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sequence: int
    facts: list[dict[str, Any]]


class _StateDoc(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["sanctionsrules-monitor-state/1"]
    ruleset: dict[str, str]
    last_date: dt.date | None
    observed: int
    memory: _Memory


@dataclass(frozen=True, slots=True)
class SavedState:
    """A state read back: the working memory's dump, the last date and the count of transfers."""

    memory: dict[str, Any]
    last_date: dt.date | None
    observed: int


def save_state(monitor: Monitor, memory: dict[str, Any], path: Path) -> None:
    """Write the state atomically (a temporary file renamed over ``path``): a crash never leaves half a file."""
    document = {
        "format": FORMAT,
        "ruleset": {"digest": monitor.digest, "version": monitor.rules.ruleset.version},
        "last_date": monitor.last_date.isoformat() if monitor.last_date else None,
        "observed": monitor.observed,
        "memory": memory,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, ensure_ascii=False, indent=1, sort_keys=True)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_state(path: Path, digest: str) -> SavedState:
    """The state at ``path``, checked against the rule set ``digest``; ``MonitorStateError`` otherwise."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MonitorStateError(f"{path}: cannot read the monitor state: {exc}") from None
    try:
        doc = _StateDoc.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MonitorStateError(f"{path}: not a monitor state ({FORMAT}): {where}: {first['msg']}") from None
    saved = doc.ruleset.get("digest")
    if saved != digest:
        raise MonitorStateError(
            f"{path}: the state was made with another rule set ({saved}, version {doc.ruleset.get('version')}); "
            f"these rules are {digest}. Its running totals were counted under other rules: start a new state "
            "or use the rules it was made with"
        )
    for i, fact in enumerate(doc.memory.facts):
        if fact.get("t") not in FACT_TYPES:
            raise MonitorStateError(f"{path}: memory.facts[{i}] is not a fact the monitor keeps")
    return SavedState(doc.memory.model_dump(), doc.last_date, doc.observed)
