"""Shared fixtures: the bundled example corpus, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding a build of ``examples/`` (built once, read-only for tests)."""
    from kg.build import BuildOptions, build

    out = tmp_path_factory.mktemp("example-build") / "out"
    report = build([EXAMPLES], out, BuildOptions(jobs=1))
    assert report.ok, report.failures
    return out
