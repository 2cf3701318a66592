"""Issue 12, items 1-3 and 13e: what the safety check reads is what the engines run; nesting,
length, memory and rows are bounded with a clear error; nothing aborts the process.

The differential fuzz test builds queries from comments, escapes, the four string quotes, IRIs,
line ends and keywords, around a SERVICE call to a loopback listener, and asserts the listener
never hears from either engine, with and without the keyword guard (each layer must hold alone).
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.errors import PolicyKGError, QueryLimitError, QueryTimeoutError
from policykg.sparql import isolation, safety
from policykg.sparql.engines import load_engine
from policykg.sparql.safety import QuerySyntaxError, UnsafeQueryError, check_query

FIXTURE = "tests/fixtures/mini_plan.ttl"
ENGINES = ["oxigraph", "rdflib"]


class Listener:
    """A loopback TCP listener that records every connection (and the first bytes sent)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.heard: list[bytes] = []
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            conn.settimeout(0.2)
            try:
                self.heard.append(conn.recv(200))
            except OSError:
                self.heard.append(b"")
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return load_engine([FIXTURE], request.param)


def _run_quietly(engine, query):
    try:
        engine.run(query, timeout=10)
    except PolicyKGError:
        pass


# -- item 1: the reproduction of the issue and its variants, one class each --------------------

BYPASSES = {
    # the issue's query: rdflib expands \u000A in the comment, pyoxigraph did not
    "escape-in-comment": 'SELECT * WHERE {{ BIND( # \\u000A """\n1 AS ?x) {{ SERVICE <{url}> {{ ?a ?b ?c }} }} # """ AS ?y)\n}}',
    # a CR ends a comment for pyoxigraph but not for a lexer that stops only at LF
    "cr-in-comment": "SELECT * WHERE {{ # note\r SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "escaped-cr-in-comment": "SELECT * WHERE {{ # note\\u000D SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # rdflib reads \u with 8 digits; the grammar reads 4
    "eight-digit-u": "SELECT * WHERE {{ # \\u0000000A\n SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "upper-U-newline": "SELECT * WHERE {{ # \\U0000000A SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # an escape that spells an escape
    "escape-of-escape": "SELECT * WHERE {{ # \\u005Cu000A SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # the keyword itself spelled with escapes, and in other cases
    "escaped-keyword": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?a ?b ?c }} }}",
    "lower-case": "select * where {{ service <{url}> {{ ?a ?b ?c }} }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}",
    "after-dot": "SELECT * WHERE {{ ?a ?b ?c .SERVICE <{url}> {{ ?a ?b ?c }} }}",
    # quotes closed by an escape in one reading only
    "escaped-quote": "SELECT * WHERE {{ BIND(\"a\\u0022 AS ?x) SERVICE <{url}> {{ ?a ?b ?c }} # \" AS ?y) }}",
    "form-feed-in-comment": "SELECT * WHERE {{ # x\x0c SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "vertical-tab-escape": "SELECT * WHERE {{ # x\\u000B SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "nel-in-comment": "SELECT * WHERE {{ # x\\u0085 SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "line-separator": "SELECT * WHERE {{ # x\u2028 SERVICE <{url}> {{ ?a ?b ?c }} }}",
    "iri-with-hash": "SELECT * WHERE {{ ?a <http://x/#> ?c . SERVICE <{url}> {{ ?a ?b ?c }} }}",
}


@pytest.mark.parametrize("name", sorted(BYPASSES))
def test_no_spelling_of_service_reaches_the_network(engine, listener, name):
    before = len(listener.heard)
    query = BYPASSES[name].format(url=f"http://127.0.0.1:{listener.port}/{name}")
    _run_quietly(engine, query)
    time.sleep(0.05)
    assert listener.heard[before:] == []


def test_the_issue_query_runs_as_the_check_read_it(engine, listener):
    # canonical text: the escape is a line end everywhere, so the SERVICE is inside a string
    query = BYPASSES["escape-in-comment"].format(url=f"http://127.0.0.1:{listener.port}/x")
    result = engine.run(query)
    assert "SERVICE" in result.rows[0][0].value
    assert listener.heard == []


def test_canonical_text_expands_escapes_once_by_the_grammar():
    assert safety.canonical_text("ASK { \\u0041 }") == "ASK { A }"
    assert safety.canonical_text("ASK { \\U0001F600 }") == "ASK { \U0001F600 }"
    assert safety.canonical_text("ASK {}\r\n") == "ASK {}\n"
    with pytest.raises(UnsafeQueryError, match="another escape"):
        safety.canonical_text("ASK { # \\u005Cu0041\n }")
    with pytest.raises(QuerySyntaxError, match="not a Unicode character"):
        safety.canonical_text("ASK { '\\uD800' }")
    with pytest.raises(QuerySyntaxError, match="control character U\\+0000"):
        safety.canonical_text("ASK { '\x00' }")


# -- item 1: the differential fuzz ---------------------------------------------------------------

PIECES = [
    "#", "# ", "\n", "\r", "\r\n", "\\u000A", "\\u000D", "\\U0000000A", "\\u0023", "\\u0022", "\\u0027",
    "\\u003C", "\\u003E", "\\u005C", "\\u007B", "\\u007D", "\\", '"', "'", '"""', "'''", "\\\"", "\\'",
    "<", ">", "<http://x/#>", "<http://x/a b>", "{", "}", "(", ")", " ", "\t", "BIND(", " AS ?x)",
    "1", "?x", "FILTER(", "SERVICE", "service", "SILENT", "\\u0053ERVICE", "SERV\\u0049CE", "FROM",
    "FROM NAMED", "GRAPH", "OPTIONAL", ".", ";", ",", "@en", "^^", "'''a''", '"a"', "\u2028", "\x85",
    # where "<" is an operator for one reader and an IRI for another
    "FILTER(1<2)", "<2)#>", "<x#>", "?s <x#>", "1<", "<'>", '<">', ")<",
]


def _fuzz_query(port: int, before: list[str], after: list[str]) -> str:
    target = f"<http://127.0.0.1:{port}/fuzz>"
    return ("SELECT * WHERE { " + "".join(before) + " { SERVICE " + target + " { ?a ?b ?c } } "
            + "".join(after) + " }")


@pytest.mark.parametrize("guard", ["with-keyword-guard", "parse-tree-only"])
@settings(max_examples=int(os.environ.get("POLICYKG_FUZZ_EXAMPLES", "60")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(before=st.lists(st.sampled_from(PIECES), max_size=8), after=st.lists(st.sampled_from(PIECES), max_size=8))
def test_differential_fuzz_no_query_reaches_the_listener(engine, listener, monkeypatch, guard, before, after):
    if guard == "parse-tree-only":  # each layer must hold on its own
        monkeypatch.setattr(safety, "_SERVICE", _NEVER)
    start = len(listener.heard)
    query = _fuzz_query(listener.port, before, after)
    _run_quietly(engine, query)
    time.sleep(0.01)
    assert listener.heard[start:] == [], repr(query)


class _Never:
    def search(self, text):
        return None


_NEVER = _Never()


# -- item 2: nesting and length -----------------------------------------------------------------

@pytest.mark.parametrize("query", [
    "SELECT * WHERE { BIND(" + "(" * 24 + "1" + ")" * 24 + " AS ?x) }",  # was a RecursionError traceback
    "SELECT * WHERE { FILTER(" + "(1+" * 30 + "1" + ")" * 30 + ") }",
    "SELECT * WHERE " + "{ OPTIONAL " * 30 + "{}" + "}" * 30,
])
def test_nesting_within_the_limit_runs(engine, query):
    assert engine.run(query, timeout=30).columns is not None


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }",  # aborted Oxigraph
    "SELECT * WHERE " + "{" * 200 + "}" * 200,
    "SELECT * WHERE { ?s ?p " + "[ ?p " * 100 + "1" + " ]" * 100 + " }",
    "SELECT * WHERE { FILTER(" + "(" * 33 + "1" + ")" * 33 + ") }",
])
def test_deep_nesting_is_refused_before_any_parser(engine, query):
    with pytest.raises(UnsafeQueryError, match="nested"):
        engine.run(query)


def test_long_queries_are_refused_before_any_parser(engine):
    query = "SELECT * WHERE { " + "FILTER(1=1) " * 10_000 + "}"  # aborted Oxigraph
    with pytest.raises(UnsafeQueryError, match="characters long"):
        engine.run(query)


def test_brackets_inside_strings_iris_and_comments_do_not_count():
    assert safety.nesting_depth("SELECT * { ?s ?p '((((' . ?s <http://x/((> ?o } # ((((((") == 1


def test_a_query_whose_parse_is_slow_stops_on_time(engine):
    query = "SELECT * WHERE { " + "FILTER(1=1) " * 4000 + "}"  # seconds for rdflib's parser
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        engine.run(query, timeout=1)
    assert time.monotonic() - started < 3


# -- item 3: memory and rows ----------------------------------------------------------------------

@pytest.mark.skipif(not isolation.available(), reason="needs fork (Linux)")
def test_a_query_that_sorts_a_huge_product_hits_the_memory_limit_not_the_process(monkeypatch):
    engine = load_engine(["graph/policykg.ttl"], "oxigraph")
    monkeypatch.setattr(engine, "max_memory", 300 * 1024 ** 2)
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i"
    with pytest.raises(QueryLimitError, match="memory"):
        engine.run(query, timeout=60)
    assert engine.run("ASK { ?s ?p ?o }").boolean is True  # this process is fine


def test_rows_are_capped_with_a_clear_error(engine, monkeypatch):
    monkeypatch.setattr(engine, "max_rows", 1000)
    with pytest.raises(QueryLimitError, match="more than 1000 rows"):
        engine.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", timeout=60)
    assert len(engine.run("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1000").rows) == 1000


@pytest.mark.skipif(not isolation.available(), reason="needs fork (Linux)")
def test_a_timed_out_query_stops_at_once(engine):
    # the child is killed: no thread keeps computing after the error
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

    def query_threads():
        return {t for t in threading.enumerate() if t.name == "policykg-query" and t.is_alive()}

    before = query_threads()
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        engine.run(slow, timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert query_threads() == before  # no abandoned query thread computing on


# -- item 13e: escapes in parameter values ---------------------------------------------------------

def test_an_escape_in_a_parameter_value_is_the_same_on_both_engines():
    from policykg.sparql.params import ParameterError, bind

    with pytest.raises(ParameterError, match="县公安局"):
        bind("SELECT * WHERE { ?u ?p $unit }", {"unit": "\\u53bf\\u516c\\u5b89\\u5c40"})


def test_catalog_query_checks_pass_unchanged():
    from policykg.sparql.catalog import load_catalog

    for entry in load_catalog():
        checked = check_query(entry.text)
        assert checked.form in ("select", "ask", "construct", "describe")
