"""Sentence -> entities table for the aikg entity component (sentences written for these tests)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.extract import extract_document
from kg.nlp import load_pipeline
from kg.types import Document, Link, Section

ENTITY_CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    # model names: versions, sizes, suffixes
    ("Zhipu has released GLM-5.1-Air, which beats Qwen2.5-Coder on code.", [("GLM-5.1-Air", "Model"), ("Qwen2.5-Coder", "Model")], ["Qwen"]),
    ("The team finetuned LLaMa-3.1 405B and Mistral 7B for the study.", [("LLaMa-3.1 405B", "Model"), ("Mistral 7B", "Model")], ["LLaMa"]),
    ("We compared o1-preview with GPT-4o and Claude 3.5 Sonnet.", [("o1-preview", "Model"), ("GPT-4o", "Model"), ("Claude 3.5 Sonnet", "Model")], ["Claude"]),
    ("The robot policy π0 folds laundry.", [("π0", "Model")], []),
    ("DeepSeek-R1-Lite-Preview solves hard puzzles.", [("DeepSeek-R1-Lite-Preview", "Model")], ["DeepSeek"]),
    ("Quokka researchers trained Wombat-2 13B, a model for farm logistics.", [("Wombat-2 13B", "Model")], []),
    ("They built an agent called Kestrel that plays chess.", [("Kestrel", "Model")], []),
    ("Scores fell from 26.12 to 8.1 when Zebra-7B was quantized.", [("Zebra-7B", "Model")], ["Zebra-7B 26.12"]),
    # organisations by cue
    ("The startup Lumora raised money last week.", [("Lumora", "Organization")], []),
    ("Researchers with Tallinn University and Quanta Labs built the dataset.", [("Tallinn University", "Organization"), ("Quanta Labs", "Organization")], []),
    ("Velox, a robotics company based in Ohio, shipped a new arm.", [("Velox", "Organization")], ["Ohio"]),
    ("Perdix Inc and the University of Leeds signed a deal.", [("Perdix Inc", "Organization"), ("University of Leeds", "Organization")], []),
    ("Microsoft's researchers describe the method in detail.", [("Microsoft", "Organization")], []),
    ("The round was led by Kowloon Securities and Birch Partners.", [("Kowloon Securities", "Organization"), ("Birch Partners", "Organization")], []),
    ("The Institute for Law and Robots wrote a memo.", [("Institute for Law and Robots", "Organization")], []),
    # benchmarks
    ("The model scores 71.2 on GPQA and does well on MMLU.", [("GPQA", "Benchmark"), ("MMLU", "Benchmark")], []),
    ("They introduce a benchmark called TideBench for ocean forecasting.", [("TideBench", "Benchmark")], []),
    ("Results on the Marmot benchmark were poor.", [("Marmot", "Benchmark")], []),
    # countries and demonyms
    ("Chinese researchers and French startups compete with the United States.", [("Chinese", "Country"), ("French", "Country"), ("United States", "Country")], []),
    ("The U.S. government and the UK are drafting rules.", [("U.S.", "Country"), ("UK", "Country")], []),
    ("The dataset covers Swahili and Japanese text.", [], ["Swahili", "Japanese"]),
    # persons
    ("Ada Lovelace now works for Babbage Research.", [("Ada Lovelace", "Person"), ("Babbage Research", "Organization")], []),
    # not entities
    ("AI and LLM progress depends on GPU supply and RLHF.", [], ["AI", "LLM", "GPU", "RLHF"]),
    ("Hardware types: most labs use H100 chips.", [], ["Hardware", "H100"]),
    # round 2: tech-press names -------------------------------------------------------
    # models announced with versions, variants and sizes
    ("Pelican unveiled Heron Large 2 and Heron 3.5 Flash on Monday.", [("Heron Large 2", "Model"), ("Heron 3.5 Flash", "Model")], ["Heron Large"]),
    ("Moonshot released Kimi k1.5 to compete with o3-mini.", [("Kimi k1.5", "Model"), ("o3-mini", "Model")], ["Kimi"]),
    ("Microsoft shipped Phi-4-multimodal alongside Grok 3 comparisons.", [("Phi-4-multimodal", "Model"), ("Grok 3", "Model")], ["Phi-4"]),
    ("Researchers at Tallinn University released s1, a reasoning model.", [("s1", "Model"), ("Tallinn University", "Organization")], ["Researchers at Tallinn University"]),
    # benchmarks in prose: modifiers, stem variants, scores that are not versions
    ("They released Global MMLU, a translated version of the test.", [("Global MMLU", "Benchmark")], ["MMLU"]),
    ("Accuracy drops on GSM-Symbolic and on SWE-eval for every model.", [("GSM-Symbolic", "Benchmark"), ("SWE-eval", "Benchmark")], []),
    ("Results: GPQA 61.3, versus 55.2 for the baseline.", [("GPQA", "Benchmark")], ["GPQA 61.3", "GPQA 61"]),
    ("Our run scored 88% on SWE-bench Verified.", [("SWE-bench Verified", "Benchmark")], []),
    ("The prompts use an MMLU-style format.", [], ["MMLU-style"]),
    # organisations: suffixes, investors, possessive names, lists of any length, class lists
    ("Perdix Technologies Ltd raised $40m from Lark Capital, Wren Ventures and Birch Partners.", [("Perdix Technologies Ltd", "Organization"), ("Lark Capital", "Organization"), ("Wren Ventures", "Organization"), ("Birch Partners", "Organization")], []),
    ("The round was led by General Catalyst with the Government of Canada.", [("General Catalyst", "Organization"), ("Government of Canada", "Organization")], []),
    ("Researchers with Huawei's Noah's Ark Lab and Tallinn University built it.", [("Huawei", "Organization"), ("Noah's Ark Lab", "Organization"), ("Tallinn University", "Organization")], ["Ark Lab"]),
    ("Researchers with Quanta Labs, Basalt, Ferrule, Gannet Institute, Osprey and Tern Bio wrote it.", [("Basalt", "Organization"), ("Ferrule", "Organization"), ("Osprey", "Organization"), ("Tern Bio", "Organization")], []),
    ("Our models beat those of companies like Yi and Lumora.", [("Yi", "Organization"), ("Lumora", "Organization")], []),
    ("Thinking Machines Lab raised a seed round.", [("Thinking Machines Lab", "Organization")], ["Machines Lab"]),
    ("Using Quokka Labs data, we trained a model.", [("Quokka Labs", "Organization")], ["Using Quokka Labs"]),
    ("Import AI 999: Simulating AI policy; Today's AI chips.", [], ["Simulating AI", "Today's AI"]),
    ("The game was developed by Tallinn researchers.", [("Tallinn", "Organization")], []),
    # people with titles
    ("Kestrel chief executive Jane Doerr said the deal closed.", [("Jane Doerr", "Person")], []),
    ("Lumora, co-founded by Amos Tversky, hired former Quanta CTO Mira Okafor.", [("Amos Tversky", "Person"), ("Mira Okafor", "Person")], []),
    ("The startup raised money, said Paul Ndiaye, its co-founder and CEO.", [("Paul Ndiaye", "Person")], []),
    # things that are not entities: formats, products, chips, games, databases
    ("Huawei published HiFloat9, a data format for training. HiFloat9 is efficient.", [("Huawei", "Organization")], ["HiFloat9"]),
    ("The agent found a bug in Quarkbase, a widely used database. Quarkbase users were safe.", [], ["Quarkbase"]),
    ("Etched is designing an inference ASIC called Sohox. Sohox can run games.", [("Etched", "Organization")], ["Sohox"]),
    ("Blocky is a 3D game where you build things; agents love Blocky.", [], ["Blocky"]),
    ("Nvidia said the Blackwell chips are shipping.", [("Nvidia", "Organization")], ["Blackwell"]),
    ("Memory was lower for a DeMo 1B model.", [], ["DeMo 1B", "DeMo"]),
    # issue labels, regional phrases, benchmark years, quoted paper titles, subsidiaries
    ("Tech Digest 7: Heron ships a model", [], ["Digest 7", "Tech Digest 7"]),
    ("European AI startups and Chinese AI labs are racing.", [("Chinese", "Country")], ["European AI", "Chinese AI"]),
    ("It solved 80% of AIME 2024 problems.", [("AIME 2024", "Benchmark")], ["AIME"]),
    ('She co-wrote the 2019 paper "Tiny Birds Are All You Need" with him.', [("Tiny Birds Are All You Need", "Paper")], []),
    ("Alibaba Cloud and Amazon Web Services host the model.", [("Alibaba Cloud", "Organization"), ("Amazon Web Services", "Organization")], ["Alibaba"]),
    # round 3: unseen outlets ---------------------------------------------------------
    # context beats the statistical PERSON label: release objects, model appositions, comparisons
    ("Pelican on Tuesday unveiled Nova Prime, a family of foundation models for its cloud.", [("Nova Prime", "Model")], []),
    ("Pelican said Corvo Max outperforms Wombat-2 13B on most vision tests.", [("Corvo Max", "Model"), ("Wombat-2 13B", "Model")], []),
    ("Quokka Labs has open-sourced Marlowe Reyes to the public.", [("Marlowe Reyes", "Model")], []),
    ("Velvet Ross, a startup building AI models, hired staff.", [("Velvet Ross", "Organization")], []),
    ("Mara Quist said the lab had doubled in size.", [("Mara Quist", "Person")], []),
    # quoted titles after titled/called/named, also lower-case ones
    ('They published a paper titled "k2: Simple tricks for long recall", introducing k2-70B.', [("k2: Simple tricks for long recall", "Paper"), ("k2-70B", "Model")], ["Simple"]),
    ('In a paper, "Scaling Laws for Tiny Birds," researchers at Tallinn University show it.', [("Scaling Laws for Tiny Birds", "Paper")], []),
    # lower-case model names with a size or variant; known family + capitalised variant
    ("We distilled s7-32B and phi-9.5-mini from a larger teacher.", [("s7-32B", "Model"), ("phi-9.5-mini", "Model")], []),
    ("Cheap models like x86-64 builds are not models.", [], ["x86-64"]),
    ("01.AI cut prices for Yi-Lightning this week.", [("01.AI", "Organization"), ("Yi-Lightning", "Model")], []),
    ("Google-backed Lumora grew fast.", [], ["Google-backed"]),
    # benchmarks named by the comparison that uses them, by apposition, or by ", called"
    ("Corvo-7B beats Ostrich-3 on TernVoyager and on ReefQA.", [("TernVoyager", "Benchmark"), ("Corvo-7B", "Model"), ("Ostrich-3", "Model")], []),
    ("Researchers built TALLQ, a benchmark for visual language models.", [("TALLQ", "Benchmark")], []),
    ("Tallinn University built the test, called PebbleMath.", [("PebbleMath", "Benchmark")], []),
    # demonyms before organisation nouns the tagger reads as verbs; funding lists
    ("Separately, Japanese startup Lumora secured funding.", [("Japanese", "Country"), ("Lumora", "Organization")], []),
    ("The round drew participation from Brookfield Asset Management, Lark Capital and Fidelity.", [("Brookfield Asset Management", "Organization"), ("Fidelity", "Organization")], []),
    ("It raised $40m with participation from Peter Thiel.", [("Peter Thiel", "Person")], []),
    # people: "who leads", hyphenated and non-English names, possessive owners that are people
    ("Rohan Pradhan, who leads Pelican's AGI team, presented it.", [("Rohan Pradhan", "Person"), ("Pelican", "Organization")], ["AGI"]),
    ("Mira Okafor's Thinking Machines Lab and Fei-Fei Li's World Labs hired.", [("Thinking Machines Lab", "Organization"), ("World Labs", "Organization"), ("Fei-Fei Li", "Person")], ["Mira Okafor's Thinking Machines Lab"]),
    ("Seoul-based Navelo released HyperLoom, a reasoning model.", [("Navelo", "Organization"), ("HyperLoom", "Model")], []),
    # licences, events and projects are not entities
    ("The weights ship under an Apache 2.0 license at the re:Invent conference.", [], ["Apache 2.0", "Apache"]),
    ("In 2021, HiSilicon launched the Quarkfloat project to study formats.", [], ["Quarkfloat"]),
    # round 4: a name never crosses a sentence end (run-in headlines whose bold markup ingest removed)
    ("Pelican ships Corvo B. Lisbon-based Pelican has shipped Corvo B, a model for law firms.", [("Corvo B", "Model"), ("Pelican", "Organization")], ["Corvo B. Lisbon", "Corvo B."]),
    ("Lumora launches Heron X. The model reads maps.", [("Heron X", "Model")], ["Heron X. The", "Heron X."]),
    ("The board appointed Jane Q. Holloway as chief executive.", [("Jane Q. Holloway", "Person")], ["Jane Q"]),
    ("Quanta Labs is growing\nOsprey Ventures said it would invest.", [("Quanta Labs", "Organization"), ("Osprey Ventures", "Organization")], []),
    # title appositions, sentence-initial time words, rivals, capitalised hyphenated model names
    ("The company's co-founder and chief scientist, Yu Marren, said it was trained from scratch.", [("Yu Marren", "Person")], []),
    ("Its chief technology officer, Lwyn Ostrava, co-authored the work.", [("Lwyn Ostrava", "Person")], []),
    ("Today Halcyon Labs is releasing Kestrel-7B, our first open model.", [("Halcyon Labs", "Organization"), ("Kestrel-7B", "Model")], ["Today Halcyon Labs"]),
    ("On Monday Quokka Labs said it had hired staff.", [("Quokka Labs", "Organization")], ["Monday Quokka Labs"]),
    ("Rival Navelo, which runs its own model family, declined to comment.", [("Navelo", "Organization")], ["Rival Navelo"]),
    ("The agency released TERN-LARK v3, a model family for Baltic languages.", [("TERN-LARK v3", "Model")], ["v3", "TERN-LARK"]),
    ("Pelican says Corvo-Vision 2 beats Heron Large on charts.", [("Corvo-Vision 2", "Model")], ["Corvo-Vision"]),
    ("Velox, a Danish company, raised $80 million last year from Birch Partners and Ostravel.", [("Ostravel", "Organization")], []),
    # quoted titles as the object of a publishing verb or before "a paper", in any quote style
    ('Researchers from Tallinn University published "Scaling Laws for Tiny Agents", which finds gains.', [("Scaling Laws for Tiny Agents", "Paper")], []),
    ("Quanta Labs released \u201cHeron-2: Reading Maps at Scale\u201d alongside the weights.", [("Heron-2: Reading Maps at Scale", "Paper")], []),
    ("We describe it in our paper, \u2018Distilling Birds into Seven Billion Parameters\u2019, with Osprey.", [("Distilling Birds into Seven Billion Parameters", "Paper")], []),
    ("Lumora published \u2018Don\u2019t Stop Training Birds Early\u2019, a paper on schedules.", [("Don\u2019t Stop Training Birds Early", "Paper")], []),
    # round 5: press-style text -------------------------------------------------------
    # a place descriptor before an organisation is no part of its name
    ("Stockholm-based Halcyon Labs has released Kestrel-7B.", [("Halcyon Labs", "Organization")], ["Stockholm-based Halcyon Labs", "Stockholm"]),
    ("Seattle-based Nimbus Labs and Montreal-based AI startup Brindle hired staff.", [("Nimbus Labs", "Organization"), ("Brindle", "Organization")], ["Seattle-based Nimbus Labs", "Montreal-based AI", "AI"]),
    ("Sorrel, a Tokyo AI lab, said the Lisbon startup Corvane built it.", [("Sorrel", "Organization"), ("Corvane", "Organization")], ["Tokyo AI", "Lisbon startup Corvane"]),
    # a demonym describing an organisation is a country, whatever the tags of the words between
    ("Velmora, the Dutch chipmaking equipment maker, sells machines.", [("Velmora", "Organization"), ("Dutch", "Country")], []),
    ("Brindle, the Finnish software maker, grew.", [("Finnish", "Country")], []),
    ("It answers in Japanese for developers.", [], ["Japanese"]),
    # coordinated names split at "and" when both sides are names; single names with "&" or "and" stay whole
    ("Researchers with the University of Edinburgh and Samsung built it.", [("University of Edinburgh", "Organization"), ("Samsung", "Organization")], ["University of Edinburgh and Samsung"]),
    ("The University of Ostrava and Quanta Labs signed a deal.", [("University of Ostrava", "Organization"), ("Quanta Labs", "Organization")], ["University of Ostrava and Quanta Labs"]),
    ("Staff at the University of Science and Technology shipped it.", [("University of Science and Technology", "Organization")], ["University of Science", "Technology"]),
    ("Researchers with Johns Hopkins and Procter & Gamble built it.", [("Johns Hopkins", "Organization"), ("Procter & Gamble", "Organization")], ["Procter", "Gamble"]),
    # investors named only by a funding context
    ("Velox raised $20m in a round led by Vintrel, with participation from Oskaro.", [("Vintrel", "Organization"), ("Oskaro", "Organization")], []),
    ("Velox raised $20m from Northvale and Crendra.", [("Northvale", "Organization"), ("Crendra", "Organization")], []),
    # an organisation in an apposition whose description holds "AI" before an organisation noun
    ("Kestrel AI, the Paris startup, has launched Talon.", [("Kestrel AI", "Organization"), ("Talon", "Model")], []),
    ("Kestrel AI, the Paris AI startup, has launched Talon.", [("Kestrel AI", "Organization"), ("Talon", "Model")], ["Paris AI"]),
    # a country inside an organisation's name; "The" of a versioned product name
    ("Researchers with AI Latvia and the University of Tartu built it.", [("AI Latvia", "Organization")], ["Latvia"]),
    # a spaced version at a sentence end is part of the name; a score is not
    ("Brindle AI, the Berlin startup, has released Talon 2.", [("Talon 2", "Model")], ["Talon"]),
    ("Lumora published The AI Reviewer v2 this week.", [("The AI Reviewer v2", "Model")], ["Reviewer v2", "AI Reviewer v2"]),
    # round 3: a website name used as an employer is an organisation; a link target is not
    ("Dana Reyes, Lumora's co-founder and CEO, previously served as CTO at GitHub.", [("Dana Reyes", "Person"), ("GitHub", "Organization")], []),
    # a possessive owner of several words before the title: the apposition still names a person
    ("Tavish Holloway, Quanta Robotics' CEO, said the release marks the start of the agentic era.", [("Tavish Holloway", "Person"), ("Quanta Robotics", "Organization")], []),
    ("Tavish Holloway, Quanta Deep Robotics's CEO, said the release marks the start of the agentic era.", [("Tavish Holloway", "Person")], []),
    ("The code for Wombat-2 is available at GitHub.", [("Wombat-2", "Model")], ["GitHub"]),
    ("Before that, Dana Reyes worked at GitHub for a decade.", [("GitHub", "Organization")], []),
    ("Osprey-1 scores 41% on TideGym.", [("Osprey-1", "Model"), ("TideGym", "Benchmark")], []),
    # agent systems scored on a task set are models, even when named after a benchmark stem
    ("On TideGym, MarlinHands with Zebra-7B resolves 20% of tasks, ahead of SWE-agent at 12%.", [("MarlinHands", "Model"), ("Zebra-7B", "Model"), ("SWE-agent", "Model")], []),
    ("Accuracy drops on SWE-eval for every model.", [("SWE-eval", "Benchmark")], []),
    # a known organization glued to a participle by a hyphen is still named ("Microsoft-backed")
    ("The Microsoft-backed startup Zorblax raised money.", [("Microsoft", "Organization")], []),
    ("A Google-led consortium bought the chips.", [("Google", "Organization")], []),
    ("Two ex-DeepMind engineers founded the lab.", [("DeepMind", "Organization")], []),
    # an institution's "of A and B" is one name; a known name after "and" is another organization
    ("Researchers with the Zembra University of Posts and Telecommunications, and Krell AI built it.",
     [("Zembra University of Posts and Telecommunications", "Organization")], ["Telecommunications"]),
    ("The University of Toronto and Google wrote it.", [("University of Toronto", "Organization"), ("Google", "Organization")], []),
    ("Source: DeepSeek v4 Preview Release", [], ["v4 Preview"]),
    # the press cited as a source is an organization; a person who reports something is not
    ("The deal was first reported by The Kestrel Ledger, and according to data from Fundwatch the round was big.",
     [("Fundwatch", "Organization")], []),
    ("The Daily Quill reported that the firm raised more.", [("Daily Quill", "Organization")], []),
    ("Sam Altman reported that it worked.", [("Sam Altman", "Person")], []),
    ("The lab works on other problems, Kestrel Ledger reported. It took a stake, per the Daily Quill, and the CEO told "
     "The Morning Wire that costs rose.",
     [("Kestrel Ledger", "Organization"), ("Daily Quill", "Organization"), ("Morning Wire", "Organization")], []),
    ("The Microsoft-style interface confused users.", [], ["Microsoft"]),
    # a model written after its maker's name is two entities when the rest is a model name of its own ...
    ("The outliers were OpenAI o3-mini and Meta Llama 3 on the test.",
     [("OpenAI", "Organization"), ("o3-mini", "Model"), ("Meta", "Organization"), ("Llama 3", "Model")],
     ["OpenAI o3-mini", "Meta Llama 3"]),
    # ... and one when the maker's name is part of the model's
    ("DeepSeek V3 and Mistral Large 2 were tested.", [("DeepSeek V3", "Model"), ("Mistral Large 2", "Model")], ["V3"]),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _ents(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize(("text", "expected", "forbidden"), ENTITY_CASES, ids=[c[0][:40] for c in ENTITY_CASES])
def test_sentence_entities(nlp: Language, text: str, expected: list[tuple[str, str]], forbidden: list[str]) -> None:
    found = _ents(nlp, text)
    for item in expected:
        assert item in found, f"{item} not in {sorted(found)}"
    texts = {t for t, _ in found}
    for bad in forbidden:
        assert bad not in texts, f"{bad!r} should not be an entity in {sorted(found)}"


def test_quoted_short_name_after_release_verb_is_no_paper(nlp: Language) -> None:
    found = _ents(nlp, 'Pelican released "Corvo Two" on Monday.')
    assert not any(label == "Paper" for _, label in found), sorted(found)


def test_sentence_final_initial_is_split_off(nlp: Language) -> None:
    doc = nlp("Lumora launches Heron X. Toronto-based Lumora has launched Heron X, a model.")
    assert [s.text.strip() for s in doc.sents][:2] == ["Lumora launches Heron X.", "Toronto-based Lumora has launched Heron X, a model."]
    assert "Heron X." not in {t.text for t in doc}


def test_short_forms_link_across_sections(nlp: Language) -> None:
    parts = ["Halcyon Labs has released Kestrel-7B.\n\n", "Priya Osei, Halcyon's head of research, spoke. Reka AI grew.\n\n", "Reka hired staff."]
    text = "".join(parts)
    bounds = [0, len(parts[0]), len(parts[0]) + len(parts[1]), len(text)]
    doc = Document(id="d", title="t", text=text, source="s",
                   sections=tuple(Section(index=i, title=f"s{i}", start=bounds[i], end=bounds[i + 1]) for i in range(3)))
    canon = {(m.text, m.type): m.canonical for m in extract_document(doc, nlp).mentions}
    assert canon[("Halcyon", "Organization")] == "Halcyon Labs"
    assert canon[("Reka", "Organization")] == "Reka AI"  # a known lab before a company head


def test_known_lab_is_no_short_form_of_its_division() -> None:
    from kg.extract import link_short_forms
    from kg.types import Mention

    ms = [Mention("Google Research", "Organization", 0, 15, "d"), Mention("Google", "Organization", 20, 26, "d"),
          Mention("Lumora", "Organization", 30, 36, "d"), Mention("Lumora Research", "Organization", 40, 55, "d")]
    out = {m.text: m.canonical for m in link_short_forms(ms, lambda name: name == "Google")}
    assert out["Google"] == ""
    assert out["Lumora"] == "Lumora Research"


def test_demonym_canonical(nlp: Language) -> None:
    doc = nlp("German engineers and Canadian investors met in Paris.")
    canon = {e.text: e._.canonical for e in doc.ents if e.label_ == "Country"}
    assert canon == {"German": "Germany", "Canadian": "Canada"}


def test_demonym_of_an_organisation_description_names_the_country(nlp: Language) -> None:
    doc = nlp("Velmora, the Dutch chipmaking equipment maker, sells machines.")
    assert {e.text: e._.canonical for e in doc.ents if e.label_ == "Country"} == {"Dutch": "Netherlands"}


def test_acronym_and_short_form(nlp: Language) -> None:
    doc = nlp("Kestrel Dynamics Research (KDR) built it. Later, Kestrel and KDR shared the weights.")
    by_text = {(e.text, e.label_): e._.canonical for e in doc.ents}
    assert by_text[("KDR", "Organization")] == "Kestrel Dynamics Research"
    assert by_text[("Kestrel", "Organization")] == "Kestrel Dynamics Research"


def test_document_vote_types_repeated_names(nlp: Language) -> None:
    doc = nlp("Ostrich-3 is a new model. People liked Ostrich-3 because Ostrich-3 is fast.")
    labels = {e.label_ for e in doc.ents if e.text == "Ostrich-3"}
    assert labels == {"Model"}
    assert sum(1 for e in doc.ents if e.text == "Ostrich-3") == 3


def test_read_more_line_gives_paper_and_source(nlp: Language) -> None:
    text = "Nice result.\n   Read more: Heron: Scaling Laws for Tiny Birds (Heron Labs blog, arXiv).\n"
    found = _ents(nlp, text)
    assert ("Heron: Scaling Laws for Tiny Birds", "Paper") in found
    assert ("Heron Labs", "Organization") in found
    assert not any(t == "arXiv" for t, _ in found)


def test_read_more_glued_and_short_title(nlp: Language) -> None:
    found = _ents(nlp, "   Read moreHow Finch learned to sing (Finch Labs blog).\n   Read more: TideBench (Ocean AI).\n")
    assert ("How Finch learned to sing", "Paper") in found
    assert not any(label == "Paper" and t == "TideBench" for t, label in found)


def test_labels_are_only_the_six_types(nlp: Language) -> None:
    doc = nlp("On Monday 5 June 2024, Apple paid $3 billion to 40 people in Berlin, Germany.")
    assert {e.label_ for e in doc.ents} <= {"Organization", "Model", "Paper", "Person", "Country", "Benchmark"}
    assert ("Germany", "Country") in {(e.text, e.label_) for e in doc.ents}
    assert "Berlin" not in {e.text for e in doc.ents}


def _document(text: str, sections: tuple[Section, ...], links: tuple[Link, ...] = ()) -> Document:
    return Document(id="t-1", title="t", text=text, source="t.txt", sections=sections, links=links)


def test_extract_document_offsets_and_fiction(nlp: Language) -> None:
    part1 = "Quokka Labs ships Wombat-2:\nQuokka Labs has released Wombat-2 13B.\n"
    part2 = "Tech Tales:\nThe android from Ostrich Labs dreamed.\n"
    text = part1 + part2
    doc = _document(text, (Section(0, "Quokka", 0, len(part1)), Section(1, "Tech Tales", len(part1), len(text), fiction=True)))
    result = extract_document(doc, nlp)
    assert result.mentions, "no mentions found"
    for m in result.mentions:
        assert text[m.start : m.end] == m.text
        assert m.end <= len(part1), f"mention {m.text!r} taken from the fiction section"
    assert {"Quokka Labs", "Wombat-2 13B"} <= {m.text for m in result.mentions}


def test_extract_document_drops_host_link_text(nlp: Language) -> None:
    text = "The code is on GitHub and the paper on arXiv. Hugging Face released SmolThing-2.\n"
    start = text.index("GitHub")
    doc = _document(text, (Section(0, "s", 0, len(text)),), (Link(start, start + 6, "https://github.com/x"),))
    names = {m.text for m in extract_document(doc, nlp).mentions}
    assert "GitHub" not in names and "arXiv" not in names
    assert "Hugging Face" in names


def test_all_caps_short_form_names_the_full_organisation(nlp: Language) -> None:
    doc = nlp("QUOKKA announces a 15B model. Later, Quokka Labs shared the weights.")
    by_text = {(e.text, e.label_): e._.canonical for e in doc.ents}
    assert by_text[("QUOKKA", "Organization")] == "Quokka Labs"


def test_personal_blog_source_is_a_person(nlp: Language) -> None:
    found = _ents(nlp, "A fine essay.\n   Read more: Notes on Tiny Birds (Lucia Fenwick blog).\n")
    assert ("Lucia Fenwick", "Person") in found
    found = _ents(nlp, "A fine essay.\n   Read more: Notes on Tiny Birds (Heron Research blog).\n")
    assert ("Heron Research", "Organization") in found


def test_repeated_weak_statistical_label_is_not_enough(nlp: Language) -> None:
    # a bare acronym the pretrained NER may call an organisation, with no other cue, stays out
    found = _ents(nlp, "Training reached 43% MFU. With more nodes, MFU drops to 37%.")
    assert not any(t == "MFU" for t, _ in found)


def test_place_implied_country_becomes_a_mention(nlp: Language) -> None:
    from kg.extract import place_countries
    from kg.types import Candidate, Evidence, Mention

    text = "The Port Quokka-based startup Lumora raised money. Lumora is growing."
    sdoc = nlp(text)
    sent_end = text.index(".") + 1
    ev = Evidence("t-1", "s", text[:sent_end], 100, 100 + sent_end, "basedIn:place", 0.8)
    cand = Candidate("Lumora", "Organization", "basedIn", "Canada", "Country", ev)
    lookup = {"Port Quokka": "Canada"}.get
    found = place_countries(sdoc, [cand], [], doc_id="t-1", offset=100, lookup=lookup)
    assert [(m.text, m.type, m.canonical, m.source, m.start) for m in found] == [("Port Quokka", "Country", "Canada", "place", 104)]
    # a country the section already names needs no second mention; other predicates imply nothing
    named = [Mention("Canada", "Country", 0, 6, "t-1")]
    assert place_countries(sdoc, [cand], named, doc_id="t-1", offset=100, lookup=lookup) == []
    other = Candidate("Lumora", "Organization", "funded", "Canada", "Country", ev)
    assert place_countries(sdoc, [other], [], doc_id="t-1", offset=100, lookup=lookup) == []


def test_extract_document_adds_the_country_of_a_city_based_organisation(nlp: Language) -> None:
    text = "Lumora raises money:\nThe Toronto-based startup Lumora raised $40m from Lark Capital.\n"
    result = extract_document(_document(text, (Section(0, "Lumora raises money", 0, len(text)),)), nlp)
    if not any(c.predicate == "basedIn" for c in result.candidates):
        pytest.skip("relation extraction found no basedIn here (owned by the relations module)")
    places = [m for m in result.mentions if m.source == "place"]
    assert [(m.text, m.canonical) for m in places] == [("Toronto", "Canada")]
    assert text[places[0].start : places[0].end] == "Toronto"


@pytest.mark.parametrize("lead", ["Read the paper", "Paper", "Read the report", "Read the technical report"])
def test_paper_lead_without_source(nlp: Language, lead: str) -> None:
    found = _ents(nlp, f"A good week for fish.\n{lead}: Training Fish Agents and Verifiers with TideGym\n")
    assert ("Training Fish Agents and Verifiers with TideGym", "Paper") in found, sorted(found)


def test_paper_lead_skips_bare_links_and_names(nlp: Language) -> None:
    found = _ents(nlp, "Read the paper: https://example.org/fish.pdf\nPaper: TideGym\n")
    assert not any(label == "Paper" for _, label in found), sorted(found)



@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ({"Hunyuan", "Hunyuan-Large"}, {"Hunyuan": "Hunyuan-Large"}),  # a tier word: the short form
        ({"K2", "Kimi K2"}, {"K2": "Kimi K2"}),  # the last part of the longer name
        ({"LLaMa", "LLaMa-3.1 405B"}, {}),  # a family beside a version and size
        ({"INTELLECT-1", "INTELLECT-1-INSTRUCT"}, {}),  # a versioned name and its fine-tune
        ({"Zephyr", "Zephyr-Chat"}, {}),  # a fine-tune is a model of its own
        ({"Gemma", "Gemma-Large", "Gemma-Small"}, {}),  # two longer names: ambiguous
    ],
)
def test_model_short_form_targets(names: set[str], expected: dict[str, str]) -> None:
    from kg.extract import _model_short_form_targets

    assert _model_short_form_targets(names) == expected


def test_model_short_form_renames_mentions_and_relations(nlp: Language) -> None:
    text = ("Notes 1: models\n\nTencent has released Hunyuan-Large, a mixture-of-experts model. "
            "In tests, Hunyuan beats Zephyr-2 on math.\n")
    doc = Document(id="d", title="Notes 1: models", text=text, source="d.txt",
                   sections=(Section(0, "Notes 1: models", 0, len(text)),))
    result = extract_document(doc, nlp)
    short = [m for m in result.mentions if m.text == "Hunyuan"]
    assert short and all(m.canonical == "Hunyuan-Large" for m in short)
    triples = {(c.subject, c.predicate, c.object) for c in result.candidates}
    assert ("Hunyuan-Large", "outperforms", "Zephyr-2") in triples
    assert not any("Hunyuan" in (c.subject, c.object) for c in result.candidates)
