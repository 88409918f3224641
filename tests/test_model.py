"""The transfer model: codes normalised and checked, unknown fields refused, errors with JSON paths."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sanctionsrules import InputError, Transfer
from sanctionsrules.io import parse_transfer
from sanctionsrules.model import GoodsItem, Money, Party, convert_quantity, normalise_hs_code


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("8703", "8703"),
        ("8703.23", "870323"),
        ("87 03 23 10", "87032310"),
        ("03", "03"),
        ("0301.11-00", "03011100"),
    ],
)
def test_hs_codes_are_normalised(raw: str, code: str) -> None:
    assert normalise_hs_code(raw) == code
    assert GoodsItem(hs_code=raw).hs_code == code


@pytest.mark.parametrize("raw", ["8", "87031234567", "87a3", "", 8703])
def test_bad_hs_codes_are_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="HS code"):
        normalise_hs_code(raw)


def test_countries_are_iso_alpha2_and_uppercased() -> None:
    assert Party(name="x", country="kp").country == "KP"
    with pytest.raises(ValueError, match="unknown country code 'QQ'"):
        Party(name="x", country="QQ")
    with pytest.raises(ValueError, match="at most 2 characters"):
        Party(name="x", country="PRK")


def test_money_needs_an_iso_currency() -> None:
    assert Money(amount=Decimal("10.5"), currency="usd").currency == "USD"
    with pytest.raises(ValueError, match="unknown currency"):
        Money(amount=Decimal(1), currency="XXY")
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        Money(amount=Decimal(-1), currency="USD")


def test_quantity_conversion() -> None:
    assert convert_quantity(Decimal(2), "t", "kg") == Decimal(2000)
    assert convert_quantity(Decimal(1), "bbl", "l") == Decimal("158.987294928")
    assert convert_quantity(Decimal(1), "t", "bbl") is None  # mass to volume needs a declared factor


def test_acting_for_nests_and_the_model_is_frozen() -> None:
    transfer = Transfer.model_validate(
        {
            "id": "t",
            "recipient": {"name": "Kim Yo Jong", "acting_for": {"name": "Kim Jong Un", "country": "KP"}},
        }
    )
    assert transfer.recipient is not None and transfer.recipient.acting_for is not None
    assert transfer.recipient.acting_for.country == "KP"
    with pytest.raises(ValueError, match="frozen"):
        transfer.id = "other"  # type: ignore[misc]


def test_errors_carry_json_paths() -> None:
    with pytest.raises(InputError) as caught:
        parse_transfer(
            '{"id": "t", "goods": [{"hs_code": "x"}, {"value": {"amount": 1, "currency": "ZZZ"}}], "oops": 1}',
            "f.json",
        )
    found = {(p.code, p.path) for p in caught.value.problems}
    assert found == {
        ("bad-hs-code", "$.goods[0].hs_code"),
        ("unknown-currency", "$.goods[1].value.currency"),
        ("unknown-field", "$.oops"),
    }
    assert isinstance(caught.value, ValueError)


def test_round_trip_through_json() -> None:
    raw = {
        "id": "t",
        "date": "2024-02-18",
        "goods": [{"hs_code": "8703.23", "value": {"amount": "10.50", "currency": "EUR"}}],
    }
    transfer = Transfer.model_validate(raw)
    assert Transfer.model_validate_json(transfer.model_dump_json()) == transfer
