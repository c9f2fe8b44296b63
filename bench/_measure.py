"""Measuring helpers for bench/run.py: wall time and peak RSS of a process tree.

Peak memory is the largest *sum* of proportional set sizes (resident
memory, with pages shared between processes counted once) over the process
and all its descendants (worker pools, forkservers), sampled from /proc
when asked for (``run(..., memory=True)``); the kernel's own high-water marks
(``getrusage(RUSAGE_CHILDREN)``) only give the largest single process, so
both are reported.

Sampling is not free: reading ``smaps_rollup`` walks the page tables of the
process under its memory lock, and on a 2-core machine sampling a
three-process build every 50 ms made it ~25% slower (41 s instead of 32 s
for the same ``kg build --jobs 2``). So memory is sampled only by the rows
that report it, and the cheap CPU/contention sample runs a few times a second.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class Run:
    """One finished command."""

    argv: tuple[str, ...]
    seconds: float
    peak_tree_rss: int  # bytes, sampled sum of PSS over the tree
    peak_single_rss: int  # bytes, the largest one process reached (kernel high-water mark)
    returncode: int
    stdout: str
    stderr: str
    #: user + system time of the tree: the larger of what the kernel reports for reaped
    #: descendants and the sum of /proc samples (a forkserver's workers are not our reaped children)
    cpu_seconds: float = 0.0
    #: other processes of the machine running at the same time, on average over the samples
    others_running: float = 0.0

    def check(self) -> Run:
        if self.returncode != 0:
            tail = "\n".join(self.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{' '.join(self.argv)} exited with {self.returncode}:\n{tail}")
        return self


def _proc_table() -> dict[int, tuple[int, int, bool]]:
    """pid -> (parent pid, user + system clock ticks so far, running now) of every process."""
    table: dict[int, tuple[int, int, bool]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: fields start after the last ')'
        fields = stat[stat.rfind(b")") + 2 :].split()
        table[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), fields[0] == b"R")
    return table


def _memory_of(pid: int) -> int:
    """Proportional set size of one process (shared pages split between sharers), else its RSS."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_sample(root: int, *, memory: bool = True) -> tuple[int, dict[int, int], int]:
    """Of ``root`` and its descendants now: bytes resident (PSS; 0 unless ``memory``) and cpu ticks of each so
    far; and how many *other* processes are running (contention from the rest of the machine)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total = 0
    ticks: dict[int, int] = {}
    stack = [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            ticks[pid] = table[pid][1]
            if memory:
                total += _memory_of(pid)
        stack.extend(children.get(pid, ()))
    me = os.getpid()
    others = sum(1 for pid, (_, _, running) in table.items() if running and pid not in ticks and pid != me)
    return total, ticks, others


def run(argv: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
        timeout: float | None = None, memory: bool = False) -> Run:
    """Run ``argv`` to completion, timing it, and sampling its tree's memory when ``memory`` (see above)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    ticks: dict[int, int] = {}
    busy: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            resident, now, others = tree_sample(proc.pid, memory=memory)
            busy.append(others)
            peak = max(peak, resident)
            for pid, n in now.items():
                ticks[pid] = max(n, ticks.get(pid, 0))
            stop.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        err += f"\n(killed after {timeout} s)"
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    after, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime - cpu_before
    # ru_maxrss is in KiB and is a max over all children ever waited for
    single = after * 1024 if after > before else 0
    sampled = sum(ticks.values()) / os.sysconf("SC_CLK_TCK")
    contention = sum(busy) / len(busy) if busy else 0.0
    return Run(tuple(argv), seconds, peak, single, proc.returncode, out, err, max(cpu, sampled), contention)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(max(1, repeat)))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile by the nearest-rank method (q=0.99 is the 99th percentile)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(round(q * len(ordered), 9))))
    return ordered[rank - 1]


def load_average() -> float:
    return os.getloadavg()[0]


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"
