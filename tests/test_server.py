"""The real Oxigraph server: same answers as the embedded engine, updates refused; GSP push."""

import subprocess
import urllib.error
import urllib.request

import pytest
from conftest import ROOT

from policykg.sparql.catalog import load_catalog
from policykg.sparql.engines import load_engine
from policykg.sparql.remote import EndpointError, RemoteEngine, push
from policykg.sparql.server import OxigraphServer, free_port, oxigraph_binary

GRAPH = ROOT / "graph"
PARAMS = {"measures-of-unit": {"unit": "县公安局"}, "tasks-of-unit": {"unit": "县公安局"}, "search": {"keyword": "生态"},
          "unit-partners": {"unit": "县公安局"}}


@pytest.fixture(scope="module")
def server():
    with OxigraphServer.for_graph([GRAPH]) as srv:
        yield srv
    assert srv.process is None


def test_served_results_equal_embedded(server):
    embedded = load_engine([GRAPH], "oxigraph")
    remote = RemoteEngine(server.query_url)
    for q in load_catalog():
        text = q.bind(PARAMS.get(q.name, {}))
        assert remote.run(text).rows == embedded.run(text, trusted=True).rows, q.name


def test_the_endpoint_refuses_updates(server):
    request = urllib.request.Request(
        server.update_url, data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code in (403, 404, 405)
    assert RemoteEngine(server.query_url).run("ASK { <urn:a> <urn:b> <urn:c> }").boolean is False


def test_the_query_page_is_policykgs_own(server):
    with urllib.request.urlopen(server.url, timeout=5) as page:
        text = page.read()
    assert b"policykg" in text and b"/assets/query-page.js" in text
    assert b"yasgui" not in text.lower()  # Oxigraph's page, which asks prefix.cc on the internet


def test_unreachable_endpoint_says_where_and_why():
    port = free_port()
    with pytest.raises(EndpointError) as err:
        RemoteEngine(f"http://127.0.0.1:{port}/query").run("ASK {}")
    assert f"127.0.0.1:{port}" in str(err.value) and "refused" in str(err.value).lower()


def test_push_with_the_graph_store_protocol(tmp_path):
    port = free_port()
    proc = subprocess.Popen([str(oxigraph_binary()), "serve", "--location", str(tmp_path / "db"),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        engine = RemoteEngine(base + "/query")
        for _ in range(100):
            try:
                engine.run("ASK {}")
                break
            except EndpointError:
                import time
                time.sleep(0.05)
        n = push([GRAPH], base + "/store", "https://example.org/g")
        assert n == len(load_engine([GRAPH], "oxigraph"))
        count = engine.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }")
        assert count.values() == [(str(n),)]
        push([GRAPH], base + "/store", "https://example.org/g")  # PUT replaces: no growth
        assert engine.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").values() == [(str(n),)]
    finally:
        proc.terminate()
        proc.wait(5)
