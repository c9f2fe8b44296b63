"""kg.graphview: the RDF graph as a networkx graph, filters, co-mentions, spells."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS

from kg.graphview import (
    MAX_SIZE,
    TYPE_COLORS,
    ViewOptions,
    flat_attributes,
    to_networkx,
    view_options,
)

DATA = Path(__file__).parent / "data" / "graphview" / "small.ttl"
ACME, W7, W6 = "organization/acme-labs", "model/widget-7", "model/widget-6"
ADA, FREEDONIA, PAPER = "person/ada-quill", "country/freedonia", "paper/widgets-all-the-way-down"
QUIZ, LONELY = "benchmark/quizbench", "organization/lonely-co"


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return Graph().parse(DATA)


def undated(rdf: Graph) -> Graph:
    """The fixture with the date of one document removed."""
    g = Graph()
    for t in rdf:
        g.add(t)
    g.remove((None, DCTERMS.date, None))
    return g


def relation_keys(view) -> set[str]:
    return {k for _, _, k, kind in view.edges(keys=True, data="kind") if kind == "relation"}


def test_nodes_carry_entity_attributes(rdf: Graph) -> None:
    view = to_networkx(rdf)
    assert set(view) == {ACME, W7, W6, ADA, FREEDONIA, PAPER, QUIZ, LONELY}
    acme = view.nodes[ACME]
    assert acme["label"] == "Acme Labs"
    assert acme["type"] == "Organization"
    assert acme["aliases"] == ("ACME", "Acme")
    assert acme["wikidata"] == "Q4242"
    assert acme["mentions"] == 6
    assert acme["documents"] == 3
    assert (acme["first_issue"], acme["last_issue"]) == (101, 104)
    assert acme["issues"] == (101, 102, 104)
    assert acme["color"] == TYPE_COLORS["Organization"]
    assert view.nodes[W6]["wikidata"] is None
    # named only in a section: the section's document counts
    assert view.nodes[LONELY]["issues"] == (104,)


def test_relation_edges_weight_confidence_evidence(rdf: Graph) -> None:
    view = to_networkx(rdf)
    assert len(relation_keys(view)) == 6
    data = view.edges[ACME, W7, f"{ACME}|released|{W7}"]
    assert data["predicate"] == data["label"] == "released"
    assert data["weight"] == 2  # two sentences; one of them read by two rules
    assert data["confidence"] == pytest.approx(1 - 0.1 * 0.4)  # best reading per sentence, noisy-or
    assert data["evidence"].startswith("Acme Labs has shipped Widget-7")
    assert data["source"] == "letter-101"
    assert data["issues"] == (101, 104)


def test_type_filter_keeps_only_those_types_and_their_edges(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(types=["Organization", "Model"]))
    assert {view.nodes[n]["type"] for n in view} == {"Organization", "Model"}
    assert relation_keys(view) == {f"{ACME}|released|{W7}", f"{W7}|outperforms|{W6}"}


def test_predicate_filter(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(predicates="released"))
    assert relation_keys(view) == {f"{ACME}|released|{W7}", f"{ACME}|released|{QUIZ}"}
    assert ADA in view  # nodes stay unless drop_isolates


def test_min_confidence_drops_weak_relations(rdf: Graph) -> None:
    keys = relation_keys(to_networkx(rdf, view_options(min_confidence=0.5)))
    assert f"{W7}|outperforms|{W6}" not in keys  # 0.3
    assert f"{ACME}|basedIn|{FREEDONIA}" in keys  # 0.7
    assert len(keys) == 5


def test_drop_isolates(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(types=["Model", "Country"], drop_isolates=True))
    assert set(view) == {W7, W6}


def pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def comentions(view) -> dict[tuple[str, str], int]:
    return {(u, v): w for u, v, w in _comention_edges(view)}


def _comention_edges(view):
    for u, v, data in view.edges(data=True):
        if data["kind"] == "comention":
            yield u, v, data["weight"]


def test_section_comentions_are_a_separate_edge_kind(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(comention="section"))
    pairs = comentions(view)
    assert pairs[pair(W7, ACME)] == 2  # sections 101/1 and 104/1
    assert pairs[pair(ADA, ACME)] == 1  # section 102/1 only
    assert pair(ACME, LONELY) in pairs  # Lonely Co is named in the section of letter 104
    assert pair(FREEDONIA, PAPER) not in pairs  # same document, different sections
    assert pair(W6, LONELY) not in pairs
    assert all(u < v for u, v in pairs)  # one edge per pair
    assert relation_keys(view) == relation_keys(to_networkx(rdf))  # relations untouched
    assert {d["predicate"] for _, _, d in view.edges(data=True) if d["kind"] == "comention"} == {"coMention"}


def test_document_comentions_cover_whole_documents(rdf: Graph) -> None:
    pairs = comentions(to_networkx(rdf, view_options(comention="document")))
    assert pairs[pair(FREEDONIA, PAPER)] == 1
    assert pairs[pair(ACME, W7)] == 2  # letters 101 and 104
    assert pairs[pair(ADA, ACME)] == 1  # one document, however many sections


def test_no_comentions_unless_asked(rdf: Graph) -> None:
    assert comentions(to_networkx(rdf)) == {}


def test_spells_use_dates_when_every_document_has_one(rdf: Graph) -> None:
    view = to_networkx(rdf)
    assert view.graph["timeformat"] == "date"
    assert view.nodes[W6]["spells"] == (("2031-03-02", "2031-03-02"),)


def test_spells_use_issue_numbers_and_merge_consecutive_issues(rdf: Graph) -> None:
    view = to_networkx(undated(rdf))
    assert view.graph["timeformat"] == "integer"
    assert view.graph["time_source"] == "aikg:issueNumber"
    assert view.nodes[ACME]["spells"] == ((101, 104),)  # 101, 102, 104 are consecutive in the corpus
    assert view.nodes[W7]["spells"] == ((101, 101), (104, 104))
    for _, data in view.nodes(data=True):
        assert all(start <= end for start, end in data["spells"])


def test_cumulative_spells_last_to_the_end(rdf: Graph) -> None:
    view = to_networkx(undated(rdf), view_options(cumulative=True))
    assert view.nodes[W6]["spells"] == ((101, 104),)
    assert view.edges[W7, W6, f"{W7}|outperforms|{W6}"]["spells"] == ((101, 104),)


def test_sizes_by_mentions_and_degree(rdf: Graph) -> None:
    by_mentions = to_networkx(rdf, view_options(size_by="mentions"))
    assert by_mentions.nodes[ACME]["size"] == MAX_SIZE
    assert by_mentions.nodes[W7]["size"] > by_mentions.nodes[W6]["size"]
    by_degree = to_networkx(rdf)
    assert by_degree.nodes[ACME]["size"] == MAX_SIZE
    assert by_degree.nodes[W6]["size"] < by_degree.nodes[W7]["size"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"types": ["Robot"]}, "unknown type 'Robot'"),
        ({"predicates": ["owns"]}, "unknown predicate 'owns'"),
        ({"min_confidence": 1.5}, "min_confidence=1.5"),
        ({"comention": "paragraph"}, "comention='paragraph'"),
        ({"size_by": "age"}, "size_by='age'"),
        ({"colour": "red"}, "valid view options"),
    ],
)
def test_bad_options_say_what_would_be_right(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        view_options(**options)


def test_flat_attributes_join_tuples_and_drop_none() -> None:
    data = {"aliases": ("A", "B"), "wikidata": None, "mentions": 3, "spells": ((1, 2),)}
    assert flat_attributes(data) == {"aliases": "A; B", "mentions": 3, "spells": "(1, 2)"}
    assert flat_attributes(data, keep=frozenset({"spells"}))["spells"] == ((1, 2),)


def test_empty_graph_gives_empty_view() -> None:
    view = to_networkx(Graph(), ViewOptions(comention="section"))
    assert view.number_of_nodes() == 0 and view.number_of_edges() == 0
