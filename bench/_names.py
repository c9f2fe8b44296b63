"""Invented names for the synthetic corpus and graph: deterministic, combinatorial.

Every pool maps an index to a distinct name (``org(17)`` is always the same
organisation), so a generator can draw indexes from a skewed distribution
(a few names recur often, most are rare) and the set of names grows with the
corpus. The syllables are made up; none of the names is meant to be real.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from functools import lru_cache

ORG_SYLLABLES = (
    "ka ve lo rin ta mo zu pex dra quo ni sel tor vix ban cel dun fal gor hes jal kin lum nor os pra ryl sa tem ul"
).split()
MODEL_SYLLABLES = (
    "ax bri cor del ex fyn gal hyp io jex kry lyn mar nyx orb pol qui rho syn tal umb vel wyr xen yal zor"
).split()
BENCH_SYLLABLES = "arc bel cog dex fig gam hex lex mat nov pix quil ras tab ver".split()
ORG_HEADS = ("Labs", "AI", "Research", "Robotics", "Systems", "Technologies", "Institute", "Computing")
MODEL_VERSIONS = ("1", "2", "2.5", "3", "3.1", "4", "5")
MODEL_SIZES = ("", " 7B", " 13B", " 70B", " 405B", "-Coder", "-Mini", " Pro", "-Instruct")
BENCH_TAILS = ("Bench", "-Eval", "QA", "-Hard", "Arena")
FIRST_NAMES = (
    "Ada Bram Cleo Dario Elif Farid Greta Hugo Ines Jonas Kaia Leon Mira Nils Oona Pavel Quinn Rosa Sven Tara "
    "Umar Vera Wim Xenia Yusuf Zara Anouk Bruno Chidi Dana Emil Freya Goran Hana Ivo Jana Kenji Lina Mateo Nora"
).split()
SURNAMES = (
    "Abbot Brandt Castell Dorsey Eklund Ferreira Gallo Halvorsen Iqbal Jovanovic Kovacs Lindqvist Moreau Nakamura "
    "Okafor Petrov Quintero Rasmussen Sandoval Takahashi Ueda Varga Whitlock Xu Yilmaz Zielinski Achterberg Bianchi "
    "Czerny Dufresne Esposito Falk Grimaldi Horvath Ishikawa Jansen Kowalski Laurent Mbeki Novak"
).split()
#: (country, demonym) pairs used in "based in" sentences
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("China", "Chinese"), ("United States", "American"), ("France", "French"), ("Canada", "Canadian"),
    ("Japan", "Japanese"), ("Germany", "German"), ("India", "Indian"), ("South Korea", "South Korean"),
    ("United Kingdom", "British"), ("Israel", "Israeli"), ("Singapore", "Singaporean"), ("Brazil", "Brazilian"),
    ("Switzerland", "Swiss"), ("Sweden", "Swedish"), ("Australia", "Australian"), ("Netherlands", "Dutch"),
)
PAPER_LEADS = ("Scaling", "Learning", "Training", "Distilling", "Aligning", "Probing", "Compressing", "Evaluating")
PAPER_OBJECTS = (
    "sparse experts", "long-context reasoning", "robot policies", "reward models", "code agents", "tokenizers",
    "vision encoders", "synthetic data", "chip layouts", "protein structures", "speech recognizers", "world models",
)
PAPER_TAILS = ("at scale", "without labels", "on a budget", "with feedback", "from scratch", "in the wild")


def _stem(index: int, syllables: tuple[str, ...] | list[str]) -> str:
    """A distinct capitalised word for every index: two syllables, then three, then four."""
    n = len(syllables)
    width = 2
    while index >= n**width:
        index -= n**width
        width += 1
    index = (index * 7919 + 11) % n**width  # scatter, so rank 0 and rank 1 do not share a syllable
    parts = []
    for _ in range(width):
        index, digit = divmod(index, n)
        parts.append(syllables[digit])
    return "".join(reversed(parts)).capitalize()


def _spread(index: int, modulus: int) -> int:
    """A fixed permutation of ``range(modulus)`` so consecutive indexes do not look alike."""
    step = 7919  # prime, so coprime with every modulus that is not a multiple of it
    return (index * step + 13) % modulus if modulus % step else index


def organization(index: int) -> str:
    stem = _stem(index, ORG_SYLLABLES)
    head = ORG_HEADS[_spread(index, len(ORG_HEADS))]
    if head == "Institute":
        return f"{stem} Institute of Technology"
    return f"{stem} {head}"


def model_family(index: int) -> str:
    return _stem(index, MODEL_SYLLABLES)


def model(index: int) -> str:
    """``Family-version size``: consecutive indexes share a family, like real releases."""
    per_family = len(MODEL_VERSIONS) * len(MODEL_SIZES)
    family, rest = divmod(index, 6)
    rest = _spread(family * 6 + rest, per_family)
    version, size = divmod(rest, len(MODEL_SIZES))
    return f"{model_family(family)}-{MODEL_VERSIONS[version]}{MODEL_SIZES[size]}"


def person(index: int) -> str:
    n_first, n_last = len(FIRST_NAMES), len(SURNAMES)
    first_no = index % n_first
    rest = index // n_first
    # (first, rest) -> (first, surname) is one-to-one, and neighbours get different surnames
    last = SURNAMES[(rest + 3 * first_no) % n_last]
    first = FIRST_NAMES[first_no]
    more = rest // n_last
    if more == 0:
        return f"{first} {last}"
    return f"{first} {_stem(more - 1, ORG_SYLLABLES)}-{last}"


def benchmark(index: int) -> str:
    tail = BENCH_TAILS[index % len(BENCH_TAILS)]
    stem = _stem(index // len(BENCH_TAILS), BENCH_SYLLABLES)
    return f"{stem.upper()}{tail}" if index % 3 == 0 else f"{stem}{tail}"


def paper(index: int) -> str:
    """A paper title: a name, a colon, then a description."""
    lead = PAPER_LEADS[index % len(PAPER_LEADS)]
    rest = index // len(PAPER_LEADS)
    obj = PAPER_OBJECTS[rest % len(PAPER_OBJECTS)]
    rest //= len(PAPER_OBJECTS)
    tail = PAPER_TAILS[rest % len(PAPER_TAILS)]
    name = _stem(rest // len(PAPER_TAILS), MODEL_SYLLABLES + BENCH_SYLLABLES)
    return f"{name}: {lead} {obj} {tail}"


def country(index: int) -> tuple[str, str]:
    return COUNTRIES[index % len(COUNTRIES)]


def home_country(org_index: int) -> tuple[str, str]:
    """The one country an organisation is based in (a fixed function of its index)."""
    return COUNTRIES[(org_index * 31 + 5) % len(COUNTRIES)]


@dataclass(frozen=True, slots=True)
class Pool:
    """A skewed draw over ``size`` names: weight of rank r is 1 / (r + 1) ** exponent."""

    size: int
    exponent: float = 1.05

    def draw(self, rng: random.Random) -> int:
        cumulative = _cumulative(self.size, self.exponent)
        return bisect.bisect_left(cumulative, rng.random() * cumulative[-1])


@lru_cache(maxsize=64)
def _cumulative(size: int, exponent: float) -> tuple[float, ...]:
    if size < 1:
        raise ValueError(f"a name pool needs at least one name, got size {size}")
    return tuple(itertools.accumulate(1.0 / (r + 1) ** exponent for r in range(size)))


@dataclass(frozen=True, slots=True)
class Pools:
    """Pool sizes for a corpus of ``words`` words: more text, more distinct names."""

    organizations: Pool
    models: Pool
    people: Pool
    benchmarks: Pool

    @classmethod
    def for_words(cls, words: int) -> Pools:
        return cls(
            organizations=Pool(40 + words // 250),
            models=Pool(60 + words // 120),
            people=Pool(25 + words // 600),
            benchmarks=Pool(15 + words // 2500),
        )
