"""Golden cases: transfers with the verdict and rule ids the law gives, as data files under tests/cases/.

Each file holds ``description`` and ``cases``; each case a ``transfer`` and ``want``:
``verdict``; ``rules`` (exactly these rule ids have findings) or ``rules_include`` (at least these);
``findings`` (each listed finding must be present: rule, and optionally verdict, item, basis, exemption,
``because_contains``, ``missing_contains``); ``no_findings_on_items``; ``dated_by``; ``rules_in_force``;
``coverage_regimes``. An optional ``as_of`` dates an undated transfer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctionsrules import CompiledRuleSet, Decision, Finding, Transfer

CASES = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for file in sorted(CASES.rglob("*.yaml")):
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
        for i, case in enumerate(doc["cases"]):
            case_id = f"{file.relative_to(CASES).with_suffix('')}[{i}]:{case['transfer']['id']}"
            params.append(pytest.param(case, id=case_id))
    return params


ALL_CASES = _load()


def _matches(finding: Finding, want: dict[str, Any]) -> bool:
    if finding.rule != want["rule"]:
        return False
    if "verdict" in want and str(finding.verdict) != want["verdict"]:
        return False
    if "item" in want and finding.item != want["item"]:
        return False
    if "basis" in want and finding.basis != want["basis"]:
        return False
    if "exemption" in want and finding.exemption != want["exemption"]:
        return False
    if "because_contains" in want and not any(want["because_contains"] in b for b in finding.because):
        return False
    return "missing_contains" not in want or any(want["missing_contains"] in m for m in finding.missing)


def _show(decision: Decision) -> str:
    return (
        "\n".join(
            f"  {f.rule} {f.verdict} item={f.item} because={f.because} missing={f.missing} exemption={f.exemption}"
            for f in decision.findings
        )
        or "  (no findings)"
    )


@pytest.mark.parametrize("case", ALL_CASES)
def test_golden_case(case: dict[str, Any], rules: CompiledRuleSet) -> None:
    transfer = Transfer.model_validate(case["transfer"])
    as_of = case.get("as_of")
    decision = rules.check(transfer, as_of=as_of if isinstance(as_of, dt.date) else None)
    want = case["want"]
    got_rules = set(decision.rules())
    detail = f"{case['description']}\nfindings:\n{_show(decision)}"
    assert str(decision.verdict) == want["verdict"], detail
    if "rules" in want:
        assert got_rules == set(want["rules"]), detail
    if "rules_include" in want:
        assert set(want["rules_include"]) <= got_rules, detail
    for wanted in want.get("findings", []):
        assert any(_matches(f, wanted) for f in decision.findings), f"no finding like {wanted}\n{detail}"
    for item in want.get("no_findings_on_items", []):
        assert not [f for f in decision.findings if f.item == item], detail
    if "dated_by" in want:
        assert decision.dated_by == want["dated_by"]
    if "rules_in_force" in want:
        assert decision.coverage.rules_in_force == want["rules_in_force"]
    if "coverage_regimes" in want:
        assert set(want["coverage_regimes"]) <= set(decision.coverage.regimes)
        assert decision.coverage.rules_in_force > 0


def test_every_case_names_rule_ids_for_findings() -> None:
    # A verdict without the rule ids that justify it proves little: every non-permitted case names its rules.
    for param in ALL_CASES:
        case = param.values[0]
        want = case["want"]
        if want["verdict"] != "permitted":
            assert want.get("rules") or want.get("rules_include"), case["description"]
