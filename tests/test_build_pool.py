"""kg.build with jobs > 1: a pool only when there is enough text, the same graph either way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg import build as build_module
from kg.build import BuildOptions, BuildReport, build
from kg.errors import AikgError


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, synthetic_corpus: Callable[..., Path]) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), words=2400, documents=3, seed=4)


def _summary(report: BuildReport) -> tuple[object, ...]:
    assert report.ok, report.failures
    return report.documents, report.entities_by_type, report.relations_by_predicate, report.triples


@pytest.fixture(scope="module")
def one_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[object, ...]:
    return _summary(build([corpus], tmp_path_factory.mktemp("one") / "out", BuildOptions(jobs=1)))


def test_small_input_is_extracted_without_a_pool(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_process: tuple[object, ...]
) -> None:
    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started for a few thousand words")

    monkeypatch.setattr(build_module, "ProcessPoolExecutor", no_pool)
    report = build([corpus], tmp_path / "out", BuildOptions(jobs=2))
    assert _summary(report) == one_process


def test_pool_gives_the_same_graph_as_one_process(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_process: tuple[object, ...]
) -> None:
    started: list[int] = []
    real_pool = build_module.ProcessPoolExecutor

    def counting_pool(*args: object, **kwargs: object) -> object:
        started.append(1)
        return real_pool(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "POOL_MIN_CHARS", 1)
    monkeypatch.setattr(build_module, "POOL_MIN_CHARS_WARM", 1)  # earlier tests left the model loaded here
    monkeypatch.setattr(build_module, "ProcessPoolExecutor", counting_pool)
    report = build([corpus], tmp_path / "out", BuildOptions(jobs=2))
    assert started == [1]
    assert _summary(report) == one_process


def test_a_model_the_pool_cannot_load_stops_the_build_with_the_reason(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "POOL_MIN_CHARS", 1)
    with pytest.raises(AikgError, match="'no_such_model_for_aikg' is not installed"):
        build([corpus], tmp_path / "out", BuildOptions(jobs=2, model="no_such_model_for_aikg"))
