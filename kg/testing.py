"""Helpers for tests and benchmarks.

``read_records`` reads a JSON file of hand-written build records (results,
entities, relations, build_info; tests/data/mini_records.json is one).
``serving`` starts ``kg serve BUILD`` on a free 127.0.0.1 port, waits until
``/stats`` answers, and stops the process (SIGINT, then SIGKILL) on exit.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from kg.types import DocResult, Entity, Relation

KG_COMMAND: tuple[str, ...] = (sys.executable, "-m", "kg")
Records = tuple[list[DocResult], list[Entity], list[Relation], dict[str, Any]]


def read_records(path: Path) -> Records:
    """The DocResults, Entities, Relations and build_info of a records file: what assembly takes."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return (
        [DocResult.from_dict(r) for r in raw["results"]],
        [Entity.from_dict(e) for e in raw["entities"]],
        [Relation.from_dict(r) for r in raw["relations"]],
        raw["build_info"],
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    build: Path,
    *,
    command: Sequence[str] = KG_COMMAND,
    env: Mapping[str, str] | None = None,
    stdout: int | IO[Any] = subprocess.DEVNULL,
    stderr: int | IO[Any] = subprocess.DEVNULL,
    start_timeout: float = 60.0,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``kg serve build`` on loopback; yields its base URL and process.

    Raises RuntimeError when the server exits or does not answer within
    ``start_timeout`` seconds.
    """
    import httpx

    port = free_port()
    cmd = [*command, "serve", str(build), "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=None if env is None else dict(env), stdout=stdout, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"kg serve exited with {proc.returncode} before answering on {url}")
            try:
                if httpx.get(url + "/stats", timeout=2.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"kg serve did not answer on {url} within {start_timeout:g} s")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
