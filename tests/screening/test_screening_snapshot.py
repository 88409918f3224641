"""Snapshots: deterministic round trip, the shipped file, format checks and load time."""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from sanctionsrules.screening import (
    ScreeningError,
    Snapshot,
    load_default_snapshot,
    open_list,
    read_snapshot,
    write_snapshot,
)
from sanctionsrules.screening.snapshot import snapshot_from_bytes, snapshot_to_bytes


def test_round_trip_is_exact_and_deterministic(un_2026_05: Snapshot, un_2017: Snapshot, tmp_path: Path) -> None:
    for snapshot in (un_2026_05, un_2017):
        data = snapshot_to_bytes(snapshot)
        assert snapshot_to_bytes(snapshot) == data
        assert snapshot_from_bytes(data) == snapshot
    path = write_snapshot(un_2026_05, tmp_path / "list.json.gz")
    assert read_snapshot(path) == un_2026_05
    # Compact: no pretty-printing, gzip.
    assert b"\n " not in gzip.decompress(path.read_bytes())


def test_shipped_snapshot_is_the_2026_05_08_import(un_2026_05: Snapshot) -> None:
    shipped = load_default_snapshot()
    assert shipped.provenance == un_2026_05.provenance
    assert shipped == un_2026_05
    assert load_default_snapshot() is shipped


def test_shipped_snapshot_loads_fast() -> None:
    from importlib import resources

    data = resources.files("sanctionsrules.screening").joinpath("data/un-consolidated-2026-05-08.json.gz").read_bytes()
    assert len(data) < 400_000
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        snapshot_from_bytes(data)
        timings.append(time.perf_counter() - start)
    # Measured about 40 ms on the development machine; the bound leaves room for a slow CI.
    assert min(timings) < 0.5


def test_open_list_tells_xml_from_snapshot(un_2026_05: Snapshot, un_dir: Path, tmp_path: Path) -> None:
    path = write_snapshot(un_2026_05, tmp_path / "s.json.gz")
    assert open_list(path) == un_2026_05
    plain = tmp_path / "s.json"
    plain.write_bytes(gzip.decompress(path.read_bytes()))
    assert open_list(plain) == un_2026_05
    xml = un_dir / "consolidated-2026-05-08.xml"
    assert open_list(xml) == un_2026_05


def _document(un_2026_05: Snapshot) -> dict[str, object]:
    loaded = json.loads(gzip.decompress(snapshot_to_bytes(un_2026_05)))
    assert isinstance(loaded, dict)
    return loaded


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format_version=99), "format version 99 is not supported"),
        (lambda d: d.update(format="something else"), "not a sanctionsrules screening snapshot"),
        (lambda d: d["designations"][0].pop("reference"), "malformed snapshot"),
        (lambda d: d["designations"][0].update(kind="spaceship"), "malformed snapshot"),
        (lambda d: d["designations"].append(d["designations"][0]), "duplicate reference"),
    ],
)
def test_bad_snapshots_are_rejected(un_2026_05: Snapshot, tmp_path: Path, mutate: object, message: str) -> None:
    document = _document(un_2026_05)
    mutate(document)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ScreeningError, match=message):
        read_snapshot(path)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ScreeningError, match="cannot read"):
        read_snapshot(tmp_path / "missing.json.gz")
    corrupt = tmp_path / "corrupt.json.gz"
    corrupt.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ScreeningError, match="corrupt gzip"):
        read_snapshot(corrupt)
    other = tmp_path / "other.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(ScreeningError, match="neither UN consolidated-list XML nor a screening snapshot"):
        open_list(other)
