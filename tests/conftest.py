"""Shared fixtures: the bundled example corpus, built once per test session."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BENCH = ROOT / "bench"


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


def _synthetic_corpus(folder: Path, *, words: int, documents: int, seed: int) -> Path:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    gen_corpus = importlib.import_module("gen_corpus")
    gen_corpus.write_corpus(gen_corpus.CorpusSpec(words=words, documents=documents, seed=seed), folder)
    return folder


@pytest.fixture(scope="session")
def synthetic_corpus() -> Callable[..., Path]:
    """``synthetic_corpus(folder, words=, documents=, seed=)``: a corpus from the benchmark generator
    (bench/gen_corpus.py) written into ``folder``."""
    return _synthetic_corpus
