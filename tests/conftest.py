"""Shared fixtures: the Gaoqing plan and its graph, the views' test graphs, a headless Chromium with all network blocked."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GAOQING = ROOT / "sources" / "gaoqing-urban-rural-pilot-2022.txt"


@pytest.fixture(scope="session")
def gaoqing_text() -> str:
    return GAOQING.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def doc():
    from policykg.text.parse import parse_plan

    return parse_plan(GAOQING)


@pytest.fixture(scope="session")
def place(doc):
    from policykg.rdf.registry import load_registry

    return load_registry().for_name(doc.metadata.jurisdiction)


@pytest.fixture(scope="session")
def rec(doc, place):
    from policykg.rdf.reconcile import reconcile

    return reconcile(doc, place.resolve)


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    from policykg.rdf.build import build

    out = tmp_path_factory.mktemp("graph")
    return build([GAOQING], out=out, formats=("turtle", "nt", "jsonld", "trig"))


@pytest.fixture
def source_copy(tmp_path, gaoqing_text):
    """A writable copy of the Gaoqing plan: (folder, file)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    path = folder / GAOQING.name
    shutil.copy(GAOQING, path)
    return folder, path


# ---- network views: test graphs and a headless Chromium

MINI = ROOT / "tests" / "data" / "views-mini.ttl"
ONTOLOGY = ROOT / "ontology" / "policykg.ttl"
GAOQING_GRAPH = ROOT / "graph"
CHROMIUM = os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def mini_graph():
    from policykg.views.networks import load_graph

    return load_graph([MINI, ONTOLOGY])


@pytest.fixture(scope="session")
def gaoqing_graph():
    from policykg.views.networks import load_graph

    if not any(GAOQING_GRAPH.glob("*.ttl")):
        pytest.skip("graph/*.ttl is not built")
    return load_graph([GAOQING_GRAPH])


INSTALL_CHROMIUM = "apt-get install -y chromium fonts-noto-cjk"
# The category a browser test skipped for want of Chromium is counted under, so that the summary
# line of `make test` says so ("12 skipped without Chromium ...") instead of hiding it among skips.
NO_BROWSER = f"skipped without Chromium ({INSTALL_CHROMIUM})"
_NO_BROWSER_MARK = "[no browser] "


# A missing browser fails the browser tests (a green run must mean they ran), on CI and off it,
# unless the developer says to skip them: POLICYKG_SKIP_BROWSER=1 (never honoured on CI).
SKIP_BROWSER = "POLICYKG_SKIP_BROWSER"


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run on CI: {reason}")
    if os.environ.get(SKIP_BROWSER) != "1":
        pytest.fail(f"browser tests cannot run: {reason}; install it with `{INSTALL_CHROMIUM}` "
                    f"or skip them knowingly with {SKIP_BROWSER}=1", pytrace=False)
    pytest.skip(_NO_BROWSER_MARK + reason)


def _skipped_for_want_of_a_browser(report) -> bool:
    return report.skipped and isinstance(report.longrepr, tuple) and _NO_BROWSER_MARK in str(report.longrepr[2])


def pytest_report_teststatus(report, config):
    if report.when == "setup" and _skipped_for_want_of_a_browser(report):
        return NO_BROWSER, "b", "SKIPPED (no Chromium)"
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = terminalreporter.stats.get(NO_BROWSER, [])
    if skipped:
        terminalreporter.write_sep("=", "browser tests not run", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} browser tests were skipped: {skipped[0].longrepr[2].split(_NO_BROWSER_MARK)[-1]}. "
            f"Install Chromium with `{INSTALL_CHROMIUM}` (Debian/Ubuntu, as root) and run `make test` again.")


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright; a failure when missing, unless skipped knowingly."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM} ({INSTALL_CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageVisit:
    """One page opened with every non-file request aborted and recorded, and every console
    message, page error and dialog (an alert would mean injected script ran) recorded."""

    def __init__(self, browser, url: str, viewport=(1280, 900)):
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            url = r.request.url
            if url.startswith(("file:", "data:", "about:")):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)

    def wait_ready(self, timeout=15000):
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=timeout)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))] + self.blocked

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.errors

    def close(self):
        self.context.close()


@pytest.fixture
def visit(chromium):
    opened: list[PageVisit] = []

    def open_page(path: Path, **kw) -> PageVisit:
        v = PageVisit(chromium, Path(path).resolve().as_uri(), **kw)
        opened.append(v)
        return v

    yield open_page
    for v in opened:
        v.close()
