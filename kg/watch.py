"""``kg build --watch``: a resident builder that rebuilds when an input changes.

A one-shot ``kg build`` pays for starting Python, importing spaCy and
loading the model before it can re-extract even one edited document. The
watcher pays that once: it builds, then waits for file-system events on the
inputs (watchfiles, inotify on Linux) and rebuilds with the model still
loaded and the previous results still decoded in memory. Each rebuild is an
ordinary build: same cache, same lock, same atomic publish of ``current``,
so what it writes is exactly what ``kg build`` would write.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.build import BuildOptions, BuildReport, BuildSession, build, preload_model
from kg.errors import AikgError
from kg.ingest import SKIP_NAMES, SUFFIX_FORMATS

#: after the first event, wait until the inputs have been quiet this long (ms) ...
STEP_MS = 50
#: ... but never longer than this before rebuilding (an editor saving many files)
DEBOUNCE_MS = 1600
#: how often the watcher thread checks whether it should stop
POLL_MS = 100


@dataclass(frozen=True, slots=True)
class InputFilter:
    """Which changed paths can alter a build of ``inputs`` written into ``out``.

    Named files always count. Under a named folder, a path counts when a
    folder walk could read it (a supported suffix, not hidden, not a README
    and the like) or when it has no suffix at all (a folder created, renamed
    or removed). Nothing inside the output folder counts, so ``--out`` may
    lie inside an input folder without the watcher rebuilding on its own
    writes.
    """

    files: frozenset[Path]
    folders: tuple[Path, ...]
    out: Path

    @classmethod
    def of(cls, inputs: Iterable[str | Path], out: str | Path) -> InputFilter:
        paths = [Path(p).absolute() for p in inputs]
        return cls(frozenset(p for p in paths if not p.is_dir()), tuple(p for p in paths if p.is_dir()),
                   Path(out).absolute())

    def __call__(self, path: str | Path) -> bool:
        p = Path(path).absolute()
        if p == self.out or self.out in p.parents:
            return False
        if p in self.files:
            return True
        for folder in self.folders:
            if folder == p:
                return True
            if folder in p.parents:
                rel = p.relative_to(folder).parts
                if any(part.startswith(".") for part in rel) or SKIP_NAMES.match(p.name):
                    return False
                return not p.suffix or p.suffix.lower() in SUFFIX_FORMATS
        return False

    def roots(self) -> list[Path]:
        """What to watch: the named folders, and the folder of each named file (files are often replaced on save)."""
        return sorted({*self.folders, *(f.parent for f in self.files)})


def watch_build(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    options: BuildOptions,
    *,
    on_report: Callable[[BuildReport, set[Path]], None],
    on_error: Callable[[AikgError], None],
    stop: threading.Event | None = None,
    ready: Callable[[], None] | None = None,
) -> int:
    """Build, then rebuild after every batch of relevant changes until ``stop`` is set or Ctrl-C.

    ``on_report(report, changed)`` gets each finished build (``changed`` is
    empty for the first); ``on_error`` gets a build that failed as a whole
    (the watcher keeps going: the previous build stays current); ``ready`` is
    called once the first build is done and the inputs are being watched.
    Returns the number of builds run.
    """
    keep = InputFilter.of(inputs, out_dir)
    missing = [r for r in keep.roots() if not r.is_dir()]
    if missing:
        raise AikgError(f"{missing[0]}: cannot watch a folder that does not exist")
    stop = stop or threading.Event()
    batches: queue.Queue[set[Path] | BaseException] = queue.Queue()
    watching = threading.Event()
    # The watcher runs from before the first build, so an edit made while a
    # build reads the inputs is never missed: it queues the next rebuild.
    thread = threading.Thread(target=_watch_thread, args=(keep, stop, watching, batches), name="aikg-watch", daemon=True)
    thread.start()
    watching.wait()
    session = BuildSession()
    builds = 0

    def run(changed: set[Path]) -> None:
        nonlocal builds
        try:
            report = build(inputs, out_dir, options, session=session)
        except AikgError as exc:
            on_error(exc)
            return
        builds += 1
        on_report(report, changed)

    try:
        run(set())
        # A first build served from the cache, or by a process pool, has not loaded
        # the model here; load it now, while nothing is waiting, not at the first edit.
        try:
            preload_model(options.model)
        except AikgError as exc:
            on_error(exc)
        if ready is not None:
            ready()
        while not stop.is_set():
            try:
                batch = batches.get(timeout=0.5)
            except queue.Empty:
                continue
            if isinstance(batch, BaseException):
                raise AikgError(f"watching the inputs failed: {type(batch).__name__}: {batch}") from batch
            while not batches.empty():  # changes that came in during the last build: one rebuild for all
                more = batches.get_nowait()
                if not isinstance(more, set):  # the watcher failed: rebuild what it saw, then report it
                    batches.put(more)
                    break
                batch |= more
            run(batch)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        thread.join(timeout=5)
    return builds


def _watch_thread(keep: InputFilter, stop: threading.Event, watching: threading.Event,
                  batches: queue.Queue[set[Path] | BaseException]) -> None:
    import watchfiles

    try:
        for changes in watchfiles.watch(*keep.roots(), watch_filter=lambda _change, path: keep(path),
                                        step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=stop,
                                        rust_timeout=POLL_MS, yield_on_timeout=True, raise_interrupt=False):
            watching.set()  # the first (empty) yield: the watcher is installed
            if changes:
                batches.put({Path(path) for _change, path in changes})
    except BaseException as exc:  # noqa: BLE001 - handed to the builder thread, which reports it
        batches.put(exc)
    finally:
        watching.set()
