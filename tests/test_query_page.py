"""The query page of `policykg serve` (issue 14): offline, the catalog's questions as examples with their
parameters as fields, results as an escaped table, downloads; in headless Chromium with every request
that would leave 127.0.0.1 blocked and recorded."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from test_server_canned import cli_answer

from policykg.sparql.catalog import load_catalog
from policykg.sparql.server import OxigraphServer

GRAPH = ROOT / "graph"
HOSTILE = """<script>alert("x")</script><img src=x onerror=alert('y')> "quotes" & 'apostrophes'"""


@pytest.fixture(scope="module")
def served():
    with OxigraphServer.for_graph([GRAPH]) as srv:
        yield srv


def fetch(url: str) -> tuple[dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return dict(response.headers), response.read()


def test_the_page_and_its_files_name_nothing_outside_the_server(served):
    headers, page = fetch(served.url)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    # the browser may load nothing but this server's files, and send queries nowhere else
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp and "script-src 'self'" in csp
    for path in ("assets/query-page.js", "assets/query-page.css"):
        assert f"/{path}".encode() in page
        _, body = fetch(served.url + path)
        for text in (page, body):
            assert re.findall(rb"https?://", text) == []  # not a CDN, not prefix.cc, not anything
    assert b"<script>" not in page  # no inline script: the policy allows none


class ServedPage:
    """The page in a browser context where only requests to the server pass; the rest is aborted."""

    def __init__(self, browser, srv, path=""):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []

        def route(r):
            if r.request.url.startswith(srv.url):
                r.continue_()
            else:
                self.outside.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: None if req.url.startswith((srv.url, "blob:", "data:"))
                     else self.outside.append(req.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(srv.url + path)
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=15000)

    def run(self):
        self.page.click("#run")
        self.page.wait_for_selector("body[data-rows], #error:not([hidden])", state="attached", timeout=30000)

    def column(self, index: int) -> list[str]:
        return self.page.eval_on_selector_all(f"#table tbody tr td:nth-child({index})", "els => els.map(e => e.textContent)")

    def clean(self) -> bool:
        return self.outside == [] and self.errors == [] and self.dialogs == []


@pytest.fixture
def open_page(chromium, served):
    opened = []

    def open_(path=""):
        visit = ServedPage(chromium, served, path)
        opened.append(visit)
        return visit

    yield open_
    for visit in opened:
        visit.context.close()


@pytest.mark.browser
def test_pick_an_example_fill_its_parameter_run_it_and_see_rows(open_page, served):
    v = open_page()
    # every question of the catalog is offered; the views' queries apart
    offered = v.page.eval_on_selector_all("#questions button.example", "els => els.map(e => e.dataset.name)")
    catalog = load_catalog()
    assert offered == [q.name for q in catalog if not q.name.startswith("view-")]
    assert v.page.eval_on_selector_all("#views button.example", "els => els.length") == \
        sum(q.name.startswith("view-") for q in catalog)
    v.page.click("button.example[data-name=measures-of-unit]")
    assert v.page.input_value("#editor") == catalog.get("measures-of-unit").text
    assert v.page.get_attribute("#params input[name=unit]", "required") is not None
    v.page.fill("#params input[name=unit]", "县公安局")
    v.run()
    # the plan names 县公安局 responsible for measures 1.1, 2.1 and 11.1
    assert v.page.get_attribute("body", "data-rows") == "3"
    assert v.column(2) == ["1.1", "2.1", "11.1"]
    assert v.page.eval_on_selector_all("#table th", "els => els.map(e => e.textContent)") == \
        ["work_task", "measure", "text"]
    # the CSV link is the catalog URL, and gives what the command line gives
    href = v.page.get_attribute("#dl-csv", "href")
    assert href == "/queries/measures-of-unit.csv?unit=" + urllib.parse.quote("县公安局")
    assert fetch(served.url.rstrip("/") + href)[1] == cli_answer("measures-of-unit", "csv", {"unit": "县公安局"})
    with v.page.expect_download() as download:
        v.page.click("#dl-json")
    assert download.value.suggested_filename == "measures-of-unit.json"
    # the address keeps the example and its parameter
    assert "example=measures-of-unit" in v.page.url and "unit=" in v.page.url
    assert v.clean(), (v.outside, v.errors, v.dialogs)


@pytest.mark.browser
def test_an_empty_required_parameter_gets_the_servers_one_line(open_page):
    v = open_page("?example=measures-of-unit")
    v.run()
    message = v.page.text_content("#error")
    assert "400" in message and "'unit'" in message
    assert v.page.query_selector("#table tr") is None


@pytest.mark.browser
def test_a_query_without_prefix_declarations_runs(open_page):
    v = open_page()
    assert "PREFIX" not in v.page.input_value("#editor")  # the page's own starting query
    v.page.fill("#editor", "SELECT ?id WHERE { ?m a pkg:Measure ; dcterms:identifier ?id } ORDER BY ?id LIMIT 3")
    v.run()
    assert v.page.get_attribute("body", "data-rows") == "3"
    known = v.page.eval_on_selector_all("#prefix-table td:first-child", "els => els.map(e => e.textContent)")
    assert "PREFIX pkg:" in known and "PREFIX skos:" in known
    assert v.clean()


@pytest.mark.browser
def test_every_cell_is_escaped(open_page):
    v = open_page()
    literal = HOSTILE.replace("\\", "\\\\").replace('"', '\\"')
    v.page.fill("#editor", f'SELECT ?x ?y WHERE {{ BIND("{literal}" AS ?x) BIND(<urn:x:%3Cb%3E> AS ?y) }}')
    v.run()
    assert v.column(1) == [HOSTILE]
    assert v.page.query_selector("#table script, #table img, #table b") is None
    # an edited example: its parameter is still bound, by the server, as a literal
    v.page.click("button.example[data-name=search]")
    v.page.fill("#editor", v.page.input_value("#editor").replace("ORDER BY", "# edited\nORDER BY"))
    v.page.fill("#params input[name=keyword]", HOSTILE)
    v.run()
    assert v.page.get_attribute("body", "data-rows") == "0"
    v.page.fill("#editor", "SELECT ?k WHERE { BIND($keyword AS ?k) }")
    v.run()
    assert v.column(1) == [HOSTILE]
    assert v.clean(), (v.outside, v.errors, v.dialogs)
    v.page.fill("#editor", "SELECT * WHERE { ?s ?p }")  # a syntax error: the server's message, as text
    v.run()
    assert v.page.is_visible("#error") and "400" in v.page.text_content("#error")
    assert v.outside == [] and v.dialogs == []


@pytest.mark.browser
def test_english_labels_and_a_link_from_the_catalog(open_page):
    v = open_page("?example=co-responsibility&lang=en&collectives=exclude")
    assert v.page.text_content("#run") == "Run"
    assert v.page.text_content("#ex-title") == load_catalog().get("co-responsibility").title_en
    assert v.page.input_value("#params select[name=collectives]") == "exclude"
    v.run()
    assert int(v.page.get_attribute("body", "data-rows")) > 0
    v.page.click("#lang")
    assert v.page.text_content("#run") == "运行"
    assert v.page.text_content("#ex-title") == load_catalog().get("co-responsibility").title_zh
    # the catalog listing links each question to the page
    v.page.goto(v.page.url.split("?")[0] + "queries/")
    # its forms ask the question in the format their button names
    v.page.fill("#measures-of-unit input[name=unit]", "县公安局")
    with v.page.expect_navigation():
        v.page.click("#measures-of-unit button[formaction$='.json']")
    assert "/queries/measures-of-unit.json?unit=" in v.page.url
    assert '"value": "11.1"' in v.page.text_content("body")
    v.page.go_back()
    v.page.click("#lead-units a[href^='/?example=']")
    v.page.wait_for_selector("body[data-ready]", state="attached")
    assert v.page.input_value("#editor") == load_catalog().get("lead-units").text
    assert v.clean(), (v.outside, v.errors, v.dialogs)


FORMULA = "=HYPERLINK(\"http://x\",\"x\")"  # a cell a spreadsheet would run


def post(url: str, form: dict, accept: str | None = None) -> tuple[int, dict, bytes]:
    data = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_an_edited_querys_download_is_written_as_the_catalogs_are(served):
    literal = FORMULA.replace('"', '\\"')
    query = f'SELECT ?x ?n WHERE {{ BIND("{literal}" AS ?x) BIND(-1 AS ?n) }}'
    status, headers, body = post(served.url + "download", {"query": query, "format": "csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert 'filename="query.csv"' in headers["Content-Disposition"]
    # the formula and the negative number get the ' a spreadsheet shows but does not run
    assert body.decode("utf-8").splitlines() == ["x,n", '"\'=HYPERLINK(""http://x"",""x"")",\'-1']
    status, _, tsv = post(served.url + "download", {"query": query, "format": "tsv"})
    assert status == 200 and tsv.decode("utf-8").splitlines()[0] == "?x\t?n"
    # a parameter of the page binds as on /query; a format it does not know is one line
    status, _, body = post(served.url + "download", {"query": "SELECT ?k WHERE { BIND($k AS ?k) }",
                                                      "$k": "=1+1", "format": "csv"})
    assert body.decode("utf-8").splitlines() == ["k", "'=1+1"]
    status, _, body = post(served.url + "download", {"query": query, "format": "xlsx"})
    assert status == 400 and body == b"format must be one of csv, tsv, json\n"
    # the same checks as /query: no SERVICE
    status, _, body = post(served.url + "download", {
        "query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "format": "csv"})
    assert status == 403
    # /query stays the SPARQL protocol: Oxigraph's own CSV for SPARQL clients
    status, _, raw = post(served.url + "query", {"query": query}, accept="text/csv")
    assert status == 200 and raw.decode("utf-8").splitlines()[1].startswith('"=HYPERLINK')


@pytest.mark.browser
def test_the_page_downloads_an_edited_query_as_the_server_writes_it(open_page):
    v = open_page()
    literal = FORMULA.replace('"', '\\"')
    v.page.fill("#editor", f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}')
    v.run()
    assert v.column(1) == [FORMULA]  # shown as it is
    with v.page.expect_download() as download:
        v.page.click("#dl-csv")
    assert download.value.suggested_filename == "query.csv"
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert saved.splitlines() == ["x", '"\'=HYPERLINK(""http://x"",""x"")"']
    assert v.clean(), (v.outside, v.errors, v.dialogs)
