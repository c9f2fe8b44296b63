"""kg.build's warm worker: a forked process that loads the model while a build with jobs > 1 reads its input."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg import build as build_module
from kg.build import BuildOptions, BuildReport, build
from kg.errors import AikgError
from kg.types import Document

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the warm worker is forked, on Linux only")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, synthetic_corpus: Callable[..., Path]) -> Path:
    return synthetic_corpus(tmp_path_factory.mktemp("corpus"), words=2400, documents=3, seed=9)


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """graph.jsonl of a one-process build, with no warm worker."""
    out = tmp_path_factory.mktemp("one") / "out"
    report = build([corpus], out, BuildOptions(jobs=1))
    assert report.ok, report.failures
    return (out / "graph.jsonl").read_bytes()


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[build_module._WarmWorker]]:
    """Every build gets a warm worker as if it ran in a fresh `kg build` (no model loaded here, one thread);
    the workers started are listed."""
    started: list[build_module._WarmWorker] = []
    real_init = build_module._WarmWorker.__init__

    def init(self: build_module._WarmWorker, model: str) -> None:
        real_init(self, model)
        started.append(self)

    monkeypatch.setattr(build_module, "_WORKER_NLP", None)
    monkeypatch.setattr(build_module, "_WORKER_MODEL", None)
    monkeypatch.setattr(build_module._WarmWorker, "wanted", staticmethod(lambda options: options.jobs > 1))
    monkeypatch.setattr(build_module._WarmWorker, "__init__", init)
    yield started
    if build_module._PRESTARTED is not None:  # left by a failed test
        build_module._PRESTARTED.close()
        build_module._PRESTARTED = None


def _ok(report: BuildReport) -> BuildReport:
    assert report.ok, report.failures
    return report


def test_a_small_build_extracts_in_the_warm_worker(
    corpus: Path, tmp_path: Path, in_process: bytes, workers: list[build_module._WarmWorker]
) -> None:
    out = tmp_path / "out"
    report = _ok(build([corpus], out, BuildOptions(jobs=2)))
    assert report.documents == 3 and report.cache_hits == 0
    assert len(workers) == 1
    # the model was loaded in the worker only, and the graph is the one-process graph
    assert not build_module._model_loaded(BuildOptions().model)
    assert (out / "graph.jsonl").read_bytes() == in_process
    assert workers[0]._process.exitcode is not None
    assert multiprocessing.active_children() == []


def test_a_build_with_nothing_to_extract_kills_the_worker(
    corpus: Path, tmp_path: Path, workers: list[build_module._WarmWorker]
) -> None:
    out = tmp_path / "out"
    _ok(build([corpus], out, BuildOptions(jobs=2)))
    again = _ok(build([corpus], out, BuildOptions(jobs=2)))
    assert again.up_to_date and again.cache_hits == 3
    assert len(workers) == 2
    # closed as soon as extraction was over: killed while loading, or ended by the closed pipe
    assert workers[1]._process.exitcode in (0, -9)
    assert multiprocessing.active_children() == []


def test_a_worker_that_dies_fails_only_its_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: list[build_module._WarmWorker]
) -> None:
    victim = sorted(p.stem for p in corpus.iterdir())[1]
    real_extract = build_module._extract_safely
    parent = os.getpid()

    def crash_in_the_worker(doc: Document) -> object:
        if doc.id == victim and os.getpid() != parent:
            os._exit(3)  # what an out-of-memory kill or a crash in native code looks like from outside
        return real_extract(doc)

    monkeypatch.setattr(build_module, "_extract_safely", crash_in_the_worker)
    report = build([corpus], tmp_path / "out", BuildOptions(jobs=2))
    assert [f.reason for f in report.failures] == [f"worker process died while extracting {victim!r}"]
    # the document after it was extracted here, in the build process
    assert report.documents == 2
    assert build_module._model_loaded(BuildOptions().model)
    assert multiprocessing.active_children() == []


def test_a_model_that_cannot_load_is_reported_as_in_one_process(
    corpus: Path, tmp_path: Path, workers: list[build_module._WarmWorker]
) -> None:
    with pytest.raises(AikgError, match="'no_such_model_for_aikg' is not installed"):
        build([corpus], tmp_path / "out", BuildOptions(jobs=2, model="no_such_model_for_aikg"))
    assert len(workers) == 1
    assert multiprocessing.active_children() == []


def test_a_warm_worker_is_wanted_only_where_it_is_safe_and_useful(monkeypatch: pytest.MonkeyPatch) -> None:
    wanted = build_module._WarmWorker.wanted
    monkeypatch.setattr(build_module, "_WORKER_NLP", None)
    monkeypatch.setattr(build_module, "_WORKER_MODEL", None)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert wanted(BuildOptions(jobs=2))
    assert not wanted(BuildOptions(jobs=1))  # one process was asked for
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not wanted(BuildOptions(jobs=2))  # fork is not safe there
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not wanted(BuildOptions(jobs=2))  # forking a threaded process (a --watch builder) is not safe
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(build_module, "_WORKER_NLP", object())
    monkeypatch.setattr(build_module, "_WORKER_MODEL", BuildOptions().model)
    assert not wanted(BuildOptions(jobs=2))  # the model is loaded here already
    assert wanted(BuildOptions(jobs=2, model="another_model"))


def test_a_prestarted_worker_is_given_the_model_by_the_next_build(
    corpus: Path, tmp_path: Path, in_process: bytes, workers: list[build_module._WarmWorker],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module._WarmWorker, "safe", staticmethod(lambda: True))
    build_module.prestart_worker()
    build_module.prestart_worker()  # once is enough
    assert len(workers) == 1 and workers[0]._model is None
    out = tmp_path / "out"
    _ok(build([corpus], out, BuildOptions(jobs=2)))
    assert len(workers) == 1  # the build used the prestarted worker
    assert workers[0]._model == BuildOptions().model
    assert (out / "graph.jsonl").read_bytes() == in_process
    assert not build_module._model_loaded(BuildOptions().model)
    assert build_module._PRESTARTED is None and multiprocessing.active_children() == []


def test_a_prestarted_worker_is_killed_by_a_build_that_cannot_use_it(
    corpus: Path, tmp_path: Path, workers: list[build_module._WarmWorker], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module._WarmWorker, "safe", staticmethod(lambda: True))
    build_module.prestart_worker()
    _ok(build([corpus], tmp_path / "out", BuildOptions(jobs=1)))
    assert len(workers) == 1 and workers[0]._process.exitcode is not None
    assert build_module._PRESTARTED is None and multiprocessing.active_children() == []


def test_the_kg_command_prestarts_a_worker_for_build_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.cli

    calls: list[str] = []
    monkeypatch.setattr(build_module, "prestart_worker", lambda: calls.append("prestart"))
    monkeypatch.setattr(kg.cli, "app", lambda: calls.append("app"))
    for argv, expected in ((["kg", "build", "x"], ["prestart", "app"]), (["kg", "query", "out"], ["app"]),
                           (["kg"], ["app"]), (["kg", "--help"], ["app"])):
        calls.clear()
        monkeypatch.setattr(sys, "argv", argv)
        kg.cli.main()
        assert calls == expected, argv
