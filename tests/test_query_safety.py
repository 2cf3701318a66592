"""User queries on the embedded engines never reach the network or the file system."""

import socket
import sys
import threading

import pytest

from policykg.sparql.engines import QueryTimeoutError, load_engine
from policykg.sparql.safety import QuerySyntaxError, UnsafeQueryError, check_query

FIXTURE = "tests/fixtures/mini_plan.ttl"
ENGINES = ["oxigraph", "rdflib"]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return load_engine([FIXTURE], request.param)


class Listener:
    """A TCP listener on a free loopback port that records every connection it gets."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    lst = Listener()
    yield lst
    lst.close()


def test_the_listener_does_see_a_connection(listener):
    # the probe works: a real client is noticed
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    threading.Event().wait(0.5)
    assert listener.connections == 1


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ?y ?z . {{ SELECT ?s WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "ASK FROM <http://127.0.0.1:{port}/data.ttl> {{ ?s ?p ?o }}",
    "LOAD <http://127.0.0.1:{port}/data.ttl>",
    "INSERT DATA {{ <http://127.0.0.1:{port}/a> <http://x/b> 1 }}",
    "DELETE WHERE {{ ?s ?p ?o }}",
])
def test_network_queries_are_refused_and_nothing_connects(engine, listener, template):
    before = len(engine)
    with pytest.raises(UnsafeQueryError) as err:
        engine.run(template.format(port=listener.port))
    threading.Event().wait(0.5)
    assert listener.connections == 0
    assert len(engine) == before
    assert any(word in str(err.value) for word in ("SERVICE", "FROM", "updates"))


def test_a_file_iri_is_not_read(engine, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://x/s> <http://x/p> 'secret' .\n", encoding="utf-8")
    opened = []

    def hook(event, args):
        if event == "open" and args and str(args[0]).endswith("secret.ttl"):
            opened.append(args[0])

    sys.addaudithook(hook)  # cannot be removed; it only records opens of this one file
    for query in (
        f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}",
        f"SELECT ?o FROM NAMED <{secret.as_uri()}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{secret.as_uri()}>",
    ):
        with pytest.raises(UnsafeQueryError):
            engine.run(query)
    assert opened == []


def test_syntax_errors_give_line_and_column():
    with pytest.raises(QuerySyntaxError) as err:
        check_query("SELECT ?s\nWHERE { ?s ?p }", source="q.rq")
    assert err.value.line == 2 and err.value.column >= 1
    assert str(err.value).startswith(f"q.rq:2:{err.value.column}: SPARQL syntax error")


def test_harmless_queries_pass(engine):
    assert check_query("ASK { ?s ?p ?o }").form == "ask"
    result = engine.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(result.values()[0][0]) == len(engine)


def test_a_slow_query_hits_the_time_limit(engine):
    # about 20 million solutions: seconds for Oxigraph, minutes for rdflib (cancelled on time)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeoutError) as err:
        engine.run(slow, timeout=0.3)
    assert "0.3 s" in str(err.value) and "--timeout" in str(err.value)
