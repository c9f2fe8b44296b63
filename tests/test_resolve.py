"""Corpus-level resolution: aliases, short forms, families vs members, types, relations."""

from __future__ import annotations

from kg.ontology.namespace import entity_key
from kg.resolve import resolve
from kg.types import Candidate, DocResult, Entity, Evidence, Mention


def _m(text: str, etype: str, doc: str = "d1", canonical: str = "", conf: float = 1.0, at: int = 0) -> Mention:
    return Mention(text=text, type=etype, start=at, end=at + len(text), doc_id=doc, confidence=conf, canonical=canonical)


def _doc(doc_id: str, mentions: list[Mention], candidates: list[Candidate] | None = None) -> DocResult:
    return DocResult(doc_id=doc_id, title=doc_id, source=f"{doc_id}.txt", issue=None, date=None, sections=(),
                     mentions=tuple(mentions), candidates=tuple(candidates or ()))


def _ev(doc: str = "d1", start: int = 0) -> Evidence:
    return Evidence(doc_id=doc, section="s", sentence="...", start=start, end=start + 3, rule="test", confidence=0.8)


def _by_name(entities: list[Entity]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_case_possessive_and_the_variants_merge() -> None:
    ents, _ = resolve([
        _doc("d1", [_m("Quokka Labs", "Organization"), _m("Quokka Labs", "Organization")]),
        _doc("d2", [_m("QUOKKA LABS", "Organization", "d2"), _m("the Quokka Labs", "Organization", "d2")]),
    ])
    assert len(ents) == 1
    e = ents[0]
    assert e.name == "Quokka Labs" and e.mentions == 4 and e.documents == ("d1", "d2")
    assert set(e.aliases) == {"QUOKKA LABS", "the Quokka Labs"}


def test_short_forms_and_acronyms_join_their_full_name() -> None:
    ents, _ = resolve([_doc("d1", [
        _m("Nous Research", "Organization"),
        _m("Nous", "Organization", canonical="Nous Research"),
        _m("Google DeepMind", "Organization"),
        _m("GDM", "Organization", canonical="Google DeepMind"),
    ])])
    names = _by_name(ents)
    assert set(names) == {"Nous Research", "Google DeepMind"}
    assert "Nous" in names["Nous Research"].aliases and "GDM" in names["Google DeepMind"].aliases


def test_family_and_member_stay_distinct() -> None:
    ents, _ = resolve([_doc("d1", [
        _m("LLaMa", "Model"), _m("LLaMa-3.1 405B", "Model"), _m("Qwen", "Model"), _m("Qwen2.5-Coder", "Model"),
        _m("LLaMa2-7B", "Model"), _m("LLaMa2-13B", "Model"),
    ])])
    assert len(ents) == 6


def test_near_duplicate_spelling_merges_but_sizes_do_not() -> None:
    ents, _ = resolve([_doc("d1", [
        _m("Tenstorrent", "Organization"), _m("Tenstorrent", "Organization"), _m("Tenstorent", "Organization"),
    ])])
    assert [e.name for e in ents] == ["Tenstorrent"]


def test_type_is_the_corpus_majority() -> None:
    ents, _ = resolve([
        _doc("d1", [_m("Heron-2", "Model"), _m("Heron-2", "Model")]),
        _doc("d2", [_m("Heron-2", "Model", "d2"), _m("Heron-2", "Organization", "d2", conf=0.3)]),
    ])
    assert [(e.name, e.type) for e in ents] == [("Heron-2", "Model")]


def test_demonym_mentions_name_the_country() -> None:
    ents, _ = resolve([_doc("d1", [_m("Chinese", "Country", canonical="China"), _m("China", "Country")])])
    assert len(ents) == 1 and ents[0].name == "China" and ents[0].aliases == ("Chinese",)
    assert ents[0].wikidata == "Q148"


def test_keys_are_deterministic_and_follow_the_namespace() -> None:
    docs = [_doc("d1", [_m("Quokka Labs", "Organization"), _m("Wombat-2 13B", "Model")])]
    a, _ = resolve(docs)
    b, _ = resolve(list(reversed(docs)))
    assert [e.key for e in a] == [e.key for e in b]
    assert {e.key for e in a} == {entity_key("Organization", "Quokka Labs"), entity_key("Model", "Wombat-2 13B")}


def test_wikidata_from_offline_table() -> None:
    ents, _ = resolve([_doc("d1", [_m("OpenAI", "Organization"), _m("Quokka Labs", "Organization")])])
    assert _by_name(ents)["OpenAI"].wikidata == "Q21708200"
    assert _by_name(ents)["Quokka Labs"].wikidata is None


def test_relations_group_evidence_resolve_aliases_and_check_signatures() -> None:
    mentions = [_m("Quokka Labs", "Organization"), _m("Quokka", "Organization", canonical="Quokka Labs"),
                _m("Wombat-2", "Model"), _m("Canada", "Country")]
    cands = [
        Candidate("Quokka Labs", "Organization", "released", "Wombat-2", "Model", _ev(start=0)),
        Candidate("Quokka's", "Organization", "released", "Wombat-2", "Model", _ev(start=50)),
        Candidate("Wombat-2", "Model", "basedIn", "Canada", "Country", _ev(start=90)),  # Model cannot be basedIn
        Candidate("Nobody", "Organization", "released", "Wombat-2", "Model", _ev(start=99)),  # unknown name
        Candidate("Quokka Labs", "Organization", "basedIn", "Canada", "Country", _ev(start=120)),
    ]
    ents, rels = resolve([_doc("d1", mentions, cands)])
    keys = {e.name: e.key for e in ents}
    triples = {(r.subject, r.predicate, r.object): r for r in rels}
    assert set(triples) == {
        (keys["Quokka Labs"], "released", keys["Wombat-2"]),
        (keys["Quokka Labs"], "basedIn", keys["Canada"]),
    }
    released = triples[(keys["Quokka Labs"], "released", keys["Wombat-2"])]
    assert [e.start for e in released.evidence] == [0, 50]
    assert 0.95 < released.confidence < 1.0


def test_relation_dropped_when_corpus_type_breaks_signature() -> None:
    mentions = [_m("Heron-2", "Model"), _m("Heron-2", "Model"), _m("Wombat-2", "Model")]
    cands = [Candidate("Heron-2", "Organization", "released", "Wombat-2", "Model", _ev())]
    _, rels = resolve([_doc("d1", mentions, cands)])
    assert rels == []


def test_country_implied_by_a_place_is_no_alias_of_it() -> None:
    place = Mention(text="Port Quokka", type="Country", start=0, end=11, doc_id="d1", source="place", canonical="Canada")
    cand = Candidate("Quokka Labs", "Organization", "basedIn", "Canada", "Country", _ev())
    ents, rels = resolve([_doc("d1", [place, _m("Quokka Labs", "Organization", at=20)], [cand])])
    country = _by_name(ents)["Canada"]
    assert country.type == "Country" and country.aliases == () and country.mentions == 1
    assert [(r.subject, r.predicate, r.object) for r in rels] == [("organization/quokka-labs", "basedIn", "country/canada")]
