"""Build the development corpus and score it against the gold annotations.

    python bench/eval.py [--shared ../shared] [--jobs N] [--json]

Prints the scorer's table (precision / recall / F1 for entities and each
relation) next to the targets of the extraction-quality issue. Asserts
nothing: it is a measurement, run by CI when ``../shared`` exists.
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
TARGETS = {"entities": 0.85, "relations": 0.70, "released": 0.70, "outperforms": 0.70, "funded": 0.70,
           "authored": 0.60, "worksFor": 0.60, "basedIn": 0.60}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, default=None, help="build folder (default: a temporary one)")
    ap.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: SHARED/corpus/importai)")
    ap.add_argument("--gold", type=Path, default=None, help="gold folder (default: SHARED/eval/gold)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    corpus = a.corpus or a.shared / "corpus" / "importai"
    gold = a.gold or a.shared / "eval" / "gold"
    scorer = a.shared / "eval" / "score.py"
    if not corpus.is_dir():
        print(f"no development corpus at {corpus}; nothing to evaluate")
        return 0
    from kg.build import BuildOptions, build

    with tempfile.TemporaryDirectory(prefix="aikg-eval-") as tmp:
        out = a.out or Path(tmp) / "out"
        t0 = time.perf_counter()
        report = build([corpus], out, BuildOptions(jobs=a.jobs, use_cache=a.out is not None))
        elapsed = time.perf_counter() - t0
        for f in report.failures:
            print(f"failed: {f.source}: {f.reason}")
        pred = out / "graph.jsonl"
        res = subprocess.run([sys.executable, str(scorer), "--gold", str(gold), "--pred", str(pred), "--json"],
                             check=True, capture_output=True, text=True)
    scores = json.loads(res.stdout)
    if a.json:
        print(json.dumps(scores, indent=2))
        return 0
    print(f"corpus: {corpus}")
    print(f"built {report.documents} documents in {elapsed:.1f} s ({report.triples} triples)")
    print(f"{'':14}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'pred':>6}{'gold':>6}{'target':>8}  met")
    for k in ["entities", "authored", "basedIn", "funded", "outperforms", "released", "worksFor", "relations"]:
        v = scores[k]
        t = TARGETS[k]
        print(f"{k:14}{v['precision']:7.3f}{v['recall']:7.3f}{v['f1']:7.3f}{v['tp']:6}{v['predicted']:6}{v['gold']:6}"
              f"{t:8.2f}  {'yes' if v['f1'] >= t else 'no'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
