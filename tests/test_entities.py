"""Sentence -> entities table for the aikg entity component (sentences written for these tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract import extract_document
from kg.nlp import load_pipeline
from kg.types import Document, Link, Section

ENTITY_CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    # model names: versions, sizes, suffixes
    ("Zhipu has released GLM-5.1-Air, which beats Qwen2.5-Coder on code.", [("GLM-5.1-Air", "Model"), ("Qwen2.5-Coder", "Model")], ["Qwen"]),
    ("The team finetuned LLaMa-3.1 405B and Mistral 7B for the study.", [("LLaMa-3.1 405B", "Model"), ("Mistral 7B", "Model")], ["LLaMa"]),
    ("We compared o1-preview with GPT-4o and Claude 3.5 Sonnet.", [("o1-preview", "Model"), ("GPT-4o", "Model"), ("Claude 3.5 Sonnet", "Model")], ["Claude"]),
    ("The robot policy π0 folds laundry.", [("π0", "Model")], []),
    ("DeepSeek-R1-Lite-Preview solves hard puzzles.", [("DeepSeek-R1-Lite-Preview", "Model")], ["DeepSeek"]),
    ("Quokka researchers trained Wombat-2 13B, a model for farm logistics.", [("Wombat-2 13B", "Model")], []),
    ("They built an agent called Kestrel that plays chess.", [("Kestrel", "Model")], []),
    ("Scores fell from 26.12 to 8.1 when Zebra-7B was quantized.", [("Zebra-7B", "Model")], ["Zebra-7B 26.12"]),
    # organisations by cue
    ("The startup Lumora raised money last week.", [("Lumora", "Organization")], []),
    ("Researchers with Tallinn University and Quanta Labs built the dataset.", [("Tallinn University", "Organization"), ("Quanta Labs", "Organization")], []),
    ("Velox, a robotics company based in Ohio, shipped a new arm.", [("Velox", "Organization")], ["Ohio"]),
    ("Perdix Inc and the University of Leeds signed a deal.", [("Perdix Inc", "Organization"), ("University of Leeds", "Organization")], []),
    ("Microsoft's researchers describe the method in detail.", [("Microsoft", "Organization")], []),
    ("The round was led by Kowloon Securities and Birch Partners.", [("Kowloon Securities", "Organization"), ("Birch Partners", "Organization")], []),
    ("The Institute for Law and Robots wrote a memo.", [("Institute for Law and Robots", "Organization")], []),
    # benchmarks
    ("The model scores 71.2 on GPQA and does well on MMLU.", [("GPQA", "Benchmark"), ("MMLU", "Benchmark")], []),
    ("They introduce a benchmark called TideBench for ocean forecasting.", [("TideBench", "Benchmark")], []),
    ("Results on the Marmot benchmark were poor.", [("Marmot", "Benchmark")], []),
    # countries and demonyms
    ("Chinese researchers and French startups compete with the United States.", [("Chinese", "Country"), ("French", "Country"), ("United States", "Country")], []),
    ("The U.S. government and the UK are drafting rules.", [("U.S.", "Country"), ("UK", "Country")], []),
    ("The dataset covers Swahili and Japanese text.", [], ["Swahili", "Japanese"]),
    # persons
    ("Ada Lovelace now works for Babbage Research.", [("Ada Lovelace", "Person"), ("Babbage Research", "Organization")], []),
    # not entities
    ("AI and LLM progress depends on GPU supply and RLHF.", [], ["AI", "LLM", "GPU", "RLHF"]),
    ("Hardware types: most labs use H100 chips.", [], ["Hardware", "H100"]),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _ents(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize(("text", "expected", "forbidden"), ENTITY_CASES, ids=[c[0][:40] for c in ENTITY_CASES])
def test_sentence_entities(nlp: Language, text: str, expected: list[tuple[str, str]], forbidden: list[str]) -> None:
    found = _ents(nlp, text)
    for item in expected:
        assert item in found, f"{item} not in {sorted(found)}"
    texts = {t for t, _ in found}
    for bad in forbidden:
        assert bad not in texts, f"{bad!r} should not be an entity in {sorted(found)}"


def test_demonym_canonical(nlp: Language) -> None:
    doc = nlp("German engineers and Canadian investors met in Paris.")
    canon = {e.text: e._.canonical for e in doc.ents if e.label_ == "Country"}
    assert canon == {"German": "Germany", "Canadian": "Canada"}


def test_acronym_and_short_form(nlp: Language) -> None:
    doc = nlp("Kestrel Dynamics Research (KDR) built it. Later, Kestrel and KDR shared the weights.")
    by_text = {(e.text, e.label_): e._.canonical for e in doc.ents}
    assert by_text[("KDR", "Organization")] == "Kestrel Dynamics Research"
    assert by_text[("Kestrel", "Organization")] == "Kestrel Dynamics Research"


def test_document_vote_types_repeated_names(nlp: Language) -> None:
    doc = nlp("Ostrich-3 is a new model. People liked Ostrich-3 because Ostrich-3 is fast.")
    labels = {e.label_ for e in doc.ents if e.text == "Ostrich-3"}
    assert labels == {"Model"}
    assert sum(1 for e in doc.ents if e.text == "Ostrich-3") == 3


def test_read_more_line_gives_paper_and_source(nlp: Language) -> None:
    text = "Nice result.\n   Read more: Heron: Scaling Laws for Tiny Birds (Heron Labs blog, arXiv).\n"
    found = _ents(nlp, text)
    assert ("Heron: Scaling Laws for Tiny Birds", "Paper") in found
    assert ("Heron Labs", "Organization") in found
    assert not any(t == "arXiv" for t, _ in found)


def test_read_more_glued_and_short_title(nlp: Language) -> None:
    found = _ents(nlp, "   Read moreHow Finch learned to sing (Finch Labs blog).\n   Read more: TideBench (Ocean AI).\n")
    assert ("How Finch learned to sing", "Paper") in found
    assert not any(label == "Paper" and t == "TideBench" for t, label in found)


def test_labels_are_only_the_six_types(nlp: Language) -> None:
    doc = nlp("On Monday 5 June 2024, Apple paid $3 billion to 40 people in Berlin, Germany.")
    assert {e.label_ for e in doc.ents} <= {"Organization", "Model", "Paper", "Person", "Country", "Benchmark"}
    assert ("Germany", "Country") in {(e.text, e.label_) for e in doc.ents}
    assert "Berlin" not in {e.text for e in doc.ents}


def _document(text: str, sections: tuple[Section, ...], links: tuple[Link, ...] = ()) -> Document:
    return Document(id="t-1", title="t", text=text, source="t.txt", sections=sections, links=links)


def test_extract_document_offsets_and_fiction(nlp: Language) -> None:
    part1 = "Quokka Labs ships Wombat-2:\nQuokka Labs has released Wombat-2 13B.\n"
    part2 = "Tech Tales:\nThe android from Ostrich Labs dreamed.\n"
    text = part1 + part2
    doc = _document(text, (Section(0, "Quokka", 0, len(part1)), Section(1, "Tech Tales", len(part1), len(text), fiction=True)))
    result = extract_document(doc, nlp)
    assert result.mentions, "no mentions found"
    for m in result.mentions:
        assert text[m.start : m.end] == m.text
        assert m.end <= len(part1), f"mention {m.text!r} taken from the fiction section"
    assert {"Quokka Labs", "Wombat-2 13B"} <= {m.text for m in result.mentions}


def test_extract_document_drops_host_link_text(nlp: Language) -> None:
    text = "The code is on GitHub and the paper on arXiv. Hugging Face released SmolThing-2.\n"
    start = text.index("GitHub")
    doc = _document(text, (Section(0, "s", 0, len(text)),), (Link(start, start + 6, "https://github.com/x"),))
    names = {m.text for m in extract_document(doc, nlp).mentions}
    assert "GitHub" not in names and "arXiv" not in names
    assert "Hugging Face" in names
