"""Write a build's ``graph.ttl`` from its ``graph.nt``, in a process of its own.

``python -m kg.turtle SOURCE.nt TARGET.ttl PREFIXES_JSON``. pyoxigraph
streams the triples from its parser to its Turtle writer; each triple
passes through Python objects on the way, so a build runs this beside
itself (:func:`kg.store.save_triples`) rather than in a thread, where it
would hold the GIL against the build's own work. Streaming costs about half
of loading the triples into a store and dumping it, and the process starts
in ~0.05 s (it imports pyoxigraph only). Triples keep the order of the
N-Triples file; consecutive triples of a subject are written as one group.
"""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox


def convert(source: str, target: str, prefixes: dict[str, str]) -> None:
    triples = ox.parse(path=source, format=ox.RdfFormat.N_TRIPLES)
    ox.serialize(triples, target, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m kg.turtle SOURCE.nt TARGET.ttl PREFIXES_JSON", file=sys.stderr)
        return 2
    source, target, prefixes = argv
    try:
        convert(source, target, json.loads(prefixes))
    except (OSError, ValueError, SyntaxError) as exc:
        print(f"cannot write {target} from {source}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
