"""Helpers for the monitor's tests: the fixture rules tree (``rules/`` here), a transfer builder, and small
rules trees written on the fly."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

from sanctionsrules import CompiledRuleSet, Transfer, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations

FIXTURE_RULES = Path(__file__).resolve().parent / "rules"
REFINED_CAP = "un-dprk.2397.5-cap"

_CACHE: dict[str, CompiledRuleSet] = {}


def compiled(which: str) -> CompiledRuleSet:
    """The fixture (or built-in) rules, compiled once per session, with designations by UN reference."""
    if which not in _CACHE:
        _CACHE[which] = compile_rules(load_rules(FIXTURE_RULES if which == "fixture" else None),
                                      ReferenceDesignations())
    return _CACHE[which]


def transfer(number: int | str, day: dt.date | str, *, amount: Any = 40_000, unit: str = "bbl",
             category: str | None = "refined_petroleum", hs_code: str | None = "271019",
             sender: str = "Dalian Fuel Trading", sender_country: str = "CN",
             recipient: str = "Wonsan Fisheries Depot", recipient_country: str = "KP",
             **extra: Any) -> Transfer:
    """A delivery of goods (refined petroleum by default) to a DPRK recipient, its own end user."""
    item: dict[str, Any] = {"quantity": {"amount": str(Decimal(amount)), "unit": unit}}
    if category is not None:
        item["category"] = category
    if hs_code is not None:
        item["hs_code"] = hs_code
    document: dict[str, Any] = {
        "id": f"T{number}" if isinstance(number, int) else number,
        "date": str(day),
        "kind": "sale",
        "sender": {"name": sender, "country": sender_country, "kind": "organisation"},
        "recipient": {"name": recipient, "country": recipient_country, "kind": "organisation"},
        "end_user": {"name": recipient, "country": recipient_country, "kind": "organisation"},
        "origin": sender_country,
        "destination": recipient_country,
        "goods": [item],
    }
    document.update(extra)
    return Transfer.model_validate(document)


CAP = """\
  - id: un-dprk.9999.1-cap
    title: Test cap
    basis: test
    in_force: {from: 2019-01-01}
    kind: cap
    match:
      all:
        - use: to_dprk
        - item.category: refined_petroleum
    sum: quantity
    unit: bbl
    period: calendar_year
    limit: 1000
    verdict: prohibited
"""


def tree(tmp_path: Path, aggregates: str) -> Path:
    """A rules tree with the fixture's taxonomy and regime, and one instrument holding ``aggregates``."""
    root = tmp_path / "rules"
    shutil.copytree(FIXTURE_RULES / "taxonomy", root / "taxonomy")
    (root / "un" / "dprk").mkdir(parents=True)
    shutil.copy(FIXTURE_RULES / "un" / "dprk" / "regime.yaml", root / "un" / "dprk" / "regime.yaml")
    (root / "un" / "dprk" / "9999.yaml").write_text(
        'regime: un-dprk\ninstrument: "9999"\ntitle: Test\nadopted: 2019-01-01\naggregates:\n' + aggregates,
        encoding="utf-8")
    return root
