"""The compiled rule set: index the rules once, then check transfers fast and explain every finding."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sanctionsrules._version import __version__
from sanctionsrules.decision import Coverage, Decision, Finding
from sanctionsrules.engine.compiler import (
    Clause,
    compile_condition,
    goods_part,
    guards_of,
    selectivity,
    transfer_part,
    uses_item,
)
from sanctionsrules.engine.designations import DesignationSource, ReferenceDesignations
from sanctionsrules.engine.facts import Context
from sanctionsrules.engine.index import RuleIndex, build_index
from sanctionsrules.engine.nodes import Node
from sanctionsrules.engine.parallel import LineResult
from sanctionsrules.errors import InputError, Problem
from sanctionsrules.logic import FALSE, TRUE, UNKNOWN
from sanctionsrules.model.transfer import KINDS_WITHOUT_GOODS, GoodsItem, Transfer
from sanctionsrules.ruleset.conditions import Condition
from sanctionsrules.ruleset.rules import Exemption, Rule, RuleSet
from sanctionsrules.verdict import Verdict

__all__ = ["CompiledRuleSet", "compile_rules"]

ENGINE = f"sanctionsrules {__version__}"
# A transfer for deciding goods-only conditions: they never read it.
_PROBE = Transfer(id="goods-probe")


@dataclass(frozen=True, slots=True, eq=False)
class _CompiledRule:
    position: int
    rule: Rule
    node: Node
    per_item: bool
    exemptions: tuple[_CompiledExemption, ...]
    gate: Node | None  # for a goods rule, its transfer-level conjuncts: false there means false on every item
    clauses: tuple[Clause, ...]  # necessary conditions, most selective first: the index is keyed on the first
    goods_gate: Node | None  # for a goods rule, its conjuncts on category and HS code alone


@dataclass(frozen=True, slots=True, eq=False)
class _CompiledExemption:
    exemption: Exemption
    node: Node


class CompiledRuleSet:
    """A rule set ready to check transfers. Immutable and thread-safe; pickles by recompiling from its rule set.

    ``check`` evaluates only the rules an index says can apply: a rule guarded by "the destination is KP" is
    skipped, without evaluation, for a transfer whose destination is known and is not KP; a goods rule is skipped
    for an item whose category and HS code can never meet it. ``use_index=False`` evaluates every rule on every
    transfer; ``share=False`` also decides shared named conditions again for each rule (the naive baseline).
    Neither changes a decision.
    """

    def __init__(
        self,
        ruleset: RuleSet,
        designations: DesignationSource | None = None,
        *,
        use_index: bool = True,
        share: bool = True,
    ) -> None:
        self.ruleset = ruleset
        self.use_index = use_index
        self.share = share
        self.designations: DesignationSource = designations or default_designations()
        taxonomy = ruleset.taxonomy
        compiled: list[_CompiledRule] = []
        exemptions_by_rule: dict[str, list[_CompiledExemption]] = {}
        # One cache of compiled named conditions per regime: every rule that uses `to_dprk` shares one node,
        # which decides it once per transfer.
        shared: dict[str, dict[str, Node]] = {regime.id: {} for regime in ruleset.regimes}

        def build(condition: Condition, regime: str) -> Node:
            cache = shared[regime] if share else {}
            defines = ruleset.defines[regime]
            return compile_condition(condition, defines, taxonomy, self.designations, cache, memo=share)

        for exemption in ruleset.exemptions:
            node = build(exemption.condition, exemption.regime)
            for rule_id in sorted(exemption.covers):
                exemptions_by_rule.setdefault(rule_id, []).append(_CompiledExemption(exemption, node))
        for position, rule in enumerate(ruleset.rules):
            defines = ruleset.defines[rule.regime]
            per_item = uses_item(rule.condition, defines)
            outside = transfer_part(rule.condition, defines) if per_item else None
            gate = build(outside, rule.regime) if outside is not None and share else None
            # Most lowering first, then by id: the exemption a finding names must not depend on file order.
            exemptions = tuple(
                sorted(exemptions_by_rule.get(rule.id, ()), key=lambda e: (e.exemption.effect, e.exemption.id))
            )
            clauses = sorted(guards_of(rule.condition, defines), key=selectivity)
            node = build(rule.condition, rule.regime)
            goods = goods_part(rule.condition, defines) if per_item and use_index else None
            goods_gate = build(goods, rule.regime) if goods is not None else None
            compiled.append(_CompiledRule(position, rule, node, per_item, exemptions, gate, tuple(clauses), goods_gate))
        self._rules: tuple[_CompiledRule, ...] = tuple(compiled)
        index = build_index([(c.position, c.clauses[0] if c.clauses else ()) for c in compiled], self.designations)
        if not use_index:  # every rule on every transfer: the baseline that benchmarks and tests compare with
            index = build_index([(c.position, ()) for c in compiled], self.designations)
        self._index: RuleIndex = index
        self._categories = frozenset(ruleset.taxonomy.names())
        self._goods_cache: dict[tuple[str | None, str | None], frozenset[int]] = {}
        self._digest, self._version = ruleset.digest, ruleset.version
        self._designations_version: str | None = None
        self._starts = sorted(r.start for r in ruleset.rules)
        self._ends = sorted(r.end for r in ruleset.rules if r.end is not None)
        self._regimes = tuple(r.id for r in ruleset.regimes)
        self._coverage: dict[dt.date, Coverage] = {}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.ruleset, self.designations, self.use_index, self.share))

    # -- public --------------------------------------------------------------------------------------------
    @property
    def digest(self) -> str:
        """The sha256 of the rule files this was compiled from."""
        return self.ruleset.digest

    def coverage(self, on: dt.date) -> Coverage:
        """The regimes checked and how many rules were in force on ``on``."""
        found = self._coverage.get(on)
        if found is None:
            started = bisect.bisect_right(self._starts, on)
            ended = bisect.bisect_left(self._ends, on)
            found = Coverage(self._regimes, started - ended, len(self._rules))
            self._coverage[on] = found
        return found

    def candidates(self, transfer: Transfer, on: dt.date) -> list[Rule]:
        """The rules the index lets through for ``transfer`` (before their conditions are evaluated)."""
        ctx = Context(transfer, None, None, on)
        return [c.rule for c in self._candidates(ctx)]

    def check(self, transfer: Transfer, *, as_of: dt.date | None = None) -> Decision:
        """Check one transfer. ``as_of`` dates a transfer that has none (default: today, and the decision says so).

        Raises ``InputError`` for a goods category the taxonomy does not know.
        """
        if transfer.date is not None:
            on, dated_by = transfer.date, "transfer"
        else:
            on, dated_by = (as_of or dt.date.today()), "as_of"
        categories = self._categories
        for i, item in enumerate(transfer.goods):
            if item.category is not None and item.category not in categories:
                raise InputError([self._unknown_category(item.category, i)])
        ctx = Context(transfer, None, None, on)
        findings: list[Finding] = []
        for compiled in self._candidates(ctx):
            if compiled.rule.in_force(on):
                self._evaluate(compiled, ctx, findings)
        verdict = max([f.verdict for f in findings]) if findings else Verdict.PERMITTED
        if self._designations_version is None:
            self._designations_version = self.designations.version  # a list is loaded once, on first use
        return Decision(
            transfer.id,
            verdict,
            on,
            dated_by,
            tuple(findings),
            self.coverage(on),
            self._digest,
            self._version,
            ENGINE,
            self._designations_version,
        )

    def _unknown_category(self, category: str, index: int) -> Problem:
        from sanctionsrules.ruleset.conditions import suggest

        names = self.ruleset.taxonomy.names()
        message = f"unknown goods category {category!r}{suggest(category, names)}"
        return Problem("unknown-category", message, f"$.goods[{index}].category")

    def check_many(
        self,
        transfers: Iterable[Transfer],
        *,
        as_of: dt.date | None = None,
        workers: int = 1,
        chunk_size: int = 2000,
    ) -> Iterator[Decision]:
        """Check many transfers, in order. ``workers`` > 1 spreads chunks over that many processes."""
        if workers <= 1:
            for transfer in transfers:
                yield self.check(transfer, as_of=as_of)
            return
        from sanctionsrules.engine.parallel import check_in_processes

        yield from check_in_processes(self, transfers, as_of=as_of, workers=workers, chunk_size=chunk_size)

    def check_json_lines(
        self,
        lines: Iterable[str],
        *,
        file: str | None = None,
        as_of: dt.date | None = None,
        workers: int = 1,
        chunk_size: int = 2000,
    ) -> Iterator[LineResult]:
        """JSON lines in, JSON lines out, in order: each result holds the decision as a JSON line and its verdict,
        or the line's located ``InputError``.

        With ``workers`` > 1, parsing, validation and serialisation run in the worker processes too: that is
        where a batch spends most of its time.
        """
        from sanctionsrules.engine.parallel import check_line, check_lines_in_processes

        numbered = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
        if workers <= 1:
            for number, line in numbered:
                yield check_line(self, number, line, file, as_of)
            return
        yield from check_lines_in_processes(
            self, numbered, file=file, as_of=as_of, workers=workers, chunk_size=chunk_size
        )

    # -- evaluation ----------------------------------------------------------------------------------------
    def _candidates(self, ctx: Context) -> list[_CompiledRule]:
        hits = self._index.lookup(ctx.transfer)
        always = self._index.always
        if not hits and not always:
            return []  # the path most transfers take
        rules = self._rules
        return [rules[p] for p in sorted(always.union(*hits))]

    def _evaluate(self, compiled: _CompiledRule, ctx: Context, findings: list[Finding]) -> None:
        if not compiled.per_item:
            self._finding(compiled, ctx, findings)
            return
        if compiled.gate is not None and compiled.gate.value(ctx) == FALSE:
            return
        goods: Sequence[GoodsItem | None] = ctx.transfer.goods
        if not goods:
            if ctx.transfer.kind in KINDS_WITHOUT_GOODS:
                return
            # A transfer of goods that lists none leaves its goods unknown: evaluate one unknown item.
            ctx.item, ctx.item_index = None, None
            self._finding(compiled, ctx, findings)
            return
        goods_gate = compiled.goods_gate
        for index, item in enumerate(goods):
            if goods_gate is not None and compiled.position not in self._goods_live(item, ctx.on):
                continue  # this kind of good can never meet the rule
            ctx.item, ctx.item_index = item, index
            self._finding(compiled, ctx, findings)
        ctx.item, ctx.item_index = None, None

    def _goods_live(self, item: GoodsItem | None, on: dt.date) -> frozenset[int]:
        """Positions of the goods rules whose category-and-HS part is not false for this kind of good (cached)."""
        key = (item.category, item.hs_code) if item is not None else (None, None)
        found = self._goods_cache.get(key)
        if found is None:
            probe = Context(_PROBE, item, 0, on)
            found = frozenset(
                c.position for c in self._rules if c.goods_gate is not None and c.goods_gate.value(probe) != FALSE
            )
            if len(self._goods_cache) >= 4096:
                self._goods_cache.clear()
            self._goods_cache[key] = found
        return found

    def _finding(self, compiled: _CompiledRule, ctx: Context, findings: list[Finding]) -> None:
        outcome = compiled.node.value(ctx)
        if outcome != TRUE and outcome != UNKNOWN:
            return
        rule = compiled.rule
        because: list[str] = []
        missing: list[str] = []
        compiled.node.explain(ctx, because, missing)
        rule_verdict = rule.verdict if outcome == TRUE else Verdict.REVIEW
        verdict = rule_verdict
        exemption: Exemption | None = None
        for candidate in compiled.exemptions:
            ex = candidate.exemption
            if ex.in_force(ctx.on) and ex.effect < verdict and candidate.node.value(ctx) == TRUE:
                exemption_because: list[str] = []
                candidate.node.explain(ctx, exemption_because, [])
                because += [f"exempt: {b}" for b in exemption_because]
                verdict, exemption = ex.effect, ex
        findings.append(
            Finding(
                rule=rule.id,
                verdict=verdict,
                rule_verdict=rule_verdict,
                basis=rule.basis,
                title=rule.title,
                item=ctx.item_index,
                because=tuple(dict.fromkeys(because)),
                missing=tuple(dict.fromkeys(missing)),
                exemption=exemption.id if exemption else None,
                exemption_basis=exemption.basis if exemption else None,
            )
        )


def default_designations() -> DesignationSource:
    """The UN consolidated list shipped with the package, screened by identifiers and names (loaded on first use).

    Falls back to UN references carried on parties when the screening part is not installed.
    """
    import importlib.util

    if importlib.util.find_spec("sanctionsrules.screening") is None:  # pragma: no cover - trimmed installs only
        return ReferenceDesignations()
    from sanctionsrules.engine.listed import ListDesignations

    return ListDesignations()


def _rebuild(ruleset: RuleSet, designations: DesignationSource, use_index: bool, share: bool) -> CompiledRuleSet:
    return CompiledRuleSet(ruleset, designations, use_index=use_index, share=share)


def compile_rules(ruleset: RuleSet, designations: DesignationSource | None = None) -> CompiledRuleSet:
    """Compile a loaded rule set. Do it once and share the result: checking is cheap, compiling is not.

    ``designations`` answers the ``designated`` test: by default the bundled UN consolidated list, screened by
    identifiers and names as of each transfer's date; ``ReferenceDesignations()`` trusts only UN references
    carried on the parties (faster, and blind to names).
    """
    return CompiledRuleSet(ruleset, designations)
