"""Value pools shared by the public strategies and rule-directed generation.

Every pool lists its simplest, most readable values first: Hypothesis shrinks a ``sampled_from`` towards its
first element, so a failing example ends up with ``US``, ``sale``, ``USD 1`` and a name like ``A``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Final, get_args

from sanctionsrules.logic import TRUE, Tri
from sanctionsrules.model.codes import Unit, country_codes, currency_codes
from sanctionsrules.model.transfer import Party, PartyKind, TransferKind
from sanctionsrules.ruleset.conditions import All, AnyOf, Claim, Condition, Not, Test
from sanctionsrules.ruleset.facts import FACTS

if TYPE_CHECKING:
    from sanctionsrules.engine.designations import DesignationSource
    from sanctionsrules.engine.evaluator import CompiledRuleSet
    from sanctionsrules.ruleset.rules import RuleSet
    from sanctionsrules.ruleset.taxonomy import Taxonomy

__all__ = [
    "DESCRIPTIONS",
    "FAR_FUTURE",
    "NAMES",
    "PARTY_KINDS",
    "TRANSFER_KINDS",
    "UNITS",
    "RuleSetInfo",
    "all_countries",
    "all_currencies",
    "builtin_ruleset",
    "default_designations",
    "interesting_countries",
    "ruleset_info",
    "to_ruleset",
]

# Countries that sanctions rules talk about come first, so small examples read like the cases they stand for.
_FIRST_COUNTRIES: Final = ("US", "KP", "RU", "CN", "GB", "FR", "DE", "JP", "IR", "SY", "UA", "KR", "IN", "AE", "SG")
_FIRST_CURRENCIES: Final = ("USD", "EUR", "CNY", "RUB", "KPW", "GBP", "JPY", "CHF")
NAMES: Final = ("A", "B", "C", "Acme Ltd", "Kim", "Ivan Petrov", "Li Wei", "Ocean Star")
DESCRIPTIONS: Final = ("goods", "car", "rifle", "watch", "oil", "machine parts")
TRANSFER_KINDS: Final[tuple[str, ...]] = get_args(TransferKind)
PARTY_KINDS: Final[tuple[str, ...]] = get_args(PartyKind)
UNITS: Final[tuple[str, ...]] = get_args(Unit)
# Real, everyday HS subheadings (furniture, toys, T-shirts, coffee, wheat, medicaments, laptops, paper). They
# stand in for "goods no rule is about"; the ones a rule set or taxonomy mentions are dropped per rule set.
_EVERYDAY_HS: Final = ("940360", "950300", "610910", "090111", "100199", "300490", "847130", "482010")


@cache
def all_countries() -> tuple[str, ...]:
    """Every country code the model accepts, the commonly sanctioned and trading ones first."""
    rest = sorted(country_codes() - set(_FIRST_COUNTRIES))
    return (*[c for c in _FIRST_COUNTRIES if c in country_codes()], *rest)


def interesting_countries() -> tuple[str, ...]:
    """The short list of countries rules are most often about."""
    return tuple(c for c in _FIRST_COUNTRIES if c in country_codes())


@cache
def all_currencies() -> tuple[str, ...]:
    """Every currency code the model accepts, the common ones first."""
    rest = sorted(currency_codes() - set(_FIRST_CURRENCIES))
    return (*[c for c in _FIRST_CURRENCIES if c in currency_codes()], *rest)


@cache
def builtin_ruleset() -> RuleSet:
    """The built-in rules, loaded once (loading parses every YAML file)."""
    from sanctionsrules.ruleset import load_rules

    return load_rules()


def default_designations() -> DesignationSource:
    """The designation source ``compile_rules`` uses when given none."""
    from sanctionsrules.engine import evaluator
    from sanctionsrules.engine.designations import ReferenceDesignations

    make = getattr(evaluator, "default_designations", None)
    return make() if make is not None else ReferenceDesignations()


@cache
def _shared_default_designations() -> DesignationSource:
    return default_designations()  # one per process: a list-backed source loads its list once


def to_ruleset(ruleset: RuleSet | CompiledRuleSet | None) -> tuple[RuleSet, DesignationSource]:
    """The ``RuleSet`` behind ``ruleset`` and the designation source its checks use (the default one, unless a
    compiled rule set brings its own); the built-in rules for None."""
    from sanctionsrules.engine.evaluator import CompiledRuleSet
    from sanctionsrules.ruleset.rules import RuleSet

    if ruleset is None:
        return builtin_ruleset(), _shared_default_designations()
    if isinstance(ruleset, CompiledRuleSet):
        return ruleset.ruleset, ruleset.designations
    if isinstance(ruleset, RuleSet):
        return ruleset, _shared_default_designations()
    raise TypeError(f"ruleset must be a RuleSet or a CompiledRuleSet, not {type(ruleset).__name__}")


@dataclass(frozen=True)
class RuleSetInfo:
    """What generation needs to know about a rule set, computed once per rule set.

    ``archetypes`` are the (category, HS code) pairs an item can carry without contradicting the taxonomy:
    the code lies under one of the category's codes, or the category has none and the code is an everyday one.
    ``complete`` are those on which no category or HS test can be unknown.
    """

    taxonomy: Taxonomy
    hs_length: int
    archetypes: tuple[tuple[str | None, str | None], ...]
    complete: tuple[tuple[str | None, str | None], ...]
    neighbours: frozenset[str]
    claim_kinds: tuple[str, ...]
    claim_authorities: tuple[str, ...]
    neutral_hs: tuple[str, ...]
    regimes: tuple[frozenset[str], ...]
    designations: DesignationSource
    answers: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)  # memo of slow questions

    # -- designations: asked of the rule set's source, like the taxonomy is asked about categories -----------
    def designated(
        self, value: Party | tuple[tuple[str, str], ...], regimes: frozenset[str], on: dt.date | None
    ) -> Tri:
        """The source's answer for a party (or a probe party carrying ``value`` as identifiers) on ``on``.

        Without a date: on a far future day, when every listing so far counts (listings are never back-dated).
        """
        key = ("designated", value, regimes, on)
        if key not in self.answers:
            party = value if isinstance(value, Party) else _probe(value)
            self.answers[key] = self.designations.check(party, regimes, on or FAR_FUTURE)[0]
        answer: Tri = self.answers[key]
        return answer

    def listed_since(self, value: Party | tuple[tuple[str, str], ...], regimes: frozenset[str]) -> dt.date | None:
        """The first day the source says TRUE for the party (None: never), by bisection over the days."""
        key = ("since", value, regimes)
        if key not in self.answers:
            party = value if isinstance(value, Party) else _probe(value)
            found: dt.date | None = None
            if self.designated(party, regimes, FAR_FUTURE) == TRUE:
                low, high = FAR_PAST, FAR_FUTURE  # TRUE at high; find the first such day
                while low < high:
                    middle = low + (high - low) // 2
                    if self.designated(party, regimes, middle) == TRUE:
                        high = middle
                    else:
                        low = middle + dt.timedelta(days=1)
                found = high
            self.answers[key] = found
        since: dt.date | None = self.answers[key]
        return since

    def identities(self, regimes: frozenset[str]) -> tuple[tuple[tuple[str, str], ...], ...]:
        """Identifier sets the source holds designated under ``regimes``, earliest listed first (at most six)."""
        key = ("identities", regimes)
        if key not in self.answers:
            from sanctionsrules.engine.designations import UN_LIST_PREFIXES

            found = []
            for regime in sorted(regimes):
                prefix = UN_LIST_PREFIXES.get(regime, regime)
                for letter in "ei":
                    for number in range(1, 13):
                        ids = (("un_ref", f"{prefix}{letter}.{number:03d}"),)
                        since = self.listed_since(ids, regimes)
                        if since is not None:
                            found.append((since, ids))
            found.sort()
            self.answers[key] = tuple(ids for _, ids in found[:6])
        identities: tuple[tuple[tuple[str, str], ...], ...] = self.answers[key]
        return identities


FAR_PAST: Final = dt.date(1990, 1, 1)
FAR_FUTURE: Final = dt.date(2100, 1, 1)


def _probe(identifiers: tuple[tuple[str, str], ...]) -> Party:
    # A party known only by its identifiers: its one-letter name matches no listed name.
    return Party.model_validate({"name": "A", "identifiers": [{"scheme": s, "value": v} for s, v in identifiers]})


# Rule sets are unhashable (they hold dicts), so the cache is keyed by identity and keeps the rule set alive.
_INFO: dict[tuple[int, int], tuple[RuleSet, DesignationSource, RuleSetInfo]] = {}


def ruleset_info(ruleset: RuleSet, designations: DesignationSource | None = None) -> RuleSetInfo:
    """The ``RuleSetInfo`` of ``ruleset`` with ``designations`` (default: the default source), cached by identity."""
    source = designations if designations is not None else _shared_default_designations()
    key = (id(ruleset), id(source))
    found = _INFO.get(key)
    if found is not None and found[0] is ruleset and found[1] is source:
        return found[2]
    info = _build_info(ruleset, source)
    if len(_INFO) > 32:
        _INFO.clear()
    _INFO[key] = (ruleset, source, info)
    return info


def conditions_of(ruleset: RuleSet) -> Iterator[Condition]:
    """Every condition node in the rule set: rules, exemptions and named conditions, recursively."""
    roots: list[Condition] = [r.condition for r in ruleset.rules] + [e.condition for e in ruleset.exemptions]
    for defines in ruleset.defines.values():
        roots += defines.values()
    stack = roots
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (All, AnyOf)):
            stack.extend(node.children)
        elif isinstance(node, Not):
            stack.append(node.child)


def _build_info(ruleset: RuleSet, designations: DesignationSource) -> RuleSetInfo:
    taxonomy = ruleset.taxonomy
    prefixes: set[str] = set()
    kinds: set[str] = set()
    authorities: set[str] = set()
    regimes: set[frozenset[str]] = set()
    for node in conditions_of(ruleset):
        if isinstance(node, Test) and node.op == "prefix":
            prefixes.update(node.operand)
        elif isinstance(node, Test) and node.op == "designated":
            regimes.add(node.operand)
        elif isinstance(node, Claim):
            kinds.update(node.kinds or ())
            authorities.update(node.authorities or ())
    taxonomy_codes = {code for name in taxonomy.names() for code in taxonomy.effective_hs(name)}
    # Codes as long as the longest the rules mention: an item code shorter than a rule's prefix is "broader"
    # and tests UNKNOWN, which generation must avoid.
    hs_length = max([6, *map(len, prefixes), *map(len, taxonomy_codes)])

    def pad(code: str) -> str:
        return code.ljust(hs_length, "0")

    def related(code: str, others: Iterable[str]) -> bool:
        return any(code.startswith(o) or o.startswith(code) for o in others)

    mentioned = prefixes | taxonomy_codes
    neutral = [pad(c) for c in _EVERYDAY_HS if not related(c, mentioned)]
    if not neutral:  # every everyday code is taken: fall back to any chapter nobody mentions
        neutral = [pad(f"{ch:02d}") for ch in range(1, 100) if not related(f"{ch:02d}", mentioned)][:3]
    neighbours = {pad(n) for p in prefixes for n in _neighbour_codes(p)}
    archetypes: list[tuple[str | None, str | None]] = []
    names = list(taxonomy.names())
    for name in names:
        codes = taxonomy.effective_hs(name)
        archetypes += [(name, pad(c)) for c in codes] if codes else [(name, n) for n in neutral[:2]]
    for code in sorted(prefixes | neighbours):
        archetypes += [
            (name, pad(code)) for name in names if any(code.startswith(c) for c in taxonomy.effective_hs(name))
        ]
        archetypes.append((None, pad(code)))
    archetypes += [(None, pad(c)) for c in sorted(taxonomy_codes)]
    archetypes += [(None, n) for n in neutral]
    archetypes += [(name, None) for name in names]  # known by category only (for rules that ask for no HS code)
    archetypes += [(None, None)]
    unique = tuple(dict.fromkeys(archetypes))
    # Complete items leave no category test unknown: both facts given, or a code no category is about.
    complete = tuple(a for a in unique if a[1] is not None and (a[0] is not None or not related(a[1], taxonomy_codes)))
    return RuleSetInfo(
        taxonomy=taxonomy,
        hs_length=hs_length,
        archetypes=unique,
        complete=complete,
        neighbours=frozenset(neighbours),
        claim_kinds=tuple(sorted(kinds)),
        claim_authorities=tuple(sorted(authorities)),
        neutral_hs=tuple(neutral),
        regimes=tuple(sorted(regimes, key=sorted)),
        designations=designations,
    )


def _neighbour_codes(prefix: str) -> list[str]:
    # The neighbouring heading: the same code with its last digit one up or down (8703 -> 8702, 8704).
    last = int(prefix[-1])
    return [prefix[:-1] + str(d) for d in (last + 1, last - 1) if 0 <= d <= 9]


def date_window(ruleset: RuleSet) -> tuple[dt.date, dt.date]:
    """Dates worth generating for ``ruleset``: a year before its first rule to three years after its last date."""
    starts = [r.start for r in ruleset.rules] or [dt.date(2006, 10, 14)]
    ends = [r.end for r in ruleset.rules if r.end is not None]
    low = min(starts) - dt.timedelta(days=365)
    high = max([*starts, *ends]) + dt.timedelta(days=3 * 365)
    return low, high


def fact_values(fact: str) -> tuple[str, ...]:
    """The closed vocabulary of a token fact, in the model's own order."""
    spec = FACTS[fact]
    if fact == "kind" or (fact.endswith(".kind") and spec.type == "token" and not fact.startswith("item.")):
        return TRANSFER_KINDS if fact == "kind" else PARTY_KINDS
    return tuple(sorted(spec.values or ()))
