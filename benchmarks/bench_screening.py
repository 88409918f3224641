"""Measure screening accuracy and speed on the real UN and OFAC lists.

Run from the repository root::

    python benchmarks/bench_screening.py            # uses ../shared/data next to the repository

It prints precision and recall per band on the labelled evaluation set built from the lists
(``sanctionsrules.screening.evaluation``), recall per spelling variant, the median and p95 time to screen one
name uncached and cached, the time to load the shipped snapshot and to build the index, and the OFAC
cross-check (UN DPRK records found from OFAC DPRK names).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from sanctionsrules.screening import Band, Screener, import_un_xml, load_default_snapshot
from sanctionsrules.screening.evaluation import (
    evaluate,
    negative_probes,
    ofac_cross_check,
    positive_probes,
    time_screening,
)
from sanctionsrules.screening.snapshot import snapshot_from_bytes, snapshot_to_bytes

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared/data directory")
    args = parser.parse_args(argv)
    data: Path = args.data.resolve()
    xml = data / "un" / "consolidated-2026-05-08.xml"
    if not xml.is_file():
        print(f"data not found: {xml}", file=sys.stderr)
        return 2

    start = time.perf_counter()
    imported = import_un_xml(xml)
    import_s = time.perf_counter() - start
    packed = snapshot_to_bytes(imported)
    loads = []
    for _ in range(5):
        start = time.perf_counter()
        snapshot_from_bytes(packed)
        loads.append(time.perf_counter() - start)
    load_default_snapshot.cache_clear()
    start = time.perf_counter()
    snapshot = load_default_snapshot()
    shipped_s = time.perf_counter() - start
    start = time.perf_counter()
    screener = Screener(snapshot)
    build_s = time.perf_counter() - start

    provenance = snapshot.provenance
    print(f"list: {provenance.source_name} (dateGenerated {provenance.date_generated}), {len(snapshot)} designations")
    print(f"indexed names: {screener.name_count}; import XML: {import_s * 1000:.0f} ms")
    print(f"snapshot: {len(packed) / 1024:.0f} KiB gzip; load median {statistics.median(loads) * 1000:.1f} ms")
    print(f"shipped snapshot first load: {shipped_s * 1000:.1f} ms; build index: {build_s * 1000:.0f} ms")

    positives = positive_probes(snapshot)
    negatives = negative_probes(snapshot)
    result = evaluate(screener, [*positives, *negatives])
    print(f"\nevaluation: {len(positives)} positive probes (DPRK names, aliases and their variants)")
    print(f"            {len(negatives)} negative probes (other regimes' names, common Korean names; country KP)")
    print(f"{'band':<9}{'recall':>8}{'precision':>11}{'correct':>9}{'wrong':>7}{'neg. hit rate':>15}")
    for score in result.bands:
        print(
            f"{score.band.value:<9}{score.recall:>8.3f}{score.precision:>11.3f}{score.correct_hits:>9}"
            f"{score.wrong_hits:>7}{score.negative_hit_rate:>15.4f}"
        )
    print("\nrecall by variant (probes, strong, possible):")
    for variant, (total, at_strong, at_possible) in result.recall_by_variant.items():
        print(f"  {variant:<20}{total:>6}{at_strong / total:>8.3f}{at_possible / total:>8.3f}")
    if result.misses:
        print(f"\nmissed at the possible band ({len(result.misses)}):")
        for probe in result.misses[:15]:
            print(f"  {probe.variant:<18} {probe.query!r} -> {probe.target}")
    strong_false = result.false_hits
    if strong_false:
        print(f"\nwrong hits at the strong band ({len(strong_false)}):")
        for probe, reference in strong_false[:15]:
            hit = snapshot.get(reference)
            print(f"  {probe.variant:<18} {probe.query!r} -> {reference} {hit.primary_name if hit else ''!r}")

    queries = [p.query for p in positives[::3]] + [p.query for p in negatives[::3]]
    uncached = time_screening(screener, queries)
    cached: list[float] = []
    for query in queries:
        screener.screen(query)
        start = time.perf_counter()
        screener.screen(query)
        cached.append(time.perf_counter() - start)
    prefilter: list[float] = []
    for query in queries:
        screener.clear_cache()
        start = time.perf_counter()
        screener.may_match(query)
        prefilter.append(time.perf_counter() - start)
    print(f"\nscreening one name ({len(queries)} queries, whole list):")
    median_ms = statistics.median(uncached) * 1000
    print(
        f"  uncached: median {median_ms:.3f} ms, p95 {_percentile(uncached, 0.95) * 1000:.3f} ms, "
        f"max {max(uncached) * 1000:.3f} ms"
    )
    print(f"  cached:   median {statistics.median(cached) * 1e6:.1f} us")
    print(f"  may_match (names normalised before): median {statistics.median(prefilter) * 1000:.3f} ms")

    ofac = data / "ofac"
    if (ofac / "sdn.csv").is_file():
        check = ofac_cross_check(screener, ofac)
        print(f"\nOFAC cross-check: {check.ofac_entries} OFAC DPRK entries, {check.ofac_names} names")
        print(f"  UN DPRK records found at the strong band: {len(check.found_strong)} of {check.un_records}")
        print(f"  (exact equality, case and punctuation ignored: {len(check.found_exact_punctuation)})")
    strong = result.at(Band.STRONG)
    possible = result.at(Band.POSSIBLE)
    print(
        f"\nsummary: recall strong {strong.recall:.3f} possible {possible.recall:.3f}; precision strong "
        f"{strong.precision:.3f} possible {possible.precision:.3f}; median {median_ms:.3f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
