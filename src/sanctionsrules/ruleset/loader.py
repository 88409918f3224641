"""Load a rules tree (regime folders and the goods taxonomy) into a ``RuleSet``, with every problem located.

Layout: ``<root>/taxonomy/goods.yaml`` and one folder per regime holding ``regime.yaml`` and one file per
instrument (``rules/un/dprk/1718.yaml``), whose ``instrument`` key equals the file's stem.
"""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sanctionsrules.errors import Problem, RuleSetError
from sanctionsrules.model.codes import normalise_hs_code
from sanctionsrules.ruleset.conditions import All, AnyOf, Condition, Not, Use, parse_condition
from sanctionsrules.ruleset.rules import AggregateSource, Exemption, Regime, Rule, RuleSet, Source
from sanctionsrules.ruleset.schema import ExemptionDoc, InstrumentDoc, RegimeDoc, RuleDoc, TaxonomyDoc
from sanctionsrules.ruleset.taxonomy import Category, Taxonomy
from sanctionsrules.ruleset.yamlsource import YamlDocument, child_path, read_yaml
from sanctionsrules.verdict import Verdict

__all__ = ["builtin_rules_path", "error_code", "lint_rules", "load_rules"]

REGIME_FILE = "regime.yaml"
TAXONOMY_FILE = Path("taxonomy") / "goods.yaml"


def builtin_rules_path() -> Path:
    """The rules shipped with the package (inside the wheel), or the source tree's ``rules/`` in a checkout."""
    packaged = Path(str(resources.files("sanctionsrules"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load the rules at ``path`` (a rules tree, a regime folder or one file in it); the built-in rules if None.

    Raises ``RuleSetError`` carrying every problem found; a rule set with any problem is never returned.
    """
    loader = _Loader(Path(path) if path is not None else builtin_rules_path())
    ruleset = loader.load()
    if loader.problems or ruleset is None:
        raise RuleSetError(_ordered(loader.problems) or [Problem("no-rules", "no rule set was loaded")])
    return ruleset


def lint_rules(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the rules at ``path`` (empty when they load cleanly)."""
    loader = _Loader(Path(path) if path is not None else builtin_rules_path())
    loader.load()
    return _ordered(loader.problems)


def _ordered(problems: list[Problem]) -> list[Problem]:
    # Syntax first (nothing else in that file could be read), then by file and line: the first is the one to fix.
    rank = {"yaml-syntax": 0, "duplicate-key": 1}
    return sorted(problems, key=lambda p: (rank.get(p.code, 2), p.file or "", p.line, p.column))


@dataclass
class _Loader:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    def relative(self, name: str) -> str:
        root = (self.path if self.path.is_dir() else self.path.parent).resolve()
        path = Path(name).resolve()
        for base in (root, *root.parents):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return path.name

    def fail(self, code: str, message: str, file: str | None = None) -> None:
        self.problems.append(Problem(code, message, "$", file))

    def read(self, file: Path) -> YamlDocument | None:
        name = _display(file)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            self.fail("unreadable", f"cannot read: {exc.strerror or exc}", name)
            return None
        self.files[name] = raw
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.fail("encoding", f"not UTF-8 (byte {exc.start})", name)
            return None
        doc, problems = read_yaml(text, name)
        self.problems += problems
        return doc

    def validate(self, doc: YamlDocument, model: type[BaseModel]) -> Any:
        try:
            return model.model_validate(doc.data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                path = "$"
                for part in error["loc"]:
                    path = child_path(path, part)
                message = error["msg"]
                if error["type"] == "extra_forbidden":
                    key = str(error["loc"][-1])
                    message = f"unknown key {key!r}" + _suggest_key(key, model, error["loc"])
                elif error["type"] == "missing":
                    message = f"missing required key {str(error['loc'][-1])!r}"
                at_key = error["type"] == "extra_forbidden"
                self.problems.append(doc.problem(error_code(error["type"]), message, path, at_key=at_key))
            return None

    # -- the whole tree -------------------------------------------------------------------------------------
    def load(self) -> RuleSet | None:
        if not self.path.exists():
            self.fail("not-found", "no such file or directory", _display(self.path))
            return None
        start = self.path if self.path.is_dir() else self.path.parent
        regime_dirs = sorted({p.parent for p in start.rglob(REGIME_FILE)})
        if not regime_dirs:
            # A single instrument file or a folder inside a regime: look upwards for its regime.yaml.
            regime_dirs = [d for d in [start, *start.parents] if (d / REGIME_FILE).is_file()][:1]
        if not regime_dirs:
            self.fail("no-regime", f"no {REGIME_FILE} in or above this path", _display(self.path))
            return None
        taxonomy = self.load_taxonomy(start)
        if taxonomy is None:
            return None
        regimes: list[Regime] = []
        rules: list[Rule] = []
        exemptions: list[Exemption] = []
        defines: dict[str, dict[str, Condition]] = {}
        aggregates: list[AggregateSource] = []
        for folder in regime_dirs:
            regime_loader = _RegimeLoader(self, folder, taxonomy)
            loaded = regime_loader.load(only=self.path if self.path.is_file() else None)
            aggregates += regime_loader.aggregates
            if loaded is not None:
                regime, regime_rules, regime_exemptions, regime_defines = loaded
                if regime.id in defines:
                    self.fail("duplicate-regime", f"regime {regime.id!r} is defined twice", _display(folder))
                    continue
                regimes.append(regime)
                rules += regime_rules
                exemptions += regime_exemptions
                defines[regime.id] = regime_defines
        seen: dict[str, Source] = {}
        entries: list[Rule | Exemption] = [*rules, *exemptions]
        for item in entries:
            first = seen.get(item.id)
            if first is not None:
                self.problems.append(
                    Problem(
                        "duplicate-rule-id",
                        f"id {item.id!r} is used twice (first at {first.file}:{first.line})",
                        "$",
                        item.source.file,
                        item.source.line,
                        1,
                    )
                )
            seen.setdefault(item.id, item.source)
        if self.problems:
            return None
        # The digest covers file contents and their names relative to the rules root, so it does not depend
        # on where the rules are installed or on the working directory.
        digest = hashlib.sha256()
        for name, raw in sorted((self.relative(n), raw) for n, raw in self.files.items()):
            digest.update(name.encode() + b"\0" + raw + b"\0")
        return RuleSet(
            regimes=tuple(regimes),
            rules=tuple(rules),
            exemptions=tuple(exemptions),
            defines=defines,
            taxonomy=taxonomy,
            digest="sha256:" + digest.hexdigest(),
            files=tuple(sorted(self.files)),
            aggregates=tuple(aggregates),
        )

    def load_taxonomy(self, start: Path) -> Taxonomy | None:
        candidates = [d / TAXONOMY_FILE for d in [start, *start.parents]]
        found = next((c for c in candidates if c.is_file()), builtin_rules_path() / TAXONOMY_FILE)
        doc = self.read(found)
        if doc is None:
            return None
        parsed: TaxonomyDoc | None = self.validate(doc, TaxonomyDoc)
        if parsed is None:
            return None
        categories: dict[str, Category] = {}
        for name, cat in parsed.categories.items():
            base = child_path("$.categories", name)
            for i, parent in enumerate(cat.parents):
                if parent not in parsed.categories:
                    self.problems.append(
                        doc.problem(
                            "unknown-category",
                            f"unknown parent category {parent!r}",
                            child_path(child_path(base, "parents"), i),
                        )
                    )
            codes = []
            for i, code in enumerate(cat.hs):
                try:
                    codes.append(normalise_hs_code(code))
                except ValueError as exc:
                    self.problems.append(doc.problem("bad-hs-code", str(exc), child_path(child_path(base, "hs"), i)))
            if cat.defined_by_hs and not cat.hs:
                self.problems.append(doc.problem("bad-category", "defined_by_hs needs hs codes", base))
            categories[name] = Category(name, cat.title, tuple(cat.parents), tuple(codes), cat.defined_by_hs, cat.notes)
        if self.problems:
            return None
        try:
            return Taxonomy(categories)
        except ValueError as exc:
            self.problems.append(doc.problem("category-cycle", str(exc), "$.categories"))
            return None


@dataclass
class _RegimeLoader:
    owner: _Loader
    folder: Path
    taxonomy: Taxonomy
    uses: list[tuple[Use, YamlDocument]] = field(default_factory=list)
    aggregates: list[AggregateSource] = field(default_factory=list)

    def parse(self, data: Any, path: str, doc: YamlDocument) -> Condition | None:
        condition, uses = parse_condition(data, path, doc, self.taxonomy, self.owner.problems)
        self.uses += [(u, doc) for u in uses]
        return condition

    def load(self, only: Path | None) -> tuple[Regime, list[Rule], list[Exemption], dict[str, Condition]] | None:
        regime_doc = self.owner.read(self.folder / REGIME_FILE)
        if regime_doc is None:
            return None
        header: RegimeDoc | None = self.owner.validate(regime_doc, RegimeDoc)
        if header is None:
            return None
        defines: dict[str, Condition] = {}
        define_docs: dict[str, YamlDocument] = {}
        self.add_defines(header.define, regime_doc, defines, define_docs)
        files = sorted(p for p in self.folder.glob("*.yaml") if p.name != REGIME_FILE)
        if only is not None and only.name != REGIME_FILE:
            files = [only]
        instruments: list[tuple[InstrumentDoc, YamlDocument]] = []
        for file in files:
            doc = self.owner.read(file)
            if doc is None:
                continue
            parsed: InstrumentDoc | None = self.owner.validate(doc, InstrumentDoc)
            if parsed is None:
                continue
            if parsed.regime != header.regime:
                self.owner.problems.append(
                    doc.problem(
                        "regime-mismatch",
                        f"regime {parsed.regime!r} in a folder of regime {header.regime!r}",
                        "$.regime",
                    )
                )
            if parsed.instrument != file.stem:
                self.owner.problems.append(
                    doc.problem(
                        "instrument-mismatch",
                        f"instrument {parsed.instrument!r} must equal the file name {file.stem!r}",
                        "$.instrument",
                    )
                )
            self.add_defines(parsed.define, doc, defines, define_docs)
            instruments.append((parsed, doc))
            self.aggregates += [
                AggregateSource(parsed.regime, parsed.instrument, child_path("$.aggregates", i), data, doc)
                for i, data in enumerate(parsed.aggregates)
            ]
        rules: list[Rule] = []
        exemptions: list[Exemption] = []
        for parsed, doc in instruments:
            for i, rule_doc in enumerate(parsed.rules):
                rule = self.rule(rule_doc, parsed, doc, child_path("$.rules", i))
                if rule is not None:
                    rules.append(rule)
        rule_ids = [r.id for r in rules]
        for parsed, doc in instruments:
            for i, ex_doc in enumerate(parsed.exemptions):
                exemption = self.exemption(ex_doc, parsed, doc, child_path("$.exemptions", i), rule_ids)
                if exemption is not None:
                    exemptions.append(exemption)
        self.check_uses(defines, define_docs)
        regime = Regime(
            header.regime,
            header.title,
            header.authority,
            header.version,
            tuple(p.instrument for p, _ in instruments),
        )
        return regime, rules, exemptions, defines

    def add_defines(
        self,
        raw: dict[str, Any],
        doc: YamlDocument,
        defines: dict[str, Condition],
        docs: dict[str, YamlDocument],
    ) -> None:
        for name, data in raw.items():
            path = child_path("$.define", name)
            if name in defines:
                self.owner.problems.append(
                    doc.problem("duplicate-define", f"condition {name!r} is defined twice", path)
                )
                continue
            condition = self.parse(data, path, doc)
            if condition is not None:
                defines[name] = condition
                docs[name] = doc

    def rule(self, rule: RuleDoc, parsed: InstrumentDoc, doc: YamlDocument, path: str) -> Rule | None:
        prefix = f"{parsed.regime}.{parsed.instrument}."
        if not rule.id.startswith(prefix):
            self.owner.problems.append(
                doc.problem(
                    "rule-id-mismatch",
                    f"rule id {rule.id!r} must start with {prefix!r}",
                    child_path(path, "id"),
                )
            )
        verdict = Verdict.parse(rule.verdict)
        if not rule.binding and verdict > Verdict.REVIEW:
            self.owner.problems.append(
                doc.problem(
                    "advisory-too-severe",
                    f"a non-binding ('calls upon') rule gives at most review, not {verdict}",
                    child_path(path, "verdict"),
                )
            )
        condition = self.parse(rule.when, child_path(path, "when"), doc)
        if condition is None:
            return None
        where = doc.locate(path)
        return Rule(
            id=rule.id,
            regime=parsed.regime,
            instrument=parsed.instrument,
            title=rule.title,
            basis=rule.basis,
            start=rule.in_force.start,
            end=rule.in_force.end,
            verdict=verdict,
            binding=rule.binding,
            condition=condition,
            notes=rule.notes,
            verification=rule.verification,
            source=Source(doc.file, where.line if where else 0),
        )

    def exemption(
        self, ex: ExemptionDoc, parsed: InstrumentDoc, doc: YamlDocument, path: str, rule_ids: list[str]
    ) -> Exemption | None:
        prefix = f"{parsed.regime}.{parsed.instrument}."
        if not ex.id.startswith(prefix):
            self.owner.problems.append(
                doc.problem(
                    "rule-id-mismatch",
                    f"exemption id {ex.id!r} must start with {prefix!r}",
                    child_path(path, "id"),
                )
            )
        covered: set[str] = set()
        for i, pattern in enumerate(ex.covers):
            matched = fnmatch.filter(rule_ids, pattern)
            if not matched:
                self.owner.problems.append(
                    doc.problem(
                        "covers-nothing",
                        f"covers pattern {pattern!r} matches no rule of this regime",
                        child_path(child_path(path, "covers"), i),
                    )
                )
            covered.update(matched)
        condition = self.parse(ex.when, child_path(path, "when"), doc)
        if condition is None:
            return None
        where = doc.locate(path)
        return Exemption(
            id=ex.id,
            regime=parsed.regime,
            title=ex.title,
            basis=ex.basis,
            covers=frozenset(covered),
            start=ex.in_force.start if ex.in_force else None,
            end=ex.in_force.end if ex.in_force else None,
            effect=Verdict.parse(ex.effect),
            condition=condition,
            notes=ex.notes,
            source=Source(doc.file, where.line if where else 0),
        )

    def check_uses(self, defines: dict[str, Condition], docs: dict[str, YamlDocument]) -> None:
        for use, doc in self.uses:
            if use.name not in defines:
                from sanctionsrules.ruleset.conditions import suggest

                self.owner.problems.append(
                    doc.problem(
                        "unknown-condition",
                        f"no condition named {use.name!r} is defined{suggest(use.name, defines)}",
                        use.path,
                    )
                )
        # A named condition may use others, but not itself, however indirectly.
        state: dict[str, int] = {}

        def visit(name: str, trail: tuple[str, ...]) -> None:
            if state.get(name) == 2 or name not in defines:
                return
            if state.get(name) == 1:
                cycle = " -> ".join((*trail[trail.index(name) :], name))
                self.owner.problems.append(
                    docs[name].problem(
                        "condition-cycle",
                        f"named conditions use each other in a cycle: {cycle}",
                        child_path("$.define", name),
                    )
                )
                return
            state[name] = 1
            for used in _uses(defines[name]):
                visit(used, (*trail, name))
            state[name] = 2

        for name in defines:
            visit(name, ())


def _uses(condition: Condition) -> Iterable[str]:
    if isinstance(condition, Use):
        yield condition.name
    elif isinstance(condition, (All, AnyOf)):
        for child in condition.children:
            yield from _uses(child)
    elif isinstance(condition, Not):
        yield from _uses(condition.child)


def _display(path: Path) -> str:
    # Relative to the working directory where possible: that is what an editor or a CI log can open.
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def error_code(error_type: str) -> str:
    """The stable problem code for a pydantic error type, shared by everything that validates rule files."""
    return {
        "extra_forbidden": "unknown-key",
        "missing": "missing-key",
        "date_from_datetime_parsing": "bad-date",
        "date_parsing": "bad-date",
        "date_type": "bad-date",
        "literal_error": "bad-value",
        "string_pattern_mismatch": "bad-id",
    }.get(error_type, "invalid")


def _suggest_key(key: str, model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    from sanctionsrules.ruleset.conditions import suggest
    from sanctionsrules.ruleset.schema import CategoryDoc, InForce

    # Find the model that owns the bad key by walking the location through the nested models.
    owners: dict[str, type[BaseModel]] = {
        "rules": RuleDoc,
        "exemptions": ExemptionDoc,
        "in_force": InForce,
        "categories": CategoryDoc,
    }
    owner: type[BaseModel] = model
    for part in loc[:-1]:
        if isinstance(part, str) and part in owners:
            owner = owners[part]
    names = [f.alias or n for n, f in owner.model_fields.items()]
    return suggest(key, names)
