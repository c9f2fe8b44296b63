"""The aikg spaCy pipeline: loading, labels, extensions, versioning and the vocabulary files."""

from __future__ import annotations

import pycountry
import pytest
import spacy

import kg
from kg.errors import AikgError
from kg.extract.vocab import DATA_DIR, DATA_FILES, norm, vocabulary
from kg.nlp import COMPONENT, DEFAULT_MODEL, ENTITY_LABELS, load_pipeline, pipeline_version


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline()


def test_pipeline_keeps_pretrained_components_and_adds_ours(nlp) -> None:  # type: ignore[no-untyped-def]
    names = nlp.pipe_names
    for needed in ("tagger", "parser", "lemmatizer", "ner"):
        assert needed in names
    assert names.index(COMPONENT) == names.index("ner") + 1


def test_unknown_model_names_the_options() -> None:
    with pytest.raises(AikgError) as info:
        load_pipeline("en_no_such_model_xx")
    msg = str(info.value)
    assert "en_no_such_model_xx" in msg and "installed models" in msg


def test_only_six_labels_after_pipe(nlp) -> None:  # type: ignore[no-untyped-def]
    texts = ["In March 2023, 12 engineers at Nvidia in Texas spent $4 million.", "Korean firms and Samsung met in Seoul on Friday."]
    for doc in nlp.pipe(texts):
        assert all(e.label_ in ENTITY_LABELS for e in doc.ents)


def test_canonical_extension_defaults_to_none(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Anthropic published a report.")
    assert [e._.canonical for e in doc.ents if e.text == "Anthropic"] == [None]


def test_tokenizer_splits_glued_link_text_and_final_period(nlp) -> None:  # type: ignore[no-untyped-def]
    assert [t.text for t in nlp.tokenizer("Read moreHeron-2 is out on Zebra-7B.")] == [
        "Read", "more", "Heron-2", "is", "out", "on", "Zebra-7B", ".",
    ]
    assert [t.text for t in nlp.tokenizer("Furthermore, the U.S. won.")][:4] == ["Furthermore", ",", "the", "U.S."]


def test_tokenizer_keeps_the_saved_settings_of_the_model(nlp) -> None:  # type: ignore[no-untyped-def]
    """Only the prefix and suffix patterns differ from the pretrained tokenizer as spaCy loads it."""
    plain = spacy.load(DEFAULT_MODEL).tokenizer
    ours = nlp.tokenizer
    assert ours.rules == plain.rules and len(ours.rules) > 1000
    for attr in ("infix_finditer", "url_match"):
        assert getattr(ours, attr).__self__.pattern == getattr(plain, attr).__self__.pattern
    assert ours.token_match == plain.token_match and ours.faster_heuristics == plain.faster_heuristics
    assert ours.prefix_search.__self__.pattern != plain.prefix_search.__self__.pattern
    text = "We can't say Dr. Smith's model, e.g. Zebra-7B, isn't good :) see https://example.org/a-b."
    assert [t.text for t in ours(text)] == [t.text for t in plain(text)]
    # the special cases were loaded with the final patterns: a rule glued to a capitalised word still applies
    assert [t.text for t in ours("Read moreDon't stop.")] == ["Read", "more", "Do", "n't", "stop", "."]


def test_pipeline_version_is_stable_and_names_the_package() -> None:
    v = pipeline_version()
    assert v == pipeline_version()
    assert v.startswith(kg.__version__ + "+")


def test_data_files_have_source_headers() -> None:
    for name in DATA_FILES:
        head = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()[:6]
        assert any(line.startswith("#") and "Source" in line for line in head), f"{name}: no '# Source' header line"


def test_country_table_agrees_with_pycountry() -> None:
    for line in (DATA_DIR / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code = line.split("\t")[0]
        assert pycountry.countries.get(alpha_2=code) is not None, f"countries.tsv: {code!r} is not an ISO 3166 alpha-2 code"
    v = vocabulary()
    assert v.countries["U.S."] == "United States" and v.countries["Germany"] == "Germany"
    assert v.demonyms["Chinese"] == "China"
    # every country the Wikidata table names is a known country name
    for (etype, key), qid in v.wikidata.items():
        assert qid.startswith("Q") and qid[1:].isdigit()
        if etype == "Country":
            assert key in {norm(n) for n in v.countries.values()}


def test_vocabularies_do_not_name_generic_concepts() -> None:
    v = vocabulary()
    for concept in ("ai", "llm", "gpu", "moe", "agi", "rl"):
        assert concept in v.non_entities
        assert concept not in v.by_norm
