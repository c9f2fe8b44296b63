"""The build rows of the issue-7 table: whole `kg build` processes, timed from outside."""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import _measure as measure
import _watch as watch
import gen_corpus
from _report import Row, failed

QUERIES = Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True, slots=True)
class Context:
    """Where the benchmark works and which programs it runs."""

    work: Path
    model: str
    jobs: int  # the "all cores" process count
    #: runs per timed build or baseline; the fastest counts (the machine's noise only ever adds time)
    repeat: int = 1

    @property
    def kg(self) -> str:
        return str(Path(sys.executable).with_name("kg"))

    @property
    def python(self) -> str:
        return sys.executable


def kg_build(ctx: Context, corpus: Path, out: Path, *, jobs: int, fresh: bool, memory: bool = False) -> measure.Run:
    """``kg build`` as its own process; ``fresh`` removes ``out`` first (a cold build, no cache);
    ``memory`` samples the process tree's memory (which slows the build a little)."""
    if fresh and out.exists():
        shutil.rmtree(out)
    argv = [ctx.kg, "build", str(corpus), "--out", str(out), "--jobs", str(jobs), "--model", ctx.model, "--quiet"]
    return measure.run(argv, memory=memory).check()


def best(runs: list[measure.Run]) -> measure.Run:
    """The fastest of ``runs``: what the machine can do (other work on it only ever adds time)."""
    return min(runs, key=lambda r: r.seconds)


def spread(runs: list[measure.Run]) -> str:
    return "" if len(runs) < 2 else f" (best of {len(runs)}: {', '.join(f'{r.seconds:.2f}' for r in runs)}s)"


def contention(*runs: measure.Run) -> str:
    """A warning when other processes of the machine competed for the cores during ``runs``."""
    busiest = max(r.others_running for r in runs)
    if busiest < 0.3:
        return ""
    return f"other processes were running beside it ({busiest:.1f} on average): slower than this machine can do"


def cache_note(run: measure.Run, documents: int) -> str:
    """How many documents a rebuild took from the cache (from `kg build`'s summary)."""
    found = re.search(r"\((\d+) from cache\)", run.stdout)
    hits = int(found.group(1)) if found else -1
    if hits == documents or "up to date" in run.stdout:
        return "up to date" if "up to date" in run.stdout else f"{hits} of {documents} from the cache"
    return (f"only {max(hits, 0)} of {documents} documents came from the cache: the pipeline version changed "
            "(source files were edited during the run), so this is not a rebuild measurement")


def stage_times(out: Path) -> str:
    """The build's own stage timings, from its manifest."""
    try:
        timings = json.loads((out / "manifest.json").read_text(encoding="utf-8")).get("timings", {})
    except (OSError, ValueError):
        return ""
    return ", ".join(f"{k} {v:.1f}s" for k, v in timings.items())


def section_texts(corpus: Path) -> list[str]:
    """The texts a build parses: every non-fiction section of every document (as kg.extract does)."""
    from kg.ingest import load_documents
    from kg.types import Document

    texts = []
    for doc in load_documents([corpus]):
        if not isinstance(doc, Document):
            continue
        if doc.sections:
            texts.extend(doc.text[s.start : s.end] for s in doc.sections if not s.fiction)
        else:
            texts.append(doc.text)
    return texts


def baseline(ctx: Context, corpus: Path, *, jobs: int, fresh: bool = False) -> measure.Run:
    """The bare pipeline over ``corpus`` (a folder or one file) in its own process; ``fresh`` re-reads the texts."""
    texts = ctx.work / f"{corpus.name}-texts.json"
    if fresh or not texts.exists():
        texts.write_text(json.dumps(section_texts(corpus)), encoding="utf-8")
    script = Path(__file__).resolve().parent / "_baseline.py"
    return measure.run([ctx.python, str(script), str(texts), "--model", ctx.model, "--jobs", str(jobs)]).check()


def rows_vs_baseline(ctx: Context, corpus: Path, label: str) -> tuple[list[Row], Path | None]:
    """Cold build ÷ bare nlp.pipe, at one process and at ``ctx.jobs``; returns the last build's folder."""
    rows = []
    last_out = None
    for jobs in sorted({1, ctx.jobs}):
        what = f"cold build ÷ bare nlp.pipe, {label}, {jobs} process{'es' if jobs > 1 else ''}"
        target = "≤ 1.3"
        try:
            out = ctx.work / f"{corpus.name}-j{jobs}"
            builds, floors = [], []
            for _ in range(ctx.repeat):  # alternated, so a slow spell of the machine hits both alike
                builds.append(kg_build(ctx, corpus, out, jobs=jobs, fresh=True))
                floors.append(baseline(ctx, corpus, jobs=jobs))
            built, floor = best(builds), best(floors)
            ratio = built.seconds / floor.seconds
            note = (f"build {built.seconds:.1f}s wall, {built.cpu_seconds:.1f}s cpu{spread(builds)} ({stage_times(out)}); "
                    f"nlp.pipe {floor.seconds:.1f}s wall, {floor.cpu_seconds:.1f}s cpu{spread(floors)}. "
                    f"{contention(built, floor)}")
            rows.append(Row(what, f"{ratio:.2f}", target, ratio <= 1.3, note.strip()))
            last_out = out
        except Exception as exc:  # noqa: BLE001 - one failed row must not hide the others
            rows.append(failed(what, target, exc))
    return rows, last_out


def rows_incremental(ctx: Context, words: int) -> list[Row]:
    """Speed-up of --jobs N over --jobs 1, then no-op and one-changed rebuilds, on a 100-document corpus."""
    spec = gen_corpus.CorpusSpec(words=words, documents=100, seed=11)
    corpus = ctx.work / f"corpus-100docs-{words}w"
    if corpus.exists():
        shutil.rmtree(corpus)
    stats = gen_corpus.write_corpus(spec, corpus)
    label = f"100 documents, {stats.words:,} words"
    rows: list[Row] = []
    out = ctx.work / "incremental-out"
    ones: list[measure.Run] = []
    colds: list[measure.Run] = []
    noops: list[measure.Run] = []
    changes: list[measure.Run] = []
    rebuild_error: dict[str, Exception] = {}
    edited = corpus
    # Each round times all four back to back (one process, N processes, nothing changed, one document
    # changed), so a slow spell of the machine lands on both sides of a ratio alike.
    for variant in range(1, ctx.repeat + 1):
        try:
            ones.append(kg_build(ctx, corpus, ctx.work / "incremental-j1", jobs=1, fresh=True))
            colds.append(kg_build(ctx, corpus, out, jobs=ctx.jobs, fresh=True))
        except Exception as exc:  # noqa: BLE001
            return [failed(f"--jobs {ctx.jobs} vs --jobs 1 speed-up, {label}", "≥ 1.6×", exc)]
        try:
            noops.append(kg_build(ctx, corpus, out, jobs=ctx.jobs, fresh=False))
        except Exception as exc:  # noqa: BLE001
            rebuild_error["noop"] = exc
        try:
            edited = gen_corpus.rewrite_document(spec, corpus, 37, variant=variant)  # a new version each round
            changes.append(kg_build(ctx, corpus, out, jobs=ctx.jobs, fresh=False))
        except Exception as exc:  # noqa: BLE001
            rebuild_error["changed"] = exc
    one, cold = best(ones), best(colds)
    speedup = one.seconds / cold.seconds
    rows.append(Row(f"--jobs {ctx.jobs} vs --jobs 1 speed-up, {label}", f"{speedup:.2f}×", "≥ 1.6×", speedup >= 1.6,
                    f"jobs 1 {one.seconds:.1f}s ({one.cpu_seconds:.1f}s cpu){spread(ones)}, jobs {ctx.jobs} "
                    f"{cold.seconds:.1f}s ({cold.cpu_seconds:.1f}s cpu{spread(colds)}). "
                    f"{contention(one, cold)}".strip()))
    what = "rebuild, no input changed ÷ cold build"
    if "noop" in rebuild_error:
        rows.append(failed(what, "≤ 0.05", rebuild_error["noop"]))
    else:
        noop = best(noops)
        ratio = noop.seconds / cold.seconds
        rows.append(Row(what, f"{ratio:.3f}", "≤ 0.05", ratio <= 0.05,
                        f"rebuild {noop.seconds:.2f}s{spread(noops)} vs cold {cold.seconds:.1f}s; "
                        f"{cache_note(noop, 100)}. {contention(noop)}".strip()))
    what = "rebuild, 1 of 100 documents changed ÷ cold build"
    try:
        if "changed" in rebuild_error:
            raise rebuild_error["changed"]
        changed = best(changes)
        ratio = changed.seconds / cold.seconds
        floor = baseline(ctx, edited, jobs=1, fresh=True)
        rows.append(Row(what, f"{ratio:.3f}", "≤ 0.1", ratio <= 0.1,
                        f"rebuild {changed.seconds:.2f}s{spread(changes)} ({stage_times(out)}, the last run) vs "
                        f"cold {cold.seconds:.1f}s; {cache_note(changed, 99)}; the bare pipeline alone on the changed "
                        f"document (start, import, load, parse) takes {floor.seconds:.2f}s = "
                        f"{floor.seconds / cold.seconds:.3f} of the cold build. {contention(changed)}".strip()))
    except Exception as exc:  # noqa: BLE001
        rows.append(failed(what, "≤ 0.1", exc))
    rows.append(row_watch(ctx, spec, corpus, out, cold))
    return rows


def row_watch(ctx: Context, spec: gen_corpus.CorpusSpec, corpus: Path, out: Path, cold: measure.Run,
              edits: int = 3) -> Row:
    """The same one-document edit with `kg build --watch` running: edit on disk to new build published."""
    what = "rebuild, 1 of 100 documents changed ÷ cold build, with kg build --watch running"
    try:
        argv = [ctx.kg, "build", str(corpus), "--out", str(out), "--jobs", str(ctx.jobs), "--model", ctx.model,
                "--quiet", "--watch"]
        first = ctx.repeat + 1  # each edit a new version of the document (the one-shot row used 1 .. repeat)
        variants = range(first, first + edits)
        times, lines = watch.time_rebuilds(
            argv, out, [lambda v=v: gen_corpus.rewrite_document(spec, corpus, 37, variant=v) for v in variants])
        median = sorted(times)[len(times) // 2]
        ratio = median / cold.seconds
        reported = [line.split("changed: ", 1)[1] for line in lines if "changed: rebuilt" in line]
        return Row(what, f"{ratio:.3f}", "≤ 0.1", ratio <= 0.1,
                   f"median of {edits} edits, each timed from the write to `current` pointing to the new build "
                   f"(watcher latency included): {', '.join(f'{t:.2f}s' for t in times)} vs cold {cold.seconds:.1f}s. "
                   f"The watcher reported: {'; '.join(reported[:edits])}")
    except Exception as exc:  # noqa: BLE001
        return failed(what, "≤ 0.1", exc)


def rows_large(ctx: Context, words: int, documents: int) -> list[Row]:
    """A cold build of a large synthetic corpus at ``ctx.jobs`` processes: wall time and peak memory."""
    corpus = ctx.work / f"corpus-{words}w"
    label = f"{words:,}-word corpus ({documents} documents), cold build --jobs {ctx.jobs}"
    minutes = 5 * words / 1_000_000  # the 5 minutes per million words
    time_target = f"≤ {minutes:g} min" if words != 1_000_000 else "≤ 5 min"
    try:
        if not corpus.exists():
            gen_corpus.write_corpus(gen_corpus.CorpusSpec(words=words, documents=documents, seed=5), corpus)
        out = ctx.work / "large-out"
        built = kg_build(ctx, corpus, out, jobs=ctx.jobs, fresh=True, memory=True)
    except Exception as exc:  # noqa: BLE001
        return [failed(f"{label}: wall time", time_target, exc)]
    rss = built.peak_tree_rss
    return [
        Row(f"{label}: wall time", f"{built.seconds / 60:.2f} min", time_target, built.seconds <= minutes * 60,
            f"{words / built.seconds:,.0f} words/s ({stage_times(out)}). {contention(built)}".strip()),
        Row(f"{label}: peak RSS, all processes", measure.gib(rss), "≤ 2 GiB", rss <= 2 * 2**30,
            "sampled sum of PSS over the process tree; largest single process "
            + (measure.gib(built.peak_single_rss) if built.peak_single_rss else
               "not measured (the kernel's high-water mark of this run's processes was set by an earlier one)")),
    ]


def row_open(ctx: Context, out: Path | None, label: str, repeat: int = 3) -> Row:
    """`kg query` on a build, whole process: start, open, run one example query, print, exit."""
    what = f"kg query on the {label} build (whole process, median of {repeat})"
    try:
        if out is None:
            raise RuntimeError("no build to query (the build rows failed or were skipped)")
        query = QUERIES / "organization-releases.rq"
        runs = [measure.run([ctx.kg, "query", str(out), "--file", str(query), "--format", "csv"]).check()
                for _ in range(repeat)]
        seconds = sorted(r.seconds for r in runs)[len(runs) // 2]
        rows = runs[0].stdout.count("\n") - 1
        return Row(what, f"{seconds:.2f} s", "≤ 2 s", seconds <= 2.0,
                   f"{query.name}, {rows} result rows. {contention(*runs)}".strip())
    except Exception as exc:  # noqa: BLE001
        return failed(what, "≤ 2 s", exc)
