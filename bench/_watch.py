"""Timing rebuilds of a running `kg build --watch`: from an edit on disk to the new build published."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

#: give up on one step after this long
TIMEOUT_S = 300.0
#: after each rebuild, let late events of the same save (a truncate, then the write) run their no-op rebuild
SETTLE_S = 1.0


class Watcher:
    """A `kg build --watch` process; its stderr is collected on a thread."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.watching = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("watching "):
                self.watching.set()
        self.watching.set()  # the process ended: stop waiting

    def wait_ready(self) -> None:
        if not self.watching.wait(TIMEOUT_S) or self.proc.poll() is not None:
            self.stop()
            raise RuntimeError("kg build --watch did not start watching:\n" + "\n".join(self.lines[-15:]))

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        return self.proc.returncode


def _published(out: Path) -> str:
    return os.readlink(out / "current")


def time_rebuilds(argv: Sequence[str], out: Path, edits: Sequence[Callable[[], object]]) -> tuple[list[float], list[str]]:
    """Start ``argv`` (a `kg build ... --watch`), wait until it watches, then for each edit: make it and
    time how long until ``out/current`` points to a new build. Returns the times and the watcher's output."""
    watcher = Watcher(argv)
    times: list[float] = []
    try:
        watcher.wait_ready()
        for edit in edits:
            before = _published(out)
            started = time.perf_counter()
            edit()
            while _published(out) == before:
                if watcher.proc.poll() is not None or time.perf_counter() - started > TIMEOUT_S:
                    raise RuntimeError("no new build was published after an edit:\n" + "\n".join(watcher.lines[-15:]))
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            time.sleep(SETTLE_S)
    finally:
        code = watcher.stop()
    if code != 0:
        raise RuntimeError(f"kg build --watch exited with {code} on Ctrl-C:\n" + "\n".join(watcher.lines[-15:]))
    return times, watcher.lines
