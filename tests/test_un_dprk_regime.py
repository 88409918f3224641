"""The UN DPRK regime as a whole: every rule proven by golden cases, the acceptance scenarios, and the rule files'
own consistency (bases, dates, advisory paragraphs, index guards, taxonomy codes)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from sanctionsrules import CompiledRuleSet, Transfer, compile_rules, load_rules
from sanctionsrules.engine.designations import ReferenceDesignations

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases" / "un-dprk"
RULES = ROOT / "rules" / "un" / "dprk"
REGIME = "un-dprk"

# Categories that are declared, never inferred from an HS code: the State's determinations, and the things that are
# not goods (services, rights, banking relationships). Every other leaf category must list its HS codes.
NO_HS_BY_DESIGN = {"military_support_item", "dprk_contributing_item"}


@pytest.fixture(scope="module")
def ruleset() -> Any:
    return load_rules()


def _cases() -> list[dict[str, Any]]:
    out = []
    for file in sorted(CASES.glob("*.yaml")):
        out += yaml.safe_load(file.read_text(encoding="utf-8"))["cases"]
    return out


def _instruments() -> dict[str, dict[str, Any]]:
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(RULES.glob("*.yaml"))
            if p.name != "regime.yaml"}


# -- (a) every rule and exemption is proven by at least two golden cases ------------------------------------------
def test_every_rule_and_exemption_appears_in_two_golden_cases(ruleset: Any) -> None:
    rule_cases: Counter[str] = Counter()
    exemption_cases: Counter[str] = Counter()
    for case in _cases():
        want = case["want"]
        named = set(want.get("rules", [])) | set(want.get("rules_include", []))
        named |= {f["rule"] for f in want.get("findings", [])}
        exempted = {f["exemption"] for f in want.get("findings", []) if f.get("exemption")}
        rule_cases.update(named)
        exemption_cases.update(exempted | named)
    rules = [r.id for r in ruleset.rules if r.regime == REGIME]
    exemptions = [e.id for e in ruleset.exemptions if e.regime == REGIME]
    assert [r for r in rules if rule_cases[r] < 2] == []
    assert [e for e in exemptions if exemption_cases[e] < 2] == []


# -- (b) the acceptance scenarios ---------------------------------------------------------------------------------
def _check(rules: CompiledRuleSet, data: dict[str, Any]) -> Any:
    return rules.check(Transfer.model_validate(data))


def test_scenario_a_dprk_coal_to_a_foreign_port_in_2018(rules: CompiledRuleSet) -> None:
    decision = _check(rules, {
        "id": "scenario-a", "date": "2018-04-10", "kind": "sale",
        "sender": {"name": "Nampo Coal Export Co", "kind": "organisation", "country": "KP"},
        "recipient": {"name": "Kholmsk Coal Buyers", "kind": "organisation", "country": "RU"},
        "end_user": {"name": "Kholmsk Coal Buyers", "kind": "organisation", "country": "RU"},
        "carrier": {"name": "MV Sky Harmony", "kind": "vessel", "flag": "PA", "country": "PA"},
        "origin": "KP", "destination": "RU",
        "goods": [{"description": "Anthracite", "hs_code": "2701.11", "category": "coal", "origin": "KP"}],
    })
    assert str(decision.verdict) == "prohibited"
    assert set(decision.rules()) == {"un-dprk.2371.8"}
    finding = decision.findings[0]
    assert finding.basis == "UNSCR 2371 (2017), OP 8" and finding.exemption is None


def test_scenario_b_used_vessel_sold_to_the_dprk_in_2019(rules: CompiledRuleSet) -> None:
    decision = _check(rules, {
        "id": "scenario-b", "date": "2019-07-01", "kind": "sale",
        "sender": {"name": "Harbour Ship Owners Ltd", "kind": "organisation", "country": "HK"},
        "recipient": {"name": "Rungra Marine Transport", "kind": "organisation", "country": "KP"},
        "end_user": {"name": "Rungra Marine Transport", "kind": "organisation", "country": "KP"},
        "origin": "HK", "destination": "KP",
        "goods": [{"description": "Used bulk carrier", "hs_code": "8901.90", "category": "merchant_vessel",
                   "condition": "used"}],
    })
    assert str(decision.verdict) == "prohibited"
    assert set(decision.rules()) == {"un-dprk.2397.7", "un-dprk.2397.14"}
    verdicts = {f.rule: str(f.verdict) for f in decision.findings}
    assert verdicts == {"un-dprk.2397.7": "prohibited", "un-dprk.2397.14": "license_required"}
    assert "un-dprk.2321.30" not in verdicts  # 2321 OP 30 reaches new vessels only


def test_scenario_c_refined_petroleum_in_2019_without_a_notification(rules: CompiledRuleSet) -> None:
    delivery = {
        "id": "scenario-c", "date": "2019-09-15", "kind": "sale",
        "sender": {"name": "Liaoning Petroleum Trading", "kind": "organisation", "country": "CN"},
        "recipient": {"name": "Ryongchon Fuel Depot", "kind": "organisation", "country": "KP"},
        "end_user": {"name": "Ryongchon Fuel Depot", "kind": "organisation", "country": "KP"},
        "origin": "CN", "destination": "KP",
        "goods": [{"description": "Diesel oil", "hs_code": "2710.19", "category": "diesel",
                   "quantity": {"amount": 8000, "unit": "bbl"}}],
    }
    decision = _check(rules, delivery)
    assert str(decision.verdict) == "prohibited"
    assert set(decision.rules()) == {"un-dprk.2397.5"}
    assert decision.findings[0].basis == "UNSCR 2397 (2017), OP 5"
    # With the supplying State's notification the delivery may be inside the allowance: the cumulative monitor decides.
    notified = _check(rules, dict(delivery, exemption_claims=[
        {"kind": "supply_notification", "authority": "1718-committee", "reference": "CN/1718/RP/2019/9"}]))
    assert str(notified.verdict) == "review"
    assert [(f.rule, f.exemption) for f in notified.findings] == [("un-dprk.2397.5", "un-dprk.2397.5-allowance")]


def test_scenario_d_food_aid_in_2020_under_a_committee_exemption(rules: CompiledRuleSet) -> None:
    aid = {
        "id": "scenario-d", "date": "2020-06-01", "kind": "donation",
        "sender": {"name": "World Food Programme DPRK Country Office", "kind": "organisation", "country": "IT"},
        "recipient": {"name": "Ryongchon County Children's Nurseries", "kind": "organisation", "country": "KP"},
        "end_user": {"name": "Ryongchon County Children's Nurseries", "kind": "organisation", "country": "KP"},
        "origin": "CN", "destination": "KP",
        "goods": [
            {"description": "Fortified rice", "hs_code": "1006.30", "category": "cereal"},
            {"description": "Delivery trucks for the aid programme", "hs_code": "8704.22", "category": "truck"},
        ],
        "exemption_claims": [{"kind": "committee_exemption", "authority": "1718-committee",
                              "reference": "1718/HUM/2020/17"}],
    }
    decision = _check(rules, aid)
    assert str(decision.verdict) == "permitted"
    # The food itself meets no rule; the trucks meet 2397 OP 7, lifted by the exemption, which the finding names.
    assert set(decision.rules()) == {"un-dprk.2397.7"}
    assert [(f.item, str(f.verdict), f.exemption) for f in decision.findings] == [
        (1, "permitted", "un-dprk.2397.25")]
    food_only = _check(rules, dict(aid, goods=aid["goods"][:1]))
    assert str(food_only.verdict) == "permitted" and food_only.findings == ()


@pytest.mark.parametrize(("value", "verdict", "rule_ids"), [
    (400, "permitted", set()),
    (600, "prohibited", {"un-dprk.2321.5"}),
])
def test_scenario_e_rug_in_2017(rules: CompiledRuleSet, value: int, verdict: str, rule_ids: set[str]) -> None:
    decision = _check(rules, {
        "id": f"scenario-e-{value}", "date": "2017-06-01", "kind": "sale",
        "sender": {"name": "Carpet Bazaar", "kind": "organisation", "country": "TR"},
        "recipient": {"name": "Pyongyang Department Store", "kind": "organisation", "country": "KP"},
        "end_user": {"name": "Pyongyang Department Store", "kind": "organisation", "country": "KP"},
        "origin": "TR", "destination": "KP",
        "goods": [{"description": "Hand-knotted wool rug", "hs_code": "5701.10", "category": "rug_or_tapestry",
                   "value": {"amount": value, "currency": "USD"}}],
    })
    assert str(decision.verdict) == verdict
    assert set(decision.rules()) == rule_ids
    assert all(f.basis == "UNSCR 2321 (2016), OP 5 and Annex IV" for f in decision.findings)


# -- (c) advisory paragraphs give at most review; (d) every basis names its own resolution -------------------------
def test_advisory_rules_give_review(ruleset: Any) -> None:
    advisory = [r for r in ruleset.rules if r.regime == REGIME and not r.binding]
    assert advisory, "the regime has 'calls upon' paragraphs"
    assert [r.id for r in advisory if str(r.verdict) != "review"] == []
    assert all(r.title.startswith("(Advisory)") for r in advisory)


def test_every_basis_names_its_own_resolution(ruleset: Any) -> None:
    basis = re.compile(r"^UNSCR (\d{4}) \((\d{4})\), OP \d+")
    for item in [*ruleset.rules, *ruleset.exemptions]:
        if item.regime != REGIME:
            continue
        instrument = item.id.split(".")[1]
        match = basis.match(item.basis)
        assert match, f"{item.id}: basis {item.basis!r} is not 'UNSCR nnnn (yyyy), OP n'"
        assert match.group(1) == instrument, f"{item.id}: basis {item.basis!r} names another resolution"


# -- the rule files' own consistency ------------------------------------------------------------------------------
def test_rules_start_on_adoption_and_carry_verification(ruleset: Any) -> None:
    adopted = {name: doc["adopted"] for name, doc in _instruments().items()}
    for rule in ruleset.rules:
        if rule.regime != REGIME:
            continue
        assert rule.start == adopted[rule.instrument], f"{rule.id} starts {rule.start}, not on adoption"
        assert rule.verification, f"{rule.id} says nothing of how it was verified"
        assert rule.id.startswith(f"un-dprk.{rule.instrument}.")
    for name, doc in _instruments().items():
        assert doc["instrument"] == name
        for exemption in doc.get("exemptions", []):
            assert exemption.get("verification"), f"{exemption['id']} says nothing of how it was verified"
            start = exemption.get("in_force", {}).get("from")
            assert start is None or start >= doc["adopted"], exemption["id"]


def test_replaced_paragraphs_end_the_day_before_their_successor(ruleset: Any) -> None:
    ends = {
        "un-dprk.2270.29": dt.date(2016, 11, 29),  # replaced by 2321 OP 26
        "un-dprk.2321.26": dt.date(2017, 8, 4),  # replaced by 2371 OP 8
        "un-dprk.1874.10-salw": dt.date(2016, 3, 1),  # closed by 2270 OP 6
        "un-dprk.2270.19": dt.date(2016, 11, 29),  # notice route removed by 2321 OP 8
        "un-dprk.2270.20": dt.date(2016, 11, 29),  # notice route removed by 2321 OP 9
        "un-dprk.2375.14": dt.date(2017, 12, 21),  # superseded by 2397 OP 5
    }
    for rule_id, end in ends.items():
        assert ruleset.rule(rule_id).end == end, rule_id


KINDS = ["sale", "gift", "donation", "loan", "lease", "charter", "barter", "ship_to_ship", "service", "training",
         "payment", "investment", "employment", "other"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_index_skips_every_rule_for_a_transfer_with_no_dprk_link(ruleset: Any, kind: str) -> None:
    # Every rule starts from a country, kind, flag or designation test, so a fully described transfer between two
    # other countries is not evaluated against any of them.
    rules = compile_rules(ruleset, ReferenceDesignations())
    transfer = Transfer.model_validate({
        "id": f"clean-{kind}", "date": "2020-01-01", "kind": kind,
        "sender": {"name": "Seller SA", "kind": "organisation", "country": "FR"},
        "recipient": {"name": "Buyer GmbH", "kind": "organisation", "country": "DE"},
        "end_user": {"name": "Buyer GmbH", "kind": "organisation", "country": "DE"},
        "origin": "FR", "destination": "DE",
        "goods": [{"description": "Wine", "hs_code": "2204.21", "category": "food"}],
    })
    assert [r.id for r in rules.candidates(transfer, dt.date(2020, 1, 1)) if r.regime == REGIME] == []


def test_leaf_categories_list_their_hs_codes(ruleset: Any) -> None:
    taxonomy = ruleset.taxonomy
    parents = {p for c in taxonomy.categories.values() for p in c.parents}
    missing = [name for name, c in taxonomy.categories.items()
               if name not in parents and not c.hs and not taxonomy.is_a(name, "non_goods")
               and name not in NO_HS_BY_DESIGN]
    assert missing == []


def test_readme_maps_every_rule(ruleset: Any) -> None:
    readme = (RULES / "README.md").read_text(encoding="utf-8")
    for item in [*ruleset.rules, *ruleset.exemptions]:
        if item.regime == REGIME:
            assert f"`{item.id}`" in readme, f"{item.id} is not in rules/un/dprk/README.md"
