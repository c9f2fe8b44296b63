"""A synthetic newsletter corpus of any size, for the build benchmarks.

    .venv/bin/python bench/gen_corpus.py OUT_DIR --words 1000000 --documents 400 [--seed 0]

Writes one plain-text issue per file, laid out like the reference newsletter:
a ``Name NNN: headline; headline`` title line, a byline, items separated by
``***`` lines (a headline, a ``…subtitle…`` line, paragraphs that mix the six
relation kinds with filler prose, a "Why this matters" paragraph and a
``Read more: TITLE (arXiv).`` line), and sometimes a closing "Tech Tales"
fiction section. Names come from :mod:`_names` pools whose size grows with
the corpus, drawn with a skew so a few names recur and most are rare.
Output is a pure function of (words, documents, seed): the same arguments
always give the same bytes. Each document has its own random stream, so one
document can be regenerated differently (``variant``) without touching the
others.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _names as names  # noqa: E402
import _templates as tpl  # noqa: E402

RELATION_SHARE = 0.35  # share of body sentences that state a relation
FICTION_SHARE = 0.5  # share of issues that end with a Tech Tales section
ITEM_WORDS = (150, 450)  # words of an item's paragraphs, drawn uniformly
ITEM_OVERHEAD = 45  # words of an item around its paragraphs (headline, subtitle, why, read more)
HEADER_WORDS = 30  # title line, byline, welcome line
FICTION_WORDS = 60


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    """What to generate: about ``words`` words in ``documents`` issues."""

    words: int
    documents: int
    seed: int = 0
    newsletters: tuple[str, ...] = tpl.NEWSLETTERS

    def __post_init__(self) -> None:
        if self.documents < 1:
            raise ValueError(f"documents must be at least 1, got {self.documents}")
        if self.words < 60 * self.documents:
            raise ValueError(
                f"words={self.words} is too few for {self.documents} documents; give at least 60 words per document "
                f"(words >= {60 * self.documents})"
            )
        if not self.newsletters:
            raise ValueError("newsletters must name at least one newsletter")

    def words_of(self, index: int) -> int:
        """The word budget of document ``index`` (the total split evenly)."""
        base, extra = divmod(self.words, self.documents)
        return base + (1 if index < extra else 0)


@dataclass(frozen=True, slots=True)
class SyntheticDoc:
    filename: str
    text: str
    words: int


@dataclass(slots=True)
class _Cast:
    """The names one item talks about."""

    slots: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Writer:
    """Lines of one document and their running word count."""

    lines: list[str] = field(default_factory=list)
    words: int = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.words += len(line.split())


def _cast(rng: random.Random, pools: names.Pools, paper_index: int) -> _Cast:
    m1 = pools.models.draw(rng)
    m2 = pools.models.draw(rng)
    if m2 == m1:
        m2 = m1 + 1
    o1 = pools.organizations.draw(rng)
    o2 = pools.organizations.draw(rng)
    if o2 == o1:
        o2 = o1 + 1
    country, demonym = names.home_country(o1)
    paper = names.paper(paper_index)
    return _Cast({
        "org": names.organization(o1),
        "org2": names.organization(o2),
        "model": names.model(m1),
        "model2": names.model(m2),
        "bench": names.benchmark(pools.benchmarks.draw(rng)),
        "paper": paper,
        "paper_q": f"\u201c{paper}\u201d",
        "person": names.person(pools.people.draw(rng)),
        "country": country,
        "demonym": demonym,
        "amount": f"${rng.choice((5, 12, 20, 45, 80, 150, 300, 600))} million",
    })


def _fill(template: str, cast: _Cast, rng: random.Random) -> str:
    return template.format(
        **cast.slots,
        topic=rng.choice(tpl.TOPICS),
        thing=rng.choice(tpl.THINGS),
        adj=rng.choice(tpl.ADJECTIVES),
        number=rng.randint(3, 400),
    )


def _sentence(cast: _Cast, rng: random.Random) -> str:
    if rng.random() < RELATION_SHARE:
        kind = rng.choice(sorted(tpl.RELATION_TEMPLATES))
        return _fill(rng.choice(tpl.RELATION_TEMPLATES[kind]), cast, rng)
    return _fill(rng.choice(tpl.FILLER_TEMPLATES), cast, rng)


def _item(out: _Writer, cast: _Cast, rng: random.Random, budget: int) -> None:
    """One item: headline, subtitle, paragraphs, why-this-matters, read-more."""
    headline = _fill(rng.choice(tpl.HEADLINE_TEMPLATES), cast, rng)
    out.add(headline[0].upper() + headline[1:] + ":")
    out.add(_fill(rng.choice(tpl.SUBTITLE_TEMPLATES), cast, rng))
    stop = out.words + budget
    # the lead sentence always states a relation, as a newsletter item does
    lead = rng.choice(sorted(tpl.RELATION_TEMPLATES))
    paragraph = [_fill(rng.choice(tpl.RELATION_TEMPLATES[lead]), cast, rng)]
    while out.words + sum(len(s.split()) for s in paragraph) < stop:
        paragraph.append(_sentence(cast, rng))
        if len(paragraph) >= rng.randint(3, 5):
            out.add(" ".join(paragraph))
            out.add("")
            paragraph = []
    if paragraph:
        out.add(" ".join(paragraph))
        out.add("")
    why = _fill(rng.choice(tpl.WHY_TEMPLATES), cast, rng)
    out.add(why + _fill(rng.choice(tpl.FILLER_TEMPLATES), cast, rng))
    out.add(f"   Read more: {cast.slots['paper']} (arXiv).")


def _fiction(out: _Writer, rng: random.Random) -> None:
    out.add("Tech Tales:")
    out.add("")
    out.add(f"The {rng.choice(('archivist', 'gardener', 'translator', 'night shift'))}")
    out.add(" ".join(rng.sample(tpl.FICTION_SENTENCES, k=rng.randint(2, len(tpl.FICTION_SENTENCES)))))


def document_name(spec: CorpusSpec, index: int) -> tuple[str, int]:
    """(newsletter name, issue number) of document ``index``."""
    letters = spec.newsletters
    return letters[index % len(letters)], 100 + index // len(letters)


def generate_document(spec: CorpusSpec, index: int, *, variant: int = 0) -> SyntheticDoc:
    """Document ``index`` of the corpus; another ``variant`` gives different text under the same file name.

    The text is composed for a word budget, then recomposed (same random
    stream) with the budget corrected by the miss, so sizes land within a
    few words of :meth:`CorpusSpec.words_of`.
    """
    if not 0 <= index < spec.documents:
        raise ValueError(f"document index {index} is outside 0..{spec.documents - 1}")
    target = spec.words_of(index)
    best = _compose(spec, index, variant, target)
    budget = target
    for _ in range(3):
        if abs(best.words - target) <= max(3, target // 200):
            break
        budget = max(1, budget - (best.words - target))
        again = _compose(spec, index, variant, budget)
        if abs(again.words - target) < abs(best.words - target):
            best = again
    return best


def _compose(spec: CorpusSpec, index: int, variant: int, budget: int) -> SyntheticDoc:
    rng = random.Random(f"aikg-corpus:{spec.seed}:{index}:{variant}")
    pools = names.Pools.for_words(spec.words)
    newsletter, number = document_name(spec, index)
    body = _Writer()
    casts: list[_Cast] = []
    fiction = rng.random() < FICTION_SHARE and spec.words_of(index) > 600
    reserve = FICTION_WORDS if fiction else 0
    item_no = 0
    while True:
        remaining = budget - body.words - HEADER_WORDS - reserve
        if remaining <= 0 or (casts and remaining < ITEM_OVERHEAD + 10):
            break
        if casts:
            body.add("")
            body.add("***")
            body.add("")
        cast = _cast(rng, pools, paper_index=(spec.seed * 7919 + index) * 97 + item_no)
        casts.append(cast)
        _item(body, cast, rng, min(rng.randint(*ITEM_WORDS), max(remaining - ITEM_OVERHEAD, 10)))
        item_no += 1
    if fiction:
        body.add("")
        body.add("***")
        body.add("")
        _fiction(body, rng)
    heads = "; ".join(c.slots[rng.choice(("org", "model"))] + " " + rng.choice(("ships", "raises", "scales", "wins"))
                      for c in casts[:3])
    out = _Writer()
    out.add(f"{newsletter} {number}: {heads}")
    out.add("")
    out.add(f"by {names.person(index % 97)}")
    out.add("")
    out.add(f"Welcome to {newsletter}, a letter about machine learning research and what it means.")
    out.add("")
    for line in body.lines:
        out.add(line)
    text = "\n".join(out.lines) + "\n"
    slug = newsletter.lower().replace(" ", "-")
    return SyntheticDoc(filename=f"{slug}-{number}.txt", text=text, words=out.words)


def generate(spec: CorpusSpec) -> Iterator[SyntheticDoc]:
    for index in range(spec.documents):
        yield generate_document(spec, index)


@dataclass(frozen=True, slots=True)
class CorpusStats:
    folder: Path
    documents: int
    words: int


def write_corpus(spec: CorpusSpec, folder: Path) -> CorpusStats:
    """Write the corpus into ``folder`` (created; existing files of the same names are replaced)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for doc in generate(spec):
        (folder / doc.filename).write_text(doc.text, encoding="utf-8")
        total += doc.words
    return CorpusStats(folder=folder, documents=spec.documents, words=total)


def rewrite_document(spec: CorpusSpec, folder: Path, index: int, *, variant: int = 1) -> Path:
    """Replace document ``index`` in ``folder`` by another variant (an edited issue)."""
    doc = generate_document(spec, index, variant=variant)
    path = Path(folder) / doc.filename
    path.write_text(doc.text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic newsletter corpus.")
    parser.add_argument("out", type=Path, help="folder to write the .txt issues into")
    parser.add_argument("--words", type=int, default=100_000, help="total words (default 100000)")
    parser.add_argument("--documents", type=int, default=40, help="number of issues (default 40)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    try:
        spec = CorpusSpec(words=args.words, documents=args.documents, seed=args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    stats = write_corpus(spec, args.out)
    print(f"wrote {stats.documents} documents, {stats.words} words, into {stats.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
