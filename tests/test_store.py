"""kg.store: save a graph, open a build read-only, clear errors for bad builds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import store
from kg.errors import StoreError
from kg.testing import Records, read_records

DATA = Path(__file__).parent / "data" / "sparql" / "mini.ttl"


@pytest.fixture(scope="module")
def mini() -> rdflib.Graph:
    return rdflib.Graph().parse(DATA)


def make_out(tmp: Path, graph: rdflib.Graph, build_id: str = "b-1") -> Path:
    """An output folder laid out like kg.build makes it: OUT/current -> builds/<id>."""
    build = tmp / "builds" / build_id
    store.save(graph, build)
    (build / "manifest.json").write_text(json.dumps({"build_id": build_id}), encoding="utf-8")
    (tmp / "current").symlink_to(Path("builds") / build_id)
    return tmp


def test_save_writes_turtle_and_store(tmp_path: Path, mini: rdflib.Graph) -> None:
    store.save(mini, tmp_path / "b")
    assert (tmp_path / "b" / "store").is_dir()
    assert not (tmp_path / "b" / "store.partial").exists()
    assert isomorphic(rdflib.Graph().parse(tmp_path / "b" / "graph.ttl"), mini)


def test_open_build_through_current(tmp_path: Path, mini: rdflib.Graph) -> None:
    out = make_out(tmp_path, mini)
    opened = store.open_build(out)
    assert opened.path == (tmp_path / "builds" / "b-1").resolve()
    assert opened.manifest == {"build_id": "b-1"}
    assert opened.build_id == "b-1"
    assert len(opened.graph) == len(mini)
    assert isomorphic(opened.graph, mini)  # literals compare equal to rdflib's
    label = opened.graph.value(rdflib.URIRef("https://w3id.org/aikg/id/country/canada"), rdflib.RDFS.label)
    assert label == rdflib.Literal("Canada")
    assert store.open_build(out) is opened  # once per process


def test_open_is_cheap(tmp_path: Path, mini: rdflib.Graph) -> None:
    out = make_out(tmp_path, mini)
    started = time.perf_counter()
    store.open_build(out)
    assert time.perf_counter() - started < 0.5


def test_select_runs_in_process(tmp_path: Path, mini: rdflib.Graph) -> None:
    opened = store.open_build(make_out(tmp_path, mini))
    rows = opened.select("SELECT ?l WHERE { ?m a aikg:Model ; rdfs:label ?l } ORDER BY ?l")
    assert [r["l"] for r in rows] == [rdflib.Literal("Quokka-7B"), rdflib.Literal("Wombat-2")]


def test_a_build_dir_with_only_turtle_opens(tmp_path: Path, mini: rdflib.Graph) -> None:
    build = tmp_path / "b"
    build.mkdir()
    mini.serialize(build / "graph.ttl", format="turtle")
    (build / "manifest.json").write_text("{}", encoding="utf-8")
    opened = store.open_build(build)
    assert len(opened.graph) == len(mini)
    assert opened.query("ASK { ?m aikg:outperforms ?n }").boolean is True
    opened.close()


def test_save_twice_replaces_the_store(tmp_path: Path, mini: rdflib.Graph) -> None:
    small = rdflib.Graph()
    small.add((rdflib.URIRef("urn:a"), rdflib.RDFS.label, rdflib.Literal("a")))
    store.save(mini, tmp_path / "b")
    store.save(small, tmp_path / "b")
    (tmp_path / "b" / "manifest.json").write_text("{}", encoding="utf-8")
    assert len(store.open_build(tmp_path / "b").graph) == 1


@pytest.mark.parametrize(
    ("layout", "message"),
    [
        ("missing", "no such folder"),
        ("empty", "not a build"),
        ("dangling", "missing build"),
        ("no-manifest", "manifest.json is missing"),
        ("bad-manifest", "corrupt manifest"),
        ("list-manifest", "expected a JSON object"),
        ("bad-store", "cannot open"),
    ],
)
def test_bad_builds_raise_store_error(tmp_path: Path, layout: str, message: str) -> None:
    out = tmp_path / "out"
    if layout != "missing":
        out.mkdir()
    if layout == "dangling":
        os.symlink("builds/gone", out / "current")
    if layout in ("no-manifest", "bad-manifest", "list-manifest", "bad-store"):
        (out / "store").mkdir()
        (out / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")
    if layout == "bad-manifest":
        (out / "manifest.json").write_text("{not json", encoding="utf-8")
    if layout in ("list-manifest",):
        (out / "manifest.json").write_text("[]", encoding="utf-8")
    if layout == "bad-store":
        (out / "manifest.json").write_text("{}", encoding="utf-8")
    with pytest.raises(StoreError, match=message) as info:
        store.open_build(out)
    assert str(out) in str(info.value)


def _records() -> Records:
    return read_records(Path(__file__).parent / "data" / "mini_records.json")


#: texts a literal must carry through the N-Triples encoding unchanged
AWKWARD_TEXTS = ['say "hi"', "back\\slash \\n not a newline", "two\nlines\r\nand a CR", "tab\there", "nul\x00byte",
                 "emoji 🤖 and RTL \u05e9\u05dc\u05d5\u05dd", "combining e\u0301", "<not an iri>", '"""', "\\", "' single"]


def test_save_triples_stores_what_assemble_builds(tmp_path: Path) -> None:
    from dataclasses import replace

    from kg.assemble import assemble, graph_triples

    results, entities, relations, info = _records()
    entities = [replace(e, aliases=(*e.aliases, *AWKWARD_TEXTS)) if i == 0 else e for i, e in enumerate(entities)]
    ran: list[bool] = []
    triples = graph_triples(results, entities, relations, build_info=info)
    count = store.save_triples([*triples, triples[0]], tmp_path / "b", alongside=lambda: ran.append(True))
    expected = assemble(results, entities, relations, build_info=info)
    assert ran == [True]
    assert count == len(expected)  # a repeated triple is stored once
    assert isomorphic(rdflib.Graph().parse(tmp_path / "b" / "graph.ttl"), expected)
    import pyoxigraph as ox

    stored = ox.Store.read_only(str(tmp_path / "b" / "store")).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert isomorphic(rdflib.Graph().parse(data=stored, format="nt"), expected)
    labels = {str(o) for o in rdflib.Graph().parse(tmp_path / "b" / "graph.ttl").objects(None, rdflib.SKOS.altLabel)}
    assert set(AWKWARD_TEXTS) <= labels
    assert not (tmp_path / "b" / "store.partial").exists()


def test_save_triples_names_the_folder_for_text_that_is_not_unicode(tmp_path: Path) -> None:
    from dataclasses import replace

    from kg.assemble import graph_triples

    results, entities, relations, info = _records()
    entities = [replace(entities[0], aliases=("lone \ud800 surrogate",)), *entities[1:]]
    with pytest.raises(StoreError, match=r"b: cannot write the graph store.*surrogate"):
        store.save_triples(graph_triples(results, entities, relations, build_info=info), tmp_path / "b")
    assert not (tmp_path / "b" / "store").exists()


def test_a_failing_alongside_writer_leaves_no_store(tmp_path: Path) -> None:
    from kg.assemble import graph_triples

    results, entities, relations, info = _records()

    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store.save_triples(graph_triples(results, entities, relations, build_info=info), tmp_path / "b", alongside=broken)
    assert not (tmp_path / "b" / "store").exists()
    assert not (tmp_path / "b" / "graph.ttl").exists()


def _stored_lines(build_dir: Path) -> set[str]:
    import pyoxigraph as ox

    dump = ox.Store.read_only(str(build_dir / "store")).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return {line for line in dump.decode().split("\n") if line}


def test_a_store_is_updated_from_the_previous_build_when_few_triples_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.assemble import Lit, graph_triples

    results, entities, relations, info = _records()
    first = graph_triples(results, entities, relations, build_info=info)
    assert store.save_triples(first, tmp_path / "b0") == len(set(first))
    subject, predicate = first[5][0], first[5][1]
    decimal = "http://www.w3.org/2001/XMLSchema#decimal"
    # the store keeps one term for "0.5" and "0.50": the first build has both lines, the second only one
    first += [(subject, predicate, Lit("0.5", decimal)), (subject, predicate, Lit("0.50", decimal))]
    store.save_triples(first, tmp_path / "b1")
    before = _stored_lines(tmp_path / "b1")
    second = [t for i, t in enumerate(first[:-1]) if i not in (7, 11)]  # three lines go ...
    second += [(subject, predicate, Lit("a new value")), (subject, predicate, Lit('quoted "text"\nover two lines'))]
    updates: list[bool] = []
    real = store._update_store

    def spy(previous: Path, data: bytes, partial: Path) -> bool:
        updates.append(real(previous, data, partial))
        return updates[-1]

    monkeypatch.setattr(store, "_update_store", spy)
    count = store.save_triples(second, tmp_path / "b2", previous=tmp_path / "b1")
    assert updates == [True]
    # ... and the updated copy holds exactly what loading every triple of the new build gives
    store.save_triples(second, tmp_path / "fresh")
    assert _stored_lines(tmp_path / "b2") == _stored_lines(tmp_path / "fresh")
    assert count == len(_stored_lines(tmp_path / "b2"))
    assert (tmp_path / "b2" / "graph.nt").read_bytes() == (tmp_path / "fresh" / "graph.nt").read_bytes()
    assert any('"0.5"^^' in line for line in _stored_lines(tmp_path / "b2"))
    # the previous build is left as it was
    assert _stored_lines(tmp_path / "b1") == before


def test_a_large_change_or_an_older_build_loads_every_triple(tmp_path: Path) -> None:
    from kg.assemble import graph_triples

    results, entities, relations, info = _records()
    triples = graph_triples(results, entities, relations, build_info=info)
    store.save_triples(triples, tmp_path / "b1")
    data = store._ntriples(triples[: len(triples) // 2], tmp_path)
    assert not store._update_store(tmp_path / "b1", data, tmp_path / "partial")  # half the lines changed
    assert not (tmp_path / "partial").exists()
    blank = store._ntriples(triples[1:], tmp_path) + b"_:b0 <https://example.org/p> <https://example.org/o> .\n"
    assert not store._update_store(tmp_path / "b1", blank, tmp_path / "partial")  # a blank node: load everything
    (tmp_path / "b1" / "graph.nt").unlink()  # a build made before graph.nt existed
    data = store._ntriples(triples[1:], tmp_path)
    assert not store._update_store(tmp_path / "b1", data, tmp_path / "partial")
    count = store.save_triples(triples[1:], tmp_path / "b2", previous=tmp_path / "b1")
    assert count == len(set(triples[1:])) == len(_stored_lines(tmp_path / "b2"))


def test_graph_ttl_is_written_by_its_own_process_and_its_failure_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys

    from kg import turtle
    from kg.assemble import graph_triples

    results, entities, relations, info = _records()
    triples = graph_triples(results, entities, relations, build_info=info)
    store.save_triples(triples, tmp_path / "ok")
    # the Turtle is the graph of graph.nt, and what the store holds
    from_turtle = rdflib.Graph().parse(tmp_path / "ok" / "graph.ttl")
    assert isomorphic(from_turtle, rdflib.Graph().parse(tmp_path / "ok" / "graph.nt", format="nt"))
    assert len(from_turtle) == len(_stored_lines(tmp_path / "ok"))
    assert turtle.main(["only-one-argument"]) == 2
    assert turtle.main([str(tmp_path / "missing.nt"), str(tmp_path / "x.ttl"), "{}"]) == 1

    def failing(source: Path, target: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-c", "import sys; sys.stderr.write('disk full'); sys.exit(1)"],
                                stderr=subprocess.PIPE)

    monkeypatch.setattr(store, "_start_turtle", failing)
    with pytest.raises(StoreError, match=r"bad: cannot write graph.ttl: disk full"):
        store.save_triples(triples, tmp_path / "bad")
    assert not (tmp_path / "bad" / "store").exists() and not (tmp_path / "bad" / "graph.ttl").exists()
