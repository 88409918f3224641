"""Shared fixtures: the built-in rules compiled once per session, and the path to ../shared/data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sanctionsrules import CompiledRuleSet, compile_rules, load_rules

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - hypothesis is part of the test extra
    pass
else:
    # "ci" keeps the whole suite inside its time budget; "nightly" is for a long hunt (see the README).
    settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("nightly", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("dev", max_examples=20, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def rules() -> CompiledRuleSet:
    """The built-in rule set, compiled once."""
    return compile_rules(load_rules())
