"""Frozen records that flow between the pipeline stages.

ingest -> :class:`Document` (with :class:`Section`)
extract -> :class:`DocResult` (:class:`Mention`, :class:`Candidate` + :class:`Evidence`)
resolve -> :class:`Entity`, :class:`Relation`

Character offsets are always offsets into ``Document.text`` (the cleaned
plain text of the document, not the raw file), half-open ``[start, end)``.
Every record round-trips through plain JSON (``to_dict`` / ``from_dict``) so
that per-document results can be cached and sent between processes.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, TypeVar

EntityType = Literal["Organization", "Model", "Paper", "Person", "Country", "Benchmark"]
Predicate = Literal["released", "outperforms", "funded", "worksFor", "basedIn", "authored"]

ENTITY_TYPES: tuple[str, ...] = ("Organization", "Model", "Paper", "Person", "Country", "Benchmark")
PREDICATES: tuple[str, ...] = ("released", "outperforms", "funded", "worksFor", "basedIn", "authored")

#: (subject types, object types) allowed for each predicate (GUIDELINES.md).
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "released": (frozenset({"Organization"}), frozenset({"Model", "Paper", "Benchmark"})),
    "outperforms": (frozenset({"Model"}), frozenset({"Model"})),
    "funded": (frozenset({"Organization", "Country", "Person"}), frozenset({"Organization"})),
    "worksFor": (frozenset({"Person"}), frozenset({"Organization"})),
    "basedIn": (frozenset({"Organization"}), frozenset({"Country"})),
    "authored": (frozenset({"Organization", "Person"}), frozenset({"Paper"})),
}

T = TypeVar("T")


class _Record:
    """JSON round-trip for the frozen dataclasses below."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_dict(cls: type[T], data: dict[str, Any]) -> T:
        return _decoder(cls)(data)  # type: ignore[no-any-return]


#: field annotations whose JSON value is used as it is (no nested record, no list to turn into a tuple)
_SCALARS = frozenset({"str", "int", "float", "bool", "str | None", "int | None", "float | None"})


@functools.cache
def _decoder(cls: type) -> Callable[[dict[str, Any]], Any]:
    """The decoder of ``cls`` records, worked out once per class (reading a build cache decodes tens of
    thousands of records): one C-level lookup of all the field values, then conversions only where a
    field needs one (a nested record, or a list that becomes a tuple). A dict that lacks a field takes
    the general path of :func:`_decode_general` (defaults, and the constructor's error)."""
    names = tuple(f.name for f in fields(cls))
    converters = tuple(
        (i, conv) for i, f in enumerate(fields(cls)) if (conv := _converter(cls, f.name, f.type)) is not None
    )
    lookup = operator.itemgetter(*names)
    general = functools.partial(_decode_general, cls)

    def decode(data: dict[str, Any]) -> Any:
        try:
            values = lookup(data)
        except KeyError:
            return general(data)
        if not converters:
            return cls(*values)
        values = list(values)
        for i, conv in converters:
            values[i] = conv(values[i])
        return cls(*values)

    return decode if len(names) > 1 else general


def _converter(cls: type, name: str, annotation: object) -> Callable[[Any], Any] | None:
    many = _NESTED.get((cls.__name__, name))
    if many is not None:
        return functools.partial(_decode_many, _decoder(many))
    one = _NESTED_ONE.get((cls.__name__, name))
    if one is not None:
        return _decoder(one)
    if annotation in _SCALARS:
        return None
    return _plain


def _plain(value: Any) -> Any:
    """A JSON list as a tuple (its list items as tuples too); any other value unchanged."""
    if isinstance(value, list):
        return tuple(tuple(v) if isinstance(v, list) else v for v in value)
    return value


def _decode_many(decode: Callable[[dict[str, Any]], Any], values: list[dict[str, Any]]) -> tuple[Any, ...]:
    return tuple(map(decode, values))


def _decode_general(cls: type, data: dict[str, Any]) -> Any:
    """A record of ``cls`` from a dict that may leave out fields with defaults (and may hold extra keys)."""
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        conv = _converter(cls, f.name, f.type)
        kwargs[f.name] = data[f.name] if conv is None else conv(data[f.name])
    return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class Link(_Record):
    """A hyperlink whose visible text is ``Document.text[start:end]``."""

    start: int
    end: int
    url: str


@dataclass(frozen=True, slots=True)
class Section(_Record):
    """A headline plus its body: ``Document.text[start:end]``."""

    index: int
    title: str
    start: int
    end: int
    fiction: bool = False


@dataclass(frozen=True, slots=True)
class Document(_Record):
    """One newsletter issue or post, as cleaned plain text."""

    id: str
    title: str
    text: str
    source: str
    sections: tuple[Section, ...] = ()
    issue: int | None = None
    date: str | None = None
    format: str = "text"
    links: tuple[Link, ...] = ()

    def section_at(self, offset: int) -> Section | None:
        for s in self.sections:
            if s.start <= offset < s.end:
                return s
        return None


@dataclass(frozen=True, slots=True)
class Evidence(_Record):
    """Where a relation (or a mention) was read: a sentence of a document."""

    doc_id: str
    section: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Mention(_Record):
    """A typed span of a document that names an entity."""

    text: str
    type: str
    start: int
    end: int
    doc_id: str
    source: str = "ner"
    confidence: float = 1.0
    #: canonical surface form chosen within the document (e.g. the long form
    #: "Nous Research" for a later "Nous"); empty when the text is its own.
    canonical: str = ""


@dataclass(frozen=True, slots=True)
class Candidate(_Record):
    """A relation read from one sentence, between two surface names."""

    subject: str
    subject_type: str
    predicate: str
    object: str
    object_type: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class DocResult(_Record):
    """Everything extraction found in one document (the unit of caching)."""

    doc_id: str
    title: str
    source: str
    issue: int | None
    date: str | None
    sections: tuple[Section, ...]
    mentions: tuple[Mention, ...]
    candidates: tuple[Candidate, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity(_Record):
    """A resolved entity of the whole corpus."""

    key: str  # deterministic slug, the last segment of its IRI
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # a Q-id such as "Q2283"
    mentions: int = 0
    documents: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Relation(_Record):
    """A resolved relation between two entities, with all its evidence."""

    subject: str  # Entity.key
    predicate: str
    object: str  # Entity.key
    evidence: tuple[Evidence, ...] = field(default_factory=tuple)

    @property
    def confidence(self) -> float:
        """Noisy-or of the independent pieces of evidence."""
        miss = 1.0
        for ev in self.evidence:
            miss *= 1.0 - ev.confidence
        return round(1.0 - miss, 4)


_NESTED: dict[tuple[str, str], type[_Record]] = {
    ("Document", "sections"): Section,
    ("Document", "links"): Link,
    ("DocResult", "sections"): Section,
    ("DocResult", "mentions"): Mention,
    ("DocResult", "candidates"): Candidate,
    ("Relation", "evidence"): Evidence,
}
_NESTED_ONE: dict[tuple[str, str], type[_Record]] = {("Candidate", "evidence"): Evidence}
