"""Throughput of the native engine: check and check_many against a naive baseline, in one run.

    python benchmarks/bench_engine.py [--count 100000] [--seed 1718]

Generates transfers with a fixed seed (about 2% to or from the DPRK, mixed HS codes, about 5% with a missing
fact), validates them once, then times: the naive baseline (the same compiled rules with the index switched off,
so every rule is evaluated on every transfer); ``check`` in a loop; ``check_many`` in this process and over two
processes. Peak memory is measured separately with tracemalloc, so it does not slow the timed runs.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from typing import Any

from sanctionsrules import CompiledRuleSet, Transfer, compile_rules, load_rules
from sanctionsrules.engine import ReferenceDesignations

COUNTRIES = ["CN", "RU", "DE", "FR", "US", "JP", "IN", "BR", "TR", "AE", "SG", "NL", "KR", "VN", "TH"]
HS_CODES = [
    "1701.14",
    "2204.21",
    "8703.23",
    "8471.30",
    "6109.10",
    "9306.90",
    "7113.19",
    "3004.90",
    "2710.19",
    "8517.13",
    "0303.89",
    "4011.10",
    "8802.40",
    "9101.11",
    "2701.12",
]
# Counterparties repeat in real streams: draw names from pools, as a compliance system would see them.
SENDERS = [f"{w} {k} Exports" for w in ("Global", "Pacific", "Atlas", "Nordic") for k in range(250)]
RECIPIENTS = [f"{w} {k} Imports" for w in ("Harbour", "Summit", "Delta", "Crown") for k in range(250)]
CATEGORIES = [None, None, None, "luxury_vehicle", "jewellery", "battle_tank", "artillery_ammunition"]


def make_transfers(count: int, seed: int) -> list[Transfer]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        sender_country, recipient_country = rng.sample(COUNTRIES, 2)
        recipient = rng.choice(RECIPIENTS)
        roll = rng.random()
        if roll < 0.01:
            recipient_country = "KP"
        elif roll < 0.02:
            sender_country = "KP"
        items = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            item: dict[str, Any] = {
                "hs_code": rng.choice(HS_CODES),
                "value": {"amount": rng.randint(100, 500_000), "currency": "USD"},
            }
            category = rng.choice(CATEGORIES)
            if category is not None and rng.random() < 0.1:
                item["category"] = category
            items.append(item)
        data: dict[str, Any] = {
            "id": f"t{i}",
            "date": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "kind": rng.choice(("sale", "sale", "sale", "gift", "loan")),
            "sender": {"name": rng.choice(SENDERS), "kind": "organisation", "country": sender_country},
            "recipient": {"name": recipient, "kind": "organisation", "country": recipient_country},
            "end_user": {"name": recipient, "kind": "organisation", "country": recipient_country},
            "origin": sender_country,
            "destination": recipient_country,
            "goods": items,
        }
        extra = rng.random()
        if extra < 0.01:  # an agent receiving for a principal, now and then in the DPRK
            data["recipient"]["acting_for"] = {"name": f"Principal {i}", "country": rng.choice(["KP", "CN", "RU"])}
        elif extra < 0.02:
            data["intermediaries"] = [{"name": f"Broker {i}", "country": rng.choice([*COUNTRIES, "KP"])}]
        elif extra < 0.022:
            data["recipient"]["identifiers"] = [{"scheme": "un_ref", "value": "KPe.001"}]
        if rng.random() < 0.05:  # a missing fact: no end user or no destination
            del data[rng.choice(("end_user", "destination"))]
        out.append(Transfer.model_validate(data))
    return out


def naive(rules: CompiledRuleSet) -> CompiledRuleSet:
    """The same rules with the index and the sharing of named conditions switched off: every rule evaluated in
    full, on its own, on every transfer."""
    return CompiledRuleSet(rules.ruleset, rules.designations, use_index=False, share=False)


def timed(label: str, run: Callable[[], list[Any]], count: int, *, wall: bool = False) -> tuple[float, list[Any]]:
    """Checks per second. In-process runs are rated by this process's CPU time, which stays steady when other work
    shares the machine; runs over several processes (``wall``) by elapsed time."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    rate = count / (elapsed if wall else used)
    basis = "wall" if wall else "cpu"
    print(f"  {label:<40} {elapsed:6.2f} s wall {used:6.2f} s cpu  {rate:>9,.0f} checks/s ({basis})")
    return rate, result


def peak_memory(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--naive-count", type=int, default=10_000, help="the baseline is slow: rate it on fewer")
    parser.add_argument("--seed", type=int, default=1718)
    args = parser.parse_args()

    started = time.perf_counter()
    ruleset = load_rules()
    rules = compile_rules(ruleset, ReferenceDesignations())
    screened = compile_rules(ruleset)  # the default: parties screened by name against the UN list
    baseline = naive(rules)
    unindexed = CompiledRuleSet(ruleset, rules.designations, use_index=False)
    transfers = make_transfers(args.count, args.seed)
    lines = [t.model_dump_json(exclude_none=True) for t in transfers]
    gc.freeze()  # the inputs live for the whole run: keep the collector from walking them again and again
    print(
        f"{args.count:,} transfers generated and validated in {time.perf_counter() - started:.1f} s; "
        f"{len(ruleset.rules)} rules; cores: {os.cpu_count()}"
    )
    sample = transfers[: args.naive_count]

    print("designations by UN reference on the parties (the engine alone), already-validated transfers:")
    naive_rate, naive_decisions = timed(
        f"naive: every rule on every transfer ({len(sample):,})",
        lambda: [baseline.check(t) for t in sample],
        len(sample),
    )
    shared_rate, _ = timed(
        "no index, shared named conditions", lambda: [unindexed.check(t) for t in sample], len(sample)
    )
    check_rate, decisions = timed("check, one by one (1 core)", lambda: [rules.check(t) for t in transfers], args.count)
    many_rate, many = timed("check_many, workers=1 (1 core)", lambda: list(rules.check_many(transfers)), args.count)
    assert decisions[: len(sample)] == naive_decisions, "the index changed a decision"
    assert decisions == many, "the batch path changed a decision"
    del naive_decisions, many

    print("the default: every party also screened by name against the UN list (2,000 repeat counterparties):")
    screened.check(transfers[0])  # load the list before timing
    screen_rate, _ = timed("check_many, workers=1 (1 core)", lambda: list(screened.check_many(transfers)), args.count)

    print("JSON lines in, JSON lines out (parse, validate, check, serialise; reference designations):")
    lines_rate, out1 = timed(
        "check_json_lines, workers=1", lambda: [r.output for r in rules.check_json_lines(lines)], args.count, wall=True
    )
    lines2_rate, out2 = timed(
        "check_json_lines, workers=2",
        lambda: [r.output for r in rules.check_json_lines(lines, workers=2, chunk_size=4000)],
        args.count,
        wall=True,
    )
    assert out1 == out2, "the two-process path changed a decision"
    del out1, out2

    print("peak memory (tracemalloc, separate runs, decisions kept):")
    for label, run in (
        ("check", lambda: [rules.check(t) for t in transfers]),
        ("check_many, workers=1", lambda: list(rules.check_many(transfers))),
    ):
        print(f"  {label:<40} {peak_memory(run):7.1f} MB")

    verdicts = Counter(str(d.verdict) for d in decisions)
    print("verdicts:", ", ".join(f"{k} {v:,}" for k, v in sorted(verdicts.items())))
    print(
        f"speed-up over naive: check {check_rate / naive_rate:.1f}x, check_many {many_rate / naive_rate:.1f}x "
        f"(over no index with shared conditions: {many_rate / shared_rate:.1f}x); "
        f"name screening costs {many_rate / screen_rate:.2f}x; JSON lines on 2 cores vs 1: "
        f"{lines2_rate / lines_rate:.2f}x"
    )
    print(f"total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
