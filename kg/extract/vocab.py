"""The field vocabularies of ``kg/data/`` as one frozen, cached record.

Files are TSV with ``#`` comment headers (source and date). Loading is pure
apart from reading those packaged files; :func:`vocabulary` caches the result
per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from kg.errors import AikgError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_FILES: tuple[str, ...] = (
    "organizations.tsv",
    "models.tsv",
    "benchmarks.tsv",
    "countries.tsv",
    "non_entities.tsv",
    "wikidata.tsv",
    "organizations_epoch.tsv",
    "models_epoch.tsv",
    "benchmarks_public.tsv",
)
#: vocabularies generated from public data by tools/build_vocab.py (Epoch AI, CC BY 4.0; EleutherAI's
#: lm-evaluation-harness, MIT), read after the hand-written lists: a name those lists, the non-entities or
#: the countries already know keeps that reading
PUBLIC_FILES: tuple[tuple[str, str], ...] = (
    ("organizations_epoch.tsv", "Organization"),
    ("models_epoch.tsv", "Model"),
    ("benchmarks_public.tsv", "Benchmark"),
)


_POSSESSIVE = re.compile(r"'s\b")
_LEADING_THE = re.compile(r"^the\s+")
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """Comparison key of a name: NFKC, case-folded, no possessive, no leading
    "the", no punctuation or spaces (the same folding the scorer applies).
    Cached: resolution asks for the same few thousand names again and again."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = _POSSESSIVE.sub("", s)
    s = _LEADING_THE.sub("", s)
    return _NON_WORD.sub("", s)


@dataclass(frozen=True, slots=True, eq=False)
class Vocabulary:
    """Everything the entity component looks up by name."""

    #: surface form -> (type, canonical name) for labs, models, benchmarks
    terms: dict[str, tuple[str, str]]
    #: norm(surface) -> (type, canonical name); case-insensitive lookups
    by_norm: dict[str, tuple[str, str]]
    #: model family names, longest first (for the version/size patterns)
    model_families: tuple[str, ...]
    #: surface form (country name, code, demonym) -> preferred country name
    countries: dict[str, str]
    #: demonym -> preferred country name
    demonyms: dict[str, str]
    #: norm(term) -> kind, for strings that are never entities (or hosts)
    non_entities: dict[str, str]
    #: (type, norm(name)) -> Wikidata Q-id
    wikidata: dict[tuple[str, str], str]
    #: names of human languages (ISO 639 via pycountry): "Swahili" is not a person
    languages: frozenset[str]
    #: surface forms that come from the public vocabularies (PUBLIC_FILES): looked up word by word
    #: (kg.extract.patterns.public_cues), as written or, when they carry a digit, in any case; no family base
    public: frozenset[str] = frozenset()


def _rows(name: str) -> list[list[str]]:
    path = DATA_DIR / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AikgError(f"{path}: cannot read vocabulary file ({exc}); reinstall aikg with its data files") from exc
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _split(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


def _country_rows() -> tuple[dict[str, str], dict[str, str]]:
    extra: dict[str, tuple[str, list[str], list[str]]] = {}
    for row in _rows("countries.tsv"):
        row = row + [""] * (4 - len(row))
        extra[row[0]] = (row[1], _split(row[2]), _split(row[3]))
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        preferred, more, dems = extra.get(code, ("", [], []))
        pref = preferred or getattr(country, "common_name", None) or country.name
        for form in (country.name, getattr(country, "common_name", None), pref, *more):
            if form and "," not in form:
                names[form] = pref
        for d in dems:
            demonyms[d] = pref
    return names, demonyms


def _load() -> Vocabulary:
    terms: dict[str, tuple[str, str]] = {}
    families: list[str] = []
    for fname, etype in (("organizations.tsv", "Organization"), ("models.tsv", "Model"), ("benchmarks.tsv", "Benchmark")):
        for row in _rows(fname):
            name = row[0].strip()
            for form in (name, *_split(row[1] if len(row) > 1 else "")):
                terms.setdefault(form, (etype, name))
            if etype == "Model":
                families.append(name)
    by_norm = {norm(form): value for form, value in terms.items()}
    countries, demonyms = _country_rows()
    non_entities = {norm(r[0]): (r[1].strip() if len(r) > 1 else "concept") for r in _rows("non_entities.tsv")}
    taken = set(by_norm) | set(non_entities) | {norm(c) for c in (*countries, *demonyms)}
    public: set[str] = set()
    for fname, etype in PUBLIC_FILES:
        for row in _rows(fname):
            name = row[0].strip()
            forms = [f for f in (name, *_split(row[1] if len(row) > 1 else "")) if norm(f) and norm(f) not in taken]
            for form in forms:
                terms.setdefault(form, (etype, name))
                by_norm.setdefault(norm(form), (etype, name))
                public.add(form)
            taken.update(norm(f) for f in forms)
    wikidata = {(r[0], norm(r[1])): r[2].strip() for r in _rows("wikidata.tsv") if len(r) >= 3}
    return Vocabulary(
        terms=terms,
        by_norm=by_norm,
        model_families=tuple(sorted(set(families), key=lambda s: (-len(s), s))),
        countries=countries,
        demonyms=demonyms,
        non_entities=non_entities,
        wikidata=wikidata,
        languages=frozenset(lang.name for lang in pycountry.languages if " " not in lang.name),
        public=frozenset(public),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The packaged vocabularies, loaded once per process."""
    return _load()
