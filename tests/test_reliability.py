"""Property-based robustness of ingest + extraction: hostile text never crashes anything.

Every generated input either becomes documents (whose extraction yields a
well-formed DocResult) or an InputError that names the file and a reason;
in a batch, the other files' documents are always kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kg.errors import InputError
from kg.extract import extract_document
from kg.ingest import FORMATS, decode_bytes, load_documents, parse_text
from kg.types import DocResult, Document

#: bounded so the whole module runs in well under a minute on two shared cores
FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))

RTL = "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u202eevil\u202c \u200f"
EMOJI = "\U0001f916\U0001f9e0 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f1fa\U0001f1f8 \u2764\ufe0f"
COMBINING = "Ze\u0301ro e\u0300\u0301\u0302\u0303\u0304 Z\u0351\u0352\u0353\u0354a\u0355\u0356lgo\u0336"
ODD_SPACE = "\u00a0\u2028\u2029\u200b\u200c\u200d\ufeff\u3000\t\x0b\x0c\r"
FRAGMENTS = [
    RTL, EMOJI, COMBINING, ODD_SPACE, "\x00", "\x01\x02\x1b[31m", "\ud800", "\udfff",
    "OpenAI released GPT-5. ", "DeepMind, based in the UK, outperforms Meta. ",
    "# ", "## Tech Tales\n", "***\n", "<p>", "</div>", "<script>alert(1)</script>", "<![CDATA[x]]>",
    "&amp;", "&#0;", "&#x110000;", "&bogus;", "<!--", "-->", "[link](", "](http://e.org)", "**", "`",
    "\n", "\n\n", "\n\n\n\n", " " * 50, ".", "...", "A" * 300, "word " * 60,
]

fragment_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=40), max_size=30).map("".join)
any_text = st.text(max_size=400) | fragment_text


def _markup(tags: list[str], texts: list[str]) -> str:
    return "".join(f"<{t}>{x}" if i % 2 else f"{x}</{t}>" for i, (t, x) in enumerate(zip(tags, texts)))


markup_soup = st.builds(
    _markup,
    st.lists(st.sampled_from(["p", "div", "h1", "h2", "a href='x'", "br", "li", "table", "td", "b", "rss", "item",
                              "entry", "feed", "title", "script", "style", "body", "html"]), max_size=25),
    st.lists(fragment_text, max_size=25),
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The aikg pipeline, loaded once for this module."""
    from kg.nlp import load_pipeline

    return load_pipeline()


def _check_document(doc: Document) -> None:
    assert doc.id and doc.source
    for sec in doc.sections:
        assert 0 <= sec.start <= sec.end <= len(doc.text), (sec, len(doc.text))
    for link in doc.links:
        assert 0 <= link.start <= link.end <= len(doc.text), (link, len(doc.text))


def _check_result(doc: Document, result: DocResult) -> None:
    assert result.doc_id == doc.id
    for m in result.mentions:
        assert 0 <= m.start < m.end <= len(doc.text)
        assert doc.text[m.start : m.end] == m.text
    for c in result.candidates:
        ev = c.evidence
        assert 0 <= ev.start < ev.end <= len(doc.text)
        assert 0.0 <= ev.confidence <= 1.0


def _parse_or_error(text: str, fmt: str, source: str = "fuzz.txt") -> list[Document]:
    """The documents of ``text``; an InputError is fine as long as it names the source and a reason."""
    try:
        docs = parse_text(text, source=source, fmt=fmt)
    except InputError as exc:
        assert exc.source and exc.reason, exc
        return []
    for doc in docs:
        _check_document(doc)
    return docs


# --- ingest alone: many cheap examples ------------------------------------------


@FAST
@given(text=any_text, fmt=st.sampled_from(FORMATS))
def test_parse_text_never_crashes(text: str, fmt: str) -> None:
    _parse_or_error(text, fmt)


@FAST
@given(text=markup_soup, fmt=st.sampled_from(["html", "feed", "markdown"]))
def test_markup_soup_never_crashes(text: str, fmt: str) -> None:
    _parse_or_error(text, fmt)


@FAST
@given(raw=st.binary(max_size=600) | any_text.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_decode_bytes_gives_text_or_a_reason(raw: bytes) -> None:
    """Arbitrary bytes, including lone surrogates encoded as bytes (invalid UTF-8)."""
    try:
        text = decode_bytes(raw, source="blob.txt")
    except InputError as exc:
        assert exc.source == "blob.txt" and exc.reason
        return
    assert isinstance(text, str) and text.strip()
    text.encode("utf-8")  # no lone surrogate survives decoding


def test_lone_surrogate_bytes_are_reported_with_their_offset() -> None:
    raw = "ok line\n".encode() + "\ud800".encode("utf-8", "surrogatepass") + b" more text after it" * 3
    with pytest.raises(InputError, match=r"not UTF-8.*offset 8 \(line 2\)"):
        decode_bytes(raw, source="s.txt")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "text",
    [
        "x" * 200_000,  # one very long line
        ("Sentence without end and a comma, " * 4000) + "\n",  # one very long paragraph
        "Title\n\n" + "\n\n".join(["Heading:", ""] * 300),  # hundreds of empty sections
        ("word\u0301" * 20_000),  # combining marks all the way
    ],
    ids=["long-line", "long-paragraph", "empty-sections", "combining-run"],
)
def test_long_and_empty_inputs_parse_or_are_reported(text: str, fmt: str) -> None:
    _parse_or_error(text, fmt)


# --- ingest + extraction: fewer examples, the model is slower --------------------


@SLOW
@given(text=any_text, fmt=st.sampled_from(FORMATS))
def test_extraction_never_crashes(nlp: Language, text: str, fmt: str) -> None:
    for doc in _parse_or_error(text, fmt):
        _check_result(doc, extract_document(doc, nlp))


@SLOW
@given(text=markup_soup)
def test_extraction_of_markup_soup_never_crashes(nlp: Language, text: str) -> None:
    for doc in _parse_or_error(text, "html"):
        _check_result(doc, extract_document(doc, nlp))


def test_extraction_of_a_very_long_paragraph(nlp: Language) -> None:
    text = "Acme Labs released the Wombat-7 model. " * 400 + "\n"
    docs = parse_text(text, source="long.txt", fmt="text")
    assert docs
    for doc in docs:
        _check_result(doc, extract_document(doc, nlp))


# --- batches: one bad file is reported, the others kept ---------------------------

GOOD = "Acme Labs released the Wombat-7 model.\n\nIt outperforms Koala-3 on the FooBench benchmark.\n"
BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.md": b"   \n\t\n",
    "binary.txt": bytes(range(256)) * 4,
    "latin1.txt": "A caf\u00e9 where a na\u00efve model wrote its r\u00e9sum\u00e9.\n".encode("latin-1"),
    "surrogate.md": "bad \ud83d half".encode("utf-8", "surrogatepass"),
    "utf16.txt": "hello".encode("utf-16"),
    "broken.xml": b"<rss><channel><item><title>x</title>",
    "bomb.xml": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    b"<rss><channel><item><title>&b;</title></item></channel></rss>",
    "xxe.rss": b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<rss><channel><item><title>&x;</title></item></channel></rss>",
    "nobody.html": b"<html><body><script>var a = 1;</script></body></html>",
}


def _write_batch(folder: Path, extra: dict[str, bytes]) -> dict[str, bytes]:
    files = {f"good-{i}.txt": GOOD.replace("Wombat-7", f"Wombat-{i}").encode() for i in range(3)}
    files.update(extra)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _sources(items: Iterator[Document | InputError]) -> tuple[set[str], dict[str, str]]:
    docs: set[str] = set()
    errors: dict[str, str] = {}
    for item in items:
        if isinstance(item, InputError):
            errors[Path(item.source).name] = item.reason
        else:
            docs.add(Path(item.source).name)
    return docs, errors


def test_every_bad_file_is_named_with_a_reason_and_good_files_are_kept(tmp_path: Path) -> None:
    _write_batch(tmp_path, BAD_FILES)
    docs, errors = _sources(load_documents([tmp_path]))
    assert docs == {"good-0.txt", "good-1.txt", "good-2.txt"}
    assert set(errors) == set(BAD_FILES)
    assert all(reason.strip() for reason in errors.values())
    assert "DOCTYPE or ENTITY" in errors["bomb.xml"] and "DOCTYPE or ENTITY" in errors["xxe.rss"]
    assert "not UTF-8" in errors["latin1.txt"] and "UTF-16" in errors["utf16.txt"]


def test_oversize_file_is_refused_with_the_limit_in_the_message(tmp_path: Path) -> None:
    _write_batch(tmp_path, {"huge.txt": GOOD.encode() * 2000})
    docs, errors = _sources(load_documents([tmp_path], max_bytes=50_000))
    assert docs == {"good-0.txt", "good-1.txt", "good-2.txt"}
    assert set(errors) == {"huge.txt"} and "max_bytes=50,000" in errors["huge.txt"]


@SLOW
@given(bad=st.lists(st.binary(max_size=300) | any_text.map(lambda s: s.encode("utf-8", "surrogatepass")),
                    min_size=1, max_size=4))
def test_random_files_never_cost_the_good_ones(tmp_path_factory: pytest.TempPathFactory, bad: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("batch")
    names = [f"zz-{i}.{ext}" for i, ext in zip(range(len(bad)), ["txt", "md", "html", "xml"])]
    _write_batch(folder, dict(zip(names, bad)))
    docs, errors = _sources(load_documents([folder]))
    assert {"good-0.txt", "good-1.txt", "good-2.txt"} <= docs
    assert all(errors[name].strip() for name in errors)
    assert set(errors) <= set(names)
    assume(errors)  # the interesting examples have a failing file


@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_in_a_string_do_not_crash_any_parser(fmt: str) -> None:
    """Regression: a str with a lone surrogate crashed the feed parser (UnicodeEncodeError)."""
    texts = {
        "text": "Acme \ud800 released Wombat.\n",
        "markdown": "# Acme \udfff\n\nAcme released Wombat.\n",
        "html": "<html><body><p>Acme \ud800 released Wombat.</p></body></html>",
        "feed": "<rss><channel><item><title>T \ud800</title><description>Acme released Wombat.</description>"
        "</item></channel></rss>",
    }
    docs = parse_text(texts[fmt], source=f"s.{fmt}", fmt=fmt)
    assert docs and all("\ufffd" in d.text or "\ufffd" in d.title for d in docs)
    for doc in docs:
        doc.text.encode("utf-8")


@pytest.mark.parametrize(
    "raw",
    [
        "Une soci\u00e9t\u00e9 fran\u00e7aise a publi\u00e9 un mod\u00e8le.\n".encode("latin-1"),
        "\u00e9t\u00e9 \u00e0 M\u00fcnchen, na\u00efve".encode("cp1252"),
        "caf\u00e9".encode("latin-1"),
    ],
)
def test_short_accented_latin1_is_a_wrong_encoding_not_binary(raw: bytes) -> None:
    """Regression: dense accents in a short Latin-1 file were reported as 'binary file'."""
    with pytest.raises(InputError, match="encoding is not UTF-8: invalid byte 0x"):
        decode_bytes(raw, source="fr.txt")


@pytest.mark.parametrize(
    "raw",
    [bytes(range(128, 256)) * 8, bytes(range(1, 9)) * 100, b"\xfd\xfc\xfb\xfa" * 50 + b"text"],
    ids=["high-bytes", "control-bytes", "mostly-undecodable"],
)
def test_binary_without_nul_is_still_binary(raw: bytes) -> None:
    with pytest.raises(InputError, match="binary file, not text"):
        decode_bytes(raw, source="blob.bin")


# --- parsing never touches the network ----------------------------------------------


def _network_bait(url: str) -> dict[str, str]:
    """Files that would make a careless parser fetch ``url`` (DTDs, entities, JSON-LD contexts, XInclude)."""
    return {
        "dtd.html": f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{url}dtd">'
        f'<html><head><link rel="stylesheet" href="{url}css"><script src="{url}js"></script></head>'
        f'<body><h1>Acme news</h1><p>Acme Labs released Wombat-1.<img src="{url}img"></p></body></html>',
        "jsonld.html": '<html><head><script type="application/ld+json">'
        f'{{"@context": "{url}context", "@type": "NewsArticle", "headline": "Acme news"}}</script></head>'
        "<body><article><h1>Acme news</h1><p>Acme Labs released Wombat-2 this week.</p></article></body></html>",
        "entity.xhtml": f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY ext SYSTEM "{url}ent">]>'
        "<html><body><p>Acme Labs released Wombat-3. &ext;</p></body></html>",
        "dtd.xml": f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{url}rss.dtd"><rss version="2.0"><channel>'
        "<item><title>Acme news</title><description>Acme Labs released Wombat-4.</description></item></channel></rss>",
        "xinclude.atom": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:xi="http://www.w3.org/2001/XInclude"><title>t</title><entry><title>Acme news</title>'
        f'<content type="html">Acme Labs released Wombat-5.</content><xi:include href="{url}inc"/></entry></feed>',
        "remote.md": f"# Acme news\n\n![img]({url}img) Acme Labs released [Wombat-6]({url}page).\n",
    }


def test_parsing_never_opens_a_network_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import select
    import socket

    attempts: list[object] = []
    real_connect = socket.socket.connect

    def record(self: socket.socket, address: object) -> None:
        attempts.append(address)
        real_connect(self, address)

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        for name, text in _network_bait(url).items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        monkeypatch.setattr(socket.socket, "connect", record)
        items = list(load_documents([tmp_path]))
        readable, _, _ = select.select([listener], [], [], 0.5)
    assert attempts == [] and readable == [], attempts
    _, errors = _sources(iter(items))
    assert set(errors) == {"dtd.xml"} and "DOCTYPE or ENTITY" in errors["dtd.xml"]  # a feed with a DTD is refused
    texts = " ".join(item.text for item in items if isinstance(item, Document))
    for n in (1, 2, 3, 5, 6):  # the other documents are read, nothing remote pulled into them
        assert f"Wombat-{n}" in texts
    assert "&ext;" in texts  # the external entity of the XHTML file is left unexpanded
