"""The public vocabularies (``tools/build_vocab.py``: Epoch AI, lm-evaluation-harness): the script is
deterministic, its filters keep names and drop words, the committed files are what it writes, and the names
are recognised in sentences written for these tests while English words of the source are not."""

from __future__ import annotations

import csv
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
from spacy.language import Language

from kg.extract.patterns import public_cues
from kg.extract.vocab import DATA_DIR, DATA_FILES, PUBLIC_FILES, vocabulary
from kg.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent


def _load_tool(name: str) -> ModuleType:
    """A script of tools/ (not a package) loaded as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


build_vocab = _load_tool("build_vocab")

#: where a trimmed copy of Epoch AI's data may lie (the script's --source); the regeneration test needs it
SOURCE = Path(os.environ.get("AIKG_EPOCH_SOURCE", ROOT.parent / "shared" / "sources" / "epoch"))


@pytest.fixture(scope="module")
def english() -> frozenset[str]:
    return build_vocab.english_words()


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


# invented rows in the shape of Epoch AI's tables: (name in the source, expected vocabulary name or None)
MODEL_ROWS = [
    ("Zorblax-7B", "Zorblax-7B"),
    ("Quillonex", "Quillonex"),  # a coined word
    ("Zorblax (13B)", "Zorblax"),  # a parenthesised size is dropped
    ("Marrow 2.0 Pro", "Marrow 2.0 Pro"),
    ("Otter", None),  # an English word
    ("Stable Video Diffusion", None),  # only English words
    ("Hopfield Networks", None),  # a technique
    ("6-layer MLP", None),  # a description
    ("LSTM", None),
    ("QXRT", None),  # a bare acronym of four letters
    ("Xinyu", None),  # also a given name
    ("Foo + Bar", None),
    ("ab", None),
    ("1234", None),
    ("Piecewise linear model", None),
]
ORG_ROWS = [
    ("Brightwater University (BWU)", ["Brightwater University", "BWU"]),
    ("University of Quillbury / Université de Quillbury", ["University of Quillbury", "Université de Quillbury"]),
    ("Runway", []),  # an English word
    ("Energy Company", []),  # a description
    ("Bank J", []),  # an anonymised row
    ("Nat Example and Dana Sample", []),  # two people
]


# invented README headings in the shape of lm-evaluation-harness's task folders
BENCH_ROWS = [
    ("QuokkaQA", "QuokkaQA"),
    ("WombatBench: a benchmark of burrowing questions", "WombatBench"),
    ("Wallabee Reading (MR-9)", "Wallabee Reading"),
    ("Marsupial Reading", None),  # only English words
    ("Task-name", None),  # the template's placeholder
    ("quokka_plus", None),  # a task id, not a name
    ("The Heap", None),
    ("Arithmetic", None),  # an English word
    ("ZQB", None),  # a bare three-letter acronym
]


def _source(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    _write(src / build_vocab.MODELS_IN, build_vocab.MODEL_COLUMNS, [(n, "Quillbury Labs", "Canada", "Language", "2025-01-01") for n, _ in MODEL_ROWS])
    _write(src / build_vocab.ORGS_IN, build_vocab.ORG_COLUMNS, [(n, "Canada", "Industry") for n, _ in ORG_ROWS])
    _write(src / build_vocab.BENCH_IN, build_vocab.BENCH_COLUMNS, [(f"task{i}", h) for i, (h, _) in enumerate(BENCH_ROWS)])
    return src


@pytest.mark.parametrize(("raw", "expected"), MODEL_ROWS)
def test_model_filter(english: frozenset[str], raw: str, expected: str | None) -> None:
    assert build_vocab.model_name(raw, english) == expected


@pytest.mark.parametrize(("raw", "expected"), ORG_ROWS)
def test_organization_filter(english: frozenset[str], raw: str, expected: list[str]) -> None:
    assert build_vocab.org_names(raw, english) == expected


@pytest.mark.parametrize(("raw", "expected"), BENCH_ROWS)
def test_benchmark_filter(english: frozenset[str], raw: str, expected: str | None) -> None:
    assert build_vocab.benchmark_name(raw, english) == expected


def test_build_is_deterministic(tmp_path: Path, english: frozenset[str]) -> None:
    src = _source(tmp_path)
    a = build_vocab.build(src, tmp_path / "a", english=english, pipeline="test")
    b = build_vocab.build(src, tmp_path / "b", english=english, pipeline="test")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    models = (tmp_path / "a" / build_vocab.MODELS_OUT).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in models.splitlines() if not line.startswith("#")]
    assert [r[0] for r in rows] == ["Marrow 2.0 Pro", "Quillonex", "Zorblax", "Zorblax-7B"]
    orgs = (tmp_path / "a" / build_vocab.ORGS_OUT).read_text(encoding="utf-8")
    assert "Brightwater University\tBWU" in orgs.splitlines()
    assert "Quillbury Labs" in orgs  # the models table's organization column counts too
    assert "Runway" not in orgs and "Energy Company" not in orgs
    assert "CC BY 4.0" in models and "Epoch AI" in models
    benches = (tmp_path / "a" / build_vocab.BENCH_OUT).read_text(encoding="utf-8")
    assert [line for line in benches.splitlines() if not line.startswith("#")] == ["QuokkaQA", "Wallabee Reading", "WombatBench"]
    assert "MIT" in benches and "lm-evaluation-harness" in benches


def test_trim_lm_eval_keeps_each_task_heading(tmp_path: Path) -> None:
    for folder, text in (("wombat", "Intro line\n# WombatBench\n## Paper\n# Other"), ("aardvark", "# Aardvark QA\n")):
        (tmp_path / "tasks" / folder).mkdir(parents=True)
        (tmp_path / "tasks" / folder / "README.md").write_text(text, encoding="utf-8")
    build_vocab.trim_lm_eval(tmp_path / "tasks", tmp_path / "t")
    assert (tmp_path / "t" / build_vocab.BENCH_IN).read_text(encoding="utf-8").splitlines() == [
        "Task,Heading", "aardvark,Aardvark QA", "wombat,WombatBench"]


def test_trim_keeps_only_the_needed_columns(tmp_path: Path) -> None:
    raw_models, raw_orgs = tmp_path / "m.csv", tmp_path / "o.csv"
    _write(raw_models, ("Model", "Domain", "Organization", "Abstract", "Publication date", "Country (from Organization)"),
           [("Zorblax-7B", "Language", "Quillbury Labs", "long text", "2025-01-01", "Canada")])
    _write(raw_orgs, ("Organization", "Country", "Info", "Organization categorization"), [("Quillbury Labs", "Canada", "x", "Industry")])
    build_vocab.trim(raw_models, raw_orgs, tmp_path / "t")
    assert (tmp_path / "t" / build_vocab.MODELS_IN).read_text(encoding="utf-8").splitlines() == [
        "Model,Organization,Country,Domain,Publication date", "Zorblax-7B,Quillbury Labs,Canada,Language,2025-01-01"]
    assert (tmp_path / "t" / build_vocab.ORGS_IN).read_text(encoding="utf-8").splitlines() == [
        "Organization,Country,Organization categorization", "Quillbury Labs,Canada,Industry"]


def test_committed_files_pass_the_current_filters(english: frozenset[str]) -> None:
    """A filter changed without regenerating the files fails here (the source itself is not needed)."""
    for fname, etype in PUBLIC_FILES:
        assert fname in DATA_FILES
        text = (DATA_DIR / fname).read_text(encoding="utf-8")
        source_line = text.split("\n", 3)[1]
        assert source_line.startswith("# Source:") and ("CC BY 4.0" in source_line or "MIT" in source_line)
        rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
        assert f"# {len(rows)} names." in text
        names = [r[0] for r in rows]
        assert len({n.casefold() for n in names}) == len(names)
        for name in names:
            if etype == "Model":
                assert build_vocab.model_name(name, english) == name, name
            elif etype == "Benchmark":
                assert build_vocab.benchmark_name(name, english) == name, name
            else:
                # a row's stated acronym may stand alone when its full name was dropped ("MBZUAI")
                assert build_vocab.org_names(name, english)[:1] == [name] or build_vocab._acronym(name), name


@pytest.mark.skipif(not (SOURCE / build_vocab.MODELS_IN).exists(), reason=f"no trimmed Epoch AI copy at {SOURCE} (AIKG_EPOCH_SOURCE)")
def test_committed_files_are_what_the_script_writes(tmp_path: Path) -> None:
    for path in build_vocab.build(SOURCE, tmp_path):
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), path.name


# --- recognition in sentences written for these tests ---------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def _ents(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in nlp(text).ents}


PUBLIC_CASES: list[tuple[str, list[tuple[str, str]], list[str]]] = [
    ("A chemist asked Galactica and BloombergGPT the same question about bond yields.",
     [("Galactica", "Model"), ("BloombergGPT", "Model")], []),
    ("Scientists at the Karolinska Institute and KAUST shared the results.",
     [("Karolinska Institute", "Organization"), ("KAUST", "Organization")], []),
    ("Kyutai opened a second office last spring.", [("Kyutai", "Organization")], []),
    ("The new model was scored on XNLI and PIQA.", [("XNLI", "Benchmark"), ("PIQA", "Benchmark")], []),
    # English words and given names that the source also lists as models or labs
    ("The core idea is to let an otter delight the crowd on the runway.", [], ["core", "otter", "delight", "runway"]),
    ("Otter populations recovered along the river.", [], ["Otter"]),
]


@pytest.mark.parametrize(("text", "expected", "forbidden"), PUBLIC_CASES, ids=[c[0][:40] for c in PUBLIC_CASES])
def test_public_vocabulary_in_sentences(nlp: Language, text: str, expected: list[tuple[str, str]], forbidden: list[str]) -> None:
    found = _ents(nlp, text)
    for item in expected:
        assert item in found, f"{item} not in {sorted(found)}"
    texts = {t for t, _ in found}
    for bad in forbidden:
        assert bad not in texts, f"{bad!r} should not be an entity in {sorted(found)}"


def test_given_name_is_no_model(nlp: Language) -> None:
    found = _ents(nlp, "Zhou Xinyu, a co-founder, declined to comment.")
    assert ("Xinyu", "Model") not in found


def test_public_names_are_vocabulary_and_case_sensitive() -> None:
    v = vocabulary()
    assert v.terms["Galactica"] == ("Model", "Galactica") and "Galactica" in v.public
    assert v.terms["KAUST"][0] == "Organization"
    # a hand-written name keeps its own entry; a public name never overrides it
    assert "Codestral" not in v.public and v.terms["Codestral"][0] == "Model"
    assert "Otter" not in v.terms and "Runway" not in v.public


def _public(text: str) -> list[tuple[str, str, str]]:
    return [(text[c.start : c.end], c.type, c.canonical) for c in public_cues(text, vocabulary())]


def test_public_lookup_case_boundaries_and_aliases() -> None:
    # a mixed-case public name is matched only as written; one with a digit in any case
    assert "CoRe" in vocabulary().public
    assert _public("The core idea is simple.") == []
    assert _public("They used CoRe here.") == [("CoRe", "Model", "")]
    assert _public("We finetuned llama-7b and LLaMA-7B.") == [("llama-7b", "Model", ""), ("LLaMA-7B", "Model", "")]
    # punctuation around a name is trimmed; a hyphenated or prefixed word is not the name
    assert _public("(Galactica), Kyutai's lab") == [("Galactica", "Model", ""), ("Kyutai", "Organization", "")]
    assert _public("non-Galactica and Galactica-based models") == []
    # the longest listed name wins, and a stated acronym names the full organization
    assert _public("Scientists at King Abdullah University of Science and Technology and KAUST.") == [
        ("King Abdullah University of Science and Technology", "Organization", ""),
        ("KAUST", "Organization", "King Abdullah University of Science and Technology"),
    ]
    # a name never runs across a line break
    assert _public("King Abdullah\nUniversity of Science and Technology") == []
