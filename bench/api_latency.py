"""Latency of the REST API lookups on a synthetic graph of about a million triples.

    .venv/bin/python bench/api_latency.py [--relations 80000] [--requests 300]

Builds an in-memory Oxigraph store following the RDF model of
docs/ARCHITECTURE.md (entities, relations, one evidence node per relation,
documents, sections), creates the app over it, and times requests through
FastAPI's TestClient (so the numbers include the in-process HTTP round trip).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi.testclient import TestClient

from kg.api.main import create_app
from kg.api.settings import Settings
from kg.ontology.namespace import AIKG, DOC, EVIDENCE, ID, entity_key
from kg.types import SIGNATURES

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
DCT = "http://purl.org/dc/terms/"
SYLLABLES = "ka lo mi nu ra te vo shi zen qua bel dor fen gri hal jin kor lux mar nex or pix ryn sol tav".split()


def n(iri: Any) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def lit(value: Any, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    return ox.Literal(str(value))


def name(rng: random.Random, etype: str) -> str:
    base = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
    if etype == "Model":
        return f"{base}-{rng.randint(1, 9)}.{rng.randint(0, 9)} {rng.choice(['7B', '70B', '405B', 'Mini', 'Pro'])}"
    if etype == "Person":
        return f"{base} {''.join(rng.choice(SYLLABLES) for _ in range(2)).capitalize()}"
    if etype == "Paper":
        return f"{base}: {rng.choice(['Scaling', 'Towards', 'On'])} {rng.choice(['Reasoning', 'Agents', 'Data'])}"
    return base + rng.choice(["", " AI", " Labs", " Research"])


def synthetic_quads(n_relations: int, seed: int = 0) -> tuple[Iterator[ox.Quad], dict[str, list[str]]]:
    rng = random.Random(seed)
    sizes = {"Organization": n_relations // 16, "Model": n_relations // 8, "Person": n_relations // 25,
             "Paper": n_relations // 40, "Country": 120, "Benchmark": 300}
    names: dict[str, list[str]] = {t: [] for t in sizes}
    keys: dict[str, list[str]] = {t: [] for t in sizes}
    for etype, count in sizes.items():
        seen: set[str] = set()
        while len(names[etype]) < count:
            candidate = name(rng, etype)
            key = entity_key(etype, candidate)
            if key not in seen:
                seen.add(key)
                names[etype].append(candidate)
                keys[etype].append(key)
    docs = [f"issue-{i}" for i in range(400)]

    def quads() -> Iterator[ox.Quad]:
        g = ox.DefaultGraph()
        for d in docs:
            yield ox.Quad(n(DOC[d]), RDF_TYPE, n(AIKG.Document), g)
            yield ox.Quad(n(DOC[d]), n(DCT + "identifier"), lit(d), g)
            yield ox.Quad(n(DOC[d]), n(DCT + "title"), lit(f"Synthetic {d}"), g)
            for s in range(1, 6):
                sec = n(f"{DOC[d]}/section/{s}")
                yield ox.Quad(sec, RDF_TYPE, n(AIKG.Section), g)
                yield ox.Quad(sec, n(DCT + "title"), lit(f"Section {s}"), g)
                yield ox.Quad(sec, n(AIKG.sectionIndex), lit(s, "http://www.w3.org/2001/XMLSchema#integer"), g)
        for etype in sizes:
            for label, key in zip(names[etype], keys[etype], strict=True):
                e = n(ID[key])
                yield ox.Quad(e, RDF_TYPE, n(getattr(AIKG, etype)), g)
                yield ox.Quad(e, LABEL, lit(label), g)
                yield ox.Quad(e, ALT, lit(label.upper()), g)
                yield ox.Quad(e, n(AIKG.mentionCount), lit(rng.randint(1, 50), "http://www.w3.org/2001/XMLSchema#integer"), g)
                yield ox.Quad(e, n(AIKG.mentionedIn), n(DOC[rng.choice(docs)]), g)
        predicates = list(SIGNATURES)
        for i in range(n_relations):
            p = rng.choice(predicates)
            s_types, o_types = SIGNATURES[p]
            s = rng.choice(keys[rng.choice(sorted(s_types))])
            o = rng.choice(keys[rng.choice(sorted(o_types))])
            yield ox.Quad(n(ID[s]), n(getattr(AIKG, p)), n(ID[o]), g)
            ev = n(EVIDENCE[f"e{i}"])
            d = rng.choice(docs)
            yield ox.Quad(ev, RDF_TYPE, n(AIKG.Evidence), g)
            yield ox.Quad(ev, RDF_TYPE, n(RDF + "Statement"), g)
            yield ox.Quad(ev, n(RDF + "subject"), n(ID[s]), g)
            yield ox.Quad(ev, n(RDF + "predicate"), n(getattr(AIKG, p)), g)
            yield ox.Quad(ev, n(RDF + "object"), n(ID[o]), g)
            yield ox.Quad(ev, n(AIKG.inDocument), n(DOC[d]), g)
            yield ox.Quad(ev, n(AIKG.inSection), n(f"{DOC[d]}/section/{rng.randint(1, 5)}"), g)
            yield ox.Quad(ev, n(AIKG.sentence), lit(f"Synthetic sentence number {i} about {s} and {o}."), g)
            yield ox.Quad(ev, n(AIKG.startChar), lit(i * 10, "http://www.w3.org/2001/XMLSchema#integer"), g)
            yield ox.Quad(ev, n(AIKG.endChar), lit(i * 10 + 60, "http://www.w3.org/2001/XMLSchema#integer"), g)
            yield ox.Quad(ev, n(AIKG.extractor), lit("synthetic"), g)
            yield ox.Quad(ev, n(AIKG.confidence), lit(round(rng.random(), 2), "http://www.w3.org/2001/XMLSchema#decimal"), g)

    return quads(), names


@dataclass
class SyntheticBuild:
    ox: ox.Store
    path: Path = Path("synthetic")
    manifest: dict[str, Any] = field(default_factory=dict)
    graph: Any = None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--relations", type=int, default=80_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per route")
    args = parser.parse_args()

    started = time.perf_counter()
    quads, names = synthetic_quads(args.relations)
    store = ox.Store()
    store.bulk_extend(quads)
    print(f"store: {len(store):,} triples in {time.perf_counter() - started:.1f}s")
    started = time.perf_counter()
    app = create_app(SyntheticBuild(store), Settings())
    print(f"startup (snapshot + indexes): {time.perf_counter() - started:.1f}s; "
          f"{len(app.state.snapshot.entities):,} entities, {len(app.state.snapshot.edges):,} relations")
    client = TestClient(app)
    rng = random.Random(1)
    orgs, models = names["Organization"], names["Model"]

    def typo(s: str) -> str:
        i = rng.randrange(len(s))
        return s[:i] + s[i + 1 :]

    routes = {
        "/entities?q=<name>": lambda: ("/entities", {"q": rng.choice(orgs)}),
        "/entities?q=<typo>": lambda: ("/entities", {"q": typo(rng.choice(models)), "limit": 20}),
        "/entities?q=<name>&type=Model": lambda: ("/entities", {"q": rng.choice(models), "type": "Model"}),
        "/entities/{id}": lambda: (f"/entities/{entity_key('Model', rng.choice(models))}", {}),
        "/relations?subject=<org>": lambda: ("/relations", {"subject": rng.choice(orgs), "limit": 50}),
        "/ask?q=what did <org> release": lambda: ("/ask", {"q": f"what did {rng.choice(orgs)} release"}),
        "/ask?q=which models outperform <m>": lambda: ("/ask", {"q": f"which models outperform {rng.choice(models)}"}),
        "/stats": lambda: ("/stats", {}),
    }
    print(f"{'route':40} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for label, make in routes.items():
        times = []
        for _ in range(args.requests):
            path, params = make()
            t = time.perf_counter()
            response = client.get(path, params=params)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code in (200, 404), (path, params, response.text[:200])
        print(f"{label:40} {statistics.median(times):8.2f} {percentile(times, 0.99):8.2f} {max(times):8.2f}")


if __name__ == "__main__":
    main()
