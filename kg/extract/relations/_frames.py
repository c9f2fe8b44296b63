"""Verb frames: who did what to whom, read from the dependency parse.

``frame(verb)`` returns the subject tokens and object tokens of a verb,
normalising passive voice ("Y was released by X"), participles modifying a
noun ("Y, developed by X"), relative clauses ("X, which launched Y") and
verbs coordinated with a shared subject or object ("X trained and released Y").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

SUBJ = frozenset({"nsubj", "csubj"})
OBJ = frozenset({"dobj", "obj", "attr", "oprd", "dative"})
VERBISH = frozenset({"VERB", "AUX"})
RELATIVE = frozenset({"which", "that", "who", "whom"})


@dataclass(frozen=True, slots=True)
class Frame:
    verb: Token
    subjects: tuple[Token, ...]
    objects: tuple[Token, ...]
    passive: bool


def _children(tok: Token, deps: frozenset[str]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _agent(tok: Token) -> list[Token]:
    out = []
    for c in tok.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            out.extend(p for p in c.children if p.dep_ == "pobj")
    return out


def _copula_subject(noun: Token) -> Token:
    """For "Y is a model that beats Z" the relative clause's subject is Y, not "model"."""
    if noun.dep_ == "attr":
        subj = [c for c in noun.head.children if c.dep_ in SUBJ]
        if subj:
            return subj[0]
    if noun.dep_ == "appos":  # "Y, a model that beats Z"
        return noun.head
    return noun


def is_verb(tok: Token) -> bool:
    return tok.pos_ in VERBISH or tok.tag_.startswith("VB")


def _line_start(tok: Token) -> int:
    """Index of the first token of ``tok``'s line (after the last line break before it)."""
    i = tok.i
    while i > 0 and "\n" not in tok.doc[i - 1].text:
        i -= 1
    return i


def _same_line(a: Token, b: Token) -> bool:
    lo, hi = sorted((a.i, b.i))
    return not any("\n" in t.text for t in a.doc[lo:hi])


def _line_subjects(verb: Token, subjects: list[Token]) -> list[Token]:
    """Subjects on the verb's own line.

    The parser sometimes glues a headline to the body ("...; Acme's new chips\n\nZorb, the
    startup, has raised $N") and makes a headline noun the body verb's subject. A subject
    across a line break is replaced by the phrase that opens the verb's line and hangs
    outside it (the real subject the parse attached to the headline).
    """
    if all(_same_line(s, verb) for s in subjects):
        return subjects
    kept = [s for s in subjects if _same_line(s, verb)]
    if kept:
        return kept
    start = _line_start(verb)
    return [t for t in verb.doc[start:verb.i]
            if t.pos_ in {"PROPN", "NOUN", "PRON"} and not (start <= t.head.i <= verb.i)][:1]


def _clause_subjects(verb: Token) -> list[Token]:
    """Subjects of the clause a subjectless participle hangs from ("A published a paper,
    introducing Y": "introducing" shares "published"'s subject), skipping noun-modifying verbs."""
    t = verb
    for _ in range(5):
        if t.head.i == t.i:
            return []
        t = t.head
        if is_verb(t) and t.dep_ not in {"acl", "amod", "relcl"}:
            if any(c.dep_ in {"nsubjpass", "auxpass"} for c in t.children):
                return []
            return [c for c in t.children if c.dep_ in SUBJ]
    return []


def frame(verb: Token) -> Frame:
    """Subjects and objects of ``verb`` (tokens; resolve them to entities separately)."""
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    if passive:
        subjects = _agent(verb)
        objects = _children(verb, frozenset({"nsubjpass"}))
    else:
        subjects = _children(verb, SUBJ)
        objects = _children(verb, OBJ)
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        # "Y, developed by X": the modified noun is the object
        passive = True
        subjects = _agent(verb)
        objects = [verb.head]
    elif verb.dep_ == "advcl" and verb.tag_ == "VBN" and not subjects and not passive and _agent(verb):
        # "Founded by X, Y builds ...": the participle's object is the main clause's subject
        passive = True
        subjects = _agent(verb)
        objects = _children(verb.head, SUBJ)
    elif verb.dep_ == "relcl" and not subjects and not passive:
        subjects = [_copula_subject(verb.head)]
    elif verb.dep_ == "relcl" and passive and not objects:
        objects = [verb.head]
    if verb.dep_ == "relcl":
        subjects = [_copula_subject(verb.head) if t.lower_ in RELATIVE else t for t in subjects]
        objects = [verb.head if t.lower_ in RELATIVE else t for t in objects]
    if not passive:
        subjects = _line_subjects(verb, list(subjects))
    if not subjects and not passive and verb.tag_ == "VBG" and verb.dep_ in {"advcl", "xcomp"}:
        subjects = _clause_subjects(verb)
    # coordinated verbs share a subject ("X trained and released Y") ...
    head = verb
    while not subjects and head.dep_ == "conj" and head.head is not head:
        head = head.head
        inherited = frame(head) if head.dep_ != "conj" else None
        if inherited is not None:
            subjects = list(inherited.subjects)
            if head.dep_ == "relcl" and not subjects:
                subjects = [head.head]
        else:
            subjects = _children(head, SUBJ) or _agent(head)
    # ... and an object ("X trained and released Y" gives "trained" the object too)
    if not objects:
        for c in verb.children:
            if c.dep_ == "conj" and is_verb(c):
                objects = _children(c, OBJ)
                if objects:
                    break
    return Frame(verb, tuple(subjects), tuple(objects), passive)
