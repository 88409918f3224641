"""The goods taxonomy: categories in a DAG (a luxury car is a luxury good and a vehicle), tied to HS codes.

A category's ``hs`` lists the HS codes its goods are classified under (the category lies within them). With
``defined_by_hs`` the converse holds too: every good under those codes is in the category (2397 OP 7's
"transportation vehicles, HS 86 through 89"). These two facts let a rule about categories judge an item known
only by its HS code, and a rule about HS codes judge an item known only by its category, in three-valued logic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri

__all__ = ["Category", "Taxonomy", "hs_relation"]


@dataclass(frozen=True, slots=True)
class Category:
    """One goods category."""

    name: str
    title: str
    parents: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    defined_by_hs: bool = False
    notes: str | None = None


def hs_relation(code: str, prefix: str) -> Tri:
    """TRUE when ``code`` lies under ``prefix``; UNKNOWN when ``code`` is broader and might; FALSE otherwise."""
    if code.startswith(prefix):
        return TRUE
    if prefix.startswith(code):
        return UNKNOWN
    return FALSE


@dataclass(frozen=True)
class Taxonomy:
    """An immutable category DAG with precomputed ancestor and descendant sets."""

    categories: Mapping[str, Category]
    _ancestors: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _descendants: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _effective_hs: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _hs_defined: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ancestors: dict[str, frozenset[str]] = {}

        def up(name: str, trail: tuple[str, ...]) -> frozenset[str]:
            if name in ancestors:
                return ancestors[name]
            if name in trail:
                raise ValueError(f"category cycle: {' -> '.join((*trail, name))}")
            found = {name}
            for parent in self.categories[name].parents:
                found |= up(parent, (*trail, name))
            ancestors[name] = frozenset(found)
            return ancestors[name]

        for name in self.categories:
            up(name, ())
        descendants: dict[str, set[str]] = {name: set() for name in self.categories}
        for name, ups in ancestors.items():
            for ancestor in ups:
                descendants[ancestor].add(name)
        effective: dict[str, tuple[str, ...]] = {}
        for name in self.categories:
            effective[name] = self._inherit_hs(name)
        object.__setattr__(self, "_ancestors", ancestors)
        object.__setattr__(self, "_descendants", {k: frozenset(v) for k, v in descendants.items()})
        object.__setattr__(self, "_effective_hs", effective)
        defined = tuple((code, c.name) for c in self.categories.values() if c.defined_by_hs for code in c.hs)
        object.__setattr__(self, "_hs_defined", defined)

    def _inherit_hs(self, name: str) -> tuple[str, ...]:
        # A category lies within each of its parents, so a parent's codes bound a child that names none.
        queue = [name]
        seen: set[str] = set()
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            category = self.categories[current]
            if category.hs:
                return category.hs
            queue.extend(category.parents)
        return ()

    def __contains__(self, name: object) -> bool:
        return name in self.categories

    def names(self) -> Iterable[str]:
        """Every category name, in file order."""
        return self.categories.keys()

    def is_a(self, name: str, target: str) -> bool:
        """True when ``name`` is ``target`` or one of its descendants."""
        return target in self._ancestors[name]

    def may_be(self, name: str, target: str) -> bool:
        """True when some good of ``name`` could also be a ``target`` (they share a descendant)."""
        return not self._descendants[name].isdisjoint(self._descendants[target])

    def effective_hs(self, name: str) -> tuple[str, ...]:
        """The HS codes goods of ``name`` are classified under (its own, or its nearest ancestor's)."""
        return self._effective_hs[name]

    def declared(self, name: str, targets: frozenset[str]) -> Tri:
        """Is a good declared as ``name`` one of ``targets``? UNKNOWN where ``name`` is broader than a target."""
        if any(self.is_a(name, t) for t in targets):
            return TRUE
        if any(self.may_be(name, t) for t in targets):
            return UNKNOWN
        return FALSE

    def by_hs(self, code: str, targets: frozenset[str]) -> tuple[Tri, str | None]:
        """Is a good with HS ``code`` one of ``targets``? Returns the verdict and the category that decided it.

        TRUE when a category ``defined_by_hs`` under a target covers the code; UNKNOWN when some category within
        a target is classified under codes that overlap ``code``; FALSE when none is.
        """
        for hs, name in self._hs_defined:
            if code.startswith(hs) and any(self.is_a(name, t) for t in targets):
                return TRUE, name
        maybe: str | None = None
        for target in sorted(targets):
            for name in sorted(self._descendants[target]):
                for hs in self._effective_hs[name]:
                    if code.startswith(hs) or hs.startswith(code):
                        maybe = maybe or name
        return (UNKNOWN, maybe) if maybe else (FALSE, None)

    def definitely_by_hs(self, code: str, targets: frozenset[str]) -> str | None:
        """The category ``defined_by_hs`` under a target that covers ``code``, if any."""
        for hs, name in self._hs_defined:
            if code.startswith(hs) and any(self.is_a(name, t) for t in targets):
                return name
        return None

    def hs_of_category(self, name: str, prefixes: tuple[str, ...]) -> Tri:
        """Do goods of category ``name`` lie under one of ``prefixes``? UNKNOWN where only some might."""
        codes = self._effective_hs[name]
        if not codes:
            return UNKNOWN
        results = []
        for code in codes:
            best = FALSE
            for prefix in prefixes:
                relation = hs_relation(code, prefix)
                if relation == TRUE:
                    best = TRUE
                    break
                if relation == UNKNOWN:
                    best = UNKNOWN
            results.append(best)
        if all(r == TRUE for r in results):
            return TRUE
        if all(r == FALSE for r in results):
            return FALSE
        return UNKNOWN
