"""Throughput of the stream monitor, and of the native engine against the durable-rules engine, in one run.

    python benchmarks/bench_monitor.py [--count 100000] [--compare 20000] [--seed 2397] [--rules PATH]

Generates a stream of transfers in date order with a fixed seed (2017 to 2020: refined petroleum and crude oil
to the DPRK, DPRK coal, ship-to-ship transfers and small deliveries among ordinary trade, amounts scaled so that
the caps fill up within a year), validates it once, then times:

- the monitor over the whole stream (single-transfer decision plus every aggregate: caps, patterns), with
  designations by UN reference (name screening is the screening benchmark's subject);
- the native engine and the durable-rules compilation (``DurableRuleSet``) on the first ``--compare``
  transfers, checking that both report the same TRUE findings.

The monitor runs on the monitor's fixture rules (tests/monitor/rules: the built-in UNSCR 1718 rules with the
proposed aggregates) unless ``--rules`` names a tree that has aggregates; the engine comparison uses the
built-in rules (every shipped rule). Numbers are measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sanctionsrules import Transfer, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_RULES = ROOT / "tests" / "monitor" / "rules"
COUNTRIES = ["CN", "RU", "DE", "SG", "US", "JP", "TR", "AE", "NL", "KR", "VN", "PA"]
SUPPLIERS = ["CN", "RU", "SG", "AE"]
TRADE = [("8703.23", "luxury_vehicle"), ("7113.19", "jewellery"), ("8471.30", None), ("6109.10", None),
         ("3004.90", None), ("1701.14", None), ("8517.13", None), ("9306.90", "artillery_ammunition")]


def _party(rng: random.Random, country: str) -> dict[str, Any]:
    return {"name": f"{country} Trading {rng.randint(1, 400)}", "country": country, "kind": "organisation"}


def make_stream(count: int, seed: int) -> list[Transfer]:
    """``count`` transfers in date order over 2017 to 2020, with amounts scaled so the caps come into play."""
    rng = random.Random(seed)
    start, end = dt.date(2017, 1, 1), dt.date(2020, 12, 31)
    days = sorted(start + dt.timedelta(days=rng.randrange((end - start).days + 1)) for _ in range(count))
    years = (end - start).days / 365.25
    # Per-delivery means that bring a year's total near each cap (they overshoot some years: that is the point).
    refined_mean = 540_000 * years / (0.03 * count)
    crude_mean = 4_100_000 * years / (0.01 * count)
    coal_mean = 8_000_000 / (0.02 * count * 7 / 12 / years)  # the coal caps run for seven months of 2017
    depots = [f"{place} Fuel Depot" for place in ("Nampo", "Wonsan", "Chongjin")]
    suppliers = [(f"{country} Petroleum {n}", country) for country in SUPPLIERS for n in (1, 2)]
    out = []
    for i, day in enumerate(days):
        roll = rng.random()
        sender_country, recipient_country = rng.sample(COUNTRIES, 2)
        sender, recipient = _party(rng, sender_country), _party(rng, recipient_country)
        goods: list[dict[str, Any]]
        kind = "sale"
        if roll < 0.03:  # refined petroleum to the DPRK, in barrels or tonnes; some in parcels under 1,000 bbl
            name, sender_country = rng.choice(suppliers)
            recipient_country = "KP"
            sender = {"name": name, "country": sender_country, "kind": "organisation"}
            recipient = {"name": rng.choice(depots), "country": "KP", "kind": "state_body"}
            unit = rng.choice(("bbl", "bbl", "bbl", "t"))
            amount = round(rng.uniform(0.3, 1.7) * refined_mean / (7.33 if unit == "t" else 1), 1)
            goods = [{"hs_code": "2710.19", "category": "refined_petroleum",
                      "quantity": {"amount": amount, "unit": unit}}]
        elif roll < 0.04:  # crude oil to the DPRK
            sender_country, recipient_country = "CN", "KP"
            goods = [{"hs_code": "2709.00", "category": "crude_oil",
                      "quantity": {"amount": round(rng.uniform(0.5, 1.5) * crude_mean), "unit": "bbl"}}]
        elif roll < 0.06:  # DPRK coal
            sender_country, recipient_country = "KP", rng.choice(("CN", "RU", "VN"))
            tonnes = round(rng.uniform(0.5, 1.5) * coal_mean)
            goods = [{"hs_code": "2701.12", "category": "coal", "origin": "KP",
                      "quantity": {"amount": tonnes, "unit": "t"},
                      "value": {"amount": tonnes * rng.randint(45, 60), "currency": "USD"}}]
        elif roll < 0.065:  # a ship-to-ship transfer from a DPRK tanker into a foreign one
            kind = "ship_to_ship"
            sender = {"name": f"Chon Ma San {rng.randint(1, 9)}", "kind": "vessel", "flag": "KP", "country": "KP"}
            recipient = {"name": f"Tanker {rng.randint(1, 40)}", "kind": "vessel", "flag": "PA", "country": "PA"}
            goods = [{"hs_code": "2710.19", "category": "refined_petroleum", "quantity": {"amount": 5000, "unit": "t"}}]
        else:  # ordinary trade, some of it with the DPRK
            if rng.random() < 0.03:
                recipient_country = "KP"
                recipient = _party(rng, "KP")
            code, category = rng.choice(TRADE)
            goods = [{"hs_code": code, **({"category": category} if category else {}),
                      "value": {"amount": rng.randint(100, 500_000), "currency": "USD"}}
                     for _ in range(rng.choice((1, 1, 2)))]
        document: dict[str, Any] = {
            "id": f"B{i}", "date": day.isoformat(), "kind": kind, "sender": sender, "recipient": recipient,
            "end_user": recipient, "origin": sender_country, "destination": recipient_country, "goods": goods,
        }
        if rng.random() < 0.02:  # now and then one of those tankers carries goods onward
            document["carrier"] = {"name": f"Tanker {rng.randint(1, 40)}", "kind": "vessel", "flag": "PA"}
        out.append(Transfer.model_validate(document))
    return out


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f}/s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100_000, help="transfers in the monitored stream")
    parser.add_argument("--compare", type=int, default=20_000, help="transfers for the native/durable comparison")
    parser.add_argument("--seed", type=int, default=2397)
    parser.add_argument("--rules", type=Path, help="rules for the monitor (default: the monitor's fixture rules)")
    args = parser.parse_args(argv)

    from sanctionsrules.engine.durable import DurableRuleSet
    from sanctionsrules.monitor import Monitor

    started = time.perf_counter()
    stream = make_stream(args.count, args.seed)
    generated = time.perf_counter() - started
    designations = ReferenceDesignations()
    monitor_rules = compile_rules(load_rules(args.rules or FIXTURE_RULES), designations)

    kinds: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    with Monitor(monitor_rules) as monitor:
        started = time.perf_counter()
        for transfer in stream:
            result = monitor.observe(transfer)
            verdicts[str(result.verdict)] += 1
            kinds.update(f"{f.kind}:{f.verdict}" for f in result.findings)
        monitored = time.perf_counter() - started
        totals = monitor.totals()

    builtin = load_rules()
    native = compile_rules(builtin, designations)
    workload = stream[: args.compare]
    started = time.perf_counter()
    native_true = [{(f.rule, f.item) for f in native.check(t).findings
                    if not f.missing and f.rule_verdict == builtin.rule(f.rule).verdict} for t in workload]
    native_seconds = time.perf_counter() - started
    with DurableRuleSet(builtin, designations) as durable:
        started = time.perf_counter()
        durable_true = [durable.check(t) for t in workload]
        durable_seconds = time.perf_counter() - started
        shards = len(durable._shards)
    agree = sum(a == b for a, b in zip(native_true, durable_true, strict=True))

    print(f"python {sys.version.split()[0]}; seed {args.seed}; generated and validated {len(stream):,} transfers "
          f"in {generated:.1f} s")
    print()
    print(f"{'workload':<58} {'transfers':>10} {'seconds':>8} {'throughput':>12}")
    print(f"{'monitor.observe: decision + ' + str(len(monitor.aggregates)) + ' aggregates (fixture rules)':<58} "
          f"{len(stream):>10,} {monitored:>8.2f} {_rate(len(stream), monitored)}")
    print(f"{'native CompiledRuleSet.check (' + str(len(builtin.rules)) + ' built-in rules)':<58} "
          f"{len(workload):>10,} {native_seconds:>8.2f} {_rate(len(workload), native_seconds)}")
    print(f"{'durable-rules DurableRuleSet.check (' + str(shards) + ' rulesets)':<58} "
          f"{len(workload):>10,} {durable_seconds:>8.2f} {_rate(len(workload), durable_seconds)}")
    print()
    print(f"same TRUE findings on {agree:,} of {len(workload):,} transfers; "
          f"{sum(len(x) for x in native_true):,} findings in all")
    print("monitor verdicts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(verdicts.items())))
    print("aggregate findings: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items())))
    print(f"running totals at the end: {len(totals)}")
    for total in totals:
        print(f"  {total.text()}")
    return 0 if agree == len(workload) else 1


if __name__ == "__main__":
    raise SystemExit(main())
