"""The built-in rules ship inside the wheel, so an installed copy finds them from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_rules_and_type_marker(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("sanctionsrules-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_rules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*.yaml")}
    assert shipped_rules, "no rules in the source tree"
    for rule_file in shipped_rules:
        assert f"sanctionsrules/{rule_file}" in names
    assert "sanctionsrules/py.typed" in names
    assert not [n for n in names if "__pycache__" in n]
