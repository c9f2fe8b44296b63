"""The benchmark generators (bench/gen_corpus.py, bench/gen_graph.py) make what they say."""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str) -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    return importlib.import_module(name)


@pytest.fixture(scope="module")
def gen_corpus() -> ModuleType:
    return _bench_module("gen_corpus")


@pytest.fixture(scope="module")
def gen_graph() -> ModuleType:
    return _bench_module("gen_graph")


@pytest.fixture(scope="module")
def names() -> ModuleType:
    return _bench_module("_names")


@pytest.mark.parametrize("pool", ["organization", "model", "person", "benchmark", "paper"])
def test_name_pools_give_distinct_names(names: ModuleType, pool: str) -> None:
    made = [getattr(names, pool)(i) for i in range(5000)]
    assert len(set(made)) == len(made)


def test_skewed_pool_draws_stay_in_range_and_favour_low_ranks(names: ModuleType) -> None:
    import random

    rng = random.Random(3)
    draws = Counter(names.Pool(200).draw(rng) for _ in range(5000))
    assert min(draws) >= 0 and max(draws) < 200
    assert draws[0] > draws.get(100, 0) * 5


@pytest.mark.parametrize(("words", "documents"), [(3000, 1), (12000, 5), (40000, 16)])
def test_corpus_has_the_requested_size(gen_corpus: ModuleType, tmp_path: Path, words: int, documents: int) -> None:
    spec = gen_corpus.CorpusSpec(words=words, documents=documents, seed=1)
    stats = gen_corpus.write_corpus(spec, tmp_path)
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == documents == stats.documents
    counted = sum(len(p.read_text(encoding="utf-8").split()) for p in files)
    assert counted == stats.words
    assert abs(counted - words) <= 0.02 * words


def test_corpus_is_deterministic_and_variants_differ(gen_corpus: ModuleType) -> None:
    spec = gen_corpus.CorpusSpec(words=8000, documents=4, seed=7)
    first = [d.text for d in gen_corpus.generate(spec)]
    again = [d.text for d in gen_corpus.generate(spec)]
    assert first == again
    other_seed = [d.text for d in gen_corpus.generate(gen_corpus.CorpusSpec(words=8000, documents=4, seed=8))]
    assert other_seed != first
    edited = gen_corpus.generate_document(spec, 2, variant=1)
    assert edited.filename == gen_corpus.generate_document(spec, 2).filename
    assert edited.text != first[2]


def test_corpus_rejects_impossible_sizes(gen_corpus: ModuleType) -> None:
    with pytest.raises(ValueError, match="documents"):
        gen_corpus.CorpusSpec(words=1000, documents=0)
    with pytest.raises(ValueError, match="too few"):
        gen_corpus.CorpusSpec(words=100, documents=10)


def test_corpus_reads_as_newsletter_issues(gen_corpus: ModuleType, tmp_path: Path) -> None:
    from kg.ingest import load_documents
    from kg.types import Document

    spec = gen_corpus.CorpusSpec(words=30000, documents=6, seed=2)
    gen_corpus.write_corpus(spec, tmp_path)
    docs = list(load_documents([tmp_path], include_fiction=True))
    assert all(isinstance(d, Document) for d in docs)
    assert len(docs) == 6
    for doc in docs:
        assert doc.issue is not None and doc.issue >= 100
        assert len(doc.sections) >= 4  # preamble plus several *** items
        assert "Read more: " in doc.text
    assert any(s.fiction for d in docs for s in d.sections), "some issues end with a Tech Tales section"


def test_corpus_states_all_six_relation_kinds(gen_corpus: ModuleType) -> None:
    templates = _bench_module("_templates")
    text = "".join(d.text for d in gen_corpus.generate(gen_corpus.CorpusSpec(words=20000, documents=4)))
    assert " outperforms " in text or " beats " in text or " surpasses " in text
    assert sorted(templates.RELATION_TEMPLATES) == sorted(
        ["released", "outperforms", "funded", "worksFor", "basedIn", "authored"]
    )


def test_graph_records_are_deterministic_and_consistent(gen_graph: ModuleType) -> None:
    from kg.types import SIGNATURES

    one = gen_graph.synthetic_records(5, seed=3)
    assert one == gen_graph.synthetic_records(5, seed=3)
    types = {e.key: e.type for e in one.entities}
    docs = {r.doc_id for r in one.results}
    assert len(types) == len(one.entities)
    for rel in one.relations:
        subjects, objects = SIGNATURES[rel.predicate]
        assert types[rel.subject] in subjects and types[rel.object] in objects
        assert rel.evidence and all(ev.doc_id in docs for ev in rel.evidence)


def test_graph_build_is_openable_and_near_the_requested_size(gen_graph: ModuleType, tmp_path: Path) -> None:
    from kg.store import open_build

    built, graph = gen_graph.generate_build(15000, tmp_path / "out", seed=1, keep_graph=True)
    assert graph is not None and len(graph) == built.triples
    busy = built.busiest(0.1)
    assert busy and built.degree[busy[0].key] == max(built.degree.values())
    assert len(busy) == max(1, int(len(built.entities) * 0.1))
    assert abs(built.triples - 15000) <= 0.15 * 15000
    store = open_build(tmp_path / "out")
    try:
        rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert int(rows[0]["n"]) == built.triples
        assert store.manifest["counts"]["triples"] == built.triples
    finally:
        store.close()
