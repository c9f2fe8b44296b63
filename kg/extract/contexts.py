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
_ITEM = rf"(?:the[ ])?{_W}{_POSS}?(?:[ ](?:of|for|de|der|la|on|&)[ ]{_W}|[ ]{_W}{_POSS}?)*"
#: "&" between capitalised words is part of one name ("Procter & Gamble"), so it never separates items
_SEP = r"(?:,[ ]and[ ]|,[ ]|[ ]and[ ])"
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
#: a lower-case model name with a digit: "s1", "o3-mini", "s1-32B", "phi-3.5-mini"
LOWER_NAME = r"(?:[a-z]{1,3}\d[\w.\-]*[\w+]|[a-z]{1,3}\d|[a-z]{2,8}-\d[\w.\-]*[\w+])"
#: verbs whose object is a newly shown model ("unveiled Nova Pro")
_RELEASE_VERBS = (
    r"unveil(?:s|ed|ing)?|launch(?:es|ed|ing)?|releas(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|debut(?:s|ed|ing)?|"
    r"open-sourc(?:e|es|ed|ing)|ship(?:s|ped|ping)?|announc(?:e|es|ed|ing)|roll(?:s|ed|ing)?[ ]out"
)
#: verbs of a comparison between two models
_COMPARE_VERBS = r"outperform(?:s|ed)?|beat(?:s)?|surpass(?:es|ed)|exceed(?:s|ed)|outscore(?:s|d)|bests|bested|tops|topped|edges[ ]out|trails|trailed|lags[ ]behind|rivals|rivaled|matches|matched"
#: nouns of organisations: a phrase containing one describes an organisation, not a model
_ORG_NOUNS = (
    r"(?:startups?|compan(?:y|ies)|labs?|laborator(?:y|ies)|firms?|non-?profits?|organi[sz]ations?|institutes?|"
    r"universit(?:y|ies)|makers?|developers?|chipmakers?|investors?|funds?|group|unicorns?|subsidiar(?:y|ies)|builders?)"
)
#: words before which an apposition's head noun has already been named ("a benchmark for models", "a startup that builds models")
_NOT_MODEL_HEADS = (
    rf"(?:{_ORG_NOUNS}|benchmarks?|datasets?|tests?|evals?|evaluations?|suites?|leaderboards?|papers?|reports?|"
    r"for|that|which|with|to|by|from|in|on|who|where|and)"
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
        # the press cited as a source: "first reported by The Information", "according to a report
        # from the Financial Times", "data from PitchBook", "PitchBook data shows"
        re.compile(
            rf"\b(?:(?:first[ ])?reported[ ]by|according[ ]to[ ](?:a[ ]|an[ ])?(?:report|story|article|analysis|"
            rf"filing|survey|data)[ ](?:by|from|in)|(?:data|figures|estimates)[ ]from)[ ](?P<n>(?:The[ ])?{NAME})"
        ),
        "Organization", 2.5, "org:press-source",
    ),
    (
        # "The Information reported", "the Financial Times, which first reported the deal"
        re.compile(
            rf"(?P<n>The[ ]{NAME})[ ](?:first[ ])?(?:reported|reports)[ ](?:that|on|the|earlier|last|this|in)\b"
        ),
        "Organization", 1.5, "org:press-reported",
    ),
    (
        re.compile(rf"(?P<n>{NAME}),[ ]which[ ](?:first[ ])?(?:reported|reports)\b"),
        "Organization", 1.5, "org:press-reported",
    ),
    (
        # "..., Wired reported." / "..., per the Financial Times," / "told The Verge" (a person has no "The")
        re.compile(
            rf"(?:,[ ](?P<n>{NAME})[ ](?:reported|reports|said)(?=[.;])|\bper[ ]the[ ](?P<p>{NAME})(?=[,.;])|"
            rf"\b(?:told|tells|telling)[ ](?P<t>The[ ]{NAME}))"
        ),
        "Organization", 1.8, "org:press-attribution",
    ),
    (
        re.compile(
            rf"\b(?:startups?|compan(?:y|ies)|labs?|firms?|non-?profits?|chipmakers?|chip[ ]designers?|[Rr]ivals?|"
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
        # "Pelican's researchers", "Pelican's AGI team"
        re.compile(
            rf"(?P<n>{NAME})(?:'s|\u2019s)[ ](?:[A-Z][\w\-]*[ ])?(?:researchers|scientists|engineers|team|lab|CEO|CTO|founder|head|"
            rf"co-founder|chief|investors?)\b"
        ),
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
        # "Nova Pro, a family of foundation models", "X, the company's new reasoning LLMs" (no organisation
        # noun between: "X, a startup building AI models" is an organisation)
        re.compile(
            rf"(?P<n>{NAMEX}),[ ](?:a|an|the|its|their)[ ](?:(?!{_NOT_MODEL_HEADS}\b)[\w\-'\u2019]+[ ]){{0,5}}?"
            rf"(?:models?|LLMs?|language[ ]models?|systems?|agents?|chatbots?|AI)\b(?![ \-](?:{_ORG_NOUNS})\b)"
        ),
        "Model", 2.0, "model:apposition",
    ),
    (
        # lower-case model names: "s1, a reasoning model", "o3-mini, the latest model", "s1 is a model"
        re.compile(
            rf"(?<![\w\-])(?P<n>{LOWER_NAME})(?:,|[ ](?:is|was))[ ](?:a|an|the|its|their)[ ](?:[\w\-]+[ ]){{0,5}}?"
            r"(?:models?|LLMs?|language[ ]models?|systems?|agents?|chatbots?)\b"
        ),
        "Model", 2.0, "model:lower-apposition",
    ),
    (
        # the object of a release verb is a model (papers and benchmarks have their own, stronger cues):
        # "Amazon on Tuesday unveiled Nova Pro", "has open-sourced s1-32B"
        re.compile(
            rf"\b(?:{_RELEASE_VERBS})[ ](?:(?:its|their|the|a)[ ])?(?:new[ ]|latest[ ]|open[ ]|next-generation[ ])?"
            rf"(?P<n>{NAMEX}|{LOWER_NAME})(?!['\u2019]s|[\w\-])"
        ),
        "Model", 1.6, "model:release-object",
    ),
    (
        # the two sides of a comparison are models: "Nova Pro outperforms Llama 3.2 90B"
        re.compile(rf"(?<![\w\-.])(?P<n>{NAMEX}|{LOWER_NAME})[ ](?:also[ ]|even[ ]|still[ ])?(?:{_COMPARE_VERBS})[ ]"),
        "Model", 1.6, "model:compare-subject",
    ),
    (
        re.compile(rf"\b(?:{_COMPARE_VERBS})[ ](?:{_W}(?:'s|\u2019s)[ ])?(?P<n>{NAMEX}|{LOWER_NAME})(?!['\u2019]s|[\w\-])"),
        "Model", 1.6, "model:compare-object",
    ),
    (
        # "... beats Y on WebVoyager", "outperforms Z on BEIR and"
        re.compile(
            rf"\b(?:{_COMPARE_VERBS})[ ](?:[\w.\-+'\u2019]+[ ]){{1,5}}?on[ ](?:the[ ])?(?P<n>{NAMEX})"
            rf"(?=[ ]*(?:[,.;:)]|$|[ ](?:and|benchmark|by|with|while|as|in|at)\b))"
        ),
        "Benchmark", 1.6, "benchmark:compare-on",
    ),
    (
        re.compile(
            rf"(?P<n>{NAMEX})[ ](?:is|was)[ ](?:a|an|the)[ ](?:[\w\-]+[ ]){{0,4}}?(?:dataset|benchmark|test|evaluation|eval|"
            rf"leaderboard)\b"
        ),
        "Benchmark", 2.5, "benchmark:copula",
    ),
    (
        # "BALGOG, a benchmark for visual language models", "X, a new dataset of ..."
        re.compile(
            rf"(?P<n>{NAMEX}),[ ](?:a|an|the)[ ](?:(?!{_ORG_NOUNS}\b|models?\b|for\b|of\b|that\b)[\w\-]+[ ]){{0,3}}?"
            rf"(?:benchmark|dataset|test[ ]suite|evaluation[ ]suite|eval|leaderboard)s?\b"
        ),
        "Benchmark", 2.5, "benchmark:apposition",
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
            rf"competitions?)(?:,?[ ](?:called|named|dubbed))[ ](?P<n>{NAMEX})"
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
    (
        # an agent system's share of solved tasks: "MarlinHands with Zebra-7B resolves 20% of tasks"
        re.compile(
            rf"(?<![\w\-.])(?P<n>{NAMEX})(?:[ ](?:with|using|on|\+)[ ]{NAMEX})?[ ](?:also[ ])?"
            rf"(?:resolve[sd]?|solve[sd]?|complete[sd]?|fixe[sd]|fix|score[sd]?|achieve[sd]?|reache[sd]|reach)[ ](?:about[ ]|around[ ]|roughly[ ]|only[ ])?~?[\d.]+(?:%|[ ]percent)"
        ),
        "Model", 2.0, "model:solves-share",
    ),
    (
        # a competitor's score: "ahead of TIDE-agent at 12%", "behind Osprey-1 with 40%"
        re.compile(
            rf"\b(?:ahead[ ]of|behind|versus|vs\.?|compared[ ](?:to|with)|up[ ]from)[ ](?:the[ ])?(?P<n>{NAMEX})"
            rf"(?:'s|\u2019s)?[ ](?:at|with|and[ ]its)[ ]~?[\d.]+(?:%|[ ]percent)"
        ),
        "Model", 1.6, "model:score-peer",
    ),
    (
        # an employer after a role: "served as CTO at Pelican", "a research engineer at Lumora"
        re.compile(rf"(?<![\w\-])(?:{_TITLES}|[Ee]ngineer|[Ii]ntern|[Dd]irector|[Mm]anager|[Ll]ead|worked|works|working|stint|job)[ ]at[ ](?P<n>{NAME})"),
        "Organization", 2.0, "org:role-at",
    ),
    # --- people -----------------------------------------------------------------------
    (
        # "chief executive Jane Doe", "co-founder John Roe", "OpenAI CTO Mira Murati"
        re.compile(rf"(?<![\w\-])(?:former[ ]|then-)?(?:{_TITLES})[ ](?P<n>{PERSON_NAME})"),
        "Person", 2.0, "person:title",
    ),
    (
        # "The company's chief scientist, Yi Tay, said", "Its chief technology officer, Ann Lee, co-authored"
        re.compile(rf"(?<![\w\-])(?:{_TITLES}),[ ](?P<n>{PERSON_NAME}),[ ]"),
        "Person", 2.6, "person:title-apposition",
    ),
    (
        re.compile(rf"\b(?:co-?founded|founded|cofounded)[ ]by[ ](?:former[ ][\w\-]+[ ])?(?P<n>{PERSON_NAME})"),
        "Person", 1.6, "person:founded-by",
    ),
    (
        # "Jane Doe, its co-founder and CEO", "John Roe, the company's chief executive", "Ann Lee, a researcher at X",
        # "Ann Lee, Quanta Robotics' CTO" (an owner of up to three words)
        re.compile(
            rf"(?P<n>{PERSON_NAME}),[ ](?:the[ ](?:company|startup|lab|firm)(?:'s|\u2019s)[ ]|its[ ]|their[ ]|"
            rf"(?:{_W}[ ]){{0,2}}{_W}(?:'s|\u2019s|(?<=s)['\u2019])[ ]|who[ ](?:is|was)[ ](?:the[ ]|a[ ])?)?(?:former[ ]|current[ ]|new[ ])?"
            rf"{_TITLE_AFTER}\b"
        ),
        "Person", 2.0, "person:apposition",
    ),
    (
        # "Rohit Prasad, who leads Amazon's AGI team", "Jane Roe, who co-founded the lab"
        re.compile(
            rf"(?P<n>{PERSON_NAME}),[ ]who[ ](?:now[ ]|previously[ ]|also[ ])?(?:leads|led|heads|headed|runs|ran|oversees|"
            rf"oversaw|directs|directed|founded|co-founded|cofounded|started|joined|left|manages|managed)\b"
        ),
        "Person", 2.0, "person:who-leads",
    ),
    # --- organisations named by a funding or place context --------------------------
    (
        # "with participation from A, B and C", "a round led by A and B", "backed by A"
        re.compile(
            rf"\b(?:participation|investments?|funding|backing|money|capital|support)[ ]from[ ](?:investors[ ](?:such[ ]as|including)[ ])?{_LIST}"
        ),
        "Organization", 1.4, "org:funding-from",
    ),
    (
        # "a $20m round led by A", "the Series B was co-led by A and B": the leaders of a funding round
        re.compile(
            rf"\b(?:rounds?|funding|financing|investments?|raise|seed|Series[ ][A-H]\d?)\b[^.;:\n]{{0,40}}?"
            rf"\b(?:co-)?led[ ]by[ ](?:investors[ ](?:such[ ]as|including)[ ])?{_LIST}"
        ),
        "Organization", 1.4, "org:round-led-by",
    ),
    (
        # "raised $80 million last year from A and B"
        re.compile(rf"\b(?:raised|raises|raising|secured|secures|received|receives)[ ](?:(?!participation|investments?|funding|backing|money|capital|support)[^.;:\n]){{0,60}}?[ ]from[ ](?:investors[ ](?:such[ ]as|including)[ ])?{_LIST}"),
        "Organization", 1.4, "org:raised-from",
    ),
    (
        # "Seoul-based Naver", "the Paris-based startup H Company" (a place before "-based" heads an organisation)
        re.compile(
            rf"(?<![\w\-])[A-Z][a-z]+(?:[ ][A-Z][a-z]+)?(?:,[ ][A-Z][a-z]+)?-based[ ](?P<n>{NAME})(?![\w\-'\u2019])"
            rf"(?![ ](?:{_ORG_NOUNS})\b)"
        ),
        "Organization", 1.5, "org:place-based",
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
    (
        # licences, events and projects are not entities of the graph: "an Apache 2.0 license", "its re:Invent
        # conference", "the HiFloat project" (below the vocabulary's weight: "the Llama license" keeps Llama)
        re.compile(rf"(?P<n>{NAMEX})[ ](?:licen[cs]es?|conferences?|summits?|keynotes?|hackathons?|expo|projects?|initiatives?|programs?)\b"),
        NOT_ENTITY, 2.9, "thing:licence-event",
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


#: the three quote pairs of titles: straight double, curly double, curly single (a closing curly single is
#: an apostrophe when a letter follows it: ‘Don’t Stop’)
_QUOTES = (('"', '"', r'[^"\n]'), ("\u201c", "\u201d", r"[^\u201d\n]"), ("\u2018", "\u2019(?![A-Za-z])", r"(?:[^\u2019\n]|\u2019(?=[A-Za-z]))"))


def _quoted(body: str, tag: str = "q") -> str:
    """One alternative per quote pair (``@`` in ``body`` is a character of the title); the title is in the
    group ``<tag>0``, ``<tag>1`` or ``<tag>2``."""
    alts = []
    for i, (open_, close, char) in enumerate(_QUOTES):
        alts.append(f"{open_}(?P<{tag}{i}>{body.replace('@', char)})[,.]?{close}")
    return "(?:" + "|".join(alts) + ")"


_TITLE_BODY = r"[\w\u03c0]@{6,160}?"
_CAP_TITLE_BODY = r"(?:[A-Z0-9\u03c0]@{6,160}?|[a-z][\w\-.]*:[ ]@{4,160}?)"
_PAPER_WORDS = r"(?:paper|report|technical[ ]report|preprint|study|essay|blog[ ]post|white[ ]?paper|analysis)"
_PUBLISH_VERBS = (
    r"(?:publish(?:es|ed|ing)?|releas(?:e|es|ed|ing)|post(?:s|ed|ing)?|shar(?:e|es|ed|ing)|put[ ]out|puts[ ]out|"
    r"wrote|writes?|present(?:s|ed|ing)?|unveil(?:s|ed|ing)?|introduc(?:e|es|ed|ing)|co-?authored|authored)"
)
_QUOTED_TITLES: tuple[re.Pattern[str], ...] = (
    # 'the 2017 paper "Attention Is All You Need"', "a report titled ‘...’"
    re.compile(rf"\b{_PAPER_WORDS}(?:[ ](?:titled|called|entitled|named),?[ ]{_quoted(_TITLE_BODY)}|,?[ ]{_quoted(_CAP_TITLE_BODY, 'r')})"),
    # 'Researchers from X published "Scaling Laws for Y"': a quoted multi-word title as a publishing verb's object
    re.compile(rf"\b{_PUBLISH_VERBS}[ ](?:(?:a|an|the|their|its|our|his|her)[ ](?:new[ ]|recent[ ])?{_PAPER_WORDS},?[ ])?"
               rf"{_quoted(_CAP_TITLE_BODY)}(?=[ ,.;:)])"),
    # '"Scaling Laws for Y", a paper describing ...'
    re.compile(rf"{_quoted(_CAP_TITLE_BODY)},?[ ](?:a|an|the)[ ](?:new[ ]|recent[ ]|short[ ]|\d+-page[ ])?{_PAPER_WORDS}\b"),
)


def _title_group(m: re.Match[str]) -> str | None:
    return next((g for g in m.re.groupindex if m.group(g)), None)


def _title_like(title: str) -> bool:
    """A paper title has a colon or three words: a quoted single name ("Kimi") is no title."""
    return ":" in title or len(title.split()) >= 3


def context_cues(text: str) -> list[Cue]:
    """Names introduced by their context: 'startup X', 'a benchmark called X', 'CEO Jane Doe'."""
    out: list[Cue] = []
    for i, rx in enumerate(_QUOTED_TITLES):
        for m in rx.finditer(text):
            g = _title_group(m)
            if g is None or (i > 0 and not _title_like(m.group(g))):
                continue
            out.append(Cue(m.start(g), m.end(g), "Paper", 3.0, "paper:quoted-title", hard=True))
    for rx, etype, weight, rule in _CONTEXTS:
        has_list = "list" in rx.groupindex
        for m in rx.finditer(text):
            if has_list:
                for s, e in _list_items(text, m.start("list"), m.end("list")):
                    out.append(Cue(s, e, etype, weight, rule))
            elif m.group("n"):
                out.append(Cue(m.start("n"), m.end("n"), etype, weight, rule))
            else:  # patterns with alternative name groups
                for g in ("p", "t"):
                    if g in rx.groupindex and m.group(g):
                        out.append(Cue(m.start(g), m.end(g), etype, weight, rule))
    return out
