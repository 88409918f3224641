"""Hypothesis strategies for transfers, parties and goods, and for transfers that violate (or satisfy) a rule.

Install the extra (``pip install sanctionsrules[hypothesis]``); importing ``sanctionsrules`` alone never
imports Hypothesis. With the package installed, ``st.from_type(Transfer)`` works without importing this module:
the strategies are registered through Hypothesis' entry point.

    >>> from hypothesis import given
    >>> from sanctionsrules.strategies import parties, transfers
    >>> @given(transfers(violating="un-dprk.1718.8a-iii"))
    ... def test_blocks(transfer): ...
    >>> transfers(recipient=parties(country="KP"))          # any field: a value or a strategy

Every option is keyword-only and accepts a value or a strategy. Arguments are checked when the strategy is
first drawn from, as Hypothesis' own strategies do: a bad argument raises ``InvalidArgument`` then.
Every generated value is a validated model, and the simplest values come first, so failing examples shrink to
short names, ``US``, ``sale`` and round amounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from sanctionsrules._strategies_base import (
    UNSET,
    Option,
    amounts,
    bounds,
    check_fixed,
    check_rule,
    hs_or_none,
    lazy,
    option,
    optional,
    party_identifiers,
    resolve_ruleset,
    texts,
    validate,
)
from sanctionsrules._strategies_values import (
    DESCRIPTIONS,
    NAMES,
    PARTY_KINDS,
    TRANSFER_KINDS,
    UNITS,
    all_countries,
    all_currencies,
    interesting_countries,
    ruleset_info,
)
from sanctionsrules.model.codes import Money, Quantity, country_codes, currency_codes, normalise_hs_code
from sanctionsrules.model.transfer import ExemptionClaim, GoodsItem, Party, Transfer

if TYPE_CHECKING:
    from sanctionsrules.engine.evaluator import CompiledRuleSet
    from sanctionsrules.ruleset.rules import RuleSet

__all__ = [
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


# -- codes and amounts ---------------------------------------------------------------------------------------
def countries(*, exclude: Iterable[str] = ()) -> SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes the model accepts, the often-sanctioned ones (``US``, ``KP``, ``RU``...) first.

    ``exclude``: codes never to generate.
    """

    def build() -> SearchStrategy[str]:
        excluded = {str(c).strip().upper() for c in exclude}
        unknown = sorted(excluded - country_codes())
        if unknown:
            raise InvalidArgument(f"countries(exclude=...): unknown country codes {unknown}")
        first = [c for c in interesting_countries() if c not in excluded]
        rest = [c for c in all_countries() if c not in excluded]
        if not rest:
            raise InvalidArgument("countries(exclude=...) excludes every country")
        return st.one_of(st.sampled_from(first), st.sampled_from(rest)) if first else st.sampled_from(rest)

    return lazy(build)


def currencies() -> SearchStrategy[str]:
    """ISO 4217 currency codes, the common ones (``USD``, ``EUR``...) first."""
    return lazy(lambda: st.one_of(st.sampled_from(all_currencies()[:8]), st.sampled_from(all_currencies())))


def hs_codes(*, prefix: str | None = None, min_digits: int = 2, max_digits: int = 10) -> SearchStrategy[str]:
    """Normalised Harmonized System codes (digits only), ``min_digits`` to ``max_digits`` long.

    ``prefix``: every code lies under it (``"8703"`` gives codes in that heading).
    """

    def build() -> SearchStrategy[str]:
        if not (isinstance(min_digits, int) and isinstance(max_digits, int) and 2 <= min_digits <= max_digits <= 10):
            raise InvalidArgument(f"hs_codes: need 2 <= min_digits <= max_digits <= 10, got {min_digits}, {max_digits}")
        stem = ""
        if prefix is not None:
            try:
                stem = normalise_hs_code(prefix)
            except ValueError as exc:
                raise InvalidArgument(f"hs_codes(prefix={prefix!r}): {exc}") from None
            if len(stem) > max_digits:
                raise InvalidArgument(f"hs_codes: prefix {stem!r} is longer than max_digits={max_digits}")
        lengths = [n for n in (6, 4, 2, 8, 10) if max(min_digits, len(stem)) <= n <= max_digits]
        lengths = lengths or [max(min_digits, len(stem))]
        return st.sampled_from(lengths).flatmap(
            lambda n: st.text(alphabet="0123456789", min_size=n - len(stem), max_size=n - len(stem)).map(
                lambda digits: stem + digits
            )
        )

    return lazy(build)


def money(
    *, currency: Option = UNSET, min_amount: Decimal | int | str = 0, max_amount: Decimal | int | str | None = None
) -> SearchStrategy[Money]:
    """``Money``: an amount with up to four decimal places in one currency (``currency``: a code or strategy)."""

    def build() -> SearchStrategy[Money]:
        low, high = bounds("money", min_amount, max_amount, Decimal(10) ** 12)
        if currency is not UNSET and not isinstance(currency, SearchStrategy) and currency not in currency_codes():
            raise InvalidArgument(f"money(currency={currency!r}): not an ISO 4217 code")
        return st.builds(
            lambda a, c: Money.model_validate({"amount": a, "currency": c}),
            amounts(low, high, 2) | amounts(low, high, 4),
            option(currency, currencies()),
        )

    return lazy(build)


def quantities(
    *, unit: Option = UNSET, min_amount: Decimal | int | str = 0, max_amount: Decimal | int | str | None = None
) -> SearchStrategy[Quantity]:
    """``Quantity``: an amount with up to six decimal places in one unit (``piece``, ``kg``, ``bbl``...)."""

    def build() -> SearchStrategy[Quantity]:
        low, high = bounds("quantities", min_amount, max_amount, Decimal(10) ** 12)
        if unit is not UNSET and not isinstance(unit, SearchStrategy) and unit not in UNITS:
            raise InvalidArgument(f"quantities(unit={unit!r}): expected one of {', '.join(UNITS)}")
        return st.builds(
            lambda a, u: Quantity.model_validate({"amount": a, "unit": u}),
            amounts(low, high, 3),
            option(unit, st.sampled_from(UNITS)),
        )

    return lazy(build)


# -- parties, goods, claims ------------------------------------------------------------------------------------
def parties(
    *,
    name: Option = UNSET,
    kind: Option = UNSET,
    country: Option = UNSET,
    flag: Option = UNSET,
    identifiers: Option = UNSET,
    aliases: Option = UNSET,
    date_of_birth: Option = UNSET,
    acting_for: Option = UNSET,
) -> SearchStrategy[Party]:
    """``Party``: a person, organisation, vessel, aircraft or state body; every field a value or a strategy.

    Left alone, optional fields are sometimes absent (unknown to the engine), identifiers sometimes carry a UN
    list reference (``KPi.001``), and one party in five acts for a principal.
    """
    options = {
        "name": name,
        "kind": kind,
        "country": country,
        "flag": flag,
        "identifiers": identifiers,
        "aliases": aliases,
        "date_of_birth": date_of_birth,
        "acting_for": acting_for,
    }

    def build() -> SearchStrategy[Party]:
        check_fixed(Party, {"name": "A"}, options)
        agent_of = parties(acting_for=None) if acting_for is UNSET else st.none()
        principal = st.integers(min_value=0, max_value=4).flatmap(lambda n: agent_of if n == 4 else st.none())
        fields = {
            "name": option(name, texts(NAMES)),
            "kind": option(kind, optional(st.sampled_from(PARTY_KINDS))),
            "country": option(country, optional(countries())),
            "flag": option(flag, optional(countries())),
            "identifiers": option(identifiers, st.lists(party_identifiers(), max_size=2)),
            "aliases": option(aliases, st.lists(texts(NAMES), max_size=1)),
            "date_of_birth": option(date_of_birth, optional(st.dates(dt.date(1930, 1, 1), dt.date(2010, 12, 31)))),
            "acting_for": option(acting_for, principal),
        }
        return st.fixed_dictionaries(fields).map(lambda d: validate(Party, "parties: a drawn value", d))

    return lazy(build)


def goods_items(
    *,
    ruleset: RuleSet | CompiledRuleSet | None = None,
    description: Option = UNSET,
    hs_code: Option = UNSET,
    category: Option = UNSET,
    quantity: Option = UNSET,
    value: Option = UNSET,
    origin: Option = UNSET,
    condition: Option = UNSET,
) -> SearchStrategy[GoodsItem]:
    """``GoodsItem``: a line item whose category (from ``ruleset``'s taxonomy, default the built-in one) and HS
    code agree with each other; either may be absent, as may value, quantity, origin and condition.
    """
    options = {
        "description": description,
        "hs_code": hs_code,
        "category": category,
        "quantity": quantity,
        "value": value,
        "origin": origin,
        "condition": condition,
    }

    def build() -> SearchStrategy[GoodsItem]:
        check_fixed(GoodsItem, {}, options)
        info = ruleset_info(*resolve_ruleset(ruleset))
        # Category and code come as a pair that the taxonomy agrees with, then either may be dropped.
        pairs = [p for p in info.archetypes if p[0] is not None and p[1] is not None]
        pairs += [(None, code) for code in info.neutral_hs]

        @st.composite
        def item(draw: st.DrawFn) -> GoodsItem:
            pair_category, pair_code = draw(st.sampled_from(pairs))
            keep = draw(st.sampled_from(("both", "category", "code", "neither")))
            if draw(st.integers(min_value=0, max_value=5)) == 5:
                pair_code = draw(hs_codes(min_digits=4, max_digits=info.hs_length))  # any code, no category
                pair_category, keep = None, "code"
            # An overridden category or code brings a counterpart the taxonomy agrees with, when there is one.
            if category is not UNSET:
                pair_category = draw(option(category, st.nothing()))
                codes = [c for k, c in pairs if k == pair_category]
                pair_code = draw(st.sampled_from(codes)) if codes and pair_category is not None else None
                keep = "both" if keep in ("both", "code") else "category"
            elif hs_code is not UNSET:
                pair_code = draw(option(hs_code, st.nothing()))
                stem = hs_or_none(pair_code)
                names = [
                    k
                    for k in info.taxonomy.names()
                    if stem and any(stem.startswith(e) for e in info.taxonomy.effective_hs(k))
                ]
                pair_category = draw(st.sampled_from(names)) if names else None
                keep = "both" if keep in ("both", "category") else "code"
            raw = {
                "description": draw(option(description, optional(texts(DESCRIPTIONS)))),
                "hs_code": pair_code if keep in ("both", "code") else None,
                "category": pair_category if keep in ("both", "category") else None,
                "quantity": draw(option(quantity, optional(quantities()))),
                "value": draw(option(value, optional(money()))),
                "origin": draw(option(origin, optional(countries()))),
                "condition": draw(option(condition, optional(st.sampled_from(("new", "used"))))),
            }
            return validate(GoodsItem, "goods_items: a drawn value", raw)  # type: ignore[no-any-return]

        return item()

    return lazy(build)


def exemption_claims(
    *,
    ruleset: RuleSet | CompiledRuleSet | None = None,
    kind: Option = UNSET,
    authority: Option = UNSET,
    reference: Option = UNSET,
    date: Option = UNSET,
) -> SearchStrategy[ExemptionClaim]:
    """``ExemptionClaim``: kinds and authorities that ``ruleset``'s exemptions ask for come first."""
    options = {"kind": kind, "authority": authority, "reference": reference, "date": date}

    def build() -> SearchStrategy[ExemptionClaim]:
        check_fixed(ExemptionClaim, {"kind": "other", "authority": "national"}, options)
        info = ruleset_info(*resolve_ruleset(ruleset))
        kinds = (*info.claim_kinds, "humanitarian", "other")
        authorities = (*info.claim_authorities, "national", "un")
        fields = {
            "kind": option(kind, st.sampled_from(kinds)),
            "authority": option(authority, st.sampled_from(authorities)),
            "reference": option(reference, optional(st.sampled_from(("REF-1", "2024/17")))),
            "date": option(date, optional(st.dates(dt.date(2006, 1, 1), dt.date(2030, 12, 31)))),
        }
        return st.fixed_dictionaries(fields).map(lambda d: validate(ExemptionClaim, "exemption_claims", d))

    return lazy(build)


# -- transfers -------------------------------------------------------------------------------------------------
def transfers(
    *,
    violating: str | None = None,
    near: str | None = None,
    compliant_with: RuleSet | CompiledRuleSet | None = None,
    ruleset: RuleSet | CompiledRuleSet | None = None,
    id: Option = UNSET,
    date: Option = UNSET,
    contract_date: Option = UNSET,
    kind: Option = UNSET,
    sender: Option = UNSET,
    recipient: Option = UNSET,
    end_user: Option = UNSET,
    intermediaries: Option = UNSET,
    carrier: Option = UNSET,
    origin: Option = UNSET,
    destination: Option = UNSET,
    route: Option = UNSET,
    goods: Option = UNSET,
    exemption_claims: Option = UNSET,
    notes: Option = UNSET,
) -> SearchStrategy[Transfer]:
    """``Transfer``: any valid transfer, or one a rule set judges in a chosen way.

    - ``violating=RULE_ID``: the rule fires with its own verdict (a true finding, not ``review``), in force on
      the transfer's date, and no exemption lowers it. Every fact is given, so nothing is unknown.
    - ``near=RULE_ID``: one fact away from violating the rule (the day before it came into force, a value
      exactly at a threshold, the neighbouring HS heading, another country), and the rule does not fire.
    - ``compliant_with=RULESET``: fully specified and permitted by the rule set, with no finding at all.

    ``ruleset`` (a ``RuleSet`` or ``CompiledRuleSet``, default the built-in rules) is the rule set that
    ``violating`` and ``near`` refer to, and whose taxonomy and claim kinds plain transfers draw from.

    Every transfer field is an option, a value or a strategy: ``transfers(recipient=parties(country="KP"))``.
    With a rule-directed mode, fixed facts are respected by the construction (the recipient above is kept,
    and the violation is built around it); a combination that cannot satisfy the mode is rejected.
    """
    options = {
        "id": id,
        "date": date,
        "contract_date": contract_date,
        "kind": kind,
        "sender": sender,
        "recipient": recipient,
        "end_user": end_user,
        "intermediaries": intermediaries,
        "carrier": carrier,
        "origin": origin,
        "destination": destination,
        "route": route,
        "goods": goods,
        "exemption_claims": exemption_claims,
        "notes": notes,
    }

    def build() -> SearchStrategy[Transfer]:
        from sanctionsrules._strategies_rules import compliant
        from sanctionsrules._strategies_rules import near as near_miss
        from sanctionsrules._strategies_rules import violating as violation

        modes = [
            m
            for m, v in (("violating", violating), ("near", near), ("compliant_with", compliant_with))
            if v is not None
        ]
        if len(modes) > 1:
            raise InvalidArgument(f"transfers: give at most one of violating, near and compliant_with, not {modes}")
        if compliant_with is not None and ruleset is not None:
            raise InvalidArgument("transfers: compliant_with names the rule set; do not pass ruleset as well")
        check_fixed(Transfer, {"id": "t1"}, options)
        chosen, source = resolve_ruleset(compliant_with if compliant_with is not None else ruleset)
        rule_id = violating if violating is not None else near
        if rule_id is not None:
            check_rule(chosen, rule_id, "violating" if violating is not None else "near")
        given = {k: v for k, v in options.items() if v is not UNSET}
        defaults = _plain_fields(chosen)

        @st.composite
        def generate(draw: st.DrawFn) -> Transfer:
            drawn = {k: draw(v) if isinstance(v, SearchStrategy) else v for k, v in given.items()}
            checked = validate(Transfer, "transfers: a drawn override", {"id": "t1", **drawn})
            fixed = {k: getattr(checked, k) for k in drawn}  # normalised: "kp" is "KP", parties are models
            if violating is not None:
                return draw(violation(chosen, source, violating, fixed))
            if near is not None:
                return draw(near_miss(chosen, source, near, fixed))
            if compliant_with is not None:
                return draw(compliant(chosen, source, fixed))
            raw = {k: fixed[k] if k in fixed else draw(s) for k, s in defaults.items()}
            return validate(Transfer, "transfers: a drawn value", raw)  # type: ignore[no-any-return]

        return generate()

    return lazy(build)


def _plain_fields(ruleset: RuleSet) -> dict[str, SearchStrategy[Any]]:
    from sanctionsrules._strategies_values import date_window

    low, high = date_window(ruleset)
    carrier_kinds = st.sampled_from(("vessel", "aircraft", "organisation"))
    defaults: dict[str, SearchStrategy[Any]] = {
        "id": st.integers(min_value=1, max_value=999).map(lambda n: f"t{n}"),
        "date": optional(st.dates(low, high)),
        "contract_date": optional(st.dates(low, high)),
        "kind": optional(st.sampled_from(TRANSFER_KINDS)),
        "sender": optional(parties()),
        "recipient": optional(parties()),
        "end_user": optional(parties()),
        "intermediaries": st.lists(parties(), max_size=2),
        "carrier": optional(parties(kind=carrier_kinds)),
        "origin": optional(countries()),
        "destination": optional(countries()),
        "route": st.lists(countries(), max_size=2),
        "goods": st.lists(goods_items(ruleset=ruleset), max_size=3),
        "exemption_claims": st.lists(exemption_claims(ruleset=ruleset), max_size=2),
        "notes": optional(texts(("note",), max_words=5)),
    }
    return defaults
