"""The public strategies themselves: every value validates and round-trips, arguments fail lazily, overrides hold,
and Hypothesis finds the strategies through the entry point without sanctionsrules importing Hypothesis."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from _property_support import COMPILED, interesting_transfers
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from pydantic import BaseModel

from sanctionsrules import Transfer, strategies
from sanctionsrules.model import ExemptionClaim, GoodsItem, Money, Party, Quantity
from sanctionsrules.strategies import (
    countries,
    currencies,
    exemption_claims,
    goods_items,
    hs_codes,
    money,
    parties,
    quantities,
    transfers,
)

ROOT = Path(__file__).resolve().parents[2]


def test_public_names_are_pinned() -> None:
    assert strategies.__all__ == [
        "countries",
        "currencies",
        "exemption_claims",
        "goods_items",
        "hs_codes",
        "money",
        "parties",
        "quantities",
        "transfers",
    ]


def _round_trips(value: BaseModel) -> None:
    model = type(value)
    assert model.model_validate_json(value.model_dump_json()) == value
    assert model.model_validate(value.model_dump()) == value
    assert model.model_validate_json(value.model_dump_json(exclude_none=True)) == value


@given(st.one_of(parties(), goods_items(ruleset=COMPILED), money(), quantities(), exemption_claims(ruleset=COMPILED)))
def test_generated_models_round_trip(value: BaseModel) -> None:
    _round_trips(value)


@given(interesting_transfers())
def test_every_generated_transfer_round_trips(transfer: Transfer) -> None:
    _round_trips(transfer)


@given(interesting_transfers())
def test_generated_categories_are_known_to_the_taxonomy(transfer: Transfer) -> None:
    # A category the taxonomy does not know makes check() raise; the strategies only draw known ones.
    COMPILED.check(transfer)


@given(countries(), currencies(), hs_codes(), hs_codes(prefix="87.03", min_digits=6, max_digits=8))
def test_codes(country: str, currency: str, code: str, car: str) -> None:
    Party.model_validate({"name": "A", "country": country})
    Money.model_validate({"amount": 1, "currency": currency})
    assert code.isdigit() and 2 <= len(code) <= 10
    assert car.startswith("8703") and 6 <= len(car) <= 8


@given(countries(exclude=["KP", "us"]))
def test_countries_exclude(country: str) -> None:
    assert country not in ("KP", "US")


@given(money(currency="EUR", min_amount=10, max_amount=20), quantities(unit="bbl", max_amount="0.5"))
def test_amount_bounds(value: Money, quantity: Quantity) -> None:
    assert value.currency == "EUR" and 10 <= value.amount <= 20
    assert quantity.unit == "bbl" and quantity.amount <= 0.5


@given(
    transfers(ruleset=COMPILED, recipient=parties(country="KP"), destination=st.sampled_from(["CN", "RU"]), route=())
)
def test_transfer_overrides_take_values_and_strategies(transfer: Transfer) -> None:
    assert transfer.recipient is not None and transfer.recipient.country == "KP"
    assert transfer.destination in ("CN", "RU") and transfer.route == ()


@given(
    transfers(
        violating="un-dprk.1718.8a-iii",
        ruleset=COMPILED,
        recipient=parties(name="Kim Jong Un", country="KP"),
        origin="ru",
        sender=None,
    )
)
def test_overrides_are_kept_by_rule_directed_generation(transfer: Transfer) -> None:
    assert transfer.recipient is not None and transfer.recipient.name == "Kim Jong Un"
    assert transfer.origin == "RU" and transfer.sender is None
    assert "un-dprk.1718.8a-iii" in COMPILED.check(transfer).rules()


@given(goods_items(ruleset=COMPILED, category="luxury_vehicle"), goods_items(ruleset=COMPILED, hs_code="8703"))
def test_goods_item_overrides(car: GoodsItem, coded: GoodsItem) -> None:
    assert car.category == "luxury_vehicle"
    assert car.hs_code is None or car.hs_code.startswith("8703")
    assert coded.hs_code == "8703"


def _draw_once(strategy: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=1, database=None)
    @given(strategy)
    def draw(value: Any) -> None:
        pass

    draw()


BAD_ARGUMENTS = {
    "unknown country": lambda: countries(exclude=["XX"]),
    "every country excluded": lambda: countries(
        exclude=sorted(__import__("sanctionsrules.model.codes").model.codes.country_codes())
    ),
    "bad hs prefix": lambda: hs_codes(prefix="87a"),
    "digits out of range": lambda: hs_codes(min_digits=1),
    "unknown currency": lambda: money(currency="ABC"),
    "negative amount": lambda: money(min_amount=-1),
    "unknown unit": lambda: quantities(unit="furlong"),
    "bad party country": lambda: parties(country="XX"),
    "bad claim kind": lambda: exemption_claims(kind="Not A Token"),
    "bad goods override": lambda: goods_items(hs_code="87a"),
    "unknown rule": lambda: transfers(violating="un-dprk.1718.8z", ruleset=COMPILED),
    "two modes": lambda: transfers(violating="un-dprk.1718.8d", near="un-dprk.1718.8d", ruleset=COMPILED),
    "compliant and ruleset": lambda: transfers(compliant_with=COMPILED, ruleset=COMPILED),
    "not a ruleset": lambda: transfers(compliant_with="rules/"),  # type: ignore[arg-type]
    "bad transfer override": lambda: transfers(destination="XX", ruleset=COMPILED),
    "bad drawn override": lambda: transfers(destination=st.just("XX"), ruleset=COMPILED),
}


@pytest.mark.parametrize("make", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_bad_arguments_fail_when_drawn_not_when_called(make: Any) -> None:
    strategy = make()  # building the strategy must not raise
    with pytest.raises(InvalidArgument):
        _draw_once(strategy)


def test_unknown_rule_suggests_the_closest() -> None:
    with pytest.raises(InvalidArgument, match=r"did you mean 'un-dprk\.1718\.8d'"):
        _draw_once(transfers(violating="un-dprk.1718.8dd", ruleset=COMPILED))


# -- packaging: the entry point, and no Hypothesis on a plain import -------------------------------------------
def _run(code: str, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    paths = [str(ROOT / "src"), *([str(extra_path)] if extra_path else []), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    env.pop("HYPOTHESIS_NO_PLUGINS", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_importing_sanctionsrules_does_not_import_hypothesis() -> None:
    result = _run("""
        import os, sys
        import sanctionsrules
        from sanctionsrules import Transfer, compile_rules, load_rules
        rules = compile_rules(load_rules(os.environ.get("SANCTIONSRULES_RULES") or None))
        rules.check(Transfer.model_validate({"id": "t1", "destination": "KP"}))
        import sanctionsrules._hypothesis_plugin
        loaded = sorted(m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis."))
        assert not loaded, loaded
        print("ok")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_from_type_works_through_the_entry_point(tmp_path: Path) -> None:
    # The entry point as pyproject.toml declares it, in a distribution's metadata on the path: this is what an
    # installed sanctionsrules provides (and works the same whether or not this checkout is installed).
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["hypothesis"]
    assert declared == {"_": "sanctionsrules._hypothesis_plugin:_register"}
    dist = tmp_path / "sanctionsrules_entry_point_probe-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sanctionsrules-entry-point-probe\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[hypothesis]\n" + "".join(f"{k} = {v}\n" for k, v in declared.items()))
    result = _run(
        """
        import sys
        from hypothesis import given, settings, strategies as st
        from sanctionsrules.model import ExemptionClaim, GoodsItem, Money, Party, Quantity, Transfer
        assert "sanctionsrules.strategies" not in sys.modules  # registered lazily
        seen = []
        @settings(max_examples=5, database=None)
        @given(st.from_type(Transfer), st.from_type(Party), st.from_type(GoodsItem), st.from_type(Money),
               st.from_type(Quantity), st.from_type(ExemptionClaim))
        def check(transfer, party, item, money, quantity, claim):
            seen.append(tuple(type(v).__name__ for v in (transfer, party, item, money, quantity, claim)))
        check()
        print(seen[0])
    """,
        extra_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('Transfer', 'Party', 'GoodsItem', 'Money', 'Quantity', 'ExemptionClaim')"


def test_plugin_registers_every_model() -> None:
    from sanctionsrules._hypothesis_plugin import _register

    _register()
    for model in (Transfer, Party, GoodsItem, Money, Quantity, ExemptionClaim):
        _draw_once(st.from_type(model).map(lambda v, m=model: isinstance(v, m) or pytest.fail(str(v))))
