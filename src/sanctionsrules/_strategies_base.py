"""Private helpers of ``sanctionsrules.strategies``: options, lazy validation, and small value strategies."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy
from pydantic import ValidationError

from sanctionsrules._strategies_values import to_ruleset
from sanctionsrules.engine.designations import UN_LIST_PREFIXES
from sanctionsrules.model.codes import normalise_hs_code

if TYPE_CHECKING:
    from sanctionsrules.engine.designations import DesignationSource
    from sanctionsrules.ruleset.rules import RuleSet

__all__ = [
    "UNSET",
    "WORD",
    "Option",
    "amounts",
    "bounds",
    "check_fixed",
    "check_rule",
    "hs_or_none",
    "lazy",
    "option",
    "optional",
    "party_identifiers",
    "resolve_ruleset",
    "texts",
    "validate",
]

T = TypeVar("T")


class _Unset(enum.Enum):
    UNSET = "unset"


UNSET: Final = _Unset.UNSET
# An option: a fixed value, a strategy for it, or UNSET (left to the default strategy).
Option = Any

WORD: Final = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)


def lazy(build: Callable[[], SearchStrategy[T]]) -> SearchStrategy[T]:
    # st.deferred runs ``build`` on first use, so argument errors surface when drawing, not when calling.
    return st.deferred(build)


def option(value: Option, default: SearchStrategy[Any]) -> SearchStrategy[Any]:
    if value is UNSET:
        return default
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


def optional(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    return st.one_of(st.none(), strategy)  # shrinks to "not given": the smallest transfer says the least


def validate(model: type[Any], what: str, data: Mapping[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidArgument(f"{what}: {where}: {first['msg']} (input {first.get('input')!r})") from None


def check_fixed(model: type[Any], base: Mapping[str, Any], options: Mapping[str, Option]) -> None:
    fixed = {k: v for k, v in options.items() if v is not UNSET and not isinstance(v, SearchStrategy)}
    if fixed:
        validate(model, f"invalid argument to the {model.__name__} strategy", {**base, **fixed})


def texts(pool: Iterable[str], max_words: int = 3) -> SearchStrategy[str]:
    # Readable names first; then arbitrary words (letters and digits of any script), single-spaced so that the
    # model's whitespace stripping never changes them.
    words = st.lists(WORD, min_size=1, max_size=max_words).map(" ".join)
    return st.one_of(st.sampled_from(tuple(pool)), words)


def resolve_ruleset(value: Any) -> tuple[RuleSet, DesignationSource]:
    try:
        return to_ruleset(value)
    except TypeError as exc:
        raise InvalidArgument(str(exc)) from None


def amounts(low: Decimal, high: Decimal, places: int) -> SearchStrategy[Decimal]:
    whole = st.integers(
        min_value=int(low.to_integral_value(rounding="ROUND_CEILING")),
        max_value=int(high.to_integral_value(rounding="ROUND_FLOOR")),
    ).map(Decimal)
    fine = st.decimals(min_value=low, max_value=high, places=places, allow_nan=False, allow_infinity=False)
    return st.one_of(whole, fine) if low.to_integral_value() <= high else fine


def bounds(name: str, low: Any, high: Any, cap: Decimal) -> tuple[Decimal, Decimal]:
    try:
        lo = Decimal(str(low))
        hi = cap if high is None else Decimal(str(high))
    except ArithmeticError:
        raise InvalidArgument(f"{name}: min_amount and max_amount must be numbers, got {low!r}, {high!r}") from None
    if not (Decimal(0) <= lo <= hi <= cap):
        raise InvalidArgument(f"{name}: need 0 <= min_amount <= max_amount <= {cap}, got {lo}, {hi}")
    return lo, hi


def party_identifiers() -> SearchStrategy[dict[str, str]]:
    prefixes = sorted(set(UN_LIST_PREFIXES.values()), key=lambda p: (p != "KP", p))
    un_ref = st.builds(
        lambda p, k, n: {"scheme": "un_ref", "value": f"{p}{k}.{n:03d}"},
        st.sampled_from(prefixes),
        st.sampled_from("ie"),
        st.integers(min_value=1, max_value=999),
    )
    imo = st.integers(min_value=1_000_000, max_value=9_999_999).map(lambda n: {"scheme": "imo", "value": f"IMO {n}"})
    other = st.builds(
        lambda s, v: {"scheme": s, "value": v},
        st.sampled_from(("passport", "national_id", "registration", "other")),
        WORD,
    )
    return st.one_of(un_ref, imo, other)


def hs_or_none(value: Any) -> str | None:
    try:
        return normalise_hs_code(value)
    except ValueError:
        return None  # the model will say what is wrong with it


def check_rule(ruleset: RuleSet, rule_id: Any, option: str) -> None:
    from sanctionsrules.ruleset.conditions import suggest

    if not isinstance(rule_id, str):
        raise InvalidArgument(f"transfers({option}=...) takes a rule id, not {type(rule_id).__name__}")
    ids = [r.id for r in ruleset.rules]
    if rule_id not in ids:
        raise InvalidArgument(f"transfers({option}={rule_id!r}): no such rule in the rule set{suggest(rule_id, ids)}")
