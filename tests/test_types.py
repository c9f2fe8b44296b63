"""Records round-trip through JSON; the fast decoder agrees with the general one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.types import (
    Candidate,
    DocResult,
    Document,
    Entity,
    Evidence,
    Link,
    Mention,
    Relation,
    Section,
    _decode_general,
)

FAST = settings(max_examples=150, deadline=None, database=None)

text = st.text(max_size=12)
small = st.integers(min_value=-5, max_value=10_000)
conf = st.floats(min_value=0, max_value=1, allow_nan=False)
sections = st.builds(Section, small, text, small, small, st.booleans())
links = st.builds(Link, small, small, text)
evidence = st.builds(Evidence, text, text, text, small, small, text, conf)
mentions = st.builds(Mention, text, text, small, small, text, text, conf, text)
candidates = st.builds(Candidate, text, text, text, text, text, evidence)
opt_int = st.none() | small
opt_str = st.none() | text
tuples = st.lists(text, max_size=3).map(tuple)
documents = st.builds(
    Document, text, text, text, text, st.lists(sections, max_size=3).map(tuple), opt_int, opt_str, text,
    st.lists(links, max_size=3).map(tuple),
)
results = st.builds(
    DocResult, text, text, text, opt_int, opt_str, st.lists(sections, max_size=3).map(tuple),
    st.lists(mentions, max_size=4).map(tuple), st.lists(candidates, max_size=3).map(tuple), tuples,
)
entities = st.builds(Entity, text, text, text, tuples, opt_str, small, tuples)
relations = st.builds(Relation, text, text, text, st.lists(evidence, max_size=3).map(tuple))
records = documents | results | entities | relations | mentions | candidates | sections | links | evidence


def _roundtrip(record: Any) -> Any:
    return type(record).from_dict(json.loads(json.dumps(record.to_dict())))


@FAST
@given(record=records)
def test_every_record_roundtrips_through_json(record: Any) -> None:
    back = _roundtrip(record)
    assert back == record
    assert repr(back) == repr(record)  # tuples stay tuples, nested records stay records
    assert hash(back) == hash(record)


@FAST
@given(record=records)
def test_fast_and_general_decoders_agree(record: Any) -> None:
    data = json.loads(json.dumps(record.to_dict()))
    assert repr(type(record).from_dict(data)) == repr(_decode_general(type(record), data))


def test_missing_fields_take_their_defaults_and_extra_keys_are_ignored() -> None:
    assert Entity.from_dict({"key": "k", "name": "N", "type": "Model", "aliases": ["a"], "x": 1}) == Entity(
        "k", "N", "Model", aliases=("a",)
    )
    assert Relation.from_dict({"subject": "s", "predicate": "released", "object": "o"}).evidence == ()
    doc = Document.from_dict({"id": "i", "title": "t", "text": "x", "source": "s", "links": [{"start": 0, "end": 1, "url": "u"}]})
    assert doc.links == (Link(0, 1, "u"),) and doc.sections == ()


def test_a_missing_required_field_is_the_constructors_type_error() -> None:
    with pytest.raises(TypeError, match="missing 3 required positional arguments: 'type', 'start', and 'end'"):
        Mention.from_dict({"text": "t", "doc_id": "d"})
