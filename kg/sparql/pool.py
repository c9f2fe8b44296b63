"""Worker processes that run queries under a time limit and can be killed."""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import QueryError, QueryTimeout, ResultTooLarge, StoreError
from kg.query_limits import DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT
from kg.sparql.results import QueryResult, execute
from kg.sparql.vet import VettedQuery, vet

WORKER_START_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class StoreSource:
    """Where a worker finds the graph: a persisted store, else a Turtle file."""

    store_dir: Path | None = None
    turtle: Path | None = None

    def open(self) -> ox.Store:
        try:
            if self.store_dir is not None:
                return ox.Store.read_only(str(self.store_dir))
            if self.turtle is not None:
                store = ox.Store()
                store.bulk_load(path=str(self.turtle), format=ox.RdfFormat.TURTLE)
                return store
        except (OSError, SyntaxError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.store_dir or self.turtle}: cannot open the graph: {exc}") from None
        raise StoreError("a StoreSource needs store_dir or turtle")


class _Worker:
    """One child process holding the store open, answering queries over a socket."""

    def __init__(self, source: StoreSource) -> None:
        parent, child = socket.socketpair()
        args = [str(source.store_dir or ""), str(source.turtle or ""), str(child.fileno())]
        code = "import sys; from kg.sparql.pool import worker_main; worker_main(sys.argv[1:])"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            pass_fds=(child.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        child.close()
        self.conn = Connection(parent.detach())
        reply = self._receive(WORKER_START_TIMEOUT)
        if reply is None or reply[0] != "ready":
            self.kill()
            message = reply[2] if reply else "it did not start in time"
            raise StoreError(f"cannot start a query worker: {message}")

    def _receive(self, timeout: float) -> tuple[Any, ...] | None:
        ready, _, _ = select.select([self.conn.fileno()], [], [], max(timeout, 0.0))
        if not ready:
            return None
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return ("err", "QueryError", "the query worker died while running the query")

    def run(self, query: VettedQuery, timeout: float, max_results: int) -> QueryResult:
        self.conn.send((query.text, query.kind, max_results))
        reply = self._receive(timeout)
        if reply is None:
            self.kill()
            raise QueryTimeout(f"the query ran longer than the time limit of {timeout:g} s; make it more selective or add a LIMIT")
        if reply[0] == "ok":
            return QueryResult(*reply[1])
        errors = {"ResultTooLarge": ResultTooLarge, "StoreError": StoreError}
        raise errors.get(reply[1], QueryError)(reply[2])

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()


def worker_main(argv: list[str]) -> None:
    """Entry point of a worker process (see :class:`_Worker`)."""
    store_dir, turtle, fd = argv
    conn = Connection(int(fd))
    try:
        store = StoreSource(Path(store_dir) if store_dir else None, Path(turtle) if turtle else None).open()
    except StoreError as exc:
        conn.send(("err", "StoreError", str(exc)))
        return
    conn.send(("ready",))
    while True:
        try:
            text, kind, max_results = conn.recv()
        except (EOFError, OSError):
            return
        try:
            r = execute(store, VettedQuery(text, kind), max_results=max_results)
            conn.send(("ok", (r.kind, r.variables, r.payload, r.boolean, r.count)))
        except Exception as exc:  # report every failure to the parent, keep serving
            conn.send(("err", type(exc).__name__, str(exc)))


class QueryPool:
    """Up to ``size`` worker processes; a worker that overruns is killed and replaced."""

    def __init__(self, source: StoreSource, *, size: int = 2) -> None:
        self.source = source
        self.size = max(1, size)
        self._idle: list[_Worker] = []
        self._busy = 0
        self._cond = threading.Condition()
        self._closed = False
        self._warming = 0

    def run(self, query: VettedQuery, *, timeout: float = DEFAULT_TIMEOUT, max_results: int = DEFAULT_MAX_RESULTS) -> QueryResult:
        worker = self._acquire(timeout)
        ok = False
        try:
            result = worker.run(query, timeout, max_results)
            ok = True
            return result
        except (ResultTooLarge, QueryError) as exc:
            ok = worker.alive and not isinstance(exc, QueryTimeout)
            raise
        finally:
            self._release(worker, keep=ok and worker.alive)

    def warm(self) -> None:
        """Start one worker in the background if none is idle (overlaps process start with vetting)."""
        with self._cond:
            if self._closed or self._idle or self._warming or self._busy >= self.size:
                return
            self._busy += 1
            self._warming += 1

        def start() -> None:
            try:
                worker = _Worker(self.source)
            except Exception:  # the next query reports the failure when it starts its own worker
                with self._cond:
                    self._busy -= 1
                    self._warming -= 1
                    self._cond.notify_all()
                return
            with self._cond:
                self._warming -= 1
            self._release(worker, keep=True)

        threading.Thread(target=start, name="kg-sparql-warm", daemon=True).start()

    def _acquire(self, timeout: float) -> _Worker:
        with self._cond:
            if self._closed:
                raise QueryError("the query pool is closed")
            if not self._idle and (self._warming or self._busy >= self.size):
                ready = lambda: bool(self._idle) or (not self._warming and self._busy < self.size)  # noqa: E731
                if not self._cond.wait_for(ready, timeout):
                    raise QueryTimeout(f"all {self.size} query workers stayed busy for {timeout:g} s; retry later")
            self._busy += 1
            if self._idle:
                return self._idle.pop()
        try:
            return _Worker(self.source)
        except BaseException:
            with self._cond:
                self._busy -= 1
                self._cond.notify()
            raise

    def _release(self, worker: _Worker, *, keep: bool) -> None:
        with self._cond:
            self._busy -= 1
            if keep and not self._closed:
                self._idle.append(worker)
            elif worker.alive:
                worker.kill()
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def run_query(
    pool: QueryPool,
    query: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    max_length: int = DEFAULT_MAX_QUERY_LENGTH,
) -> QueryResult:
    """Vet ``query`` and run it on ``pool`` under the limits."""
    return pool.run(vet(query, max_length=max_length), timeout=timeout, max_results=max_results)
