"""Where a build spends its time beyond the pretrained pipeline (cProfile, one process).

    .venv/bin/python bench/profile_build.py CORPUS [--top 25] [--out /tmp/aikg-profile]

Runs :func:`kg.build.build` in this process with ``jobs=1`` and no cache,
then prints (1) time per area (spaCy's own pipeline, aikg's entity
component, relation extraction, ingest, resolve, assemble, store) and
(2) the functions with the most time of their own outside spaCy and thinc.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import time
from collections import defaultdict
from pathlib import Path

#: (area, substring of the code's file path), first match wins
AREAS: tuple[tuple[str, str], ...] = (
    ("aikg: relation extraction", "/kg/extract/relations/"),
    ("aikg: entity component", "/kg/extract/"),
    ("aikg: nlp wrapper", "/kg/nlp.py"),
    ("aikg: ingest", "/kg/ingest/"),
    ("aikg: resolve", "/kg/resolve.py"),
    ("aikg: assemble", "/kg/assemble.py"),
    ("aikg: store", "/kg/store.py"),
    ("aikg: exports", "/exports/"),
    ("aikg: cache", "/kg/cache.py"),
    ("aikg: build", "/kg/build.py"),
    ("rdflib", "/rdflib/"),
    ("pyoxigraph", "pyoxigraph"),
    ("spaCy pipeline", "/spacy/"),
    ("thinc (model math)", "/thinc/"),
    ("numpy", "/numpy/"),
)
SPACY_LIKE = ("spacy/", "thinc/", "numpy/", "srsly/", "cymem/", "preshed/")
#: (stage, file path ending, function name): time *including* callees
STAGES: tuple[tuple[str, str, str], ...] = (
    ("load the model (kg.nlp.load_pipeline)", "kg/nlp.py", "load_pipeline"),
    ("ingest: parse plain text", "kg/ingest/_plain.py", "parse_plain"),
    ("extract_document, all of it", "kg/extract/__init__.py", "extract_document"),
    ("  aikg entity component (in nlp.pipe)", "kg/nlp.py", "aikg_entities"),
    ("  relation extraction", "kg/extract/relations/__init__.py", "find_relations"),
    ("  mentions_of", "kg/extract/__init__.py", "mentions_of"),
    ("cache key (document_key)", "kg/cache.py", "document_key"),
    ("cache write (DocCache.put)", "kg/cache.py", "put"),
    ("resolve", "kg/resolve.py", "resolve"),
    ("assemble", "kg/assemble.py", "assemble"),
    ("store.save", "kg/store.py", "save"),
    ("write_jsonl", "exports/jsonl.py", "write_jsonl"),
)


def _area(filename: str) -> str:
    for area, needle in AREAS:
        if needle in filename:
            return area
    return "other (stdlib, builtins, C)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--out", type=Path, default=Path("/tmp/aikg-profile"))
    args = parser.parse_args()
    from kg.build import BuildOptions, build

    shutil.rmtree(args.out, ignore_errors=True)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = build([args.corpus], args.out, BuildOptions(jobs=1, use_cache=False))
    profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    own: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, line, name), (_, _, tottime, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        own[_area(filename)] += tottime
        if not any(s in filename for s in SPACY_LIKE):
            rows.append((tottime, cumtime, f"{filename.split('site-packages/')[-1].split('/work/main/')[-1]}:{line} {name}"))
    total = sum(own.values())
    print(f"build of {report.documents} documents: {wall:.1f} s wall under the profiler ({report.timings})")
    print(f"\n{'area (own time)':34} {'seconds':>8} {'share':>7}")
    for area, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"{area:34} {seconds:8.2f} {seconds / total:7.1%}")
    print(f"\n{'stage (including callees)':40} {'seconds':>8}")
    for stage, path, func in STAGES:
        cum = sum(v[3] for (f, _, n), v in stats.stats.items() if n == func and f.endswith(path))  # type: ignore[attr-defined]
        print(f"{stage:40} {cum:8.2f}")
    print(f"\ntop {args.top} functions by own time, outside spaCy/thinc/numpy:")
    print(f"{'own s':>7} {'cum s':>7}  function")
    for tottime, cumtime, where in sorted(rows, reverse=True)[: args.top]:
        print(f"{tottime:7.2f} {cumtime:7.2f}  {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
