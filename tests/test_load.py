"""A bounded run of bench/loadtest.py: a real server under concurrent load answers every request.

This is a correctness check (no errors, no runaway memory), not a timed
performance target: the run stops by itself after its request count or its
time bound, whichever comes first.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOADTEST = ROOT / "bench" / "loadtest.py"
REQUESTS = 1500
MAX_SECONDS = 25.0


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    cmd = [sys.executable, str(LOADTEST), "--requests", str(REQUESTS), "--concurrency", "16",
           "--max-seconds", str(MAX_SECONDS), "--json"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=MAX_SECONDS + 120, cwd=ROOT)
    assert done.stdout.strip(), f"bench/loadtest.py printed nothing (exit {done.returncode}): {done.stderr[-2000:]}"
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["exit_code"] = done.returncode
    print(result)  # the figures, visible with pytest -s
    return result


def test_load_has_zero_errors(report: dict[str, object]) -> None:
    assert report["errors"] == 0, report["error_kinds"]
    assert report["exit_code"] == 0
    assert report["served"] == report["requests"]


def test_load_covers_every_lookup_route_and_sparql(report: dict[str, object]) -> None:
    routes = report["routes"]
    assert isinstance(routes, dict)
    assert {"/entities", "/entities/{id}", "/relations", "/ask", "/sparql"} <= set(routes)
    assert int(str(report["requests"])) >= min(REQUESTS, 200)  # even a slow machine sends a real load


def test_server_memory_does_not_run_away(report: dict[str, object]) -> None:
    before, after = float(str(report["rss_before_mb"])), float(str(report["rss_after_mb"]))
    assert before > 0 and after > 0
    assert after < 1.5 * before + 50, (before, after)
    total_before = before + float(str(report["workers_rss_before_mb"]))
    total_after = after + float(str(report["workers_rss_after_mb"]))
    assert total_after < 1.5 * total_before + 100, (total_before, total_after)
