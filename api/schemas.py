"""Response models of the REST API (they make the OpenAPI schema precise),
and the conversions from the in-memory snapshot records to them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kg.api.snapshot import DocInfo, Edge, EntityInfo, EvidenceInfo, Snapshot
from kg.index import Hit
from kg.lookup import AskResult
from kg.types import EntityType, Predicate


class EntityRef(BaseModel):
    id: str = Field(description="entity key '<type>/<slug>', usable in /entities/{id}")
    name: str
    type: EntityType


class DocumentRef(BaseModel):
    id: str
    title: str | None = None
    issue: int | None = None
    date: str | None = None


class EvidenceOut(BaseModel):
    """One sentence that supports a relation."""

    sentence: str
    document: DocumentRef
    section: str | None = Field(default=None, description="title of the section")
    section_index: int | None = None
    start: int | None = Field(default=None, description="offset of the sentence in the document text")
    end: int | None = None
    extractor: str | None = Field(default=None, description="the rule that read the relation")
    confidence: float | None = None


class RelationOut(BaseModel):
    subject: EntityRef
    predicate: Predicate
    object: EntityRef
    confidence: float | None = Field(default=None, description="noisy-or of the evidence confidences")
    evidence: list[EvidenceOut]


class EntitySummary(EntityRef):
    aliases: list[str]
    wikidata: str | None = Field(default=None, description="Wikidata entity IRI when known")
    mentions: int


class SearchHit(EntitySummary):
    score: float = Field(ge=0, le=100, description="fuzzy similarity of the best matching name")
    match: Literal["exact", "alias", "prefix", "contains", "fuzzy"]
    matched: str = Field(description="the name or alias that matched")


class EntityPage(BaseModel):
    q: str | None
    type: EntityType | None
    total: int
    limit: int
    offset: int
    items: list[SearchHit]


class EntityDetail(EntitySummary):
    iri: str
    documents: list[DocumentRef]
    outgoing: list[RelationOut]
    incoming: list[RelationOut]
    outgoing_total: int
    incoming_total: int


class RelationPage(BaseModel):
    resolved: dict[str, list[EntityRef]] = Field(description="the entities each name parameter resolved to")
    predicate: Predicate | None
    total: int
    limit: int
    offset: int
    items: list[RelationOut]


class Understood(BaseModel):
    """How /ask read the question."""

    entity: EntityRef
    predicates: list[Predicate]
    direction: Literal["out", "in"] = Field(
        description="'out': the entity is the subject and answers are objects; 'in': the reverse"
    )
    answer_type: EntityType | None
    shape: str


class Answer(BaseModel):
    entity: EntityRef
    predicates: list[Predicate]
    confidence: float | None = None
    evidence: list[EvidenceOut]


class AskResponse(BaseModel):
    question: str
    understood: Understood
    count: int
    answers: list[Answer]


class Stats(BaseModel):
    entities: int
    relations: int
    evidence: int
    documents: int
    triples: int
    entities_by_type: dict[str, int]
    relations_by_predicate: dict[str, int]
    built_at: str | None
    pipeline_version: str | None
    model_name: str | None
    model_version: str | None


# --- conversions ---------------------------------------------------------------


def entity_ref(e: EntityInfo) -> EntityRef:
    return EntityRef(id=e.key, name=e.name, type=e.type)  # type: ignore[arg-type]


def entity_summary(e: EntityInfo) -> EntitySummary:
    return EntitySummary(
        id=e.key, name=e.name, type=e.type, aliases=list(e.aliases), wikidata=e.wikidata, mentions=e.mentions  # type: ignore[arg-type]
    )


def document_ref(d: DocInfo) -> DocumentRef:
    return DocumentRef(id=d.id, title=d.title, issue=d.issue, date=d.date)


def evidence_out(ev: EvidenceInfo) -> EvidenceOut:
    return EvidenceOut(
        sentence=ev.sentence,
        document=document_ref(ev.document),
        section=ev.section,
        section_index=ev.section_index,
        start=ev.start,
        end=ev.end,
        extractor=ev.extractor,
        confidence=ev.confidence,
    )


def search_hit(e: EntityInfo, hit: Hit) -> SearchHit:
    return SearchHit(
        id=e.key, name=e.name, type=e.type, aliases=list(e.aliases), wikidata=e.wikidata,  # type: ignore[arg-type]
        mentions=e.mentions, score=hit.score, match=hit.tier, matched=hit.matched,  # type: ignore[arg-type]
    )


def relation_out(snap: Snapshot, edge: Edge) -> RelationOut:
    return RelationOut(
        subject=entity_ref(snap.entities[edge.subject]),
        predicate=edge.predicate,  # type: ignore[arg-type]
        object=entity_ref(snap.entities[edge.object]),
        confidence=edge.confidence,
        evidence=[evidence_out(ev) for ev in edge.evidence],
    )


def ask_response(result: AskResult) -> AskResponse:
    """The /ask body (and `kg ask --json`) of :func:`kg.lookup.answer`'s result."""
    parsed = result.parsed
    return AskResponse(
        question=result.question,
        understood=Understood(
            entity=entity_ref(result.entity),
            predicates=list(parsed.predicates),  # type: ignore[arg-type]
            direction=parsed.direction,
            answer_type=parsed.answer_type,  # type: ignore[arg-type]
            shape=parsed.shape,
        ),
        count=len(result.answers),
        answers=[
            Answer(
                entity=entity_ref(a.entity),
                predicates=list(a.predicates),  # type: ignore[arg-type]
                confidence=a.confidence,
                evidence=[evidence_out(ev) for ev in a.evidence],
            )
            for a in result.answers
        ],
    )
