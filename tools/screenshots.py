"""Take the README's screenshots of the web explorer from a running `kg serve`.

    kg serve out --port 8765 &
    python tools/screenshots.py http://127.0.0.1:8765 --entity organization/cohere \\
        --document import-ai-389 --graph organization/cohere

Needs Playwright (the dev extra) and a Chromium (Debian's ``chromium``).
Writes docs/screenshots/{search,entity,document,graph,sparql}.png.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the server, e.g. http://127.0.0.1:8765")
    parser.add_argument("--entity", required=True, help="entity key for the entity page")
    parser.add_argument("--document", required=True, help="document id for the document page")
    parser.add_argument("--graph", required=True, help="entity key for the graph view")
    parser.add_argument("--typo", default="anthropc", help="what to type into the search box")
    parser.add_argument("--example", default="relations-with-evidence.rq", help="queries/ example to run")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.goto(args.base + "/?q=" + args.typo)  # the results of a typo, then its type-ahead
        box = page.get_by_label("Name, alias or question")
        box.fill("")
        box.press_sequentially(args.typo, delay=40)
        expect(page.locator("#suggestions [role=option]").first).to_be_visible()
        page.screenshot(path=args.out / "search.png")
        page.goto(f"{args.base}/e/{args.entity}")
        page.screenshot(path=args.out / "entity.png")
        page.goto(f"{args.base}/d/{args.document}")
        page.screenshot(path=args.out / "document.png")
        page.goto(f"{args.base}/g/{args.graph}")
        page.select_option("#hops", "2")
        page.click("#graph-controls button[type=submit]")
        page.wait_for_timeout(1500)
        page.locator("#graph").scroll_into_view_if_needed()
        page.screenshot(path=args.out / "graph.png")
        page.goto(args.base + "/query")
        page.get_by_label("Example query").select_option(label=args.example)
        page.locator(".yasqe_queryButton").click()
        expect(page.locator(".yasr table tbody tr").first).to_be_visible()
        page.screenshot(path=args.out / "sparql.png")
        browser.close()
    for name in ("search", "entity", "document", "graph", "sparql"):
        print(args.out / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
