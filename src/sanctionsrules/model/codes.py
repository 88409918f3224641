"""Code types shared by the transfer model and the rule language: countries, currencies, HS codes, units."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Annotated, Final, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

__all__ = [
    "MASS_UNITS",
    "UNIT_FACTORS",
    "VOLUME_UNITS",
    "Country",
    "Currency",
    "HsCode",
    "Money",
    "Quantity",
    "Unit",
    "convert_quantity",
    "country_codes",
    "currency_codes",
    "normalise_hs_code",
]

# Codes that ISO 3166 leaves user-assigned but that trade documents use as countries.
_EXTRA_COUNTRIES: Final = frozenset({"XK"})


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code pycountry knows, plus Kosovo's XK. Loaded once, on first use."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries) | _EXTRA_COUNTRIES


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic code pycountry knows."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _check_country(value: str) -> str:
    code = value.strip().upper()
    if code not in country_codes():
        raise ValueError(f"unknown country code {value!r}: expected ISO 3166-1 alpha-2 such as 'KP' or 'RU'")
    return code


def _check_currency(value: str) -> str:
    code = value.strip().upper()
    if code not in currency_codes():
        raise ValueError(f"unknown currency {value!r}: expected an ISO 4217 code such as 'USD' or 'EUR'")
    return code


_HS_SEPARATORS = re.compile(r"[\s.\-]")
_HS_DIGITS = re.compile(r"[0-9]{2,10}")


def normalise_hs_code(value: object) -> str:
    """Strip dots, spaces and dashes from an HS code and check it is 2 to 10 digits.

    An integer is refused: it has lost the leading zero of chapters 01 to 09 (``0301`` would be ``301``).
    """
    if not isinstance(value, str):
        raise ValueError(f"an HS code must be a string of digits (quote it), not {type(value).__name__}")
    code = _HS_SEPARATORS.sub("", value)
    if not _HS_DIGITS.fullmatch(code):
        raise ValueError(f"malformed HS code {value!r}: expected 2 to 10 digits, such as '8703' or '8703.23'")
    return code


Country = Annotated[
    str,
    Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code"),
    AfterValidator(_check_country),
]
Currency = Annotated[
    str,
    Field(min_length=3, max_length=3, pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code"),
    AfterValidator(_check_currency),
]
HsCode = Annotated[
    str,
    BeforeValidator(normalise_hs_code),
    Field(description="Harmonized System code, 2 to 10 digits; dots and spaces are stripped"),
]

Unit = Literal["piece", "pair", "set", "g", "kg", "t", "l", "m3", "bbl"]
MASS_UNITS: Final = frozenset({"g", "kg", "t"})
VOLUME_UNITS: Final = frozenset({"l", "m3", "bbl"})
# Factors to the base unit of each dimension (kg, l). One oil barrel is 42 US gallons, 158.987294928 litres.
UNIT_FACTORS: Final[dict[str, Decimal]] = {
    "g": Decimal("0.001"),
    "kg": Decimal(1),
    "t": Decimal(1000),
    "l": Decimal(1),
    "m3": Decimal(1000),
    "bbl": Decimal("158.987294928"),
}
assert set(UNIT_FACTORS) | {"piece", "pair", "set"} == set(get_args(Unit))


def convert_quantity(amount: Decimal, unit: str, to: str) -> Decimal | None:
    """``amount`` in ``unit`` expressed in ``to``, or ``None`` when the two measure different things."""
    if unit == to:
        return amount
    same_dimension = {unit, to} <= MASS_UNITS or {unit, to} <= VOLUME_UNITS
    if not same_dimension:
        return None
    return amount * UNIT_FACTORS[unit] / UNIT_FACTORS[to]


class Money(BaseModel):
    """An amount of money in one currency. Amounts are decimals, so thresholds compare exactly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=4)]
    currency: Currency


class Quantity(BaseModel):
    """A quantity with its unit. Units of one dimension convert (t to kg); other conversions need a factor."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: Annotated[Decimal, Field(ge=0, max_digits=20, decimal_places=6)]
    unit: Unit
