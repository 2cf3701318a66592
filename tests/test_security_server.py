"""Issue 12, items 4-6: the served endpoint refuses what the command line refuses, before Oxigraph
sees it, and stays up; the Oxigraph child ends with its parent, a taken port is one error line,
a dead child is restarted or reported; results are capped with an error status."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest
from conftest import ROOT
from test_security_sparql import Listener

from policykg.errors import ServerError
from policykg.sparql import server as server_module
from policykg.sparql.server import OxigraphServer, free_port

GRAPH = ROOT / "graph"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def served():
    with OxigraphServer.for_graph([GRAPH], timeout_s=2, max_result_bytes=200_000) as srv:
        yield srv


def request(url, *, data=None, headers=None, method=None, timeout=30):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def post_form(srv, **fields):
    return request(srv.query_url, data=urllib.parse.urlencode(fields).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})


def answers(srv) -> bool:
    status, body = request(srv.query_url + "?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"),
                           headers={"Accept": "application/sparql-results+json"})
    return status == 200 and b"true" in body


# -- item 4: refused before Oxigraph, and the server stays up -----------------------------------

@pytest.mark.parametrize("how", ["form", "get", "body"])
def test_a_form_post_cannot_make_the_server_call_out(served, listener, how):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/served> {{ ?a ?b ?c }} }}"
    if how == "form":  # what any web page can make a browser send
        status, body = post_form(served, query=query)
    elif how == "get":
        status, body = request(served.query_url + "?query=" + urllib.parse.quote(query))
    else:
        status, body = request(served.query_url, data=query.encode(),
                               headers={"Content-Type": "application/sparql-query"})
    time.sleep(0.1)
    assert status == 403 and b"SERVICE" in body
    assert listener.heard == []


def test_the_escape_bypass_is_closed_on_the_server_too(served, listener):
    query = ('SELECT * WHERE { BIND( # \\u000A """\n1 AS ?x) { SERVICE <http://127.0.0.1:%d/e> '
             '{ ?a ?b ?c } } # """ AS ?y)\n}' % listener.port)
    status, _ = post_form(served, query=query)
    time.sleep(0.1)
    assert status == 200 and listener.heard == []  # runs as the check read it: a string


@pytest.mark.parametrize("fields, status", [
    ({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}, 403),
    ({"query": "LOAD <http://127.0.0.1:9/x>"}, 403),
    ({"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}, 403),
    ({"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": "file:///etc/passwd"}, 403),
    ({"query": "SELECT * WHERE { BIND(" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) }"}, 403),
    ({"query": "SELECT * WHERE { " + "FILTER(1=1) " * 10_000 + "}"}, 403),
    ({"query": "SELECT * WHERE { ?s ?p }"}, 400),
])
def test_what_the_command_line_refuses_the_server_refuses_and_stays_up(served, fields, status):
    got, body = post_form(served, **fields)
    assert got == status, body[:200]
    assert answers(served)


@pytest.mark.parametrize("raw", [
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: nope\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 99999999999\r\n\r\n",
    b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 4\r\n\r\n\xff\xfe\xfd\xfc",
    b"GET /query?query=%ff HTTP/1.1\r\nHost: x\r\n\r\n",
    b"DELETE /store HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 40,  # a TLS hello
    b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n",
])
def test_garbage_requests_get_an_error_status_and_the_server_stays(served, raw):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
        conn.sendall(raw)
        conn.shutdown(socket.SHUT_WR)
        reply = conn.recv(200)
    assert reply == b"" or not reply.startswith(b"HTTP/1.1 200") and not reply.startswith(b"HTTP/1.0 200")
    assert answers(served)


def test_a_request_for_another_host_name_is_refused(served):
    # DNS rebinding: a page at evil.example whose name is made to point at 127.0.0.1 sends its
    # requests with Host: evil.example; its script must not read answers from the local server
    query = "/query?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
    for host in ("evil.example", f"evil.example:{served.port}", "127.0.0.1.evil.example"):
        with socket.create_connection(("127.0.0.1", served.port), timeout=10) as conn:
            conn.sendall(f"GET {query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            reply = conn.recv(300)
        assert reply.startswith(b"HTTP/1.1 403"), (host, reply[:80])
    for host in (f"127.0.0.1:{served.port}", f"localhost:{served.port}", "LOCALHOST"):
        status, _ = request(served.query_url + "?query=" + urllib.parse.quote("ASK {}"), headers={"Host": host})
        assert status == 200, host


def test_the_query_page_and_updates(served):
    status, page = request(served.url)
    assert status == 200 and b"/assets/query-page.js" in page
    status, _ = request(served.update_url, data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert status == 403


# -- item 6: results capped with an error status; time limit with an error status ---------------

def test_a_result_larger_than_the_cap_is_an_error_status_not_a_cut_body(served):
    status, body = post_form(served, query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 507 and b"larger than" in body
    status, body = post_form(served, query="SELECT ?s WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200
    assert answers(served)


def test_a_query_past_the_time_limit_is_an_error_status(served):
    started = time.monotonic()
    status, body = post_form(served, query="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert status in (504, 507), body[:200]  # never a 200 with "cancelled" appended
    assert b"cancelled" not in body
    assert time.monotonic() - started < 10
    assert answers(served)
    started = time.monotonic()
    status, body = post_form(served, query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert status == 504 and b"time limit" in body
    assert time.monotonic() - started < 6
    assert answers(served)


# -- item 5: signals, the child, the port -----------------------------------------------------------

def start_serve(port, *extra):  # on a temporary store (graph/store/, if built, is not used)
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "-g", str(GRAPH), "--port", str(port),
                             "--no-store", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)
    line = proc.stdout.readline()
    assert line.startswith("SPARQL endpoint"), proc.stderr.read()
    return proc


def oxigraph_children(proc):
    found = []
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            if "oxigraph" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:  # a zombie or gone: not serving
            pass
    return found


def stores_of(pid):
    return list(Path(tempfile.gettempdir()).glob(f"{server_module.TEMP_PREFIX}{pid}-*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_to_serve_ends_the_child_and_removes_the_store(sig):
    proc = start_serve(free_port())
    try:
        children = oxigraph_children(proc)
        assert len(children) == 1 and stores_of(proc.pid)
        proc.send_signal(sig)
        proc.wait(timeout=20)
        psutil.wait_procs(children, timeout=10)
        assert not any(c.is_running() and c.status() != psutil.STATUS_ZOMBIE for c in children)
        assert stores_of(proc.pid) == []
    finally:
        proc.kill()


def test_serve_killed_outright_takes_the_child_with_it_and_the_next_clears_the_store():
    proc = start_serve(free_port())
    children = oxigraph_children(proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=20)
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert stores_of(proc.pid)  # nobody could remove it ...
    second = start_serve(free_port())
    try:
        assert stores_of(proc.pid) == []  # ... until the next server starts
    finally:
        second.terminate()
        second.wait(timeout=20)


def test_a_taken_port_is_one_error_line():
    port = free_port()
    first = start_serve(port)
    try:
        second = subprocess.run([sys.executable, "-m", "policykg", "serve", "-g", str(GRAPH), "--port", str(port)],
                                capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=60)
        assert second.returncode == 1
        assert second.stderr.strip().splitlines() == [
            f"error: port {port} on 127.0.0.1 is in use by another program; choose another with --port"]
        assert "SPARQL endpoint" not in second.stdout
    finally:
        first.terminate()
        first.wait(timeout=20)
    with socket.socket() as other:  # another program's port
        other.bind(("127.0.0.1", 0))
        other.listen(1)
        port = other.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "policykg", "serve", "-g", str(GRAPH), "--port", str(port)],
                                capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=60)
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    assert "backtrace" not in result.stderr.lower() and "in use" in result.stderr


def test_a_child_that_dies_is_started_again_then_reported(monkeypatch):
    with OxigraphServer.for_graph([GRAPH]) as srv:
        first = srv.process.pid
        os.kill(first, signal.SIGKILL)
        monkeypatch.setattr(server_module, "RESTARTS", 1)
        waiter = _in_thread(srv.wait)
        deadline = time.monotonic() + 20
        while not (srv.process is not None and srv.process.pid != first and answers(srv)):
            assert time.monotonic() < deadline, "not started again"
            time.sleep(0.1)
        time.sleep(0.5)
        os.kill(srv.process.pid, signal.SIGKILL)  # the second death within a minute: give up
        waiter.join(20)
        assert isinstance(waiter.error, ServerError)
        assert "killed by SIGKILL" in str(waiter.error)


def test_serve_exits_non_zero_with_the_reason_when_the_child_keeps_dying():
    proc = start_serve(free_port())
    try:
        for _ in range(server_module.RESTARTS + 1):
            children = oxigraph_children(proc)
            for child in children:
                child.kill()
            deadline = time.monotonic() + 20
            while oxigraph_children(proc) == children and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
        proc.wait(timeout=30)
        err = proc.stderr.read()
        assert proc.returncode == 1
        assert "error: oxigraph stopped (killed by SIGKILL)" in err
        assert stores_of(proc.pid) == []
    finally:
        proc.kill()


def test_a_query_that_would_take_the_machines_memory_stops_oxigraph_not_the_server():
    with OxigraphServer.for_graph([GRAPH], timeout_s=60, max_memory=400 * 1024 ** 2) as srv:
        waiter = _in_thread(srv.wait)
        first = srv.process.pid
        status, _ = post_form(srv, query="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?i")
        assert status in (502, 504, 507)
        deadline = time.monotonic() + 30
        while not (srv.process is not None and srv.process.pid != first and answers(srv)):
            assert time.monotonic() < deadline and waiter.error is None, waiter.error
            time.sleep(0.2)


class _in_thread:
    def __init__(self, work):
        import threading

        self.error = None

        def run():
            try:
                work()
            except BaseException as err:
                self.error = err

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()

    def join(self, timeout):
        self.thread.join(timeout)
