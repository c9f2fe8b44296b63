"""Plain-English questions about the graph, parsed into (entity, predicate, direction).

Pure: :func:`parse_question` turns text into a :class:`Question` or a
:class:`ParseFailure` that lists the question shapes it understands.  Answering
is the caller's job (the REST API looks the entity up and follows the edges).

``direction`` is ``"out"`` when the named entity is the subject of the
relation and the answers are its objects ("what did DeepSeek release"), and
``"in"`` when the named entity is the object ("who funded Cohere").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Direction = Literal["out", "in"]

#: a question may not be longer than this (characters)
MAX_QUESTION_LENGTH = 300


@dataclass(frozen=True, slots=True)
class Question:
    """A question understood as: follow ``predicates`` from/to ``entity``."""

    text: str
    entity: str  # the name as written in the question
    predicates: tuple[str, ...]
    direction: Direction
    answer_type: str | None  # keep only answers of this entity type
    shape: str  # the name of the shape that matched


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """A question that matches none of the shapes (each shape has an example)."""

    text: str
    reason: str
    shapes: tuple[str, ...]


# --- lexicon -----------------------------------------------------------------

_RELEASE = (
    r"(?:releas(?:e|es|ed|ing)|launch(?:es|ed)?|introduc(?:e|es|ed)|announc(?:e|es|ed)|"
    r"unveil(?:s|ed)?|ship(?:s|ped)?|open[- ]?sourc(?:e|es|ed)|debut(?:s|ed)?|put out|"
    r"make|made|build|built|develop(?:s|ed)?|create[sd]?|come up with|came up with)"
)
_PUBLISH = r"(?:publish(?:es|ed)?|writ(?:e|es|ten)|wrote|author(?:s|ed)?)"
_FUND = (
    r"(?:fund(?:s|ed)?|invest(?:s|ed)? in|back(?:s|ed)?|financ(?:e|es|ed)|"
    r"bankroll(?:s|ed)?|(?:led|lead) (?:a |the )?(?:funding )?round in)"
)
_BEAT = (
    r"(?:outperform(?:s|ed)?|beat(?:s|en)?|exceed(?:s|ed)?|surpass(?:es|ed)?|"
    r"outdo(?:es)?|outdid|(?:does|did|do|is|are|was|were) better than|top(?:s|ped)?)"
)
_AUX = r"(?:did|does|do|has|have|had|can|could)"
_NOUN = (
    r"(?P<noun>models?|ai models?|systems?|products?|papers?|reports?|research|benchmarks?|"
    r"datasets?|evals?|evaluations?|labs?|ai labs?|companies|company|organi[sz]ations?|orgs?|"
    r"startups?|firms?|investors?|people|persons?|researchers?|employees?|countries|country|"
    r"things?|stuff)"
)
_ORG = r"(?:labs?|ai labs?|companies|company|organi[sz]ations?|orgs?|startups?|firms?|groups?)"
_NAME = r"(?P<name>.+?)"

_NOUN_TYPE: dict[str, str] = {
    "model": "Model", "system": "Model", "product": "Model",
    "paper": "Paper", "report": "Paper", "research": "Paper",
    "benchmark": "Benchmark", "dataset": "Benchmark", "eval": "Benchmark", "evaluation": "Benchmark",
    "lab": "Organization", "ai lab": "Organization", "compan": "Organization",
    "organization": "Organization", "organisation": "Organization", "org": "Organization",
    "startup": "Organization", "firm": "Organization",
    "people": "Person", "person": "Person", "researcher": "Person", "employee": "Person",
    "countr": "Country",
}


@dataclass(frozen=True, slots=True)
class _Shape:
    name: str
    example: str
    predicates: tuple[str, ...]
    direction: Direction
    answer_type: str | None
    patterns: tuple[re.Pattern[str], ...]


def _shape(
    name: str,
    example: str,
    predicates: tuple[str, ...],
    direction: Direction,
    answer_type: str | None,
    *templates: str,
) -> _Shape:
    compiled = tuple(re.compile(f"^{t}$", re.IGNORECASE) for t in templates)
    return _Shape(name, example, predicates, direction, answer_type, compiled)


_WHAT = rf"(?:what|which)(?: {_NOUN})?"

SHAPES: tuple[_Shape, ...] = (
    _shape(
        "published-by", "what did Microsoft publish", ("released", "authored"), "out", "Paper",
        rf"{_WHAT} {_AUX} {_NAME} {_PUBLISH}",
        rf"(?:papers?|research|publications?) (?:by|from|of) {_NAME}",
        rf"{_NAME}(?:'s?)? (?:papers|publications)",
    ),
    _shape(
        "released-by", "what did DeepSeek release", ("released",), "out", None,
        rf"{_WHAT} {_AUX} {_NAME} {_RELEASE}",
        rf"{_WHAT} (?:was|were|has been|have been) {_RELEASE} by {_NAME}",
        rf"(?:releases|launches|models|products) (?:by|from|of) {_NAME}",
        rf"{_NAME}(?:'s?)? (?:releases|launches|models|products)",
        rf"{_WHAT} {_NAME} (?:has |have |had )?{_RELEASE}",
    ),
    _shape(
        "who-published", "who wrote the Phi-4 Technical Report", ("authored", "released"), "in", None,
        rf"who (?:wrote|authored|published|is the author of|are the authors of) {_NAME}",
        rf"(?:by )?whom (?:was|is) {_NAME} (?:written|authored|published)",
        rf"who (?:was|is) {_NAME} (?:written|authored|published) by",
    ),
    _shape(
        "who-released", "who released Phi-4", ("released",), "in", None,
        rf"(?:who|which {_ORG}|what {_ORG}) (?:has |have |had )?{_RELEASE} {_NAME}",
        rf"who (?:is|are) (?:behind|the (?:maker|makers|developer|developers|creator|creators) of) {_NAME}",
        rf"(?:by )?whom (?:was|were|is) {_NAME} {_RELEASE}",
        rf"who (?:was|were|is) {_NAME} {_RELEASE} by",
        rf"where (?:does|did) {_NAME} come from",
    ),
    _shape(
        "funded-by", "whom did Samsung Securities fund", ("funded",), "out", None,
        rf"(?:whom|who|{_WHAT}) {_AUX} {_NAME} {_FUND}",
        rf"(?:what|which)(?: {_NOUN})? (?:is|are|was|were|has been|have been) {_FUND} by {_NAME}",
        rf"{_NAME}(?:'s?)? (?:investments|portfolio)",
        rf"(?:investments|portfolio) of {_NAME}",
    ),
    _shape(
        "who-funded", "who funded Cohere", ("funded",), "in", None,
        rf"(?:who|which (?:investors?|{_ORG}|people|countries)|what (?:investors?|{_ORG})) "
        rf"(?:has |have |had )?{_FUND} {_NAME}",
        rf"(?:by )?whom (?:was|is|has) {_NAME} (?:been )?{_FUND}",
        rf"who (?:was|is|has) {_NAME} (?:been )?{_FUND} by",
        rf"who (?:are|were|is) (?:the )?(?:investors|backers|funders) (?:in|of|behind) {_NAME}",
        rf"who (?:are|were) {_NAME}(?:'s?)? (?:investors|backers|funders)",
        rf"(?:investors|backers|funders) (?:in|of|behind) {_NAME}",
        rf"{_NAME}(?:'s?)? (?:investors|backers|funders)",
        rf"(?:who|whom) did {_NAME} raise (?:money|funds|funding|capital)? ?from",
    ),
    _shape(
        "outperformed-by", "what does Phi-4 outperform", ("outperforms",), "out", "Model",
        rf"{_WHAT} {_AUX} {_NAME} (?:outperform(?:ed)?|beat(?:en)?|exceed(?:ed)?|surpass(?:ed)?|outdo(?:ne)?|top(?:ped)?|do better than|done better than)",
        rf"{_WHAT} (?:is|are|was|were) {_NAME} better than",
        rf"{_WHAT} (?:is|are|was|were|has been|have been) (?:outperformed|beaten|surpassed|exceeded|topped) by {_NAME}",
    ),
    _shape(
        "outperforms", "which models outperform LLaMa-3.1 405B", ("outperforms",), "in", "Model",
        rf"(?:what|which|who)(?: {_NOUN})? (?:can |could )?{_BEAT} {_NAME}",
        rf"(?:what|which)(?: {_NOUN})? (?:is|are|was|were) (?:stronger|better) than {_NAME}",
        rf"{_AUX} anything {_BEAT} {_NAME}",
        rf"(?:by )?(?:what|which)(?: {_NOUN})? (?:is|was) {_NAME} (?:outperformed|beaten|surpassed)(?: by)?",
        rf"(?:by )?(?:what|which)(?: {_NOUN})? (?:has|have) {_NAME} been (?:outperformed|beaten|surpassed)(?: by)?",
    ),
    _shape(
        "works-for", "who works for Tenstorrent", ("worksFor",), "in", "Person",
        rf"(?:who|which {_NOUN}) (?:works?|worked|is working|are working|has worked) (?:for|at|with) {_NAME}",
        rf"who (?:is|are|was|were) (?:at|employed by|with) {_NAME}",
        rf"who (?:founded|co-?founded|leads|led|runs|ran|heads|headed|started) {_NAME}",
        rf"who (?:is|are|was|were) (?:the )?(?:founders?|co-?founders?|ceo|cto|head|leaders?|employees?|researchers?|staff) (?:of|at) {_NAME}",
        rf"who (?:are|were) {_NAME}(?:'s?)? (?:founders?|employees|researchers|staff|people)",
        rf"(?:people|employees|staff|researchers|founders) (?:at|of) {_NAME}",
        rf"{_NAME}(?:'s?)? (?:employees|staff|people|founders|researchers)",
    ),
    _shape(
        "employer-of", "where does Jim Keller work", ("worksFor",), "out", "Organization",
        rf"(?:where|for whom|(?:for )?(?:who|which|what)(?: {_ORG})?) (?:does|did|do) {_NAME} work(?: for| at)?",
        rf"who (?:employs|employed|is employing) {_NAME}",
        rf"(?:who|what) (?:is|was|are|were) {_NAME}(?:'s?)? (?:employer|company|lab|organi[sz]ation)",
        rf"(?:where|which {_ORG}) (?:is|was) {_NAME} (?:employed|working)(?: at)?",
    ),
    _shape(
        "based-in-where", "where is Mistral based", ("basedIn",), "out", "Country",
        rf"where (?:is|are|was|were) {_NAME} (?:based|headquartered|located|from)",
        rf"where (?:does|do|did) {_NAME} (?:come from|operate|have (?:its|their) (?:hq|headquarters))",
        rf"(?:which|what) country (?:is|are|was|were) {_NAME} (?:based in|headquartered in|located in|from|in)",
        rf"(?:what|which) (?:is|was) {_NAME}(?:'s?)? (?:home )?country",
    ),
    _shape(
        "based-in", "which labs are based in China", ("basedIn",), "in", "Organization",
        rf"(?:which|what|who)(?: {_NOUN})? (?:is|are|was|were) (?:based|headquartered|located) in {_NAME}",
        rf"(?:which|what)(?: {_NOUN})? (?:is|are|was|were) (?:from|in) {_NAME}",
        rf"(?:which|what)(?: {_NOUN})? (?:come|comes) from {_NAME}",
        rf"(?:labs|ai labs|companies|organi[sz]ations|orgs|startups|firms) (?:based |headquartered |located )?(?:in|from) {_NAME}",
    ),
)

_LEAD = re.compile(
    r"^(?:(?:please|hey|ok|so)[, ]+)?(?:(?:can|could) you )?"
    r"(?:(?:tell|show|give) me |list |find |name )?(?:all |all the |the )?",
    re.IGNORECASE,
)
_TRAIL = re.compile(r"[\s?!.]+$")
_QUOTES = "\"'\u201c\u201d\u2018\u2019`"


def _clean(text: str) -> str:
    s = text.replace("\u2019", "'").replace("\u2018", "'")
    s = " ".join(s.split())
    s = _TRAIL.sub("", s)
    return _LEAD.sub("", s, count=1) if not _LEAD.fullmatch(s) else s


def _noun_type(noun: str | None) -> str | None:
    if not noun:
        return None
    n = noun.casefold()
    for stem, etype in _NOUN_TYPE.items():
        if n.startswith(stem):
            return etype
    return None


def _entity_name(raw: str) -> str:
    name = raw.strip().strip(_QUOTES).strip()
    if name.casefold().startswith("the ") and len(name) > 4:
        name = name[4:]
    return name.strip()


def understood_shapes() -> tuple[str, ...]:
    """One example question per understood shape."""
    return tuple(s.example for s in SHAPES)


def parse_question(text: str) -> Question | ParseFailure:
    """Parse a question into the entity it names and the relation it asks about."""
    if len(text) > MAX_QUESTION_LENGTH:
        return ParseFailure(
            text[:MAX_QUESTION_LENGTH],
            f"the question is {len(text)} characters long; at most {MAX_QUESTION_LENGTH} are allowed",
            understood_shapes(),
        )
    cleaned = _clean(text)
    if not cleaned:
        return ParseFailure(text, "the question is empty", understood_shapes())
    for shape in SHAPES:
        for pattern in shape.patterns:
            m = pattern.match(cleaned)
            if m is None:
                continue
            name = _entity_name(m.group("name"))
            if not name or name.casefold() in {"it", "they", "them", "this", "that", "anyone", "anything"}:
                continue
            noun = m.groupdict().get("noun")
            answer_type = _noun_type(noun) or shape.answer_type
            return Question(text, name, shape.predicates, shape.direction, answer_type, shape.name)
    return ParseFailure(
        text,
        f"could not understand the question {text!r}; ask one of the shapes below, naming one entity",
        understood_shapes(),
    )
