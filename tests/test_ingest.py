"""Tests for kg.ingest: formats, sections, fiction, ids and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.errors import InputError
from kg.ingest import (
    clean_text,
    cues,
    decode_bytes,
    detect_format,
    load_documents,
    parse_feed,
    parse_html,
    parse_markdown,
    parse_plain,
    parse_text,
    split_issues,
)
from kg.ingest._doc import title_match
from kg.types import Document

DATA = Path(__file__).parent / "data" / "ingest"
EXAMPLES = Path(__file__).parent.parent / "examples"


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def assert_consistent(doc: Document) -> None:
    """Sections are ordered, disjoint, trimmed and inside the text; links too."""
    previous_end = 0
    for i, section in enumerate(doc.sections):
        assert section.index == i
        assert previous_end <= section.start < section.end <= len(doc.text)
        body = doc.text[section.start : section.end]
        assert body == body.strip()
        previous_end = section.end
    for link in doc.links:
        assert 0 <= link.start < link.end <= len(doc.text)
        assert doc.text[link.start : link.end].strip()


def errors_and_docs(items: list[Document | InputError]) -> tuple[list[InputError], list[Document]]:
    return [i for i in items if isinstance(i, InputError)], [i for i in items if isinstance(i, Document)]


# -- cleanup and title lines -----------------------------------------------------------


def test_clean_text_normalises_but_keeps_curly_quotes() -> None:
    raw = "\ufeffCafe\u0301 \u201cquoted\u201d\r\nline\x00two\x07\tend\rlast"
    assert clean_text(raw) == "Caf\u00e9 \u201cquoted\u201d\nlinetwo\tend\nlast"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Import AI 395: AI and energy demand; and Phi-4", ("Import AI", 395)),
        ("Model Watch #12", ("Model Watch", 12)),
        ("Model Watch #13: Qwen goes big", ("Model Watch", 13)),
        ("The Batch Issue 280: agents", ("The Batch", 280)),
        ("Frontier Notes No. 4 - three things", ("Frontier Notes", 4)),
        ("2028: 6.7% of total demand", None),
        ("Why this matters – coordination is hard: a game", None),
        ("everything is 10: lowercase start", None),
        ("Import AI 395 without a colon", None),
    ],
)
def test_title_line_forms(line: str, expected: tuple[str, int] | None) -> None:
    assert title_match(line) == expected


# -- plain text ------------------------------------------------------------------------


def test_plain_archive_splits_into_issues_only_at_standalone_titles() -> None:
    chunks = split_issues(clean_text(read("two-issues.txt")))
    assert [c.split("\n", 1)[0] for c in chunks] == [
        "Byte Digest 7: robots learn to fold; a cheaper chip; notes on evals",
        "Byte Digest 8: one more issue",
    ]


def test_plain_archive_documents() -> None:
    docs = parse_plain(read("two-issues.txt"), source="data/two-issues.txt", doc_id="two-issues")
    assert [(d.id, d.issue, d.format, d.source) for d in docs] == [
        ("two-issues-7", 7, "text", "data/two-issues.txt"),
        ("two-issues-8", 8, "text", "data/two-issues.txt"),
    ]
    first, second = docs
    assert [s.title for s in first.sections] == [first.title, "Robots that fold laundry", "A cheaper chip"]
    assert first.sections[1].start == first.text.index("Robots that fold laundry:")
    assert "Subscribe now" not in first.text and "Thanks for reading" not in first.text
    assert "Imaginary Corp" not in first.text and "Tech Tales" not in first.text
    assert first.text.endswith("and so does this line, which keeps it from being a title.")
    # no separator before the first item: the headline + subtitle lines start it
    assert [s.title for s in second.sections] == [second.title, "Evaluation is hard"]
    for doc in docs:
        assert_consistent(doc)
        assert not any(s.fiction for s in doc.sections)


def test_plain_single_issue_keeps_file_stem_as_id() -> None:
    text = "Import AI 999: a test\n\nby someone\n\nHello.\n\n***\n\nItem one:\n…sub…\nBody.\n"
    (doc,) = parse_plain(text, source="x/import-ai-999.txt", doc_id="import-ai-999")
    assert (doc.id, doc.issue, doc.title) == ("import-ai-999", 999, "Import AI 999: a test")
    assert [s.title for s in doc.sections] == ["Import AI 999: a test", "Item one"]


def test_fiction_included_is_flagged_to_the_end() -> None:
    docs = parse_plain(read("two-issues.txt"), source="s", doc_id="t", include_fiction=True)
    sections = docs[0].sections
    assert [(s.title, s.fiction) for s in sections][-1] == ("Tech Tales", True)
    assert "Imaginary Corp" in docs[0].text[sections[-1].start : sections[-1].end]
    assert all(not s.fiction for s in sections[:-1])
    for doc in docs:
        assert_consistent(doc)


def test_fiction_cue_can_be_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    text = read("two-issues.txt")
    by_argument = parse_plain(text, source="s", doc_id="t", fiction_cue=re.compile(r"^A cheaper"))[0]
    assert [s.title for s in by_argument.sections] == [by_argument.title, "Robots that fold laundry"]
    monkeypatch.setattr(cues, "FICTION_CUE", re.compile(r"^Robots"))
    by_module = parse_plain(text, source="s", doc_id="t")[0]
    assert [s.title for s in by_module.sections] == [by_module.title]


# -- markdown --------------------------------------------------------------------------


def test_markdown_text_links_and_sections() -> None:
    (doc,) = parse_markdown(read("post.md"), source="post.md", doc_id="post")
    assert (doc.title, doc.issue, doc.date, doc.format) == ("Sample Notes #3: three things", 3, "2025-01-15", "markdown")
    assert "**" not in doc.text and "_italics_" not in doc.text and "](" not in doc.text
    assert "An intro with bold, italics and emphasis, and a link to Acme." in doc.text
    assert [s.title for s in doc.sections] == ["Sample Notes #3: three things", "First item", "Second item", "Third item"]
    visible = {doc.text[ln.start : ln.end]: ln.url for ln in doc.links}
    assert visible == {
        "link to Acme": "https://example.org/acme",
        "the Widget-1 page": "https://example.org/w1",
        "a link": "https://example.org/list",
    }
    assert "fictional" not in doc.text
    assert_consistent(doc)


def test_markdown_fiction_kept_when_asked() -> None:
    (doc,) = parse_markdown(read("post.md"), source="post.md", doc_id="post", include_fiction=True)
    last = doc.sections[-1]
    assert (last.title, last.fiction) == ("Tech Tales", True)
    assert any(doc.text[ln.start : ln.end] == "fictional" for ln in doc.links)
    assert_consistent(doc)


# -- html ------------------------------------------------------------------------------


def test_html_strips_boilerplate_and_keeps_headings_and_links() -> None:
    (doc,) = parse_html(read("page.html"), source="page.html", doc_id="page")
    for junk in ("NAVHOME", "NAVABOUT", "FOOTERTEXT", "SCRIPTTEXT", "Imaginary Corp"):
        assert junk not in doc.text
    assert (doc.title, doc.issue, doc.date, doc.format) == ("Fixture Weekly 5: a page", 5, "2024-12-01", "html")
    assert [s.title for s in doc.sections] == ["Fixture Weekly 5: a page", "Money news"]
    assert [(doc.text[ln.start : ln.end], ln.url) for ln in doc.links] == [("Widget-1", "https://example.org/widget")]
    assert_consistent(doc)


def test_html_without_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no extractable text"):
        parse_html(read("no-text.html"), source="no-text.html", doc_id="no-text")


# -- feeds -----------------------------------------------------------------------------


def test_atom_feed_one_document_per_entry() -> None:
    docs = parse_feed(read("feed.atom"), source="feed.atom")
    assert [(d.id, d.source, d.date, d.format, d.title) for d in docs] == [
        ("example-org-posts-first", "https://example.org/posts/first", "2025-01-01", "feed", "First entry"),
        ("example-second", "urn:example:second", "2025-01-02", "feed", "Second entry"),
    ]
    first = docs[0]
    assert first.text == "First entry\n\nAcme has released Widget-1.\n\nMore\n\nSecond part."
    assert [s.title for s in first.sections] == ["First entry", "More"]
    assert [(first.text[ln.start : ln.end], ln.url) for ln in first.links] == [("Widget-1", "https://example.org/w1")]
    assert docs[1].text == "Second entry\n\nPlain summary text about Chipco."
    for doc in docs:
        assert_consistent(doc)


def test_html_source_line_breaks_are_spaces_and_br_breaks_lines() -> None:
    feed = read("feed.atom").replace("Second part.", "Second\npart&lt;br&gt;third line.")
    assert parse_feed(feed, source="f")[0].text.endswith("More\n\nSecond part\nthird line.")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.xml", r"malformed feed XML at line \d+, column \d+"),
        ("bomb.xml", r"DOCTYPE or ENTITY"),
        ("not-a-feed.xml", r"not an RSS or Atom feed: root element <catalog>"),
    ],
)
def test_bad_feeds_are_input_errors(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_feed(read(name), source=name)
    assert info.value.source == name


# -- decoding and format detection -----------------------------------------------------


def test_decode_accepts_utf8_with_and_without_bom() -> None:
    assert decode_bytes("caf\u00e9".encode(), source="a") == "caf\u00e9"
    assert decode_bytes(b"\xef\xbb\xbfcaf\xc3\xa9", source="a") == "caf\u00e9"


def test_decode_names_the_offset_of_a_non_utf8_byte() -> None:
    with pytest.raises(InputError, match=r"not UTF-8: invalid byte 0xe9 at byte offset 12 \(line 2\)"):
        decode_bytes(b"line one\ncaf\xe9 latin-1 text here", source="latin.txt")


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.txt", "<rss>", "text"),
        ("a.md", "plain", "markdown"),
        ("a.xml", "<!DOCTYPE html><html>", "html"),
        ("a.html", '<?xml version="1.0"?><rss version="2.0">', "feed"),
        ("a.xml", "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>", "feed"),
        ("noext", "<feed xmlns='http://www.w3.org/2005/Atom'>", "feed"),
        ("noext", "<html><body><p>x</p></body></html>", "html"),
        ("noext", "# Heading\n\ntext with a [link](https://example.org)", "markdown"),
        ("noext", "Import AI 1: plain\n\n***\n\nItem:", "text"),
    ],
)
def test_detect_format(name: str, head: str, expected: str) -> None:
    assert detect_format(Path(name), head) == expected


def test_parse_text_dispatches_and_rejects_unknown_formats() -> None:
    (doc,) = parse_text("Hello there.", source="dir/My Notes.txt")
    assert (doc.id, doc.title, doc.format) == ("my-notes", "Hello there.", "text")
    with pytest.raises(InputError, match="unknown format 'pdf'; expected one of text, markdown, html, feed"):
        parse_text("x", source="a.pdf", fmt="pdf")


# -- load_documents: files, folders and bad input --------------------------------------


def _unreadable(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp / "locked.txt"
    path.write_text("Some text.", encoding="utf-8")
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        real_open = Path.open

        def deny(self: Path, *args: object, **kwargs: object) -> object:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", deny)
    return path


def _write(name: str, data: bytes) -> Callable[[Path, pytest.MonkeyPatch], Path]:
    def make(tmp: Path, _: pytest.MonkeyPatch) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return make


def _copy(name: str) -> Callable[[Path, pytest.MonkeyPatch], Path]:
    def make(tmp: Path, _: pytest.MonkeyPatch) -> Path:
        return Path(shutil.copy(DATA / name, tmp / name))

    return make


BAD_INPUTS: list[tuple[str, Callable[[Path, pytest.MonkeyPatch], Path], str]] = [
    ("unreadable", _unreadable, "permission denied"),
    ("empty", _write("empty.txt", b""), "file is empty"),
    ("whitespace", _write("blank.md", b"  \n\t\n  "), "only whitespace"),
    ("binary NUL", _write("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "binary file, not text: NUL byte at offset 8"),
    ("binary noise", _write("noise.txt", bytes(range(1, 32)) * 40), "binary file, not text"),
    ("latin-1", _write("latin.txt", "Caf\u00e9 news from Paris.".encode("latin-1")), "not UTF-8: invalid byte 0xe9 at byte offset 3"),
    ("utf-16", _write("wide.txt", "Some text".encode("utf-16")), "UTF-16"),
    ("malformed feed", _copy("malformed.xml"), "malformed feed XML"),
    ("entity bomb", _copy("bomb.xml"), "DOCTYPE or ENTITY"),
    ("html without text", _copy("no-text.html"), "no extractable text"),
    ("missing", lambda tmp, _: tmp / "does-not-exist.txt", "no such file or folder"),
]


@pytest.mark.parametrize(("label", "make", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_yielded_and_good_files_still_load(
    label: str, make: Callable[[Path, pytest.MonkeyPatch], Path], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = make(tmp_path, monkeypatch)
    good = Path(shutil.copy(DATA / "post.md", tmp_path / "good.md"))
    errors, docs = errors_and_docs(list(load_documents([bad, str(good)])))
    assert len(errors) == 1, errors
    assert errors[0].source == str(bad)
    assert message in errors[0].reason
    assert str(bad) in str(errors[0])
    assert [d.id for d in docs] == ["good"]


def test_file_larger_than_max_bytes(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 100, encoding="utf-8")
    errors, docs = errors_and_docs(list(load_documents([big], max_bytes=100)))
    assert docs == []
    assert "500 bytes, larger than max_bytes=100" in errors[0].reason


def test_folder_walk_is_recursive_sorted_and_skips_hidden_and_readme(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "z.txt").write_text("Zed news.", encoding="utf-8")
    (tmp_path / "b" / "post.md").write_text("# A post\n\nText.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Ay news.", encoding="utf-8")
    (tmp_path / ".secret.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / ".hidden" / "c.txt").write_text("Hidden.", encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this folder", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    errors, docs = errors_and_docs(list(load_documents([tmp_path])))
    assert errors == []
    assert [(d.id, d.source, d.format) for d in docs] == [
        ("a", str(tmp_path / "a.txt"), "text"),
        ("post", str(tmp_path / "b" / "post.md"), "markdown"),
        ("z", str(tmp_path / "z.txt"), "text"),
    ]


def test_duplicate_document_ids_are_reported(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "one" / "same.txt").write_text("First.", encoding="utf-8")
    (tmp_path / "two" / "same.md").write_text("Second.", encoding="utf-8")
    errors, docs = errors_and_docs(list(load_documents([tmp_path])))
    assert [d.source for d in docs] == [str(tmp_path / "one" / "same.txt")]
    assert "document id 'same' is already used by" in errors[0].reason


def test_documents_round_trip_through_json() -> None:
    for doc in parse_plain(read("two-issues.txt"), source="s", doc_id="t", include_fiction=True):
        assert Document.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Name 1: title", "", "***", "Headline:", "\u2026sub\u2026", "Body text.", "Tech Tales:", "  "]), max_size=30))
def test_plain_parser_invariants_hold_for_any_layout(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not text.strip():
        return
    for include in (False, True):
        for doc in parse_plain(text, source="s", doc_id="d", include_fiction=include):
            assert_consistent(doc)
            assert include or not any(s.fiction for s in doc.sections)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["# Title 2: x", "## Tech Tales", "***", "---", "* * *", "Headline:", "[a](https://e.org) b", "**bold** _it_", "- item", ""]), max_size=25))
def test_markdown_parser_invariants_hold_for_any_layout(lines: list[str]) -> None:
    for include in (False, True):
        for doc in parse_markdown("\n".join(lines), source="s", doc_id="d", include_fiction=include):
            assert_consistent(doc)
            assert all(doc.text[ln.start : ln.end] == "a" for ln in doc.links)


def test_a_parser_crash_on_one_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.ingest._files as files

    def boom(*args: object, **kwargs: object) -> list[Document]:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(files, "parse_markdown", boom)
    (tmp_path / "a.md").write_text("# A\n\nText.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Fine.", encoding="utf-8")
    errors, docs = errors_and_docs(list(load_documents([tmp_path])))
    assert [d.id for d in docs] == ["b"]
    assert "cannot parse the file as markdown: RuntimeError: parser bug" in errors[0].reason


# -- the bundled example corpus --------------------------------------------------------


def test_example_corpus_loads_cleanly() -> None:
    items = list(load_documents([EXAMPLES]))
    errors, docs = errors_and_docs(items)
    assert errors == []
    assert sorted(d.id for d in docs) == [
        "example-net-briefs-moonshot",
        "example-net-briefs-qwen-coder",
        "frontier-notes",
        "lab-dispatch",
        "model-watch-archive-12",
        "model-watch-archive-13",
    ]
    assert {d.format for d in docs} == {"text", "markdown", "html", "feed"}
    for doc in docs:
        assert_consistent(doc)
        for invented in ("Helix Labs", "Northwind Robotics", "Larkspur AI"):
            assert invented not in doc.text
    with_fiction = [d for d in load_documents([EXAMPLES], include_fiction=True) if isinstance(d, Document)]
    assert sum("Helix Labs" in d.text for d in with_fiction) == 1
    assert sum(1 for d in with_fiction for s in d.sections if s.fiction) == 3


def test_plain_text_with_markdown_keeps_link_text_and_drops_addresses() -> None:
    """A .txt export that carries Markdown: no URL or emphasis mark reaches the text entities are read from."""
    text = ("Lab Notes 7: models\n\n"
            "[Krell AI](https://krell.example/blog/post_(1)) released **Zephyr-2**, a _small_ model.\n"
            "Read more: [The Zephyr report](https://arxiv.org/abs/2501.00001)\n\n***\n\n"
            "Second item with a snake_case_name and 2*3*4 left alone.\n")
    (doc,) = parse_text(text, source="notes.txt", fmt="text")
    assert "](" not in doc.text and "https://" not in doc.text and "**Zephyr" not in doc.text and "_small_" not in doc.text
    assert "Krell AI released Zephyr-2, a small model." in doc.text
    assert "Read more: The Zephyr report" in doc.text
    assert "snake_case_name and 2*3*4" in doc.text
    assert len(doc.sections) >= 2  # the *** separator still splits items


def test_markdown_links_in_plain_text_give_clean_entities() -> None:
    from kg.extract import extract_document
    from kg.nlp import load_pipeline

    text = "Lab Notes 8: models\n\n[Meta](https://ai.meta.com/blog/) has released [Llama 9](https://llama.example/).\n"
    (doc,) = parse_text(text, source="notes.txt", fmt="text")
    names = {m.text for m in extract_document(doc, load_pipeline()).mentions}
    assert "Meta" in names and not any("](" in n or "http" in n for n in names)
