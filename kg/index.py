"""A name index over entities: exact, alias-aware and fuzzy ranked lookup.

Pure and in memory: built once from ``(key, name, type, aliases, weight)``
rows, then queried many times.  Names are compared by :func:`normalize`
(NFKC, case-folded, punctuation and spaces removed, a leading "the" dropped),
so "LLaMa-3.1 405B", "llama 3.1 405b" and "Llama3.1-405B" are one name.
Fuzzy scores are rapidfuzz's normalized Indel similarity (``fuzz.ratio``,
0-100) of the normalized forms; substring hits are found by one C-level scan
of all names joined together, so a search over tens of thousands of names
takes a few milliseconds.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: how a query matched a name, best first (the rank of a hit's tier)
TIERS: tuple[str, ...] = ("exact", "alias", "prefix", "contains", "fuzzy")

_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def normalize(name: str) -> str:
    """The comparison form of a name: case-, space- and punctuation-blind."""
    s = unicodedata.normalize("NFKC", name).strip()
    s = _THE.sub("", s).casefold().replace("+", "plus")
    return _PUNCT.sub("", s)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One entity as the index sees it."""

    key: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    weight: int = 0  # tie-breaker: higher first (e.g. mention count)


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked search result."""

    key: str
    score: float  # 0-100
    tier: str  # one of TIERS
    matched: str  # the name or alias that matched


@dataclass(frozen=True, slots=True)
class _Choices:
    """Normalized names of one slice of the index (all entities or one type)."""

    norms: tuple[str, ...]
    owners: tuple[tuple[int, ...], ...]  # entry positions per norm
    surfaces: tuple[str, ...]  # one readable surface form per norm
    joined: str  # the norms joined by NUL, for substring scans
    starts: tuple[int, ...]  # offset of each norm in ``joined``


_SEP = "\x00"  # never part of a normalized name


def _choices(table: dict[str, tuple[list[int], str]]) -> _Choices:
    norms = tuple(table)
    starts: list[int] = []
    offset = 0
    for norm in norms:
        starts.append(offset)
        offset += len(norm) + 1
    return _Choices(
        norms=norms,
        owners=tuple(tuple(o) for o, _ in table.values()),
        surfaces=tuple(s for _, s in table.values()),
        joined=_SEP.join(norms),
        starts=tuple(starts),
    )



def _containing(choices: _Choices, query: str) -> list[int]:
    """Positions of the norms that contain ``query`` (one ``str.find`` per hit)."""
    found: list[int] = []
    pos = choices.joined.find(query)
    while pos != -1:
        i = bisect_right(choices.starts, pos) - 1
        found.append(i)
        following = choices.starts[i + 1] if i + 1 < len(choices.starts) else len(choices.joined)
        pos = choices.joined.find(query, following)
    return found


@dataclass(frozen=True, slots=True)
class NameIndex:
    """Entities by normalized name, plus per-type choice lists for fuzzy search."""

    entries: tuple[IndexEntry, ...]
    by_key: dict[str, int]
    exact: dict[str, tuple[int, ...]]  # norm of a canonical name -> entries
    alias: dict[str, tuple[int, ...]]  # norm of an alias or a key -> entries
    choices: dict[str | None, _Choices]  # None = all types


def build_index(entries: Iterable[IndexEntry]) -> NameIndex:
    """Index entities by canonical name, aliases and key."""
    rows = tuple(entries)
    exact: dict[str, list[int]] = {}
    alias: dict[str, list[int]] = {}
    per_type: dict[str | None, dict[str, tuple[list[int], str]]] = {None: {}}
    for pos, e in enumerate(rows):
        names = [(e.name, exact, True)] + [(a, alias, True) for a in e.aliases]
        for surface, table, searchable in [*names, (e.key, alias, False)]:
            norm = normalize(surface)
            if not norm:
                continue
            bucket = table.setdefault(norm, [])
            if pos not in bucket:
                bucket.append(pos)
            if not searchable:
                continue
            for slice_ in (None, e.type):
                owners, _ = per_type.setdefault(slice_, {}).setdefault(norm, ([], surface))
                if pos not in owners:
                    owners.append(pos)
    return NameIndex(
        entries=rows,
        by_key={e.key: pos for pos, e in enumerate(rows)},
        exact={k: tuple(v) for k, v in exact.items()},
        alias={k: tuple(v) for k, v in alias.items()},
        choices={t: _choices(table) for t, table in per_type.items()},
    )


def lookup(index: NameIndex, name: str, *, types: Iterable[str] | None = None) -> tuple[str, ...]:
    """Keys of the entities called exactly ``name`` (modulo :func:`normalize`).

    Canonical-name matches come before alias matches; within each, entities
    with more weight come first.  ``types`` keeps only entities of those types.
    """
    if name in index.by_key:
        return (name,)
    norm = normalize(name)
    wanted = None if types is None else frozenset(types)
    seen: list[int] = []
    for table in (index.exact, index.alias):
        group = [p for p in table.get(norm, ()) if p not in seen]
        group.sort(key=lambda p: (-index.entries[p].weight, index.entries[p].name))
        seen.extend(group)
    return tuple(
        index.entries[p].key for p in seen if wanted is None or index.entries[p].type in wanted
    )


def _tier(query: str, norm: str, exact_hit: bool) -> str:
    if query == norm:
        return "exact" if exact_hit else "alias"
    if norm.startswith(query):
        return "prefix"
    if query in norm:
        return "contains"
    return "fuzzy"


def search(
    index: NameIndex,
    query: str,
    *,
    type: str | None = None,
    cutoff: float = 70.0,
) -> list[Hit]:
    """Every entity whose name or alias resembles ``query``, best first.

    Matches are names within ``cutoff`` similarity, plus any name containing
    the query (two characters or more).  Ranking: tier (exact name, exact
    alias, prefix, substring, fuzzy), then score, then weight, then name.  An empty query lists all entities (of
    ``type``) by weight.
    """
    slice_ = index.choices.get(type)
    if slice_ is None:
        return []
    q = normalize(query)
    if not q:
        positions = sorted(
            {p for owners in slice_.owners for p in owners},
            key=lambda p: (-index.entries[p].weight, index.entries[p].name.casefold()),
        )
        return [Hit(index.entries[p].key, 100.0, "exact", index.entries[p].name) for p in positions]
    scores = {i: score for _, score, i in process.extract(q, slice_.norms, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)}
    if len(q) >= 2:
        for i in _containing(slice_, q):
            if i not in scores:
                scores[i] = fuzz.ratio(q, slice_.norms[i])
    best: dict[int, tuple[int, float, str]] = {}
    for i, score in scores.items():
        norm = slice_.norms[i]
        for p in slice_.owners[i]:
            entry = index.entries[p]
            tier = TIERS.index(_tier(q, norm, normalize(entry.name) == norm))
            surface = entry.name if normalize(entry.name) == norm else slice_.surfaces[i]
            candidate = (tier, float(score), surface)
            old = best.get(p)
            if old is None or (candidate[0], -candidate[1]) < (old[0], -old[1]):
                best[p] = candidate
    ranked = sorted(
        best.items(),
        key=lambda kv: (kv[1][0], -kv[1][1], -index.entries[kv[0]].weight, index.entries[kv[0]].name),
    )
    return [Hit(index.entries[p].key, round(s, 2), TIERS[t], m) for p, (t, s, m) in ranked]


def suggest(
    index: NameIndex,
    query: str,
    *,
    types: Sequence[str] | None = None,
    limit: int = 3,
    cutoff: float = 60.0,
) -> list[str]:
    """The canonical names closest to ``query`` (for "did you mean ...?")."""
    names: list[str] = []
    for hit in search(index, query, cutoff=cutoff):
        entry = index.entries[index.by_key[hit.key]]
        if types is not None and entry.type not in types:
            continue
        if entry.name not in names:
            names.append(entry.name)
        if len(names) == limit:
            break
    return names
