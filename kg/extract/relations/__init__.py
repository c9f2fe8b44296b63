"""Relation extraction: one section's ``Doc`` in, typed ``Candidate`` triples out.

``find_relations`` runs every rule module over the section and keeps, for each
(subject, predicate, object, sentence), the most confident reading. Rules are
syntax and lexicon driven (``kg/data/relation_triggers.json``); each names
itself in ``Evidence.rule`` so a triple can be traced to the pattern that
produced it.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc

from kg.extract.relations import authored, based_in, funded, outperforms, people, rankings, released, rounds, scores
from kg.extract.relations._args import SectionInfo, section_info
from kg.extract.relations._base import Ctx
from kg.types import Candidate

__all__ = ["find_relations"]

Rule = Callable[[Ctx, SectionInfo], list[Candidate]]

RULES: tuple[Rule, ...] = (released.find, outperforms.find, scores.find, rankings.find, funded.find, rounds.find, people.find,
                          based_in.find)


def find_relations(doc: Doc, *, doc_id: str, section_title: str, offset: int) -> list[Candidate]:
    """Typed relation candidates of one section (headline + body) processed by the pipeline.

    Args:
        doc: the section, with ``doc.ents`` labelled with aikg's entity types.
        doc_id: the document the section belongs to.
        section_title: the section's headline (recorded in the evidence).
        offset: where the section starts in ``Document.text``.
    """
    ctx = Ctx.build(doc, doc_id=doc_id, section_title=section_title, offset=offset)
    info = section_info(ctx)
    found = [cand for rule in RULES for cand in rule(ctx, info)]
    found += authored.source_rule(ctx) + authored.by_rule(ctx)
    found += authored.section_rule(ctx, info, found)
    found += authored.title_subject_rule(ctx, [c for c in found if c.predicate == "authored"])
    best: dict[tuple[str, str, str, int], Candidate] = {}
    for cand in found:
        key = (cand.subject, cand.predicate, cand.object, cand.evidence.start)
        old = best.get(key)
        if old is None or cand.evidence.confidence > old.evidence.confidence:
            best[key] = cand
    return sorted(best.values(), key=lambda c: (c.evidence.start, c.predicate, c.subject, c.object))
