"""Corpus-level entity resolution: Mentions -> Entities, Candidates -> Relations.

Names are compared by :func:`kg.extract.vocab.norm` (case, punctuation,
possessive and leading "the" folded away). Every name gets one type for the
whole corpus (the weighted vote of all its mentions), then names of the same
type are merged when a document links them (short form, acronym, demonym:
``Mention.canonical``) or when they are near-identical spellings with the
same digits. The cost is linear in the mentions plus small fuzzy blocks.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from kg.extract.vocab import norm, vocabulary
from kg.ontology.namespace import entity_key
from kg.types import SIGNATURES, Candidate, DocResult, Entity, Evidence, Mention, Relation

__all__ = ["resolve"]

#: Mention.source of a country implied by a place ("San Francisco-based"): the place is no alias of it
PLACE_SOURCE = "place"
FUZZY_MIN_SCORE = 92.0
FUZZY_MIN_LENGTH = 6
FUZZY_MAX_BLOCK = 300

Node = tuple[str, str]  # (type, normalized name)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Node, Node] = {}

    def add(self, x: Node) -> None:
        self.parent.setdefault(x, x)

    def find(self, x: Node) -> Node:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


def _name_of(m: Mention) -> str:
    return m.canonical or m.text


def _corpus_types(mentions: Iterable[Mention]) -> dict[str, str]:
    """norm(name) -> the type most of the corpus's evidence gives it."""
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        tally[norm(_name_of(m))][m.type] += max(m.confidence, 0.05)
    return {k: max(sorted(c), key=lambda t: c[t]) for k, c in tally.items()}


_DIGITS = re.compile(r"\d+")


def _digits(s: str) -> str:
    return "".join(_DIGITS.findall(s))


def _fuzzy_merge(uf: _UnionFind, nodes: Iterable[Node]) -> None:
    """Near-identical spellings of one type (same digits, so sizes and versions stay apart)."""
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for etype, key in sorted(set(nodes)):
        if len(key) >= FUZZY_MIN_LENGTH and etype != "Paper":
            blocks[(etype, key[:2])].append(key)
    for (etype, _), keys in sorted(blocks.items()):
        if len(keys) > FUZZY_MAX_BLOCK:
            continue
        digits = [_digits(k) for k in keys]
        for i, a in enumerate(keys):
            for j in range(i + 1, len(keys)):
                if digits[i] == digits[j] and fuzz.ratio(a, keys[j]) >= FUZZY_MIN_SCORE:
                    uf.union((etype, a), (etype, keys[j]))


def _choose_name(full_forms: Counter[str]) -> str:
    """The most frequent full form; ties go to the longer, then the alphabetically first."""
    return min(full_forms, key=lambda s: (-full_forms[s], -len(s), s))


def _entities(mentions: list[Mention]) -> tuple[list[Entity], dict[Node, str]]:
    types = _corpus_types(mentions)
    uf = _UnionFind()
    # each mention's (corpus type, normalised name), worked out once
    canons: list[Node] = [(types[n], n) for n in map(norm, map(_name_of, mentions))]
    for m, canon in zip(mentions, canons):
        surface: Node = (canon[0], norm(m.text))
        uf.add(canon)
        if surface[1] and m.source != PLACE_SOURCE:
            uf.add(surface)
            uf.union(canon, surface)
    _fuzzy_merge(uf, uf.parent)
    groups: dict[Node, list[Mention]] = defaultdict(list)
    for m, canon in zip(mentions, canons):
        groups[uf.find(canon)].append(m)
    # clusters whose chosen names collide on the same key are one entity
    by_key: dict[str, list[Mention]] = defaultdict(list)
    for root, ms in groups.items():
        full = Counter(_name_of(m) for m in ms)
        by_key[entity_key(root[0], _choose_name(full))].extend(ms)
    node_key: dict[Node, str] = {}
    entities: list[Entity] = []
    wikidata = vocabulary().wikidata
    for key in sorted(by_key):
        ms = by_key[key]
        etype = types[norm(_name_of(ms[0]))]
        name = _choose_name(Counter(_name_of(m) for m in ms))
        forms = sorted({m.text for m in ms if m.source != PLACE_SOURCE} | {_name_of(m) for m in ms})
        aliases = tuple(f for f in forms if f != name)
        for f in (name, *aliases):
            node_key.setdefault((etype, norm(f)), key)
        qid = next((wikidata[(etype, norm(f))] for f in (name, *aliases) if (etype, norm(f)) in wikidata), None)
        entities.append(
            Entity(
                key=key,
                name=name,
                type=etype,
                aliases=aliases,
                wikidata=qid,
                mentions=len(ms),
                documents=tuple(sorted({m.doc_id for m in ms})),
            )
        )
    return entities, node_key


def _lookup(name: str, etype: str, node_key: dict[Node, str], by_norm: dict[str, set[str]]) -> str | None:
    n = norm(name)
    key = node_key.get((etype, n))
    if key is not None:
        return key
    keys = by_norm.get(n, set())
    return next(iter(keys)) if len(keys) == 1 else None


def _relations(candidates: Iterable[Candidate], entities: list[Entity], node_key: dict[Node, str]) -> list[Relation]:
    etype_of = {e.key: e.type for e in entities}
    by_norm: dict[str, set[str]] = defaultdict(set)
    for (_, n), key in node_key.items():
        by_norm[n].add(key)
    grouped: dict[tuple[str, str, str], list[Evidence]] = defaultdict(list)
    for c in candidates:
        if c.predicate not in SIGNATURES:
            continue
        s = _lookup(c.subject, c.subject_type, node_key, by_norm)
        o = _lookup(c.object, c.object_type, node_key, by_norm)
        if s is None or o is None or s == o:
            continue
        subj_types, obj_types = SIGNATURES[c.predicate]
        if etype_of[s] not in subj_types or etype_of[o] not in obj_types:
            continue
        grouped[(s, c.predicate, o)].append(c.evidence)
    return [
        Relation(subject=s, predicate=p, object=o, evidence=tuple(sorted(set(evs), key=lambda e: (e.doc_id, e.start, e.end, e.rule))))
        for (s, p, o), evs in sorted(grouped.items())
    ]


def resolve(results: Sequence[DocResult]) -> tuple[list[Entity], list[Relation]]:
    """One Entity per thing named in the corpus, and the Relations between them.

    Entities are sorted by key; relations by (subject, predicate, object).
    Candidates whose names resolve to no entity, or whose resolved types
    break :data:`kg.types.SIGNATURES`, are dropped.
    """
    mentions = [m for r in results for m in r.mentions if norm(_name_of(m))]
    entities, node_key = _entities(mentions)
    relations = _relations((c for r in results for c in r.candidates), entities, node_key)
    return entities, relations
