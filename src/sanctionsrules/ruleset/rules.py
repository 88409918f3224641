"""A loaded rule set: regimes, rules and exemptions with parsed conditions. Immutable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sanctionsrules.ruleset.conditions import Condition
from sanctionsrules.ruleset.taxonomy import Taxonomy
from sanctionsrules.ruleset.yamlsource import YamlDocument
from sanctionsrules.verdict import Verdict

__all__ = ["AggregateSource", "Exemption", "Regime", "Rule", "RuleSet", "Source"]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule or exemption was written."""

    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Regime:
    """A sanctions regime: ``un-dprk`` for the UN Security Council measures on the DPRK."""

    id: str
    title: str
    authority: str
    version: str
    instruments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule, with its condition parsed and its named conditions still referenced by ``use``."""

    id: str
    regime: str
    instrument: str
    title: str
    basis: str
    start: dt.date
    end: dt.date | None
    verdict: Verdict
    binding: bool
    condition: Condition
    notes: str | None
    verification: str | None
    source: Source

    def in_force(self, on: dt.date) -> bool:
        """True when ``on`` lies inside the rule's dates (both ends inclusive)."""
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Exemption:
    """One exemption and the rule ids it covers (its ``covers`` patterns resolved at load time)."""

    id: str
    regime: str
    title: str
    basis: str
    covers: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    effect: Verdict
    condition: Condition
    notes: str | None
    source: Source

    def in_force(self, on: dt.date) -> bool:
        """True when ``on`` lies inside the exemption's dates (always, when it has none)."""
        if self.start is not None and on < self.start:
            return False
        return self.end is None or on <= self.end


@dataclass(frozen=True, slots=True)
class AggregateSource:
    """An entry of an instrument's ``aggregates:`` list, kept raw with its document so errors can be located."""

    regime: str
    instrument: str
    path: str
    data: dict[str, object]
    document: YamlDocument = field(repr=False, compare=False)


@dataclass(frozen=True)
class RuleSet:
    """Every regime, rule and exemption loaded from one rules tree, with the taxonomy they use.

    ``digest`` is a sha256 over the bytes of every file that went in, so a decision names exactly the law it
    applied.
    """

    regimes: tuple[Regime, ...]
    rules: tuple[Rule, ...]
    exemptions: tuple[Exemption, ...]
    defines: dict[str, dict[str, Condition]] = field(repr=False)
    taxonomy: Taxonomy = field(repr=False)
    digest: str = ""
    files: tuple[str, ...] = ()
    aggregates: tuple[AggregateSource, ...] = ()

    @property
    def version(self) -> str:
        """The regimes' versions, as ``un-dprk@2026.11``; several joined with commas."""
        return ",".join(f"{r.id}@{r.version}" for r in self.regimes)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id; ``KeyError`` if there is none."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
