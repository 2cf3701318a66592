"""Endpoints that misbehave: a clear one-line error within the time limit, never a traceback
or a hang. The "servers" are loopback sockets that accept and then do one bad thing."""

import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from conftest import ROOT

TIMEOUT = 3
BODY = b'{"head": {"vars": ["unit", "n"]}, "results": {"bindings": [{"unit": {"type": "literal", "value": "'


def read_request(conn):
    conn.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
    except OSError:
        pass
    return data


def silent(conn, stop):
    read_request(conn)
    stop.wait(60)  # accepts and never answers


def closes_at_once(conn, stop):
    read_request(conn)


def closes_mid_body(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 5000\r\n\r\n" + BODY)


def closes_mid_headers(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-re")


def not_http(conn, stop):
    read_request(conn)
    conn.sendall(b"\x00\x01SSH-2.0-OpenSSH_9.6\r\n")


def trickles(conn, stop):
    read_request(conn)
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: 100000\r\n\r\n")
    for byte in BODY * 100:
        if stop.wait(0.2):
            return
        try:
            conn.sendall(bytes([byte]))
        except OSError:
            return


def bad_json(conn, stop):
    read_request(conn)
    body = b'{"head": {"vars": [' * 3
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                 b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))


BEHAVIOURS = {f.__name__: f for f in (silent, closes_at_once, closes_mid_body, closes_mid_headers,
                                       not_http, trickles, bad_json)}


class LoopbackServer:
    def __init__(self, behaviour):
        self.behaviour = behaviour
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.connections = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn):
        try:
            self.behaviour(conn, self.stop)
        finally:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.fixture
def server(request):
    srv = LoopbackServer(BEHAVIOURS[request.param])
    yield srv
    srv.close()


def run_query(url, *extra, form="select"):
    query = ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1" if form == "select"
             else "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1")
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "policykg", "query", "-e", query, "--endpoint", url, "--timeout", str(TIMEOUT), *extra],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("form", ["select", "construct"])
@pytest.mark.parametrize("server", list(BEHAVIOURS), indirect=True)
def test_misbehaving_endpoint_gives_a_clear_error_in_time(server, form):
    url = f"http://127.0.0.1:{server.port}/query"
    result, elapsed = run_query(url, form=form)
    assert result.returncode in (1, 2), (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert url in lines[0] or "timed out" in lines[0] or "time limit" in lines[0] or "seconds" in lines[0], lines[0]
    assert elapsed < TIMEOUT + 6, elapsed  # the time limit, plus start-up


def test_nothing_listening(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result, elapsed = run_query(f"http://127.0.0.1:{port}/query")
    assert result.returncode == 1 and "cannot reach the SPARQL endpoint" in result.stderr
    assert "Traceback" not in result.stderr and elapsed < TIMEOUT + 6


def test_a_real_server_still_answers_construct_queries():
    """The content-type check on CONSTRUCT answers lets a real server's Turtle through."""
    from policykg.sparql.engines import load_engine
    from policykg.sparql.remote import RemoteEngine
    from policykg.sparql.server import OxigraphServer

    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/policykg/ns#Stage> ; ?p ?o }"
    with OxigraphServer.for_graph([ROOT / "graph"]) as srv:
        remote = RemoteEngine(srv.query_url).run(query)
    embedded = load_engine([ROOT / "graph"], "oxigraph").run(query, trusted=True)
    assert remote.rows and remote.rows == embedded.rows
