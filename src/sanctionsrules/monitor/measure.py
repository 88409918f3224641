"""Amounts for the monitor: converting an item's quantity or value into a cap's unit, and writing numbers.

All arithmetic is decimal: a running total compared with 95 % of a limit must not be off by a rounding error.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

from sanctionsrules.model.codes import Money, Quantity, convert_quantity

__all__ = ["COUNTED_PLACES", "add_months", "amount_text", "measure_quantity", "measure_value", "percent_text"]

# A converted amount is rounded once, to a millionth of the unit (a quantity's own precision), when it is
# measured: then every later sum and difference is exact. Unrounded, a conversion's 28 significant digits would
# leave residues such as -3E-29 when a rolling window subtracts what it added.
COUNTED_PLACES = Decimal("0.000001")


def amount_text(value: Decimal) -> str:
    """``7,330`` or ``6.29``: thousands separated, at most two decimals, no trailing zeros."""
    rounded = value.quantize(Decimal("0.01"))
    text = f"{rounded:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(fraction: Decimal, *, floor: bool = False) -> str:
    """``86%`` for 0.86; ``floor`` never rounds up (94.99 % shows as 94 %, not as the 95 % mark it has not hit)."""
    percent = fraction * 100
    if floor:
        return f"{percent.to_integral_value(rounding=ROUND_FLOOR)}%"
    return f"{percent.normalize():f}%"


def measure_quantity(quantity: Quantity, unit: str, factors: Mapping[str, Decimal]) -> tuple[Decimal | None, str]:
    """The quantity in ``unit`` and how it was converted; or None and why it cannot be.

    Units of one dimension convert by definition (l to bbl, kg to t). Across dimensions only a declared factor
    converts (``{t: 7.33}``: 7.33 ``unit`` per tonne), and the finding says which one.
    """
    given = f"{amount_text(quantity.amount)} {quantity.unit}"
    same = convert_quantity(quantity.amount, quantity.unit, unit)
    if same is not None:
        if quantity.unit == unit:
            return same, ""
        same = same.quantize(COUNTED_PLACES)
        return same, f"{given} = {amount_text(same)} {unit}"
    for factor_unit, factor in factors.items():
        base = convert_quantity(quantity.amount, quantity.unit, factor_unit)
        if base is None:
            continue
        converted = (base * factor).quantize(COUNTED_PLACES)
        via = "" if quantity.unit == factor_unit else f" = {amount_text(base)} {factor_unit},"
        return converted, (f"{given}{via} converted at {factor.normalize():f} {unit}/{factor_unit} = "
                           f"{amount_text(converted)} {unit}")
    declared = ", ".join(sorted(factors)) or "none"
    return None, f"quantity given in {quantity.unit}, which does not convert to {unit} (declared factors: {declared})"


def measure_value(value: Money, currency: str) -> tuple[Decimal | None, str]:
    """The value in ``currency``; another currency is not converted (no exchange rate is guessed)."""
    if value.currency == currency:
        return value.amount, ""
    return None, f"value given in {value.currency}, not {currency}; no exchange rate is assumed"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` later; a day the month lacks becomes the month's last (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
