"""kg build --watch: the input filter, the resident rebuild loop, and the command."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.build import BuildOptions, BuildReport, BuildSession, build
from kg.errors import AikgError
from kg.watch import InputFilter, watch_build

NEW_SENTENCE = "Anthropic has released Claude 9 Opus.\n\n"


def _corpus(tmp_path: Path, examples_dir: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(examples_dir, corpus, ignore=shutil.ignore_patterns("README.md"))
    return corpus


def _edit(corpus: Path) -> None:
    md = corpus / "frontier-notes.md"
    text = md.read_text()
    assert "## Tech Tales" in text  # the sentence goes before the fiction, which is not extracted
    md.write_text(text.replace("## Tech Tales", NEW_SENTENCE + "## Tech Tales", 1))


# -- which paths count --------------------------------------------------------


def test_filter_keeps_readable_inputs_and_drops_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    named = tmp_path / "extra.dat"
    named.write_text("x")
    keep = InputFilter.of([folder, named], folder / "out")
    assert keep(folder / "issue-1.txt")
    assert keep(folder / "sub" / "issue-2.HTML")
    assert keep(folder / "feed.xml")
    assert keep(folder / "new-folder")  # no suffix: a folder made, renamed or removed
    assert keep(named)  # a file named on the command line counts whatever its suffix
    assert not keep(folder / "notes.json")
    assert not keep(folder / ".issue-1.txt.swp")
    assert not keep(folder / ".git" / "index.txt")
    assert not keep(folder / "README.md")
    assert not keep(folder / "out" / "graph.jsonl.txt")  # the build's own writes
    assert not keep(folder / "out")
    assert not keep(tmp_path / "elsewhere.txt")
    assert keep.roots() == sorted({folder, tmp_path})


# -- the session ------------------------------------------------------------


def test_a_session_serves_unchanged_documents_without_the_cache_folder(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _corpus(tmp_path, examples_dir)
    out = tmp_path / "out"
    session = BuildSession()
    first = build([corpus], out, BuildOptions(jobs=1), session=session)
    assert first.ok and len(session.results) == first.documents
    for entry in (out / "cache").iterdir():
        entry.unlink()
    _edit(corpus)
    again = build([corpus], out, BuildOptions(jobs=1), session=session)
    assert again.cache_hits == first.documents - 1
    plain = tmp_path / "plain"
    build([corpus], plain, BuildOptions(jobs=1, use_cache=False))
    assert (out / "graph.jsonl").read_bytes() == (plain / "graph.jsonl").read_bytes()


# -- the loop ----------------------------------------------------------------


class _Watcher:
    """watch_build on a thread, its reports on a queue."""

    def __init__(self, corpus: Path, out: Path, *, after_first: object = None) -> None:
        self.reports: queue.Queue[tuple[BuildReport, set[Path]]] = queue.Queue()
        self.errors: list[AikgError] = []
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.result: list[int] = []
        self._after_first = after_first

        def on_report(report: BuildReport, changed: set[Path]) -> None:
            if not changed and callable(self._after_first):
                self._after_first()
            self.reports.put((report, changed))

        def target() -> None:
            self.result.append(watch_build([corpus], out, BuildOptions(jobs=1), on_report=on_report,
                                           on_error=self.errors.append, stop=self.stop, ready=self.ready.set))

        self.thread = threading.Thread(target=target, daemon=True)
        self.thread.start()

    def next_report(self, timeout: float = 90) -> tuple[BuildReport, set[Path]]:
        return self.reports.get(timeout=timeout)

    def close(self) -> int:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()
        return self.result[0]


def test_watch_rebuilds_after_an_edit_and_ignores_its_own_output(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _corpus(tmp_path, examples_dir)
    out = corpus / "out"  # inside the watched folder: its writes must not trigger builds
    w = _Watcher(corpus, out)
    try:
        first, changed = w.next_report()
        assert first.ok and not changed and first.cache_hits == 0
        assert w.ready.wait(60)
        _edit(corpus)
        second, changed = w.next_report()
        assert corpus / "frontier-notes.md" in changed
        assert not second.up_to_date and second.cache_hits == first.documents - 1
        assert b"Claude 9 Opus" in (out / "graph.jsonl").read_bytes()
        with pytest.raises(queue.Empty):  # nothing else changed: no further build
            w.next_report(timeout=1.5)
    finally:
        builds = w.close()
    assert builds == 2 and not w.errors
    plain = tmp_path / "plain"
    build([corpus], plain, BuildOptions(jobs=1, use_cache=False))
    assert (out / "graph.jsonl").read_bytes() == (plain / "graph.jsonl").read_bytes()


def test_an_edit_made_during_the_first_build_is_not_missed(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _corpus(tmp_path, examples_dir)
    w = _Watcher(corpus, tmp_path / "out", after_first=lambda: _edit(corpus))
    try:
        w.next_report()
        second, changed = w.next_report()
        assert corpus / "frontier-notes.md" in changed and second.cache_hits == second.documents - 1
    finally:
        w.close()


def test_a_watcher_failure_that_arrives_with_changes_is_reported(
    tmp_path: Path, examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Changes and then the watcher's failure, both queued during a build: the changes are rebuilt, then the
    failure ends the watch (it used to be dropped with the batch merge, leaving a watch that saw nothing more)."""
    import kg.watch

    corpus = _corpus(tmp_path, examples_dir)

    def failing_watcher(keep: InputFilter, stop: threading.Event, watching: threading.Event,
                        batches: queue.Queue[set[Path] | BaseException]) -> None:
        batches.put({corpus / "frontier-notes.md"})
        batches.put(OSError("inotify watch limit reached"))
        watching.set()

    monkeypatch.setattr(kg.watch, "_watch_thread", failing_watcher)
    stop = threading.Event()
    timer = threading.Timer(60, stop.set)  # without the fix the watch would idle until stopped
    timer.start()
    reports: list[BuildReport] = []
    try:
        with pytest.raises(AikgError, match="watching the inputs failed: OSError: inotify watch limit reached"):
            watch_build([corpus], tmp_path / "out", BuildOptions(jobs=1), on_report=lambda r, c: reports.append(r),
                        on_error=lambda exc: None, stop=stop)
    finally:
        timer.cancel()
    assert len(reports) == 2  # the first build, and the rebuild of the queued change


def test_watch_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(AikgError, match="does not exist"):
        watch_build([tmp_path / "gone" / "issue.txt"], tmp_path / "out", BuildOptions(jobs=1),
                    on_report=lambda r, c: None, on_error=lambda e: None)


def test_kg_build_watch_stops_cleanly_on_ctrl_c(tmp_path: Path, examples_dir: Path) -> None:
    corpus = _corpus(tmp_path, examples_dir)
    kg = Path(sys.executable).with_name("kg")
    proc = subprocess.Popen([str(kg), "build", str(corpus), "--out", str(tmp_path / "out"), "--jobs", "1", "--watch"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (tmp_path / "out" / "current").exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.5)
        os.kill(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, stderr
    assert "build summary" in stdout
    assert "stopped watching" in stderr
