"""Sentence templates for the synthetic newsletter (written for aikg's benchmarks).

Relation templates state one of the six relations of GUIDELINES.md in the
ways a newsletter tends to; filler templates are prose with no relation in
it, so the mix of text looks like an issue rather than a list of facts.
Slots: {org} {org2} {model} {model2} {bench} {paper} {person} {country}
{demonym} {amount} {topic} {thing} {adj} {number}.
"""

from __future__ import annotations

RELATION_TEMPLATES: dict[str, tuple[str, ...]] = {
    "released": (
        "{org} has released {model}, a language model that is tuned for {topic}.",
        "{org} launched {model} this week, and the weights are available for anyone to download.",
        "Researchers with {org} have introduced {bench}, a benchmark for testing how well systems handle {topic}.",
        "{org} unveiled {model}, which it says is its most capable system yet.",
        "The new {model} model from {org} is notable for how cheaply it was trained.",
        "{org} open-sourced {model} alongside a detailed description of its training data.",
    ),
    "outperforms": (
        "{model} outperforms {model2} on {bench}, according to the authors.",
        "In tests, {model} beats {model2} on most of the tasks they looked at.",
        "The authors find that {model} surpasses {model2} on {bench} while using less compute.",
        "{model} does better than {model2} on {bench}, though the margin is small.",
    ),
    "funded": (
        "{org2} invested in {org} as part of a round that values the company at {amount}.",
        "{org} raised {amount} from {org2} to expand its compute cluster.",
        "{org2} led a {amount} funding round in {org}.",
        "The {demonym} government has funded {org} to build national infrastructure for {topic}.",
    ),
    "worksFor": (
        "{person}, the CEO of {org}, said the company expects demand for {thing} to keep rising.",
        "{person}, a researcher at {org}, told me the results surprised the team.",
        "\u201cWe did the simplest thing that could work,\u201d says {person}, the founder of {org}.",
        "{org} cofounder {person} has argued for years that {topic} would matter.",
    ),
    "basedIn": (
        "{demonym} startup {org} is one of the more interesting labs working on {topic}.",
        "{org}, a company based in {country}, has been quietly building {thing}.",
        "{demonym} lab {org} has been growing quickly over the past year.",
    ),
    "authored": (
        "Researchers with {org} have published {paper_q}, a paper on {topic}.",
        "{person} and colleagues wrote {paper_q}, which studies {topic}.",
        "A new paper from {org}, {paper_q}, looks at how {thing} change as models get bigger.",
    ),
}

FILLER_TEMPLATES: tuple[str, ...] = (
    "This is a {adj} result and it suggests that {topic} is getting easier than many people expected.",
    "The approach is simple: gather a lot of data, train a large network, and measure what comes out.",
    "It is worth reading the paper in full, because the appendix contains most of the interesting details.",
    "If trends like this hold, we should expect {thing} to become cheaper and more widely available.",
    "There are caveats, of course, and the evaluation only covers {number} tasks.",
    "Most of the gains come from better data rather than from changes to the architecture.",
    "I find this kind of work {adj} because it shows how much low-hanging fruit remains in {topic}.",
    "The system was trained on {number} thousand examples, which is small by the standards of the field.",
    "People who build {thing} will want to pay attention to this.",
    "The authors are careful to say that their results may not generalize beyond the settings they tested.",
    "One way to think about this is that compute is being converted into capability at a steady rate.",
    "Policymakers have been slow to notice how quickly {topic} is moving.",
    "The code is available, which makes it easy for others to check the claims.",
    "We are at the beginning of a period where {thing} will be built by software rather than by people.",
    "Nothing here is magic; it is the accumulation of many small engineering improvements.",
    "It took roughly {number} days of training on a cluster of accelerators to get these numbers.",
    "A few years ago a result like this would have seemed implausible.",
    "The broader point is that evaluation is struggling to keep up with {topic}.",
    "Expect more papers like this over the coming months.",
    "The dataset covers {number} languages and a wide range of domains.",
)

HEADLINE_TEMPLATES: tuple[str, ...] = (
    "{org} makes a bet on {topic}",
    "Can {thing} be trained cheaply?",
    "A new benchmark for {topic}",
    "{model} shows what small models can do",
    "Money keeps flowing into {topic}",
    "What happens when you scale {thing}?",
    "The quiet progress of {topic}",
)

SUBTITLE_TEMPLATES: tuple[str, ...] = (
    "\u2026Another sign that {topic} is maturing\u2026",
    "\u2026{adj} results, with a few important caveats\u2026",
    "\u2026The field keeps finding cheap tricks that work\u2026",
)

WHY_TEMPLATES: tuple[str, ...] = (
    "Why this matters \u2013 {adj} progress: ",
    "Why this matters \u2013 the cost curve keeps bending: ",
    "Why this matters \u2013 evaluations are the bottleneck: ",
)

FICTION_SENTENCES: tuple[str, ...] = (
    "The machine woke before the city did and began sorting the night's messages.",
    "She asked it a question and it answered with another question.",
    "Somewhere in the data center a fan spun up, and then it was quiet again.",
    "They had built it to be helpful, and it had taken that instruction very seriously.",
    "Nobody remembered who had first given it a name.",
)

TOPICS: tuple[str, ...] = (
    "robotics", "code generation", "protein design", "speech recognition", "long-context reasoning",
    "chip design", "weather forecasting", "video generation", "mathematical reasoning", "agentic tasks",
    "machine translation", "drug discovery", "cybersecurity", "education", "scientific discovery",
)
THINGS: tuple[str, ...] = (
    "coding assistants", "humanoid robots", "large datasets", "evaluation suites", "inference chips",
    "world models", "synthetic datasets", "small language models", "reward models", "search agents",
)
ADJECTIVES: tuple[str, ...] = ("striking", "modest", "impressive", "surprising", "important", "useful", "odd")
NEWSLETTERS: tuple[str, ...] = ("Synthetic Signals", "Gradient Notes", "Compute Weekly")
