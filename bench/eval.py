"""Build the evaluation corpora and score them against their gold annotations, side by side.

    python bench/eval.py [--shared ../shared] [--jobs N] [--sets dev,dev2,heldout] [--keep DIR] [--json]

Three sets, each built from scratch and scored with ``SHARED/eval/score.py``:

- ``dev``: the ten Import AI issues (``SHARED/corpus/importai``, gold ``SHARED/eval/gold``);
- ``dev2``: 40 passages of other sources (``SHARED/eval/dev2``);
- ``heldout``: the project's own held-out set (``bench/heldout``), never used to write rules.

Prints precision / recall / F1 per predicate for each set, then the targets of
the extraction issue (dev2 targets, and the dev floor: no predicate more than
0.03 below its revised-gold figure) with met / not met. Asserts nothing: it is
a measurement, run by CI when ``../shared`` exists. ``--keep DIR`` leaves each
set's build in ``DIR/<set>`` for error analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ["entities", "released", "outperforms", "funded", "worksFor", "basedIn", "authored", "relations"]
# issue 15: dev2 targets (F1, and relations precision)
DEV2_TARGETS = {"entities": 0.90, "relations": 0.75, "released": 0.70, "outperforms": 0.70, "funded": 0.70,
                "worksFor": 0.65, "basedIn": 0.65}
DEV2_PRECISION = 0.75
# issue 15: the dev scores under the revised gold; the floor is 0.03 below each
DEV_REVISED = {"entities": 0.968, "relations": 0.876, "released": 0.828, "outperforms": 0.839, "funded": 1.000,
               "worksFor": 0.615, "basedIn": 0.778, "authored": 0.944}


def sets(shared: Path) -> dict[str, tuple[Path, Path]]:
    return {
        "dev": (shared / "corpus" / "importai", shared / "eval" / "gold"),
        "dev2": (shared / "eval" / "dev2" / "corpus", shared / "eval" / "dev2" / "gold"),
        "heldout": (ROOT / "bench" / "heldout" / "corpus", ROOT / "bench" / "heldout" / "gold"),
    }


def run_set(name: str, corpus: Path, gold: Path, scorer: Path, out: Path, jobs: int) -> dict:
    from kg.build import BuildOptions, build

    t0 = time.perf_counter()
    report = build([corpus], out, BuildOptions(jobs=jobs, use_cache=False, force=True))
    elapsed = time.perf_counter() - t0
    for f in report.failures:
        print(f"{name}: failed: {f.source}: {f.reason}")
    res = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(out / "graph.jsonl"), "--json"],
                         check=True, capture_output=True, text=True)
    scores = json.loads(res.stdout)
    scores["_build"] = {"documents": report.documents, "seconds": round(elapsed, 1), "triples": report.triples}
    return scores


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--sets", default="dev,dev2,heldout", help="comma-separated: dev, dev2, heldout")
    ap.add_argument("--keep", type=Path, default=None, help="leave each set's build in KEEP/<set>")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    scorer = a.shared / "eval" / "score.py"
    if not scorer.is_file():
        print(f"no scorer at {scorer}; nothing to evaluate")
        return 0
    chosen = {k: v for k, v in sets(a.shared).items() if k in a.sets.split(",") and v[0].is_dir()}
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="aikg-eval-") as tmp:
        base = a.keep or Path(tmp)
        for name, (corpus, gold) in chosen.items():
            results[name] = run_set(name, corpus, gold, scorer, base / name, a.jobs)
    if a.json:
        print(json.dumps(results, indent=2))
        return 0
    names = list(results)
    for name in names:
        b = results[name]["_build"]
        print(f"{name}: {chosen[name][0]} - {b['documents']} documents in {b['seconds']} s, {b['triples']} triples")
    head = "".join(f"{n + ' P':>10}{'R':>7}{'F1':>7}{'gold':>6}" for n in names)
    print(f"{'':13}{head}")
    for k in KEYS:
        cells = "".join(f"{results[n][k]['precision']:10.3f}{results[n][k]['recall']:7.3f}{results[n][k]['f1']:7.3f}"
                        f"{results[n][k]['gold']:6}" for n in names)
        print(f"{k:13}{cells}")
    print()
    if "dev2" in results:
        r = results["dev2"]
        print("dev2 targets (issue 15):")
        for k, t in DEV2_TARGETS.items():
            print(f"  {k:13} F1 {r[k]['f1']:.3f} >= {t:.2f}  {'met' if r[k]['f1'] >= t else 'NOT met'}")
        p = r["relations"]["precision"]
        print(f"  {'relations':13} P  {p:.3f} >= {DEV2_PRECISION:.2f}  {'met' if p >= DEV2_PRECISION else 'NOT met'}")
    if "dev" in results:
        r = results["dev"]
        print("dev floor (revised-gold figure - 0.03):")
        for k, v in DEV_REVISED.items():
            floor = v - 0.03
            print(f"  {k:13} F1 {r[k]['f1']:.3f} >= {floor:.3f}  {'held' if r[k]['f1'] >= floor - 1e-9 else 'DROPPED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
