"""The security linters have nothing to say (issue 10): ruff with its bandit rules (``S``,
see ``[tool.ruff.lint]`` in pyproject.toml) over the code, the tests and the benchmarks, and
bandit itself over the app. A finding that is not a problem is justified on its own line
(``# noqa: S… - why`` / ``# why  # nosec B…``), never switched off for a whole file."""

from __future__ import annotations

import json
import subprocess  # the linters, fixed arguments  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own linters, fixed arguments
        args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=300
    )


def test_ruff_finds_nothing():
    result = _run(
        str(BIN / "ruff"), "check", "--output-format=concise", "participate", "tests", "bench"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_finds_nothing_in_the_app():
    result = _run(str(BIN / "bandit"), "-r", "participate", "-f", "json", "-q")
    report = json.loads(result.stdout)
    found = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert found == [], "\n".join(found)
    assert report["metrics"]["_totals"]["loc"] > 10_000  # it did read the app
