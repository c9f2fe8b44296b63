"""The web explorer in a real browser: headless Chromium (Debian's package) driven by
Playwright, against a real `kg serve` on loopback over a build of examples/.

Every page records the browser's console errors and every request it makes,
and after each test :func:`check_clean` asserts that there was no console
error and that no request left 127.0.0.1. Skipped, with the reason, only when Playwright or the
browser is missing (.ci/run installs Debian's chromium).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("AIKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("browser") / "out"
    kg = [sys.executable, "-m", "kg"]
    subprocess.run([*kg, "build", str(ROOT / "examples"), "--out", str(out), "--jobs", "1"],
                   check=True, capture_output=True, timeout=300)
    port = _free_port()
    proc = subprocess.Popen([*kg, "serve", str(out), "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/stats", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"kg serve did not start: {output}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


class Log:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []


def check_clean(log: Log) -> None:
    assert log.requests, "no request was recorded"
    outside = [u for u in log.requests
               if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]
    assert outside == [], "requests left 127.0.0.1"
    assert log.errors == [], "console errors"


@pytest.fixture
def log() -> Iterator[Log]:
    found = Log()
    yield found
    check_clean(found)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _watch(page: object, log: Log) -> None:
    page.on("console", lambda m: m.type == "error" and log.errors.append(f"{page.url}: {m.text}"))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: log.errors.append(f"{page.url}: {e}"))  # type: ignore[attr-defined]
    page.on("request", lambda r: log.requests.append(r.url))  # type: ignore[attr-defined]


@pytest.fixture
def page(browser: object, log: Log) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    p = context.new_page()
    p.set_default_timeout(20_000)
    _watch(p, log)
    yield p
    context.close()


def test_typo_search_suggests_and_finds(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    box = page.get_by_label("Name, alias or question")  # type: ignore[attr-defined]
    box.press_sequentially("deepsek", delay=30)
    option = page.locator("#suggestions [role=option]").first  # type: ignore[attr-defined]
    sync_api.expect(option).to_contain_text("DeepSeek")
    box.press("Escape")
    box.press("Enter")
    page.wait_for_url(lambda url: "q=deepsek" in url)  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#results a", has_text="DeepSeek").first).to_be_visible()  # type: ignore[attr-defined]


def test_keyboard_picks_a_suggestion(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    box = page.get_by_label("Name, alias or question")  # type: ignore[attr-defined]
    box.press_sequentially("microsft", delay=30)
    sync_api.expect(page.locator("#suggestions [role=option]").first).to_contain_text("Microsoft")  # type: ignore[attr-defined]
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/e/organization/microsoft")  # type: ignore[attr-defined]


def test_entity_page_shows_relation_with_evidence(page: object, server: str) -> None:
    page.goto(server + "/e/organization/microsoft")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("h1")).to_contain_text("Microsoft")  # type: ignore[attr-defined]
    group = page.locator("section.group", has=page.locator("h2", has_text="released"))  # type: ignore[attr-defined]
    relation = group.locator(".relation", has_text="Phi-4")
    sync_api.expect(relation.locator(".evidence q mark", has_text="Phi-4").first).to_be_visible()
    sync_api.expect(relation.locator(".evidence q mark", has_text="Microsoft").first).to_be_visible()
    relation.locator(".evidence .source a").first.click()
    page.wait_for_url("**/d/**")  # type: ignore[attr-defined]
    # the document's whole text (its source is readable and unchanged), the cited sentence marked and targeted
    sync_api.expect(page.locator(".notice")).to_have_count(0)  # type: ignore[attr-defined]
    sync_api.expect(page.locator("mark.evidence-mark:target")).to_contain_text("Phi-4")  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".side-facts", has_text="Phi-4").first).to_be_visible()  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".mentioned a", has_text="Microsoft")).to_be_visible()  # type: ignore[attr-defined]


def test_question_is_answered(page: object, server: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    box = page.get_by_label("Name, alias or question")  # type: ignore[attr-defined]
    box.fill("Who released Phi-4?")
    box.press("Enter")
    answers = page.locator("#answers")  # type: ignore[attr-defined]
    sync_api.expect(answers.locator("ol.answers > li > a").first).to_have_text("Microsoft")
    sync_api.expect(answers.locator(".evidence q").first).to_contain_text("Phi-4")


def test_pages_work_with_javascript_off(browser: object, server: str, log: Log) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    _watch(page, log)
    page.goto(server + "/?q=antropic")
    sync_api.expect(page.locator("#results a", has_text="Anthropic").first).to_be_visible()
    page.goto(server + "/?q=Who+released+Phi-4%3F")
    sync_api.expect(page.locator("#answers a", has_text="Microsoft").first).to_be_visible()
    page.goto(server + "/e/organization/microsoft")
    sync_api.expect(page.locator(".relation .evidence").first).to_be_visible()
    context.close()


def test_graph_view_draws_and_click_opens_a_node(page: object, server: str) -> None:
    page.goto(server + "/g/organization/cohere")  # type: ignore[attr-defined]
    graph = page.locator("#graph[data-drawn]")  # type: ignore[attr-defined]
    sync_api.expect(graph).to_be_visible()
    drawn = int(graph.get_attribute("data-drawn") or 0)
    assert drawn >= 2
    page.wait_for_function("window.aikgGraph && window.aikgGraph.nodes().length > 1")  # type: ignore[attr-defined]
    painted = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('#graph canvas')).some(c => {
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
            return false; })"""
    )
    assert painted, "the graph's canvas is empty"
    target = page.evaluate(  # type: ignore[attr-defined]
        """() => { const cy = window.aikgGraph; const n = cy.nodes().filter(x => !x.data('center'))[0];
            const p = n.renderedPosition(); const r = cy.container().getBoundingClientRect();
            return {id: n.id(), x: r.left + p.x, y: r.top + p.y}; }"""
    )
    page.mouse.click(target["x"], target["y"])  # type: ignore[attr-defined]
    page.wait_for_url(f"**/e/{target['id']}")  # type: ignore[attr-defined]


def test_sparql_editor_runs_an_example(page: object, server: str) -> None:
    page.goto(server + "/query")  # type: ignore[attr-defined]
    page.wait_for_selector(".yasqe .CodeMirror")  # type: ignore[attr-defined]
    page.get_by_label("Example query").select_option(label="facts.rq")  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".yasqe .CodeMirror")).to_contain_text("SELECT")  # type: ignore[attr-defined]
    page.locator(".yasqe_queryButton").click()  # type: ignore[attr-defined]
    rows = page.locator(".yasr table tbody tr")  # type: ignore[attr-defined]
    sync_api.expect(rows.first).to_be_visible()
    assert rows.count() > 1
    # the results download as CSV from the table, and as SPARQL JSON from the response view
    with page.expect_download() as csv_download:  # type: ignore[attr-defined]
        page.locator(".yasr_downloadIcon").click()  # type: ignore[attr-defined]
    csv_text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == '"subject","predicate","object","sentences"'
    page.locator(".yasr_btn", has_text="Response").click()  # type: ignore[attr-defined]
    with page.expect_download() as json_download:  # type: ignore[attr-defined]
        page.locator(".yasr_downloadIcon").click()  # type: ignore[attr-defined]
    body = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert body["head"]["vars"] == ["subject", "predicate", "object", "sentences"]
    assert len(body["results"]["bindings"]) > 1
    assert len(csv_text.splitlines()) == len(body["results"]["bindings"]) + 1  # the same rows both ways


def test_api_docs_load_offline(page: object, server: str) -> None:
    page.goto(server + "/docs")  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".swagger-ui .opblock").first).to_be_visible()  # type: ignore[attr-defined]
