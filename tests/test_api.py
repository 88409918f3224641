"""The public surface: a pinned __all__, cheap import, immutable picklable compiled rules, determinism."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sanctionsrules
from sanctionsrules import CompiledRuleSet, Transfer, Verdict
from sanctionsrules.errors import InputError, RuleSetError, SanctionsRulesError

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def test_public_names_are_pinned() -> None:
    assert sorted(sanctionsrules.__all__) == sorted(
        [
            "CompiledRuleSet",
            "Coverage",
            "Decision",
            "ExemptionClaim",
            "Finding",
            "GoodsItem",
            "InputError",
            "Party",
            "RuleSet",
            "RuleSetError",
            "SanctionsRulesError",
            "Transfer",
            "Verdict",
            "__version__",
            "compile_rules",
            "load_rules",
        ]
    )
    for name in sanctionsrules.__all__:
        assert getattr(sanctionsrules, name) is not None


def test_errors_share_one_root_and_are_value_errors() -> None:
    for error in (InputError, RuleSetError):
        assert issubclass(error, SanctionsRulesError) and issubclass(error, ValueError)


def test_import_is_light() -> None:
    code = (
        "import sys, sanctionsrules; "
        "heavy = [m for m in ('hypothesis', 'durable', 'pydantic', 'yaml', 'rapidfuzz') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def _seed(name: str) -> Transfer:
    return Transfer.model_validate_json((SEEDS / f"{name}.json").read_text())


def test_compiled_rules_pickle_and_decide_the_same(rules: CompiledRuleSet) -> None:
    copy = pickle.loads(pickle.dumps(rules))
    transfer = _seed("aurus-senat-gift-2024")
    assert copy.check(transfer) == rules.check(transfer)
    assert copy.digest == rules.digest


def test_same_input_same_bytes(rules: CompiledRuleSet) -> None:
    transfer = _seed("aurus-senat-gift-2024")
    first = json.dumps(rules.check(transfer).to_dict())
    assert all(json.dumps(rules.check(transfer).to_dict()) == first for _ in range(5))


def test_thread_safe(rules: CompiledRuleSet) -> None:
    transfers = [
        _seed(n) for n in ("aurus-senat-gift-2024", "dprk-munitions-to-russia-2023", "us-aid-to-ukraine-2024")
    ] * 200
    expected = [rules.check(t) for t in transfers]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(rules.check, transfers)) == expected


def test_check_many_in_processes_keeps_order(rules: CompiledRuleSet) -> None:
    transfers = [_seed(n) for n in ("aurus-senat-gift-2024", "us-aid-to-ukraine-2024")] * 50
    serial = list(rules.check_many(transfers))
    parallel = list(rules.check_many(transfers, workers=2, chunk_size=7))
    assert parallel == serial
    assert [d.verdict for d in serial[:2]] == [Verdict.PROHIBITED, Verdict.PERMITTED]


def test_index_skips_rules_that_cannot_apply(rules: CompiledRuleSet) -> None:
    clean = _seed("us-aid-to-ukraine-2024")
    candidates = {r.id for r in rules.candidates(clean, clean.date)}  # type: ignore[arg-type]
    assert "un-dprk.1718.8a-iii" not in candidates  # guarded by "to the DPRK"; every such fact is known and not KP
    aurus = _seed("aurus-senat-gift-2024")
    assert "un-dprk.1718.8a-iii" in {r.id for r in rules.candidates(aurus, aurus.date)}  # type: ignore[arg-type]


def test_index_never_changes_a_decision(rules: CompiledRuleSet) -> None:
    # Evaluate every rule with the index switched off and compare: the index may only skip rules that are FALSE.
    naive = CompiledRuleSet(rules.ruleset, rules.designations, use_index=False, share=False)
    for name in ("aurus-senat-gift-2024", "dprk-munitions-to-russia-2023", "us-aid-to-ukraine-2024"):
        transfer = _seed(name)
        assert naive.check(transfer) == rules.check(transfer)


def test_index_agrees_with_every_rule_on_every_transfer_over_a_mixed_batch(rules: CompiledRuleSet) -> None:
    # The benchmark's generator: 2% DPRK traffic, mixed HS codes, some missing facts, some principals.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from bench_engine import make_transfers
    finally:
        sys.path.pop(0)
    naive = CompiledRuleSet(rules.ruleset, rules.designations, use_index=False, share=False)
    transfers = make_transfers(3000, seed=7)
    decisions = [rules.check(t) for t in transfers]
    assert decisions == [naive.check(t) for t in transfers]
    assert {d.verdict for d in decisions} >= {Verdict.PERMITTED, Verdict.REVIEW, Verdict.PROHIBITED}
