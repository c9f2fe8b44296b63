"""Surface patterns that propose typed entity spans in a text.

Each finder is a pure function ``text -> list[Cue]`` over a section's text;
:mod:`kg.extract.entities` weighs the cues against the vocabulary and the
statistical labels. Patterns describe the *shape* of names (versions, sizes,
organisation suffixes) and the *contexts* that introduce them ("a benchmark
called X", "researchers with X"), never particular entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.extract._trie import trie_alternation
from kg.extract.vocab import Vocabulary, norm


@dataclass(frozen=True, slots=True)
class Cue:
    """Evidence that ``text[start:end]`` names an entity of ``type``."""

    start: int
    end: int
    type: str
    weight: float
    rule: str
    canonical: str = ""
    hard: bool = False  # a structural reading (paper title line) that outranks everything
    keeps_the: bool = False  # a leading "The" belongs to the name ("The AI Scientist v2")


# --- name shapes -------------------------------------------------------------

_W = r"(?:[A-Z][\w&.\-]*\w|[A-Z])"  # a capitalised word (no apostrophes: "X's" stops)
_CONN = r"(?:of|for|de|der|la|the|and the|on)"
NAME = rf"{_W}(?:[ ]{_CONN}[ ]{_W}|[ ]{_W})*"
_WX = r"(?:[A-Z0-9\u03c0][\w.+\-/]*[\w+]|[A-Z\u03c0])"  # also digit-led parts ("Genie 2", "HumanEval+")
NAMEX = rf"(?:[A-Z\u03c0][\w.+\-/]*[\w+]|[A-Z\u03c0])(?:[ ]{_WX})*"  # letter-led

_VER = r"v?\d+(?:\.\d+)*[a-z]?"
_SMALL_VER = r"(?:v\d{1,2}|\d)(?:\.\d)?[a-z]?(?!\d|\.\d)"  # a spaced version: " 3.5", " v10", not a score " 26.1"
_SIZE = r"\d+(?:\.\d+)?(?:x\d+(?:\.\d+)?)?[BbMmKkTt]"
_VARIANT_WORDS = (
    "Pro|Ultra|Flash|Nano|Mini|Sonnet|Opus|Haiku|Instruct|Chat|Coder|Base|Turbo|Large|Lite|Preview|Vision|VL|"
    "Omni|Max|Plus|Reasoner|Thinking|Exp|Small|Medium|Tiny|Code|Math|Distill|Zero|XL|Expanse|Air|Edge|Long|"
    "Multimodal|Reasoning|Audio|Realtime|Speech|Embed|Guard"
)
_VARIANT_CS = rf"(?:{_VARIANT_WORDS}|R\d+|V\d+(?:\.\d+)?|instruct|chat|base)"  # after a space: capitalised (or a tuning tag)
_VARIANT_CI = rf"(?i:{_VARIANT_WORDS}|r\d+|v\d+(?:\.\d+)?|o\d|it|hf)"  # after a hyphen: any case
_END = r"(?![\w])"
_LETTER_VER = r"[a-z]\d+(?:\.\d+)?"  # "Kimi k1.5"
_FIRST = (
    rf"(?:-(?:{_VARIANT_WORDS})[ ]\d{_END}(?![.,]\d)|"  # "Aurora-Vision 2": a hyphenated variant with a spaced version
    rf"-?(?:{_SIZE}|{_VER}|{_VARIANT_CI}){_END}|"
    rf"[ ]{_VARIANT_CS}[ ]\d(?:\.\d)?{_END}(?!\.\d)|"
    rf"[ ](?!(?:19|20)\d\d\b)(?:{_SIZE}|{_SMALL_VER}|{_VARIANT_CS}|{_LETTER_VER}){_END})"
)
#: a variant word may carry its own small version: "Mistral Large 2", "Sonnet 3.5"
_NEXT = rf"(?:-(?:{_SIZE}|{_VER}|{_VARIANT_CI}){_END}|[ ]{_VARIANT_CS}[ ]\d(?:\.\d)?{_END}(?!\.\d)|[ ](?:{_SIZE}|{_VARIANT_CS}){_END})"
#: a version/size/variant chain after a name: "-3.1 405B", "2.5-Coder", " 3.5 Sonnet"
SUFFIX = rf"(?:{_FIRST}{_NEXT}*)"

ORG_HEADS = frozenset(
    "Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC GmbH Labs Lab Laboratory Laboratories AI Research University "
    "Institute Institution Technologies Technology Foundation Group Capital Ventures Partners Securities "
    "Systems Robotics Academy College School Center Centre Council Agency Ministry Department Commission "
    "Society Association Initiative Bio Holdings Semiconductor Computing Cloud Collective Consortium "
    "Government Office Bureau Administration Authority Fund Polytechnic Limited Insurance Motors Pharmaceuticals "
    "Studios Games Media Networks Dynamics Analytics Ventures Management Investments Advisors Financial "
    "Industries Electronics Bancorp".split()
)
#: words that head an organisation name from the front ("University of X")
ORG_LEADS = frozenset(
    "University Universidad Universidade Universit\u00e9 Universit\u00e4t Universita Institute Instituto Institut "
    "Ministry Department Government Bank Academy College School Office Project TU".split()
)
#: leads that start a name without "of" ("Instituto Superior Tecnico", "TU Darmstadt", "Project Zero")
BARE_LEADS = frozenset(
    "Instituto Institut Universidad Universidade Universit\u00e9 Universit\u00e4t Universita TU Project".split()
)
#: heads that also end ordinary phrases ("Generative AI"), so they need a proper-noun reading too
WEAK_ORG_HEADS = frozenset("AI Research Labs Lab Cloud Bio Computing Group Systems Technology Technologies".split())
#: heads of hardware, number formats and other technical non-entities ("RTX 4090", "TPU v5e", "Float8")
TECH_HEADS = frozenset("RTX GTX TPU GPU CPU NPU HBM DDR GDDR LPDDR PCIe USB Float Int FP BF TF Wi Gen".split())
#: nouns after a demonym that make it a language, not a country ("in Japanese text")
LANGUAGE_NOUNS = frozenset("language languages text texts speakers speaker translation translations script dialect".split())
#: capitalised words that start versioned non-model things ("Figure 3", "Series D", "Top 10")
STRUCTURAL_HEADS = frozenset(
    "Figure Fig Table Section Chapter Series Phase Level Stage Step Part Version Round Tier Article Appendix "
    "Day Days Week Weeks Year Years Page Issue Import Top Grade Class Type Category Q Act Title Rule Item "
    "Number No Vol Volume Episode Season Gen Generation Mark Model Models Layer Block Epoch Task Tasks "
    "Experiment Exp Test Batch Node Nodes Rank Group Team Room Floor Building Unit Over Under About Around "
    "Only Just Up Since Until From In On At By For To Of And Or But With Without The A An This That These "
    "Those Some Each Every All Both Is Are Was Were Be Has Have Had COVID Covid Windows Python iOS Android "
    "Bitcoin CVE Apollo Boeing Falcon Route Highway Interstate Channel Proposition Amendment Bill".split()
)
MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
)


def _alternation(words: list[str], *, ignorecase: bool = False) -> str:
    """``words`` as one alternation, longest first, written as a trie (same matches, far fewer tries)."""
    return trie_alternation(words, ignorecase=ignorecase)


def _insensitive(term: str) -> bool:
    """Match case-insensitively only names that cannot be ordinary words."""
    return any(ch.isdigit() for ch in term) or any(ch.isupper() for ch in term[1:]) and not term.isupper()


@dataclass(frozen=True, slots=True)
class _Compiled:
    vocab_exact: re.Pattern[str]
    vocab_fold: re.Pattern[str]
    countries: re.Pattern[str]
    family_model: re.Pattern[str]
    gov: re.Pattern[str]
    bench_modifier: re.Pattern[str]
    bench_stem: re.Pattern[str]
    bench_year: re.Pattern[str]
    named_variant: re.Pattern[str]


@lru_cache(maxsize=4)
def _compiled(vocab: Vocabulary) -> _Compiled:
    # the hand-written names: one trie each (the public names are looked up word by word: _public_index)
    hand = [t for t in vocab.terms if t not in vocab.public]
    exact = [t for t in hand if not _insensitive(t)]
    fold = [t for t in hand if _insensitive(t)]
    places = list(vocab.countries) + list(vocab.demonyms)
    bases = hand
    benches = [t for t in hand if vocab.terms[t][0] == "Benchmark"]
    # a known name may be glued to a participle by a hyphen ("Microsoft-backed", "Paris-based")
    # ... or follow "ex-" ("ex-DeepMind engineers": a former employer)
    before = r"(?:(?<![\w\-.])|(?<=\b[Ee]x-))"
    lim = before + r"({})(?![\w\-]|\.\w)|" + before + r"({})(?=[\-\u2010]" + _GLUED + r"\b)"
    gov_words = _alternation(list(vocab.demonyms) + [c for c in vocab.countries if not c.isupper()])
    return _Compiled(
        vocab_exact=re.compile(lim.format(_alternation(exact), _alternation(exact))),
        vocab_fold=re.compile(lim.format(_alternation(fold, ignorecase=True), _alternation(fold, ignorecase=True)),
                              re.IGNORECASE),
        countries=re.compile(r"(?<![\w\-])({})(?![\w\-])".format(_alternation(places))),
        family_model=re.compile(rf"(?<![\w\-.])(?i:({_alternation(bases, ignorecase=True)}))({SUFFIX})"),
        gov=re.compile(rf"\b(?:(?:{gov_words})[ ]government|[Gg]overnment of (?:the )?(?:{gov_words}))\b"),
        bench_stem=re.compile(
            rf"(?<![\w\-.])(?P<stem>{_alternation(_benchmark_stems(benches))})"
            rf"(?:-(?!(?:{_ADJECTIVE_ENDS})\b)[A-Za-z][\w]*(?:-[\w]+)*|[ ][A-Z][a-z]+(?=[ ](?:version|variant|benchmark|dataset|test|eval)))"
            rf"(?![\w\-]|\.\w)"
        ),
        bench_year=re.compile(rf"(?<![\w\-.])(?:{_alternation(benches)})[ ](?:19|20)\d\d(?![\w\-]|\.\d)"),
        bench_modifier=re.compile(rf"(?<![\w\-.])(?P<mod>[A-Z][a-z]{{2,}})[ ](?P<base>{_alternation(benches)})(?![\w\-]|\.\w)"),
        # "Yi-Lightning", "Hunyuan-Turbo": a known lab or family, a hyphen and a capitalised word
        named_variant=re.compile(
            rf"(?<![\w\-.])({_alternation(bases)})-(?!(?:{_ADJECTIVE_ENDS}|{_PARTICIPLES})\b)"
            rf"[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?![\w\-]|\.\w)",
        ),
    )


# --- finders -------------------------------------------------------------------


def vocabulary_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """Known labs, model families and benchmarks of the field."""
    c = _compiled(vocab)
    out: list[Cue] = []
    for rx in (c.vocab_exact, c.vocab_fold):
        for m in rx.finditer(text):
            g = 1 if m.group(1) is not None else 2
            hit = vocab.terms.get(m.group(g)) or vocab.by_norm.get(_fold(m.group(g)))
            if hit and (g == 1 or hit[0] in ("Organization", "Country")):
                canonical = hit[1] if hit[1] != m.group(g) else ""
                out.append(Cue(m.start(g), m.end(g), hit[0], 3.0, "vocabulary", canonical=canonical))
    out.extend(public_cues(text, vocab))
    return out


@lru_cache(maxsize=4)
def _public_index(vocab: Vocabulary) -> tuple[dict[str, str], dict[str, int]]:
    """Lower-cased public names that carry a digit (matched in any case) -> the listed form; and the first
    word of each public name (as listed, and lower-cased for those) -> the most words a name starting so has."""
    fold = {t.lower(): t for t in sorted(vocab.public) if any(ch.isdigit() for ch in t)}
    first: dict[str, int] = {}
    for t in vocab.public:
        words = t.split()
        for key in (words[0], words[0].lower()) if t.lower() in fold else (words[0],):
            first[key] = max(first.get(key, 0), len(words))
    return fold, first


#: a run of text between spaces and slashes; the punctuation around a name is trimmed off its ends
_CHUNK = re.compile(r"[^\s/]+")
_OPEN = "\"'([{\u201c\u2018"
_CLOSE = ",;:!?)]}\"'\u201d\u2019"
_POSSESSIVE_END = re.compile(r"['\u2019]s$")


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _OPEN:
        start += 1
    while end > start and text[end - 1] in _CLOSE:
        end -= 1
    m = _POSSESSIVE_END.search(text, start, end)
    if m:
        end = m.start()
    while end > start and text[end - 1] in _CLOSE:
        end -= 1
    return start, end


def public_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """Names of the public vocabularies (Epoch AI's models and organizations): a dictionary look-up of each
    run of up to N words, so thousands of names cost no pattern to compile. A name is matched as listed, or
    in any case when it carries a digit ("llama-7b"); the longest name at a position wins."""
    if not vocab.public:
        return []
    fold, first = _public_index(vocab)
    chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
    out: list[Cue] = []
    i = 0
    while i < len(chunks):
        s0, e0 = _core(text, *chunks[i])
        head = text[s0:e0]
        most = first.get(head) or first.get(head.lower()) or first.get(head[:-1]) or first.get(head[:-1].lower())
        if not most:
            i += 1
            continue
        best: tuple[int, int, str] | None = None
        for j in range(i, min(i + most, len(chunks))):
            cs, ce = _core(text, *chunks[j])
            if j > i and (cs != chunks[j][0] or "\n" in text[chunks[j - 1][1] : chunks[j][0]]):
                break  # a name has no punctuation before an inner word and never crosses a line
            for end in (ce, ce - 1) if text[ce - 1 : ce] == "." else (ce,):
                phrase = text[s0:end]
                form = phrase if phrase in vocab.public else fold.get(phrase.lower())
                if form is not None:
                    best = (end, j, form)
                    break
            if ce != chunks[j][1]:
                break  # punctuation after this word: no longer name runs on past it
        if best is None:
            i += 1
            continue
        end, j, form = best
        etype, name = vocab.terms[form]
        canonical = name if norm(name) != norm(text[s0:end]) else ""  # a spelling of the name itself stays as written
        out.append(Cue(s0, end, etype, 3.0, "vocabulary", canonical=canonical))
        i = j + 1
    return out


def country_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """Sovereign countries by name or code, and demonyms ("Chinese" -> China)."""
    c = _compiled(vocab)
    out: list[Cue] = []
    for m in c.countries.finditer(text):
        s = m.group(1)
        if s in vocab.demonyms:
            out.append(Cue(m.start(1), m.end(1), "Country", 2.5, "demonym", canonical=vocab.demonyms[s]))
        else:
            name = vocab.countries[s]
            out.append(Cue(m.start(1), m.end(1), "Country", 2.0, "country", canonical=name if name != s else ""))
    for m in c.gov.finditer(text):
        out.append(Cue(m.start(), m.end(), "Organization", 3.5, "government"))
    return out


def model_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """Versioned, sized or suffixed names ("Qwen2.5-Coder", "LLaMa-3.1 405B", "Genie 2", "π0")."""
    out: list[Cue] = []
    for m in _compiled(vocab).family_model.finditer(text):
        base = vocab.terms.get(m.group(1)) or vocab.by_norm.get(_fold(m.group(1)))
        etype = "Benchmark" if base and base[0] == "Benchmark" else "Model"
        if etype == "Benchmark" and _SPACED_NUMBER.match(m.group(2)):
            continue  # "GPQA 56.1" is a score, not a version
        out.append(Cue(m.start(), m.end(), etype, 3.5, "model:family+version"))
    out.extend(_benchmark_modifiers(text, vocab))
    out.extend(benchmark_variant_cues(text, vocab))
    for m in _compiled(vocab).bench_year.finditer(text):
        out.append(Cue(m.start(), m.end(), "Benchmark", 3.6, "benchmark:year"))  # "AIME 2024"
    for m in _GENERIC_MODEL.finditer(text):
        head = m.group("head")
        if head in STRUCTURAL_HEADS or head in MONTHS or head in TECH_HEADS or norm(head) in vocab.non_entities:
            continue
        if not re.search(r"\d", m.group("rest")):
            continue
        out.append(Cue(m.start(), m.end(), "Model", 1.5, "model:shape"))
    for m in _WORDS_VERSION_MODEL.finditer(text):
        words = m.group("words").split()
        if any(w in STRUCTURAL_HEADS or w in MONTHS or w in TECH_HEADS for w in words):
            continue
        out.append(Cue(m.start(), m.end(), "Model", 2.0, "model:words+version", keeps_the=bool(m.group("the"))))
    for m in _GREEK_MODEL.finditer(text):
        out.append(Cue(m.start(), m.end(), "Model", 2.5, "model:greek"))
    for m in _LOWER_MODEL.finditer(text):
        out.append(Cue(m.start(), m.end(), "Model", 2.6, "model:lower-shape"))
    for m in _compiled(vocab).named_variant.finditer(text):
        base = vocab.terms.get(m.group(1)) or vocab.by_norm.get(_fold(m.group(1)))
        if base and base[0] in ("Model", "Organization"):
            out.append(Cue(m.start(), m.end(), "Model", 2.2, "model:named-variant"))
    return out


#: a lower-case name with a digit and a size or variant: "s1-32B", "o3-mini", "phi-3.5-mini", "gpt-4o-mini"
_LOWER_MODEL = re.compile(
    rf"(?<![\w\-.$/])(?:[a-z]{{1,4}}\d+(?:\.\d+)?[a-z]?|[a-z]{{2,8}}-\d+(?:\.\d+)?[a-z]?)"
    rf"(?:-(?:{_VER}|{_SIZE}|{_VARIANT_CI}))*-(?:{_SIZE}|{_VARIANT_CI}){_END}(?!-)"
)


_SPACED_NUMBER = re.compile(r"[ ]\d")


_PARTICIPLES = "(?i:backed|based|led|owned|funded|powered|made|built|trained|generated|written|designed|sponsored|affiliated|linked|supported|run|native|first|only|level|scale|size|sized|class|grade)"
#: participles a funder or owner is glued to by a hyphen ("Microsoft-backed", "Google-led", "Tencent-owned")
_GLUED = "(?:backed|led|co-led|funded|financed|owned|sponsored|affiliated|supported)"
_ADJECTIVE_ENDS = "style|like|based|level|sized|scale|class|type|only|free|specific|related|intense|heavy|friendly|grade|esque|inspired|driven|centric|focused"


_ISSUE_TITLE = re.compile(r"(?m)^[^\S\n]*(?:[A-Z][\w&]*[ ]){1,3}#?\d{1,4}(?=[ ]?:)")


def issue_title_spans(text: str) -> list[tuple[int, int]]:
    """Newsletter issue labels at a line start ("Import AI 388:", "Model Notes 12:"): never a name."""
    return [m.span() for m in _ISSUE_TITLE.finditer(text)]


def _benchmark_stems(benches: list[str]) -> list[str]:
    """The letter stems of benchmark names written in capitals ("GSM" of "GSM8K", "SWE" of "SWE-bench")."""
    stems = set()
    for b in benches:
        m = re.match(r"[A-Za-z]+", b)
        if m and len(m.group()) >= 3 and sum(ch.isupper() for ch in m.group()) >= 2:
            stems.add(m.group())
    return sorted(stems)


def benchmark_variant_cues(text: str, vocab: Vocabulary) -> list[Cue]:
    """"GSM-Symbolic", "SWE-eval", "MMLU-Redux": a hyphenated variant of a known benchmark's stem."""
    out: list[Cue] = []
    for m in _compiled(vocab).bench_stem.finditer(text):
        tail = m.group().rsplit("-", 1)[-1].lower()
        if tail in _SYSTEM_TAILS:  # "SWE-agent": a system built for the benchmark, not a variant of it
            out.append(Cue(m.start(), m.end(), "Model", 2.6, "model:system-name"))
        else:
            out.append(Cue(m.start(), m.end(), "Benchmark", 2.6, "benchmark:stem"))
    return out


#: last hyphenated parts that make a name a system (an agent, a bot), whatever its stem
_SYSTEM_TAILS = frozenset({"agent", "agents", "bot", "copilot", "assistant", "solver", "coder"})


def _benchmark_modifiers(text: str, vocab: Vocabulary) -> list[Cue]:
    """"Global MMLU": a capitalised modifier before a known benchmark names a variant of it
    (the entity component keeps it only when the modifier is tagged as a proper noun)."""
    out: list[Cue] = []
    for m in _compiled(vocab).bench_modifier.finditer(text):
        mod = m.group("mod")
        if mod in STRUCTURAL_HEADS or mod in MONTHS or norm(mod) in vocab.by_norm or mod in vocab.countries or mod in vocab.demonyms:
            continue
        out.append(Cue(m.start(), m.end(), "Benchmark", 3.6, "benchmark:modifier"))
    return out


_GENERIC_MODEL = re.compile(
    rf"(?<![\w\-.$])(?P<head>[A-Z]{{2,}}(?:-[A-Z]{{2,}})+|[A-Z][a-z]*[A-Z][A-Za-z]+|[A-Z][a-z]{{2,}}|[A-Z]{{3,}})(?P<rest>{SUFFIX})"
)
#: a product name of capitalised words with an explicit "v" version; a leading "The" is part of it when two
#: or more words follow ("The AI Scientist v2", "Heron Reader v3")
_WORDS_VERSION_MODEL = re.compile(
    r"(?<![\w\-.])(?:(?P<the>The)[ ](?=(?:[A-Z][\w\-]*[ ]){2}))?(?P<words>(?:[A-Z][\w\-]*[ ]){1,3})v\d{1,2}(?:\.\d+)*(?![\w\-]|\.\d)"
)
_GREEK_MODEL = re.compile(r"(?<!\w)[\u03b1-\u03c9]\d+(?:\.\d+)?(?![\w])")


def _fold(s: str) -> str:
    return norm(s)
