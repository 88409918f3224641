"""Shared fixtures: the real UN/OFAC files from ../shared/data, parsed once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctionsrules.screening import Screener, Snapshot, import_un_xml

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
UN = DATA / "un"
OFAC = DATA / "ofac"


def _un_file(name: str) -> Path:
    path = UN / name
    if not path.is_file():
        pytest.skip(f"real UN list not available: {path} is missing (see shared/data/README.md)")
    return path


@pytest.fixture(scope="session")
def un_dir() -> Path:
    """The directory of the real UN XML files."""
    _un_file("consolidated-2026-05-08.xml")
    return UN


@pytest.fixture(scope="session")
def un_2026_05() -> Snapshot:
    """consolidated-2026-05-08.xml, imported."""
    return import_un_xml(_un_file("consolidated-2026-05-08.xml"))


@pytest.fixture(scope="session")
def un_2026_01() -> Snapshot:
    """consolidated-2026-01-28.xml, imported."""
    return import_un_xml(_un_file("consolidated-2026-01-28.xml"))


@pytest.fixture(scope="session")
def un_2017() -> Snapshot:
    """consolidated-2017-07-03.xml, imported (the older one-line-per-record serialisation)."""
    return import_un_xml(_un_file("consolidated-2017-07-03.xml"))


@pytest.fixture(scope="session")
def screener(un_2026_05: Snapshot) -> Screener:
    """A screener over the 2026-05-08 list."""
    return Screener(un_2026_05)


@pytest.fixture(scope="session")
def ofac_dir() -> Path:
    """The OFAC SDN legacy CSV directory."""
    if not (OFAC / "sdn.csv").is_file():
        pytest.skip(f"OFAC SDN files not available: {OFAC / 'sdn.csv'} is missing")
    return OFAC
