"""`make lint` and pre-commit run the same pinned ruff."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_pinned_once_for_make_and_pre_commit():
    pinned = re.findall(r"^\s*ruff==([\d.]+)\s*$", (ROOT / "setup.cfg").read_text(), re.M)
    hooks = (ROOT / ".pre-commit-config.yaml").read_text()
    rev = re.search(r"ruff-pre-commit\s+rev:\s*v([\d.]+)", hooks)
    assert len(pinned) == 1 and rev and rev.group(1) == pinned[0]
    assert "id: ruff-check" in hooks and "id: ruff-format" in hooks
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test:.*\blint\b", makefile, re.M)  # lint runs before the suite


def test_lint_checks_the_format_and_the_tree_is_formatted():
    import subprocess
    import sys

    makefile = (ROOT / "Makefile").read_text()
    assert "ruff format --check trainer tests bench tools" in makefile
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(ruff), "format", "--check", "trainer", "tests", "bench", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
