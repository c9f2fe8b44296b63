"""Context patterns: names typed by the words around them.

Each rule is a regular expression over a section's text with one or more
named groups that hold a name (``n``) or a list of names (``list``), plus the
type it gives, a weight and a rule name. A cue of type :data:`NOT_ENTITY`
says the name is something the graph does not hold (a file format, a game,
a database, a chip): :mod:`kg.extract.entities` drops every mention of that
name in the document when such a reading outweighs the others.
"""

from __future__ import annotations

import re

from kg.extract.patterns import _W, NAME, NAMEX, Cue

__all__ = ["NOT_ENTITY", "context_cues"]

#: the pseudo-type of a cue that says "this name is not an entity of the graph"
NOT_ENTITY = "_none"

_POSS = "(?:'s|\u2019s)"
#: one item of a list of names; may contain a possessive ("Huawei's Noah's Ark Lab")
_ITEM = rf"(?:the[ ])?{_W}{_POSS}?(?:[ ](?:of|for|de|der|la|on)[ ]{_W}|[ ]{_W}{_POSS}?)*"
_SEP = r"(?:,[ ]and[ ]|,[ ]&[ ]|,[ ]|[ ]and[ ]|[ ]&[ ])"
_LIST = rf"(?P<list>{_ITEM}(?:{_SEP}{_ITEM})*)"
_SPLIT = re.compile(_SEP)
_LEAD_THE = re.compile(r"the[ ]")
_HAS_POSS = re.compile(_POSS + r"[ ]")

#: a person's name as written in the press: two or three capitalised words, maybe a middle initial
PERSON_NAME = r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+)?(?:[ ][A-Z]\.)?(?:[ ](?:van[ ]|von[ ]|de[ ]|da[ ]|di[ ]|del[ ])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z]?[a-z]+)?){1,2}(?![\w\-])"
_TITLES = (
    r"CEO|CTO|COO|CFO|CSO|cofounder|co-founder|Co-founder|Co-Founder|founder|Founder|chief[ ]executive(?:[ ]officer)?|"
    r"Chief[ ]Executive(?:[ ]Officer)?|chief[ ][a-z]+[ ]officer|chief[ ]scientist|Chief[ ]Scientist|president|President|"
    r"chairman|Chairman|chairwoman|chair|researcher|scientist|professor|Professor|Prof\.|Dr\.|"
    r"general[ ]partner|managing[ ]partner|spokesperson|spokesman|spokeswoman|analyst|economist|engineer|"
    r"head[ ]of[ ][a-z]+|vice[ ]president|VP"
)
_TITLE_AFTER = (
    r"(?:CEO|CTO|COO|CFO|founder|co-founder|cofounder|chief[ ]executive|chief[ ][a-z]+[ ]officer|chief[ ]scientist|"
    r"president|chairman|chairwoman|head[ ]of|director|a[ ](?:senior[ ]|principal[ ]|former[ ])?(?:researcher|scientist|"
    r"professor|engineer|partner|investor))"
)
#: head nouns of things the graph does not hold as entities
_THING_HEADS = (
    r"(?:data[ ])?formats?|specifications?|standards?|protocols?|databases?|(?:video[ ])?games?|"
    r"programming[ ]languages?|operating[ ]systems?|libraries|library|frameworks?|apps?|applications?|"
    r"websites?|web[ ]sites?|sites?|chips?|processors?|ASICs?|accelerators?|GPUs?|supercomputers?|clusters?|"
    r"servers?|devices?|smartphones?|phones?|laptops?|browsers?|editors?|file[ ]systems?|compilers?|"
    r"cryptocurrenc(?:y|ies)|tokens?[ ]standard|programs?|initiatives?|projects?|conferences?|workshops?"
)
#: the head noun must end its noun phrase ("a game", not "a game-playing agent")
_PHRASE_END = r"(?![\w\-])(?=[ ]*(?:[,.;:)!?\u2013\u2014]|$|[ ](?:for|that|which|used|with|from|by|in|on|of|to|and|where|"
_PHRASE_END += r"developed|designed|built|made|where|called|named|run|owned)\b))"

_CONTEXTS: tuple[tuple[re.Pattern[str], str, float, str], ...] = (
    (
        re.compile(
            rf"\b(?:startups?|compan(?:y|ies)|labs?|firms?|non-?profits?|chipmakers?|chip[ ]designers?|"
            rf"developers?|organi[sz]ations?|institutes?|investors?|unicorns?|universit(?:y|ies)|backers|"
            rf"venture[ ](?:capital[ ])?firms?|funds?)"
            rf"(?:[ ](?:called|named))?[ ](?:[\u2013\u2014-][ ])?{_LIST}"
        ),
        "Organization", 2.0, "org:noun-cue",
    ),
    (
        # an explicit class: "companies like A and B", "investors such as C"
        re.compile(
            rf"\b(?:startups|compan(?:y|ies)|labs|firms|organi[sz]ations|investors|backers|chipmakers|developers|"
            rf"universities|institutions)[ ](?:like|such[ ]as|including)[ ]{_LIST}"
        ),
        "Organization", 3.2, "org:class-list",
    ),
    (
        re.compile(
            rf"\b(?:[Rr]esearchers|[Ss]cientists|[Pp]eople|[Ee]ngineers|[Aa]uthors|[Ee]mployees|[Tt]eams?|"
            rf"[Ww]ork(?:ers)?|[Ss]taff)[ ](?:with|from|at)[ ]{_LIST}"
        ),
        "Organization", 2.0, "org:researchers-with",
    ),
    (
        re.compile(rf"(?P<n>{NAME})[ ](?:researchers|scientists|engineers|employees)\b"),
        "Organization", 1.5, "org:name-researchers",
    ),
    (
        re.compile(rf"(?P<n>{NAME})(?:'s|\u2019s)[ ](?:researchers|scientists|engineers|team|lab|CEO|CTO|founder|co-founder|chief|investors?)\b"),
        "Organization", 2.0, "org:possessive-staff",
    ),
    (
        re.compile(
            rf"(?P<n>{NAME}),[ ](?:a|an|the)[ ](?:[\w\-]+[ ]){{0,4}}?(?:company|startup|lab|laboratory|firm|"
            rf"non-?profit|organi[sz]ation|institute|university|chipmaker|research group|investor|think[ ]tank|"
            rf"venture[ ]capital[ ]firm|fund|maker|developer)\b"
        ),
        "Organization", 2.5, "org:apposition",
    ),
    (
        re.compile(
            rf"(?P<n>{NAMEX}),[ ](?:a|an|the)[ ](?:[\w\-]+[ ]){{0,5}}?(?:model|LLM|language model|system|"
            rf"agent|chatbot|AI)\b"
        ),
        "Model", 2.0, "model:apposition",
    ),
    (
        # lower-case model names: "s1, a reasoning model", "o3-mini, the latest model"
        re.compile(
            r"(?<![\w\-])(?P<n>[a-z]{1,3}\d(?:[\w.\-]*\w)?),[ ](?:a|an|the|its|their)[ ](?:[\w\-]+[ ]){0,5}?"
            r"(?:model|LLM|language[ ]model|system|agent|chatbot)\b"
        ),
        "Model", 2.0, "model:lower-apposition",
    ),
    (
        re.compile(
            rf"(?P<n>{NAMEX})[ ](?:is|was)[ ](?:a|an|the)[ ](?:[\w\-]+[ ]){{0,4}}?(?:dataset|benchmark|test|evaluation|eval|"
            rf"leaderboard)\b"
        ),
        "Benchmark", 2.5, "benchmark:copula",
    ),
    (
        re.compile(
            rf"(?P<n>{NAMEX})[ ](?:is|was)[ ](?:a|an|the)[ ](?:[\w\-]+[ ]){{0,4}}?(?:company|startup|lab|laboratory|"
            rf"firm|non-?profit|organi[sz]ation|institute|university)\b"
        ),
        "Organization", 2.5, "org:copula",
    ),
    (
        re.compile(rf"(?P<n>{NAMEX})[ ](?:is|was)[ ](?:a|an)[ ](?:[\w\-]+[ ]){{0,4}}?(?:model|LLM|system|agent|chatbot)\b"),
        "Model", 2.0, "model:copula",
    ),
    (
        re.compile(rf"\b(?:models?|systems?|agents?|LLMs?|chatbots?|networks?|AI)[ ](?:called|named|dubbed)[ ](?P<n>{NAMEX})"),
        "Model", 2.5, "model:called",
    ),
    (
        re.compile(rf"(?<![\w\-.])(?P<n>{NAMEX})[ ](?:models?|model[ ]family|family[ ]of[ ]models|agent|LLM|chatbot)\b"),
        "Model", 1.2, "model:head-noun",
    ),
    (
        re.compile(
            rf"\b(?:benchmarks?|datasets?|tests?|evals?|evaluations?|environments?|suites?|leaderboards?|"
            rf"competitions?)(?:[ ](?:called|named|dubbed))[ ](?P<n>{NAMEX})"
        ),
        "Benchmark", 2.5, "benchmark:called",
    ),
    (
        re.compile(rf"(?<![\w\-.])(?P<n>{NAMEX})[ ](?:benchmarks?|dataset|eval|evaluation|test[ ]suite|leaderboard)\b"),
        "Benchmark", 1.5, "benchmark:head-noun",
    ),
    (
        re.compile(
            rf"\b(?:scor(?:es?|ed|ing)|gets?|got|achiev(?:es?|ed)|accuracy|performance|results?)[ ](?:of[ ])?"
            rf"(?:about[ ]|around[ ]|roughly[ ])?~?[\d.]+%?(?:[ ]percent)?[ ](?:on|in)[ ](?:the[ ])?(?P<n>{NAMEX})"
        ),
        "Benchmark", 2.0, "benchmark:score-on",
    ),
    (
        re.compile(rf"(?m)^[^\S\n]*(?:[\u2022*\-][ \t]*)?(?P<n>{NAMEX}):[ ]~?\d[\d.]*%?(?:[ ]|,|$)"),
        "Benchmark", 1.5, "benchmark:score-line",
    ),
    # --- people -----------------------------------------------------------------------
    (
        # "chief executive Jane Doe", "co-founder John Roe", "OpenAI CTO Mira Murati"
        re.compile(rf"(?<![\w\-])(?:former[ ]|then-)?(?:{_TITLES})[ ](?P<n>{PERSON_NAME})"),
        "Person", 2.0, "person:title",
    ),
    (
        re.compile(rf"\b(?:co-?founded|founded|cofounded)[ ]by[ ](?:former[ ][\w\-]+[ ])?(?P<n>{PERSON_NAME})"),
        "Person", 1.6, "person:founded-by",
    ),
    (
        # "Jane Doe, its co-founder and CEO", "John Roe, the company's chief executive", "Ann Lee, a researcher at X"
        re.compile(
            rf"(?P<n>{PERSON_NAME}),[ ](?:the[ ](?:company|startup|lab|firm)(?:'s|\u2019s)[ ]|its[ ]|their[ ]|"
            rf"{_W}(?:'s|\u2019s)[ ]|who[ ](?:is|was)[ ](?:the[ ]|a[ ])?)?(?:former[ ]|current[ ]|new[ ])?{_TITLE_AFTER}\b"
        ),
        "Person", 2.0, "person:apposition",
    ),
    # --- things that are not entities -------------------------------------------------
    (
        re.compile(rf"(?P<n>{NAMEX}),[ ](?:a|an|the)[ ](?:[\w\-&/]+[ ]){{0,4}}?(?:{_THING_HEADS}){_PHRASE_END}"),
        NOT_ENTITY, 2.5, "thing:apposition",
    ),
    (
        re.compile(rf"(?P<n>{NAMEX})[ ](?:is|was)[ ](?:a|an|the)[ ](?:[\w\-&/]+[ ]){{0,4}}?(?:{_THING_HEADS}){_PHRASE_END}"),
        NOT_ENTITY, 2.5, "thing:copula",
    ),
    (
        re.compile(rf"\b(?:{_THING_HEADS})[ ](?:called|named|dubbed)[ ](?P<n>{NAMEX})"),
        NOT_ENTITY, 2.5, "thing:called",
    ),
    (
        re.compile(rf"(?P<n>{NAMEX})[ ](?:chips?|GPUs?|processors?|accelerators?|supercomputers?|servers?|data[ ]format|game|database)\b"),
        NOT_ENTITY, 1.5, "thing:head-noun",
    ),
)


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The names of a list span, without a leading "the"; items with a possessive are left
    to the shape patterns ("Huawei's Noah's Ark Lab" is two organisations)."""
    out: list[tuple[int, int]] = []
    pos = start
    for sep in [*_SPLIT.finditer(text, start, end), None]:
        stop = sep.start() if sep is not None else end
        s = pos
        lead = _LEAD_THE.match(text, s, stop)
        if lead:
            s = lead.end()
        if stop > s and not _HAS_POSS.search(text, s, stop):
            out.append((s, stop))
        if sep is not None:
            pos = sep.end()
    return out


#: a quoted title after a word for a paper: 'the 2017 paper "Attention Is All You Need"'
_QUOTED_TITLE = re.compile(
    r"\b(?:paper|report|technical[ ]report|preprint|study|essay|blog[ ]post)(?:[ ]titled|[ ]called|[ ]entitled)?,?[ ]"
    r"[\u201c\"](?P<n>[A-Z0-9][^\u201d\"\n]{6,160}?)[,.]?[\u201d\"]"
)


def context_cues(text: str) -> list[Cue]:
    """Names introduced by their context: 'startup X', 'a benchmark called X', 'CEO Jane Doe'."""
    out: list[Cue] = [Cue(m.start("n"), m.end("n"), "Paper", 3.0, "paper:quoted-title", hard=True) for m in _QUOTED_TITLE.finditer(text)]
    for rx, etype, weight, rule in _CONTEXTS:
        has_list = "list" in rx.groupindex
        for m in rx.finditer(text):
            if has_list:
                for s, e in _list_items(text, m.start("list"), m.end("list")):
                    out.append(Cue(s, e, etype, weight, rule))
            elif m.group("n"):
                out.append(Cue(m.start("n"), m.end("n"), etype, weight, rule))
    return out
