"""Turn a solved blueprint into a concrete, fully specified transfer, drawing every free choice from Hypothesis.

Every value comes from the pool of its attribute (all its literals hold on it), so the transfer satisfies the
blueprint by construction. Facts no literal mentions are still given (a party has a country, a flag and a
kind; an item has a code, a value and a quantity): a rule-directed sample leaves nothing unknown unless a rule
asks for it to be missing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.control import reject

from sanctionsrules._strategies_blueprint import ATTRS, NOT_CRAFT, Blueprint
from sanctionsrules._strategies_literals import Lit, claim_pool, extra_claims, holds, pool, wants_absent
from sanctionsrules._strategies_solver import Search
from sanctionsrules._strategies_values import PARTY_KINDS, RuleSetInfo
from sanctionsrules.model.transfer import Party, Transfer

__all__ = ["realise"]

# Strategies are built once: building one per draw costs more than the draw.
_DAYS = st.integers(min_value=0, max_value=3650)
_AMOUNTS = st.integers(min_value=0, max_value=10**6)
_ONE_IN_FIVE = st.integers(min_value=0, max_value=4)
_UP_TO_TWO = st.integers(min_value=0, max_value=2)
_ONE_TO_THREE = st.integers(min_value=1, max_value=3)
_INDEXES: dict[tuple[int, int], st.SearchStrategy[int]] = {}


def _index(size: int, first: int) -> st.SearchStrategy[int]:
    """An index into a pool of ``size``: half the time among the ``first`` simplest values; shrinks to 0."""
    key = (size, first)
    if key not in _INDEXES:
        _INDEXES[key] = st.one_of(st.integers(0, min(first, size) - 1), st.integers(0, size - 1))
    return _INDEXES[key]


_CARRIER_KINDS = ("vessel", "aircraft", *[k for k in PARTY_KINDS if k not in ("vessel", "aircraft")])


class _Realiser:
    def __init__(self, draw: st.DrawFn, bp: Blueprint, info: RuleSetInfo, search: Search) -> None:
        self.draw = draw
        self.bp = bp
        self.info = info
        self.search = search
        self.on: dt.date | None = None  # the transfer date, once drawn: designations depend on it

    def options(
        self, where: str, lits: Sequence[Lit], *, vocabulary: Sequence[str] | None = None, extra: Sequence[Any] = ()
    ) -> list[Any]:
        kind, default_vocabulary = ATTRS[where]
        return pool(
            kind,
            lits,
            self.info,
            vocabulary=default_vocabulary if vocabulary is None else vocabulary,
            extra=extra,
            on=self.on,
        )

    def pick(
        self, where: str, lits: Sequence[Lit], *, vocabulary: Sequence[str] | None = None, extra: Sequence[Any] = ()
    ) -> Any:
        kind = ATTRS[where][0]
        values = self.options(where, lits, vocabulary=vocabulary, extra=extra)
        if not values:
            reject()  # the search checked every pool; only an exotic mix of literals gets here
        # One of the first few (the simplest) half the time; most parties then carry no identifier.
        index = 0 if len(values) == 1 else self.draw(_index(len(values), 1 if kind == "party" else 4))
        return self._jitter(kind, values[index], lits)

    def _jitter(self, kind: str, value: Any, lits: Sequence[Lit]) -> Any:
        # Move a number or date away from the boundary it was picked at, when every literal still holds: the
        # boundary is where shrinking ends up, the rest of the range is where variety comes from.
        if value is None or kind not in ("money", "quantity", "date") or any(lit.prefer for lit in lits):
            return value
        step = self.draw(_DAYS if kind == "date" else _AMOUNTS)
        if step == 0:
            return value
        moved = value + dt.timedelta(days=step) if kind == "date" else (value[0] + Decimal(step), value[1])
        return moved if all(holds(lit, moved, self.info) for lit in lits) else value

    # -- parties -------------------------------------------------------------------------------------------
    def party(self, name: str) -> Any:
        slot = self.bp.slots[name]
        if slot.fixed:
            return slot.pinned
        if slot.present is False:
            return None
        lits = self.bp.slot_lits
        kind = self.pick("slot.kind", lits(name, "kind"), vocabulary=_CARRIER_KINDS if name == "carrier" else None)
        out: dict[str, Any] = {
            "name": self.pick("slot.name", lits(name, "name")),
            "kind": kind,
            "country": self.pick("slot.country", lits(name, "country")),
            # A person's or an organisation's flag does not exist: it is left out, not made up.
            "flag": None if kind in NOT_CRAFT else self.pick("slot.flag", lits(name, "flag")),
            "identifiers": self._identifiers(self.pick("slot.party", lits(name, "party"))),
        }
        principal = name + "^"
        if principal not in self.bp.slots and "^" not in name and name != "carrier" and self._maybe():
            grown = self.search.fresh(self.bp, principal)  # an agent: the goods reach its principal
            if grown is not None:
                self.bp = grown
        if principal in self.bp.slots:
            out["acting_for"] = self.party(principal)
        return self._designation_holds(out, lits(name, "party"), lits(name, "name"))

    @staticmethod
    def _identifiers(pairs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"scheme": s, "value": v} for s, v in pairs]

    def _designation_holds(self, party: dict[str, Any], lits: Sequence[Lit], name_lits: Sequence[Lit]) -> Party:
        # Designation is the source's answer about the whole party on the day (a list screens names too), so
        # the party is checked as a whole; when a name happens to match a listed one, another name is taken.
        wanted = [lit for lit in lits if lit.op == "designated"]
        names = [party["name"], *self.options("slot.name", name_lits)]
        identities = [party["identifiers"], *map(self._identifiers, self.options("slot.party", lits))]
        tries = (Party.model_validate({**party, "name": n, "identifiers": i}) for i in identities for n in names[:8])
        made = next((p for p in tries if all(holds(lit, p, self.info, self.on) for lit in wanted)), None)
        if made is None:
            reject()
        return made

    def _maybe(self) -> bool:
        return self.draw(_ONE_IN_FIVE) == 4  # shrinks to "no"

    def intermediaries(self) -> list[Any]:
        bp = self.bp
        if not (bp.intermediaries_fixed or bp.no_intermediaries):
            for _ in range(self.draw(_UP_TO_TWO)):
                grown = self.search.fresh(self.bp, f"intermediary{self.bp.intermediaries}")
                if grown is not None:
                    self.bp = grown
        return [self.party(f"intermediary{i}") for i in range(self.bp.intermediaries)]

    # -- route, goods, claims ------------------------------------------------------------------------------
    def route(self) -> list[str]:
        bp = self.bp
        if bp.route_fixed is not None:
            return list(bp.route_fixed)
        hops = [self.pick("route.hop", [p, *bp.route_neg]) for p in bp.route_pos]
        if not wants_absent(bp.route_neg):
            for _ in range(self.draw(_UP_TO_TWO)):
                hops.insert(
                    self.draw(st.integers(min_value=0, max_value=len(hops))), self.pick("route.hop", bp.route_neg)
                )
        return hops

    def item(self, lits: Mapping[str, Sequence[Lit]]) -> dict[str, Any]:
        category, code = self.pick("item.goods", lits.get("goods", ()))
        value = self.pick("item.value", lits.get("value", ()))
        quantity = self.pick("item.quantity", lits.get("quantity", ()))
        return {
            "description": self.pick("item.description", lits.get("description", ())),
            "hs_code": code,
            "category": category,
            "quantity": None if quantity is None else {"amount": quantity[0], "unit": quantity[1]},
            "value": None if value is None else {"amount": value[0], "currency": value[1]},
            "origin": self.pick("item.origin", lits.get("origin", ())),
            "condition": self.pick("item.condition", lits.get("condition", ())),
        }

    def goods(self) -> list[Any]:
        bp = self.bp
        if bp.goods_fixed is not None:
            return list(bp.goods_fixed)
        if bp.shared_items:
            return [self.item(bp.item) for _ in range(self.draw(_ONE_TO_THREE))]
        items = [self.item(bp.item)]
        for _ in range(self.draw(_UP_TO_TWO)):
            items.append(self.item({}))  # other line items: the rule is about the first one
        return items

    def claims(self) -> list[Any]:
        bp = self.bp
        chosen = []
        for claim in bp.claims_pos:
            options = claim_pool(claim, bp.claims_neg, self.info)
            if not options:
                reject()
            chosen.append(self.draw(st.sampled_from(options)))
        spare = extra_claims(bp.claims_neg, self.info)
        if spare and self._maybe():
            chosen.append(self.draw(st.sampled_from(spare)))
        return [{"kind": k, "authority": a, "reference": r} for k, a, r in chosen]


def realise(draw: st.DrawFn, bp: Blueprint, info: RuleSetInfo, search: Search, given: Mapping[str, Any]) -> Transfer:
    """A transfer satisfying ``bp``. ``given`` holds the user's overrides, already drawn."""
    r = _Realiser(draw, bp, info, search)
    date = r.pick("transfer.date", bp.scalars.get("date", ()))
    r.on = date
    contract_extra = [] if date is None else [date, date - dt.timedelta(days=30)]
    raw: dict[str, Any] = {
        "id": given.get("id", f"t{draw(st.integers(min_value=1, max_value=999))}"),
        "date": date,
        "contract_date": r.pick("transfer.contract_date", bp.scalars.get("contract_date", ()), extra=contract_extra),
        "kind": r.pick("transfer.kind", bp.scalars.get("kind", ())),
        "origin": r.pick("transfer.origin", bp.scalars.get("origin", ())),
        "destination": r.pick("transfer.destination", bp.scalars.get("destination", ())),
    }
    for role in ("sender", "recipient", "end_user", "carrier"):
        raw[role] = r.party(role)
    raw["intermediaries"] = r.intermediaries()
    raw["route"] = r.route()
    raw["goods"] = r.goods()
    raw["exemption_claims"] = list(given["exemption_claims"]) if "exemption_claims" in given else r.claims()
    raw["notes"] = given.get("notes")
    return Transfer.model_validate(raw)
