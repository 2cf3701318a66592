"""Regenerate the README's screenshots: the default view and one responsibility sheet, at 1280x900
in headless Debian Chromium (apt-get install -y chromium fonts-noto-cjk), from the committed graph.

Usage: python scripts/screenshots.py [--graph graph] [--out docs] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = (
    # file in docs/, page in the views folder, what to do before the shot (JavaScript)
    ("view-co-responsibility.png", "co-responsibility.html", None),
    ("sheet-natural-resources-bureau.png", "units/gaoqing-natural-resources-bureau.html", None),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", default=str(ROOT / "graph"))
    ap.add_argument("--out", default=str(ROOT / "docs"))
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    from policykg.views.networks import load_graph
    from policykg.views.pages import build_views

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        site = build_views(load_graph([args.graph]), Path(tmp) / "views", lang="zh").out
        browser = p.chromium.launch(executable_path=args.chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            for name, page_file, action in SHOTS:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
                              else r.abort())
                page = context.new_page()
                page.goto((site / page_file).resolve().as_uri())
                if page.query_selector("#network"):
                    page.wait_for_selector("body[data-ready]", state="attached", timeout=30000)
                if action:
                    page.evaluate(action)
                page.wait_for_timeout(300)
                page.screenshot(path=str(out / name))
                context.close()
                print(out / name)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
