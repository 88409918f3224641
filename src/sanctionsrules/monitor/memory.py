"""The monitor's working memory: one durable-rules session whose rules keep running totals and find patterns.

Facts (JSON objects; ``n`` is a sequence number that keeps equal-looking facts apart):

- ``clock {date}``: the date of the last transfer; exactly one. Advancing it expires what left its window.
- ``total {key, amount, rule, group, period, window}``: a cap's running total for one group and period.
- ``delivery {key, amount, expires?}``: a counted item, consumed at once by ``cap-open`` or ``cap-add``.
- ``held {key, amount, expires}``: a delivery that counts toward a rolling window until ``expires``.
- ``ship {key, date, since, expires, amount, transfer, item}``: a shipment under a split-shipment threshold.
- ``sts {key, date, until, expires, transfer, ...}``: a ship-to-ship transfer into the vessel ``key``.
- ``leg {key, date, transfer}``: a transfer the vessel ``key`` carries or sends; consumed within the call.

Rules (joins are what Rete does best; amounts are decimal strings, added up by the Python actions):

- ``cap-open``: a delivery with no total of its key starts one. ``cap-add``: a delivery joins the total of its
  key, which is replaced by the new sum.
- ``cap-expire``: the clock, a held delivery whose ``expires`` has come, and the total of its key: the delivery
  leaves the window and its amount leaves the total.
- ``split-join``: a new shipment joins each earlier shipment of the same key (sender, recipient, HS heading) on
  or after its window's first day. ``ship-expire`` drops shipments the window has passed.
- ``sts-chain``: an onward leg joins each earlier ship-to-ship transfer into the same vessel whose window it is
  in. ``sts-expire`` drops those whose window has passed.

Every action runs inside the assert that triggered it (see ``sanctionsrules.engine.durable``), so a call such
as ``count()`` returns with its results in hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanctionsrules.engine.durable import ActionContext, DurableSession

__all__ = ["FACT_TYPES", "WorkingMemory"]

Json = dict[str, Any]
FACT_TYPES = frozenset({"clock", "total", "held", "ship", "sts"})  # the kinds that persist between calls


def _same_key(alias: str, kind: str) -> Json:
    return {"$and": [{"t": kind}, {"key": {alias: "key"}}]}


class WorkingMemory:
    """Caps, windows and patterns as facts in one session. Close it to delete the session."""

    def __init__(self) -> None:
        from sanctionsrules.engine.durable import DurableSession, RuleSpec

        rules = {
            "cap-open": RuleSpec(({"d": {"t": "delivery"}}, {"tot$not": _same_key("d", "total")}), self._open),
            "cap-add": RuleSpec(({"d": {"t": "delivery"}}, {"tot": _same_key("d", "total")}), self._add),
            "cap-expire": RuleSpec((
                {"clk": {"t": "clock"}},
                {"h": {"$and": [{"t": "held"}, {"$lte": {"expires": {"clk": "date"}}}]}},
                {"tot": _same_key("h", "total")},
            ), self._expire),
            "split-join": RuleSpec((
                {"a": {"t": "ship"}},
                {"b": {"$and": [{"t": "ship"}, {"key": {"a": "key"}}, {"$lt": {"n": {"a": "n"}}},
                                {"$gte": {"date": {"a": "since"}}}]}},
            ), self._pair),
            "ship-expire": RuleSpec((
                {"clk": {"t": "clock"}},
                {"old": {"$and": [{"t": "ship"}, {"$lte": {"expires": {"clk": "date"}}}]}},
            ), self._drop),
            "sts-chain": RuleSpec((
                {"first": {"t": "sts"}},
                {"leg": {"$and": [{"t": "leg"}, {"key": {"first": "key"}}, {"$gt": {"n": {"first": "n"}}},
                                  {"$lte": {"date": {"first": "until"}}}]}},
            ), self._chain),
            "sts-expire": RuleSpec((
                {"clk": {"t": "clock"}},
                {"old": {"$and": [{"t": "sts"}, {"$lte": {"expires": {"clk": "date"}}}]}},
            ), self._drop),
        }
        self._session: DurableSession = DurableSession(rules, prefix="sanctionsrules-monitor")
        self._n = 0
        self._clock: Json | None = None
        self._loading = False
        self._counted: dict[int, tuple[Decimal, Decimal]] = {}
        self._pairs: dict[int, list[Json]] = {}
        self._chains: dict[int, list[Json]] = {}

    # -- rule actions ------------------------------------------------------------------------------------------
    def _open(self, ctx: ActionContext) -> None:
        delivery = ctx.facts["d"]
        amount = Decimal(delivery["amount"])
        ctx.retract_fact(delivery)  # first, so the new total does not meet this delivery again
        ctx.assert_fact(_total(delivery, amount))
        self._hold(ctx, delivery)
        self._counted[delivery["n"]] = (Decimal(0), amount)

    def _add(self, ctx: ActionContext) -> None:
        delivery, total = ctx.facts["d"], ctx.facts["tot"]
        before = Decimal(total["amount"])
        after = before + Decimal(delivery["amount"])
        ctx.retract_fact(delivery)
        ctx.retract_fact(total)
        ctx.assert_fact(_total(total, after))
        self._hold(ctx, delivery)
        self._counted[delivery["n"]] = (before, after)

    def _hold(self, ctx: ActionContext, delivery: Json) -> None:
        if "expires" in delivery:
            ctx.assert_fact({"t": "held", "key": delivery["key"], "amount": delivery["amount"],
                             "expires": delivery["expires"], "n": delivery["n"]})

    def _expire(self, ctx: ActionContext) -> None:
        held, total = ctx.facts["h"], ctx.facts["tot"]
        ctx.retract_fact(held)
        ctx.retract_fact(total)
        ctx.assert_fact(_total(total, Decimal(total["amount"]) - Decimal(held["amount"])))

    def _pair(self, ctx: ActionContext) -> None:
        if not self._loading:  # restoring shipments meets old pairs again: they were reported when they came
            self._pairs.setdefault(ctx.facts["a"]["n"], []).append(_plain(ctx.facts["b"]))

    def _chain(self, ctx: ActionContext) -> None:
        self._chains.setdefault(ctx.facts["leg"]["n"], []).append(_plain(ctx.facts["first"]))

    def _drop(self, ctx: ActionContext) -> None:
        ctx.retract_fact(ctx.facts["old"])

    # -- calls -------------------------------------------------------------------------------------------------
    def _next(self) -> int:
        self._n += 1
        return self._n

    @property
    def clock(self) -> dt.date | None:
        """The date of the last transfer seen."""
        return None if self._clock is None else dt.date.fromordinal(self._clock["date"])

    def advance(self, on: dt.date) -> None:
        """Move the clock to ``on`` (never back); what has left its window expires now."""
        if self._clock is not None and on.toordinal() <= self._clock["date"]:
            return
        if self._clock is not None:
            self._session.retract_fact(self._clock)
        self._clock = {"t": "clock", "date": on.toordinal()}
        self._session.assert_fact(self._clock)

    def count(self, *, key: str, amount: Decimal, expires: dt.date | None, rule: str, group: str, period: str,
              window: str) -> tuple[Decimal, Decimal]:
        """Add ``amount`` to the total of ``key``; returns the total before and after."""
        n = self._next()
        fact: Json = {"t": "delivery", "key": key, "amount": str(amount), "n": n, "rule": rule, "group": group,
                      "period": period, "window": window}
        if expires is not None:
            fact["expires"] = expires.toordinal()
        self._session.assert_fact(fact)
        return self._counted.pop(n)

    def ship(self, *, key: str, on: dt.date, window_days: int, amount: Decimal, transfer: str,
             item: int) -> list[Json]:
        """Record a shipment; returns the earlier shipments of ``key`` within ``window_days`` up to ``on``."""
        n = self._next()
        since = on - dt.timedelta(days=window_days - 1)
        self._session.assert_fact({
            "t": "ship", "key": key, "date": on.toordinal(), "since": since.toordinal(),
            "expires": (on + dt.timedelta(days=window_days)).toordinal(), "amount": str(amount),
            "transfer": transfer, "item": item, "n": n,
        })
        return sorted(self._pairs.pop(n, []), key=lambda f: int(f["n"]))

    def first_leg(self, *, key: str, on: dt.date, window_days: int, transfer: str, source: str) -> None:
        """Record a ship-to-ship transfer into the vessel ``key``; onward legs within the window will join it."""
        until = on + dt.timedelta(days=window_days)
        self._session.assert_fact({
            "t": "sts", "key": key, "date": on.toordinal(), "until": until.toordinal(),
            "expires": (until + dt.timedelta(days=1)).toordinal(), "transfer": transfer, "source": source,
            "n": self._next(),
        })

    def onward(self, *, key: str, on: dt.date, transfer: str) -> list[Json]:
        """The ship-to-ship transfers into the vessel ``key`` whose window ``on`` is in."""
        n = self._next()
        leg = {"t": "leg", "key": key, "date": on.toordinal(), "transfer": transfer, "n": n}
        self._session.assert_fact(leg)
        self._session.retract_fact(leg)  # a leg is looked up, not kept
        return sorted(self._chains.pop(n, []), key=lambda f: int(f["n"]))

    def totals(self) -> list[Json]:
        """Every running total, as stored."""
        return [f for f in self._session.facts() if f.get("t") == "total"]

    def dump(self) -> Json:
        """Everything needed to carry on later: the facts that persist and the sequence counter."""
        facts = [f for f in self._session.facts() if f.get("t") in FACT_TYPES]
        return {"sequence": self._n, "facts": sorted(facts, key=lambda f: (f["t"] != "clock", int(f.get("n", 0))))}

    def load(self, data: Json) -> None:
        """Put dumped facts back (into an empty memory): the clock first, then the rest in their order."""
        self._loading = True
        try:
            for fact in data["facts"]:
                if fact["t"] == "clock":
                    self._clock = dict(fact)
                self._session.assert_fact(dict(fact))
        finally:
            self._loading = False
            self._pairs.clear()
        self._n = int(data["sequence"])

    def close(self) -> None:
        """Delete the session and release its rules."""
        self._session.close()


def _total(like: Json, amount: Decimal) -> Json:
    return {"t": "total", "key": like["key"], "amount": str(amount), "rule": like["rule"], "group": like["group"],
            "period": like["period"], "window": like["window"], "n": like["n"]}


def _plain(fact: Json) -> Json:
    return {k: v for k, v in fact.items() if k != "sid"}
