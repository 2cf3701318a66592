"""The catalog as URLs on `policykg serve` (issue 14): /queries/, /queries.json, /queries/NAME.csv|tsv|json
with parameters as query-string arguments, the same answers as `policykg query`, the same guard."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from conftest import ROOT
from test_security_sparql import Listener

from policykg.cli.main import cli
from policykg.sparql import canned
from policykg.sparql.catalog import load_catalog
from policykg.sparql.server import OxigraphServer

GRAPH = ROOT / "graph"
# a value for every required parameter of the catalog
PARAMS = {"measures-of-unit": {"unit": "县公安局"}, "tasks-of-unit": {"unit": "县公安局"}, "search": {"keyword": "生态"},
          "unit-partners": {"unit": "县公安局"}}


@pytest.fixture(scope="module")
def served():
    with OxigraphServer.for_graph([GRAPH]) as srv:
        yield srv


def get(url, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def canned_url(srv, name, fmt, params=None):
    query = urllib.parse.urlencode(params or {})
    return f"{srv.url}queries/{name}.{fmt}" + (f"?{query}" if query else "")


def cli_answer(name, fmt, params=None) -> bytes:
    args = ["query", name, "-g", str(GRAPH), "-f", fmt]
    for key, value in (params or {}).items():
        args += ["-p", f"{key}={value}"]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout_bytes


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_every_question_answers_byte_for_byte_as_the_command_line(served, fmt):
    for q in load_catalog():
        status, headers, body = get(canned_url(served, q.name, fmt, PARAMS.get(q.name)))
        assert status == 200, (q.name, body[:200])
        assert headers["Content-Type"] == canned.MEDIA_TYPES[fmt]
        assert body == cli_answer(q.name, fmt, PARAMS.get(q.name)), q.name


def test_parameters_are_url_encoded_utf8_and_bound_as_the_cli_binds_them(served):
    # the plan names 县公安局 responsible for measures 1.1, 2.1 and 11.1 (its 责任单位 notes)
    url = f"{served.url}queries/measures-of-unit.json?unit=%E5%8E%BF%E5%85%AC%E5%AE%89%E5%B1%80"
    status, _, body = get(url)
    assert status == 200
    rows = json.loads(body)["results"]["bindings"]
    assert [r["measure"]["value"] for r in rows] == ["1.1", "2.1", "11.1"]
    # a default given explicitly, and the English label language
    status, _, body = get(canned_url(served, "co-responsibility", "csv", {"lang": "en"}))
    assert status == 200 and body == cli_answer("co-responsibility", "csv", {"lang": "en"})
    # a quote or brace in a value is a literal's text, not SPARQL: no rows, no error
    status, _, body = get(canned_url(served, "search", "csv", {"keyword": '生态" } } SELECT * { ?s ?p ?o'}))
    assert status == 200 and body == b"work_task,measure,text\r\n"


@pytest.mark.parametrize("params, words", [
    ({}, [b"'unit'", b"?unit=VALUE"]),
    ({"unit": ""}, [b"'unit'", b"empty"]),
    ({"unit": "   "}, [b"'unit'", b"empty"]),
    ({"unit": "县公安局", "colour": "red"}, [b"'colour'"]),
])
def test_a_missing_empty_or_unknown_parameter_is_400_naming_it(served, params, words):
    status, headers, body = get(canned_url(served, "measures-of-unit", "csv", params))
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.count(b"\n") == 1, body  # one line
    for word in words:
        assert word in body


def test_a_value_outside_the_choices_or_given_twice_is_400(served):
    status, _, body = get(canned_url(served, "co-responsibility", "json", {"lang": "fr"}))
    assert status == 400 and b"zh, en" in body
    status, _, body = get(f"{served.url}queries/co-responsibility.json?lang=zh&lang=en")
    assert status == 400 and b"'lang'" in body
    status, _, body = get(f"{served.url}queries/measures-of-unit.json?unit=%FF")
    assert status == 400 and b"UTF-8" in body


@pytest.mark.parametrize("path", [
    "queries/no-such-question.csv", "queries/lead-units.xml", "queries/lead-units", "queries/lead-units.csv/x",
    "queries/%3Cscript%3Ealert(1)%3C%2Fscript%3E.csv", "queries/..%2F..%2Fetc%2Fpasswd.csv", "queries/.csv",
])
def test_an_unknown_question_is_404_repeating_nothing_of_the_request(served, path):
    status, headers, body = get(served.url + path)
    assert status == 404 and headers["Content-Type"].startswith("text/plain")
    assert b"/queries/" in body
    for echoed in (b"script", b"passwd", b"no-such", b"xml"):
        assert echoed not in body


def test_the_listing_as_html_and_json(served):
    catalog = load_catalog()
    status, headers, body = get(f"{served.url}queries.json")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert [q["name"] for q in data["queries"]] == catalog.names
    by_name = {q["name"]: q for q in data["queries"]}
    assert by_name["measures-of-unit"]["parameters"][0]["name"] == "unit"
    assert by_name["measures-of-unit"]["parameters"][0]["required"] is True
    assert by_name["measures-of-unit"]["urls"]["csv"] == "/queries/measures-of-unit.csv"
    assert by_name["view-units"]["group"] == "view" and by_name["lead-units"]["group"] == "question"
    assert data["prefixes"]["pkg"] == "https://w3id.org/policykg/ns#"
    # the same JSON when asked for by Accept
    assert get(f"{served.url}queries/", {"Accept": "application/json"})[2] == body
    status, headers, page = get(f"{served.url}queries/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    text = page.decode("utf-8")
    for q in catalog:
        assert f'id="{q.name}"' in text and q.title_zh in text
    # a question without parameters is plain links; one with them (or about one plan: ?plan=) a form
    # whose buttons pick the format
    plain = next(q.name for q in catalog if not q.parameters and q.scope == "corpus")
    assert f'<a href="/queries/{plain}.csv">CSV</a>' in text
    assert '<button formaction="/queries/discrepancies.csv">CSV</button>' in text
    assert '<button formaction="/queries/measures-of-unit.json">JSON</button>' in text
    assert text.index("view-units") > text.index("视图所用的查询")  # listed apart, after the questions


def test_the_listing_escapes_what_it_shows(tmp_path):
    (tmp_path / "x.rq").write_text(
        '# title-zh: <script>alert(1)</script>\n# title-en: "quoted" & <b>bold</b>\n'
        '# question: <img src=x onerror=alert(2)>?\n# param unit: a "unit" <i>\n# columns: a\n'
        'SELECT ?a WHERE { BIND($unit AS ?a) }\n', encoding="utf-8")
    page = canned.listing_html(load_catalog(tmp_path)).decode("utf-8")
    assert "<script>" not in page and "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "&quot;quoted&quot; &amp;" in page


def test_canned_queries_pass_the_guard_size_limit():
    with OxigraphServer.for_graph([GRAPH], max_result_bytes=2_000) as small:
        status, _, body = get(canned_url(small, "responsibility", "json"))
        assert status == 507 and b"larger than" in body
        status, _, body = get(canned_url(small, "plans", "csv"))
        assert status == 200 and body == cli_answer("plans", "csv")


def test_dollar_fields_bind_parameters_on_the_query_endpoint(served):
    listener = Listener()
    try:
        hostile = f'x" }} SERVICE <http://127.0.0.1:{listener.port}/b> {{ ?a ?b ?c }} BIND("'
        form = urllib.parse.urlencode({"query": "SELECT ?v WHERE { BIND($v AS ?v) }", "$v": hostile}).encode()
        req = urllib.request.Request(served.query_url, data=form, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(req, timeout=30) as response:
            rows = json.loads(response.read())["results"]["bindings"]
        time.sleep(0.1)
        assert rows == [{"v": {"type": "literal", "value": hostile}}]
        assert listener.heard == []
    finally:
        listener.close()
    # GET too, and an escape no engine reads alike is refused as the CLI refuses it
    query = urllib.parse.urlencode({"query": "SELECT ?v WHERE { BIND($v AS ?v) }", "$v": "\\u0041"})
    status, _, body = get(f"{served.query_url}?{query}")
    assert status == 400 and b"\\u0041" in body


@pytest.fixture(scope="module")
def corpus_served(tmp_path_factory):
    """A server over a build of Gaoqing and two synthetic plans, from its store."""
    from conftest import GAOQING

    from policykg.corpus.synthetic import generate_corpus
    from policykg.rdf.build import build

    base = tmp_path_factory.mktemp("corpus")
    generate_corpus(2, base / "src", seed=5)
    (base / "src" / GAOQING.name).write_bytes(GAOQING.read_bytes())
    out = base / "graph"
    build([base / "src"], out=out)
    with OxigraphServer.for_graph([out]) as srv:
        assert srv.opened is not None
        yield srv, out


@pytest.mark.parametrize("plan", ["gaoqing-urban-rural-pilot-2022", "高政办字〔2022〕21号"])
def test_plan_asks_a_question_about_one_plan_as_the_command_line_does(corpus_served, plan):
    srv, out = corpus_served
    for name in ("lead-units", "responsibility"):
        status, _, body = get(canned_url(srv, name, "csv", {"plan": plan}))
        assert status == 200, body[:200]
        res = CliRunner().invoke(cli, ["query", name, "-g", str(out), "-f", "csv", "--plan", plan],
                                 catch_exceptions=False)
        assert body == res.stdout_bytes
        # the whole graph's answer holds the other plans' rows too
        _, _, whole = get(canned_url(srv, name, "csv"))
        assert len(whole) > len(body)
    # the pilot task the Gaoqing plan has its county's police bureau lead (牵头单位：县公安局)
    _, _, body = get(canned_url(srv, "lead-units", "csv", {"plan": plan}))
    assert "县公安局" in body.decode("utf-8")


def test_an_unknown_plan_is_404_listing_the_plans_and_an_empty_one_asks_the_whole_graph(corpus_served):
    srv, _ = corpus_served
    status, _, body = get(canned_url(srv, "lead-units", "csv", {"plan": "no-such-plan"}))
    assert status == 404 and b"no plan 'no-such-plan'" in body and b"gaoqing-urban-rural-pilot-2022" in body
    assert get(canned_url(srv, "lead-units", "csv", {"plan": " "}))[2] == get(canned_url(srv, "lead-units", "csv"))[2]
    status, _, listing = get(f"{srv.url}queries/")
    assert status == 200 and b'<input name="plan">' in listing
