"""Benchmark: the example queries on Oxigraph vs rdflib's in-memory SPARQL engine.

Builds one synthetic graph in the aikg RDF model (organizations, models,
papers, countries, people, documents, and an evidence node per relation),
saves it as a build (kg.store.save), and times every ``queries/*.rq`` on

- ``oxigraph``: the persisted store opened read-only (pyoxigraph, in process),
- ``rdflib``: the same triples in an ``rdflib.Graph`` with rdflib's own engine,

printing the median of ``--repeat`` runs per query and the ratio.

    .venv/bin/python bench/sparql_bench.py --triples 100000 --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import rdflib
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg import store
from kg.sparql import execute, vet
from kg.ontology.namespace import AIKG, DOC, EVIDENCE, ID

QUERIES = Path(__file__).resolve().parent.parent / "queries"


def _evidence(n: int, s: URIRef, p: URIRef, o: URIRef, doc: URIRef) -> Iterator[tuple[URIRef, URIRef, object]]:
    ev = EVIDENCE[f"e{n}"]
    yield ev, RDF.type, AIKG.Evidence
    yield ev, RDF.type, RDF.Statement
    yield ev, RDF.subject, s
    yield ev, RDF.predicate, p
    yield ev, RDF.object, o
    yield ev, AIKG.inDocument, doc
    yield ev, AIKG.sentence, Literal(f"Sentence {n} says that {s.rsplit('/', 1)[-1]} relates to {o.rsplit('/', 1)[-1]}.")
    yield ev, AIKG.startChar, Literal(n * 100)
    yield ev, AIKG.endChar, Literal(n * 100 + 80)
    yield ev, AIKG.confidence, Literal("0.8", datatype=XSD.decimal)


def synthetic_triples(target: int) -> Iterator[tuple[URIRef, URIRef, object]]:
    """About ``target`` triples: clusters of an organization, its models and their evidence."""
    produced = 0
    countries = [ID[f"country/c{i}"] for i in range(20)]
    for i, country in enumerate(countries):
        yield country, RDF.type, AIKG.Country
        yield country, RDFS.label, Literal(f"Country {i}")
        produced += 2
    cluster = 0
    evidence = 0
    while produced < target:
        doc = DOC[f"doc-{cluster // 10}"]
        org = ID[f"organization/o{cluster}"]
        triples: list[tuple[URIRef, URIRef, object]] = [
            (doc, RDF.type, AIKG.Document),
            (doc, DCTERMS.identifier, Literal(f"doc-{cluster // 10}")),
            (org, RDF.type, AIKG.Organization),
            (org, RDFS.label, Literal(f"Org {cluster}")),
            (org, AIKG.mentionedIn, doc),
            (org, AIKG.mentionCount, Literal(3)),
        ]
        relations = [(org, AIKG.basedIn, countries[cluster % len(countries)])]
        models = [ID[f"model/m{cluster}-{k}"] for k in range(3)]
        for k, model in enumerate(models):
            triples += [(model, RDF.type, AIKG.Model), (model, RDFS.label, Literal(f"Model {cluster}-{k}")),
                        (model, AIKG.mentionedIn, doc), (model, AIKG.mentionCount, Literal(2))]
            relations.append((org, AIKG.released, model))
        relations += [(models[0], AIKG.outperforms, models[1]), (models[1], AIKG.outperforms, models[2])]
        if cluster:
            relations.append((org, AIKG.funded, ID[f"organization/o{cluster - 1}"]))
        for s, p, o in relations:
            triples.append((s, p, o))
            evidence += 1
            triples.extend(_evidence(evidence, s, p, o, doc))
        yield from triples
        produced += len(triples)
        cluster += 1


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=20_000, help="size of the synthetic graph")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (the median is shown)")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="folder of .rq files")
    args = parser.parse_args()

    graph = rdflib.Graph()
    for triple in synthetic_triples(args.triples):
        graph.add(triple)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        started = time.perf_counter()
        store.save(graph, build)
        saved = time.perf_counter() - started
        (build / "manifest.json").write_text("{}", encoding="utf-8")
        started = time.perf_counter()
        opened = store.open_build(build)
        opening = time.perf_counter() - started
        print(f"{len(graph)} triples; save {saved:.2f} s, open {opening * 1000:.0f} ms; median of {args.repeat} runs")
        print("oxigraph = query engine only; vet = parsing and vetting (kg.sparql.vet), paid once per query")
        print(f"{'query':24} {'rows':>7} {'vet':>9} {'oxigraph':>10} {'rdflib':>10} {'ratio':>8}")
        for path in sorted(args.queries.glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            vet_time = median_seconds(lambda: vet(text), args.repeat)
            vetted = vet(text)
            rows = execute(opened.ox, vetted, max_results=10**9).count
            ox_time = median_seconds(lambda: execute(opened.ox, vetted, max_results=10**9).rows(), args.repeat)
            rdf_time = median_seconds(lambda: list(graph.query(text)), args.repeat)
            print(f"{path.stem:24} {rows:>7} {vet_time * 1000:>7.1f}ms {ox_time * 1000:>8.1f}ms "
                  f"{rdf_time * 1000:>8.1f}ms {rdf_time / ox_time:>7.1f}x")
        opened.close()


if __name__ == "__main__":
    main()
