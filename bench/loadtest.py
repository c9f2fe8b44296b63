"""Bounded load test of a real ``kg serve`` on loopback.

    .venv/bin/python bench/loadtest.py [--build OUT] [--requests 5000] [--concurrency 16]
                                       [--max-seconds 60] [--json]

Starts ``kg serve`` on 127.0.0.1 on a free port (over ``--build``, or over a
small build assembled from ``tests/data/api_graph.ttl``), discovers request
targets from the server itself (entity names and ids, relation filters,
questions, small SPARQL queries), keeps those that answer 200 during warm-up,
then sends ``--requests`` requests from ``--concurrency`` asyncio workers
(httpx) and stops when they are done or ``--max-seconds`` have passed.

Reports requests served, errors (transport errors and any status other than
the 200 seen in warm-up), p50/p99 latency and the resident memory of the
server (and of its SPARQL worker processes) before and after the run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from kg.testing import serving

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_GRAPH = ROOT / "tests" / "data" / "api_graph.ttl"
START_TIMEOUT = 60.0
QUESTIONS = ("what did {org} release", "where is {org} based", "who funded {org}")
SPARQL = (
    "SELECT ?s ?name WHERE {{ ?s a aikg:{etype} ; rdfs:label ?name }} ORDER BY ?name LIMIT 20",
    "SELECT (COUNT(*) AS ?n) WHERE {{ ?s a aikg:{etype} }}",
    "ASK {{ ?s a aikg:{etype} }}",
)


@dataclass(frozen=True, slots=True)
class LoadReport:
    requests: int
    served: int
    errors: int
    error_kinds: dict[str, int]
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    targets: int
    routes: dict[str, int]
    rss_before_mb: float
    rss_after_mb: float
    workers_rss_before_mb: float
    workers_rss_after_mb: float
    stopped_by_time: bool


@dataclass(slots=True)
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    routes: Counter[str] = field(default_factory=Counter)
    sent: int = 0


# --- the server -----------------------------------------------------------------


def sample_build(folder: Path) -> Path:
    """A build folder made from the hand-written test graph."""
    import rdflib

    from kg.store import save

    graph = rdflib.Graph()
    graph.parse(SAMPLE_GRAPH, format="turtle")
    save(graph, folder)
    manifest = {"build_id": "loadtest", "pipeline_version": "loadtest", "model_name": "none"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder



def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(c) for c in (task / "children").read_text().split())
    except OSError:
        pass
    return found


def workers_rss_mb(pid: int) -> float:
    return sum(rss_mb(c) for c in children(pid))


# --- the requests ---------------------------------------------------------------


def route_of(target: str) -> str:
    path = target.split("?", 1)[0]
    return "/entities/{id}" if path.startswith("/entities/") else path


def candidate_targets(client: httpx.Client) -> list[str]:
    """Lookup, relation, question and SPARQL targets named after what the server holds."""
    page = client.get("/entities", params={"limit": 50}).json()
    items = page.get("items", [])
    targets: list[str] = []
    for item in items:
        targets.append(f"/entities?q={quote(item['name'])}")
        targets.append(f"/entities?q={quote(item['name'][:-1] or item['name'])}&limit=5")
        targets.append(f"/entities/{quote(item['id'])}")
        if item["type"] == "Organization":
            targets.extend(f"/ask?q={quote(q.format(org=item['name']))}" for q in QUESTIONS)
            targets.append(f"/relations?subject={quote(item['name'])}&limit=10")
    for predicate in ("released", "outperforms", "funded", "worksFor", "basedIn", "authored"):
        targets.append(f"/relations?predicate={predicate}&limit=20")
    for etype in sorted({item["type"] for item in items}):
        targets.extend(f"/sparql?query={quote(q.format(etype=etype))}" for q in SPARQL)
    return targets


def usable_targets(client: httpx.Client, candidates: Sequence[str]) -> list[str]:
    """The candidates that answer 200 (a question with no answer may rightly be a 404)."""
    return [t for t in candidates if client.get(t).status_code == 200]


async def _worker(client: httpx.AsyncClient, targets: Sequence[str], tally: _Tally, total: int, deadline: float) -> None:
    while tally.sent < total and time.monotonic() < deadline:
        target = targets[tally.sent % len(targets)]
        tally.sent += 1
        tally.routes[route_of(target)] += 1
        started = time.perf_counter()
        try:
            response = await client.get(target)
            await response.aread()
        except httpx.HTTPError as exc:
            tally.errors[type(exc).__name__] += 1
            continue
        tally.latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            tally.errors[f"HTTP {response.status_code} on {route_of(target)}"] += 1


async def _hammer(url: str, targets: Sequence[str], total: int, concurrency: int, max_seconds: float) -> _Tally:
    tally = _Tally()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    deadline = time.monotonic() + max_seconds
    async with httpx.AsyncClient(base_url=url, timeout=30.0, limits=limits) as client:
        await asyncio.gather(*(_worker(client, targets, tally, total, deadline) for _ in range(concurrency)))
    return tally


def percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def run(build: Path, *, requests: int, concurrency: int, max_seconds: float) -> LoadReport:
    with serving(build, start_timeout=START_TIMEOUT) as (url, proc):
        with httpx.Client(base_url=url, timeout=30.0) as client:
            targets = usable_targets(client, candidate_targets(client))
            if not targets:
                raise SystemExit(f"no request target answered 200 on {url}; is the build empty?")
            for target in targets:  # warm-up: every route and code path loaded before measuring
                client.get(target)
        rss_before, workers_before = rss_mb(proc.pid), workers_rss_mb(proc.pid)
        started = time.monotonic()
        tally = asyncio.run(_hammer(url, targets, requests, concurrency, max_seconds))
        seconds = time.monotonic() - started
        rss_after, workers_after = rss_mb(proc.pid), workers_rss_mb(proc.pid)
        if proc.poll() is not None:
            tally.errors[f"server exited with {proc.returncode}"] += 1
    served = len(tally.latencies) - sum(n for k, n in tally.errors.items() if k.startswith("HTTP "))
    return LoadReport(
        requests=tally.sent,
        served=served,
        errors=sum(tally.errors.values()),
        error_kinds=dict(tally.errors),
        seconds=round(seconds, 2),
        p50_ms=round(percentile(tally.latencies, 0.50) * 1000, 2),
        p99_ms=round(percentile(tally.latencies, 0.99) * 1000, 2),
        max_ms=round(max(tally.latencies, default=0.0) * 1000, 2),
        targets=len(targets),
        routes=dict(sorted(tally.routes.items())),
        rss_before_mb=round(rss_before, 1),
        rss_after_mb=round(rss_after, 1),
        workers_rss_before_mb=round(workers_before, 1),
        workers_rss_after_mb=round(workers_after, 1),
        stopped_by_time=tally.sent < requests,
    )


def describe(report: LoadReport) -> str:
    routes = ", ".join(f"{route} {n}" for route, n in report.routes.items())
    lines = [
        f"requests sent    {report.requests} in {report.seconds:.1f} s ({report.requests / max(report.seconds, 1e-9):.0f}/s)"
        + ("  [stopped by --max-seconds]" if report.stopped_by_time else ""),
        f"requests served  {report.served}",
        f"errors           {report.errors}" + (f"  {report.error_kinds}" if report.errors else ""),
        f"latency          p50 {report.p50_ms:.1f} ms, p99 {report.p99_ms:.1f} ms, max {report.max_ms:.1f} ms",
        f"server RSS       {report.rss_before_mb:.1f} MB before, {report.rss_after_mb:.1f} MB after",
        f"SPARQL workers   {report.workers_rss_before_mb:.1f} MB before, {report.workers_rss_after_mb:.1f} MB after",
        f"routes           {routes} ({report.targets} distinct targets)",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, help="a build folder (kg build --out); default: the small test graph")
    parser.add_argument("--requests", type=int, default=5000, help="total requests (default 5000)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop sending after this long (default 60)")
    parser.add_argument("--json", action="store_true", help="print the report as one JSON object")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.max_seconds <= 0:
        parser.error("--requests and --concurrency must be at least 1 and --max-seconds positive")
    with tempfile.TemporaryDirectory(prefix="aikg-load-") as tmp:
        build = args.build or sample_build(Path(tmp) / "build")
        try:
            report = run(build, requests=args.requests, concurrency=args.concurrency, max_seconds=args.max_seconds)
        except RuntimeError as exc:  # the server did not start
            raise SystemExit(str(exc)) from None
    print(json.dumps(asdict(report)) if args.json else describe(report))
    return 1 if report.errors else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
