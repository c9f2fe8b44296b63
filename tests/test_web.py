"""The web explorer's server side (kg.api.web, kg.api.graph, kg.api.doctext, kg.api.security)
over the small hand-written build of tests/data/api_graph.ttl; tests/test_browser.py drives
the same pages in a real browser."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kg.api import web
from kg.api.doctext import DocumentText, Unavailable, document_text
from kg.api.main import create_app
from kg.api.security import CONTENT_SECURITY_POLICY
from kg.api.settings import Settings
from kg.graphview import TYPE_COLORS
from kg.ingest import load_documents
from kg.store import save
from kg.types import Document, Section

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "api_graph.ttl"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    folder = tmp_path_factory.mktemp("web") / "build"
    graph = rdflib.Graph()
    graph.parse(DATA, format="turtle")
    save(graph, folder)
    (folder / "manifest.json").write_text(json.dumps({"documents": []}), encoding="utf-8")
    return create_app(folder, Settings())


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    return TestClient(app)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- security and assets -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/e/organization/deepseek", "/query", "/docs", "/entities?q=x",
                                  "/static/app.css", "/graph/neighbourhood?id=organization/deepseek", "/e/nobody"])
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_csp_allows_no_other_origin() -> None:
    for directive in CONTENT_SECURITY_POLICY.split("; "):
        sources = directive.split()[1:]
        assert all(s in {"'self'", "'none'", "'unsafe-inline'", "data:"} for s in sources), directive
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY.split("; ")


@pytest.mark.parametrize("path", ["/", "/e/organization/deepseek", "/d/t-1", "/g/organization/deepseek", "/query",
                                  "/docs"])
def test_pages_load_assets_from_this_server_only(client: TestClient, path: str) -> None:
    html = client.get(path).text
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assets = [u for u in urls if re.search(r"\.(js|css|png)$", u)]
    assert assets, "the page loads no asset at all"
    for url in assets:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url
    assert "<script>" not in html  # no inline script (the CSP would refuse it)


def test_docs_is_the_vendored_swagger_ui(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html
    assert client.get("/openapi.json").json()["paths"]["/graph/neighbourhood"]


def test_vendored_files_match_their_pinned_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("vendor_assets", ROOT / "tools" / "vendor_assets.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "vendor_assets", module)  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    assert module.check() == []
    manifest = json.loads((ROOT / "api" / "static" / "vendor" / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, entry in manifest["packages"].items():
        assert any(f.endswith("/LICENSE") for f in entry["files"]), f"{name} has no licence file"


# --- search and questions ------------------------------------------------------------


def test_search_tolerates_a_typo_and_filters_by_type(client: TestClient) -> None:
    page = client.get("/", params={"q": "deepsek"})
    assert page.status_code == 200
    assert 'href="/e/organization/deepseek"' in page.text
    typed = client.get("/", params={"q": "deepsek", "type": "Model"}).text
    assert 'href="/e/model/deepseek-v3"' in typed
    assert 'href="/e/organization/deepseek"' not in typed
    wrong = client.get("/", params={"q": "deepsek", "type": "Planet"})
    assert wrong.status_code == 400 and "Planet" in wrong.text and "Organization" in wrong.text


def test_search_pages_through_results(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "SEARCH_PAGE", 2)
    first = client.get("/", params={"q": "deepseek"}).text
    assert first.count('<li>\n      <a href="/e/') == 2
    assert 'rel="next"' in first
    second = client.get("/", params={"q": "deepseek", "offset": 2}).text
    assert 'rel="prev"' in second


def test_a_question_is_answered_with_evidence(client: TestClient) -> None:
    html = client.get("/", params={"q": "What did DeepSeek release?"}).text
    assert 'id="answers"' in html
    answers = html.split('id="answers"')[1]
    assert 'href="/e/model/deepseek-v3"' in answers
    assert "<mark>DeepSeek-V3</mark>" in answers
    assert 'id="results"' not in html


def test_a_question_about_an_unknown_entity_says_so(client: TestClient) -> None:
    html = client.get("/", params={"q": "What did Zorblax release?"}).text
    assert 'role="alert"' in html and "Zorblax" in html


def test_the_html_is_escaped(client: TestClient) -> None:
    html = client.get("/", params={"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_highlight_marks_names_and_escapes() -> None:
    out = web.highlight("<b>Phi-4</b> beats phi-4o and PHI-4.", ["Phi-4"])
    assert str(out) == "&lt;b&gt;<mark>Phi-4</mark>&lt;/b&gt; beats phi-4o and <mark>PHI-4</mark>."


# --- entity pages ---------------------------------------------------------------------


def test_entity_page_groups_relations_with_evidence(client: TestClient) -> None:
    html = client.get("/e/organization/deepseek").text
    assert "<h1>DeepSeek" in html
    groups = re.findall(r'<h2 id="g-(out|in)-(\w+)"', html)
    assert ("out", "released") in groups and ("out", "basedIn") in groups
    released = html.split('id="g-out-released"')[1].split("</section>")[0]
    assert 'href="/e/model/deepseek-v3"' in released
    assert "<mark>DeepSeek</mark>" in released and "<mark>DeepSeek-V3</mark>" in released
    assert 'href="/d/t-1#s' in released


def test_entity_page_pages_a_large_group(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "GROUP_PREVIEW", 1)
    monkeypatch.setattr(web, "GROUP_PAGE", 2)
    html = client.get("/e/organization/deepseek").text
    released = html.split('id="g-out-released"')[1].split("</section>")[0]
    assert released.count('class="relation"') == 1
    assert "All 3 “released” relations" in released
    page1 = client.get("/e/organization/deepseek", params={"dir": "out", "predicate": "released"}).text
    assert page1.count('class="relation"') == 2 and 'rel="next"' in page1 and 'id="g-out-basedIn"' not in page1
    page2 = client.get("/e/organization/deepseek", params={"dir": "out", "predicate": "released", "offset": 2}).text
    assert page2.count('class="relation"') == 1 and 'rel="prev"' in page2


def test_entity_page_folds_further_evidence(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web, "EVIDENCE_SHOWN", 1)
    html = client.get("/e/organization/deepseek").text
    v3 = html.split('href="/e/model/deepseek-v3"')[1].split('class="relation"')[0]
    assert v3.count('class="evidence"') == 2 and "<details" in v3 and "1 more sentence<" in v3
    monkeypatch.setattr(web, "EVIDENCE_FOLDED", 1)
    html = client.get("/e/organization/deepseek").text
    v3 = html.split('href="/e/model/deepseek-v3"')[1].split('class="relation"')[0]
    assert v3.count('class="evidence"') == 1
    link = re.search(r'and 1 more: <a href="([^"]+)">', v3)
    assert link is not None
    listed = client.get(link.group(1).replace("&amp;", "&")).json()
    assert listed["total"] == 1 and len(listed["items"][0]["evidence"]) == 2


def test_unknown_entity_is_a_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/e/organization/deepsek")
    assert response.status_code == 404
    assert 'href="/e/organization/deepseek"' in response.text


# --- graph ------------------------------------------------------------------------------


def nbh(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/graph/neighbourhood", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_neighbourhood_one_and_two_hops(client: TestClient) -> None:
    one = nbh(client, id="organization/deepseek")
    ids = {n["id"] for n in one["nodes"]}
    assert ids == {"organization/deepseek", "model/deepseek-v3", "model/deepseek-r1",
                   "paper/deepseek-v3-technical-report", "country/china"}
    assert not one["truncated"]
    two = {n["id"] for n in nbh(client, id="organization/deepseek", hops=2)["nodes"]}
    assert ids < two and "organization/alibaba" in two  # through China
    for node in one["nodes"]:
        assert node["color"] == TYPE_COLORS[node["type"]]
    for edge in one["edges"]:
        assert edge["source"] in ids and edge["target"] in ids


def test_neighbourhood_is_capped_and_filtered(client: TestClient) -> None:
    capped = nbh(client, id="organization/deepseek", limit=2)
    assert len(capped["nodes"]) == 2 and capped["truncated"]
    only = nbh(client, id="organization/deepseek", predicate="basedIn")
    assert {n["id"] for n in only["nodes"]} == {"organization/deepseek", "country/china"}
    models = nbh(client, id="organization/deepseek", type="Model")
    assert {n["type"] for n in models["nodes"] if n["hop"] > 0} == {"Model"}


def test_neighbourhood_refuses_bad_requests(client: TestClient) -> None:
    assert client.get("/graph/neighbourhood", params={"id": "organization/nobody"}).status_code == 404
    assert client.get("/graph/neighbourhood", params={"id": "organization/deepseek", "limit": 501}).status_code == 400
    assert client.get("/graph/neighbourhood", params={"id": "organization/deepseek", "hops": 3}).status_code == 400


# --- documents -----------------------------------------------------------------------------


def test_document_page_without_source_lists_sentences_and_entities(client: TestClient) -> None:
    response = client.get("/d/t-1")
    assert response.status_code == 200
    html = response.text
    assert 'class="notice"' in html  # no source recorded: the sentences alone
    assert 'class="evidence-mark"' in html and "<mark>DeepSeek</mark>" in html
    assert 'href="/e/organization/deepseek"' in html.split('class="mentioned"')[1]
    assert client.get("/d/nothing").status_code == 404


def test_document_text_is_used_only_when_unchanged(tmp_path: Path) -> None:
    source = tmp_path / "note.txt"
    source.write_text("Test Issue 9: a title\n\nAcme released Widget-1 today.\n\nMore text.\n", encoding="utf-8")
    doc = next(d for d in load_documents([source]) if isinstance(d, Document))
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    manifest = {"documents": [{"id": doc.id, "source": str(source), "sha256": digest}]}
    found = document_text(manifest, doc.id)
    assert isinstance(found, DocumentText) and found.text == doc.text
    source.write_text("Test Issue 9: a title\n\nAcme released Widget-2 today.\n\nMore text.\n", encoding="utf-8")
    changed = document_text(manifest, doc.id)
    assert isinstance(changed, Unavailable) and "changed since the build" in changed.reason
    url = {"documents": [{"id": "x", "source": "https://example.net/x", "sha256": digest}]}
    assert "does not fetch" in document_text(url, "x").reason  # type: ignore[union-attr]
    gone = {"documents": [{"id": "x", "source": str(tmp_path / "gone.txt"), "sha256": digest}]}
    assert "not readable" in document_text(gone, "x").reason  # type: ignore[union-attr]


def test_text_sections_mark_sentences_and_put_facts_beside_their_paragraph() -> None:
    text = "Intro line.\n\nAcme released Widget. It is <fast>.\n\nNothing here.\n\nZed funded Acme."
    start = text.index("Acme released")
    end = start + len("Acme released Widget.")
    z = text.index("Zed funded")

    class Ev:  # the two fields text_sections reads
        def __init__(self, s: int, e: int) -> None:
            self.start, self.end = s, e

    blocks = [
        {"evidence": Ev(start, end), "html": web.highlight("Acme released Widget.", ["Acme"]), "facts": ["f1", "f2"]},
        {"evidence": Ev(z, len(text)), "html": web.highlight("Zed funded Acme.", ["Zed"]), "facts": ["f3"]},
    ]
    sections = web.text_sections(
        DocumentText(text, (Section(1, "Part one", 13, z), Section(2, "Part two", z, len(text)))), blocks  # type: ignore[arg-type]
    )
    assert [s["title"] for s in sections] == [None, "Part one", "Part two"]
    rows = sections[1]["rows"]
    assert [r["facts"] for r in rows] == [["f1", "f2"], []]
    assert str(rows[0]["html"]) == (f'<mark class="evidence-mark" id="s{start}"><mark>Acme</mark> released Widget.</mark>'
                                    " It is &lt;fast&gt;.")
    assert sections[2]["rows"][0]["facts"] == ["f3"]


# --- SPARQL editor -----------------------------------------------------------------------------


def test_sparql_page_offers_every_example_query(client: TestClient) -> None:
    html = client.get("/query").text
    shipped = sorted(p.name for p in (ROOT / "queries").glob("*.rq"))
    assert shipped and [e["name"] for e in web.example_queries()] == shipped
    for name in shipped:
        assert f">{name}</option>" in html
    examples = json.loads(re.search(r'<script type="application/json" id="example-queries">(.*?)</script>',
                                    html, re.S).group(1))  # type: ignore[union-attr]
    assert examples[0]["query"] == (ROOT / "queries" / shipped[0]).read_text(encoding="utf-8")
