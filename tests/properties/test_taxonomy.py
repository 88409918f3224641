"""The goods taxonomy against a plain reading of its file: the strategies and the reference reading both ask the
taxonomy how categories and HS codes relate, so the taxonomy itself is checked here, independently."""

from __future__ import annotations

from functools import cache

from _property_support import RULESET
from hypothesis import given
from hypothesis import strategies as st

from sanctionsrules.logic import FALSE, TRUE, UNKNOWN, Tri

TAXONOMY = RULESET.taxonomy
NAMES = sorted(TAXONOMY.names())
CODES = sorted({code for name in NAMES for code in TAXONOMY.categories[name].hs})


@cache
def ancestors(name: str) -> frozenset[str]:
    """The category and every category above it, by walking ``parents``."""
    return frozenset({name}).union(*(ancestors(p) for p in TAXONOMY.categories[name].parents))


@cache
def descendants(name: str) -> frozenset[str]:
    return frozenset(n for n in NAMES if name in ancestors(n))


def effective_codes(name: str) -> tuple[str, ...]:
    """Its own codes, or those of the nearest category above it that has any (breadth first)."""
    frontier, seen = [name], set()
    while frontier:
        current = frontier.pop(0)
        if current in seen:
            continue
        seen.add(current)
        if TAXONOMY.categories[current].hs:
            return TAXONOMY.categories[current].hs
        frontier += TAXONOMY.categories[current].parents
    return ()


def declared(name: str, targets: frozenset[str]) -> Tri:
    if any(t in ancestors(name) for t in targets):
        return TRUE
    if any(descendants(name) & descendants(t) for t in targets):
        return UNKNOWN  # broader than a target: some goods of it are, some are not
    return FALSE


def by_hs(code: str, targets: frozenset[str]) -> Tri:
    under = {n for t in targets for n in descendants(t)}
    if any(
        TAXONOMY.categories[n].defined_by_hs and any(code.startswith(h) for h in TAXONOMY.categories[n].hs)
        for n in under
    ):
        return TRUE
    if any(code.startswith(h) or h.startswith(code) for n in under for h in effective_codes(n)):
        return UNKNOWN
    return FALSE


def codes() -> st.SearchStrategy[str]:
    # Codes the taxonomy names, shortened or lengthened, so that both "under" and "broader than" occur.
    return st.builds(
        lambda code, cut, tail: (code[:cut] if cut else code) + tail,
        st.sampled_from(CODES),
        st.sampled_from([0, 2, 4]),
        st.sampled_from(["", "00", "9"]),
    )


@given(st.sampled_from(NAMES), st.frozensets(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_a_declared_category_is_judged_by_the_hierarchy(name: str, targets: frozenset[str]) -> None:
    assert TAXONOMY.declared(name, targets) == declared(name, targets)


@given(st.sampled_from(NAMES))
def test_a_category_takes_its_nearest_ancestors_codes(name: str) -> None:
    assert TAXONOMY.effective_hs(name) == effective_codes(name)


@given(codes().filter(lambda c: len(c) >= 2), st.frozensets(st.sampled_from(NAMES), min_size=1, max_size=3))
def test_an_hs_code_is_judged_through_the_categories_codes(code: str, targets: frozenset[str]) -> None:
    assert TAXONOMY.by_hs(code, targets)[0] == by_hs(code, targets)
