"""How each fact name reads its values off a transfer. Every value comes with a label naming where it came from.

A getter returns a list of ``(label, value)``; ``None`` as a value means unknown. Several values (the
intermediaries, the receiving parties) mean a test holds when one of them passes; no values at all (no
intermediaries) means it fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sanctionsrules.model.transfer import GoodsItem, Party, Transfer

__all__ = [
    "NOT_CRAFT",
    "ROLE_PARTIES",
    "Context",
    "Getter",
    "ValuesGetter",
    "getter_for",
    "presence_getter_for",
    "values_getter_for",
]


@dataclass(slots=True)
class Context:
    """What a condition is evaluated against: the transfer, the item in hand (for goods rules) and the date."""

    transfer: Transfer
    item: GoodsItem | None
    item_index: int | None
    on: Any  # datetime.date; Any keeps this hot-path class free of imports
    memo: dict[Any, Any] = field(default_factory=dict)  # per-transfer results of shared named conditions


# Only vessels and aircraft fly a flag: a person's or an organisation's flag is not unknown, it does not exist,
# so such parties give no value (a flag test on them is false, not a reason for review). An absent party gives
# no flag either: a rule about a DPRK-flagged vessel needs the vessel named. Likewise an absent carrier is no
# carrier (as no intermediaries means none): many transfers (payments, services, collection) have none.
NOT_CRAFT = frozenset({"person", "organisation", "state_body"})

Labelled = list[tuple[str, Any]]
Getter = Callable[[Context], Labelled]
ValuesGetter = Callable[[Context], list[Any]]  # the same values without labels: the hot path builds no strings


def _principals(label: str, party: Party | None, out: list[tuple[str, Party | None]]) -> None:
    # Follow acting_for to the end: an agent's principal, and that principal's principal.
    depth = 0
    while party is not None and party.acting_for is not None and depth < 8:
        label = f"{label}.acting_for"
        party = party.acting_for
        out.append((label, party))
        depth += 1


def _single(role: str) -> Callable[[Transfer], list[tuple[str, Party | None]]]:
    def parties(t: Transfer) -> list[tuple[str, Party | None]]:
        return [(role, getattr(t, role))]

    return parties


def _intermediaries(t: Transfer) -> list[tuple[str, Party | None]]:
    return [(f"intermediaries[{i}]", p) for i, p in enumerate(t.intermediaries)]


def _receiving(t: Transfer) -> list[tuple[str, Party | None]]:
    out: list[tuple[str, Party | None]] = [("recipient", t.recipient), ("end_user", t.end_user)]
    _principals("recipient", t.recipient, out)
    _principals("end_user", t.end_user, out)
    return out


def _supplying(t: Transfer) -> list[tuple[str, Party | None]]:
    out: list[tuple[str, Party | None]] = [("sender", t.sender)]
    _principals("sender", t.sender, out)
    return out


def _everyone(t: Transfer) -> list[tuple[str, Party | None]]:
    # Sender and recipient are part of every transfer, so their absence is unknown; carrier and end user are
    # often absent for good reason, so an absent one is skipped here (receiving_party still counts end_user).
    out: list[tuple[str, Party | None]] = [("sender", t.sender), ("recipient", t.recipient)]
    if t.end_user is not None:
        out.append(("end_user", t.end_user))
    if t.carrier is not None:
        out.append(("carrier", t.carrier))
    out += _intermediaries(t)
    for label, party in list(out):
        _principals(label, party, out)
    return out


_ROLE_PARTIES: dict[str, Callable[[Transfer], list[tuple[str, Party | None]]]] = {
    "sender": _single("sender"),
    "recipient": _single("recipient"),
    "end_user": _single("end_user"),
    "carrier": lambda t: [] if t.carrier is None else [("carrier", t.carrier)],
    "intermediary": _intermediaries,
    "receiving_party": _receiving,
    "supplying_party": _supplying,
    "party": _everyone,
}


def _transfer_attr(name: str) -> Getter:
    def get(ctx: Context) -> Labelled:
        return [(name, getattr(ctx.transfer, name))]

    return get


def _route(ctx: Context) -> Labelled:
    return [(f"route[{i}]", c) for i, c in enumerate(ctx.transfer.route)]


def _item_attr(attr: str) -> Getter:
    def get(ctx: Context) -> Labelled:
        label = f"goods[{ctx.item_index}].{attr}" if ctx.item_index is not None else f"goods.{attr}"
        return [(label, getattr(ctx.item, attr) if ctx.item is not None else None)]

    return get


def _item_itself(ctx: Context) -> Labelled:
    # HS-code and category tests need the whole item: each fact stands in for the other when one is missing.
    label = f"goods[{ctx.item_index}]" if ctx.item_index is not None else "goods"
    return [(label, ctx.item)]


def _role(role: str, attr: str | None) -> Getter:
    parties = _ROLE_PARTIES[role]
    if attr is None:

        def get_party(ctx: Context) -> Labelled:
            return list(parties(ctx.transfer))

        return get_party

    if attr == "flag":

        def get_flag(ctx: Context) -> Labelled:
            return [
                (f"{label}.flag", p.flag)
                for label, p in parties(ctx.transfer)
                if p is not None and p.kind not in NOT_CRAFT
            ]

        return get_flag

    def get(ctx: Context) -> Labelled:
        return [(f"{label}.{attr}", getattr(p, attr) if p is not None else None) for label, p in parties(ctx.transfer)]

    return get


def getter_for(fact: str) -> Getter:
    """The getter of a fact name from the catalogue (``ruleset.facts.FACTS``)."""
    if fact in ("date", "contract_date", "kind", "origin", "destination"):
        return _transfer_attr(fact)
    if fact == "route":
        return _route
    if fact in ("item.hs_code", "item.category"):
        return _item_itself
    if fact.startswith("item."):
        return _item_attr(fact.removeprefix("item."))
    role, _, attr = fact.partition(".")
    return _role(role, attr or None)


# -- the hot path: values only ---------------------------------------------------------------------------------
def _with_principals(parties: list[Party | None]) -> list[Party | None]:
    out = list(parties)
    for party in parties:
        depth = 0
        while party is not None and party.acting_for is not None and depth < 8:
            party = party.acting_for
            out.append(party)
            depth += 1
    return out


def _v_receiving(t: Transfer) -> list[Party | None]:
    recipient, end_user = t.recipient, t.end_user
    if (recipient is None or recipient.acting_for is None) and (end_user is None or end_user.acting_for is None):
        return [recipient, end_user]
    return _with_principals([recipient, end_user])


def _v_supplying(t: Transfer) -> list[Party | None]:
    sender = t.sender
    if sender is None or sender.acting_for is None:
        return [sender]
    return _with_principals([sender])


def _v_everyone(t: Transfer) -> list[Party | None]:
    out: list[Party | None] = [t.sender, t.recipient]
    if t.end_user is not None:
        out.append(t.end_user)
    if t.carrier is not None:
        out.append(t.carrier)
    out += t.intermediaries
    if any(p is not None and p.acting_for is not None for p in out):
        return _with_principals(out)
    return out


ROLE_PARTIES: dict[str, Callable[[Transfer], list[Party | None]]] = {
    "sender": lambda t: [t.sender],
    "recipient": lambda t: [t.recipient],
    "end_user": lambda t: [t.end_user],
    "carrier": lambda t: [] if t.carrier is None else [t.carrier],
    "intermediary": lambda t: list(t.intermediaries),
    "receiving_party": _v_receiving,
    "supplying_party": _v_supplying,
    "party": _v_everyone,
}


def values_getter_for(fact: str) -> ValuesGetter:
    """Like ``getter_for``, without labels. Same values, in the same order."""
    if fact in ("date", "contract_date", "kind", "origin", "destination"):
        return lambda ctx: [getattr(ctx.transfer, fact)]
    if fact == "route":
        return lambda ctx: list(ctx.transfer.route)
    if fact in ("item.hs_code", "item.category"):
        return lambda ctx: [ctx.item]
    if fact.startswith("item."):
        attr = fact.removeprefix("item.")
        return lambda ctx: [getattr(ctx.item, attr) if ctx.item is not None else None]
    role, _, attr = fact.partition(".")
    parties = ROLE_PARTIES[role]
    if not attr:
        return lambda ctx: parties(ctx.transfer)
    if attr == "flag":
        return lambda ctx: [p.flag for p in parties(ctx.transfer) if p is not None and p.kind not in NOT_CRAFT]
    return lambda ctx: [getattr(p, attr) if p is not None else None for p in parties(ctx.transfer)]


def presence_getter_for(fact: str) -> ValuesGetter:
    """The values an ``exists`` test looks at: for ``item.hs_code`` and ``item.category`` the attribute itself,
    not the whole item that their other tests need (each of the two stands in for the other there)."""
    if fact in ("item.hs_code", "item.category"):
        attr = fact.removeprefix("item.")
        return lambda ctx: [getattr(ctx.item, attr) if ctx.item is not None else None]
    return values_getter_for(fact)
