"""The guarded front of ``policykg serve``: every request is checked before Oxigraph sees it.

``oxigraph serve-read-only`` runs ``SERVICE`` against any URL, and one deeply nested query makes
it overflow its stack; a web page can make a browser POST a form to a local port. So the
public port is this small HTTP server, and Oxigraph listens on a private port behind it:

- ``/query`` (GET ``?query=``, POST form, POST ``application/sparql-query``): the query goes
  through :func:`policykg.sparql.safety.precheck` and :func:`~policykg.sparql.safety.inspect`
  (the same checks as the command line, parse under the time limit, results cached by text)
  and only its canonical text is forwarded; a dataset in the request (``default-graph-uri``,
  ``named-graph-uri``) is refused, as FROM is;
- ``$name`` fields beside ``query`` bind the query's ``$name`` variables to string literals, as
  ``policykg query -p name=VALUE`` does (:func:`policykg.sparql.params.bind`), before the check;
- ``/`` is policykg's own query page (``policykg/sparql/assets/``: no file from anywhere else),
  ``/queries/`` the catalog as URLs (:mod:`policykg.sparql.canned`), run through the same checks
  and limits as ``/query``;
- ``POST /download`` (the page's form and ``format=csv|tsv|json``): an edited query's results as a
  file, written as the catalog's downloads are (a CSV cell a spreadsheet would run as a formula
  gets a leading ``'``), where ``/query`` gives Oxigraph's own bytes to SPARQL clients;
- ``/update`` and ``/store`` writes are refused (403); other GETs (the Graph Store Protocol's
  read) pass to Oxigraph;
- at most ``slots`` requests reach Oxigraph at once; an answer is held until complete, so
  a result larger than ``max_result_bytes`` or later than ``timeout`` is an error status
  (507, 504) rather than a cut 200 body;
- whatever a request holds, the handler answers it with a status and one line of text; an
  error in one request never stops the server.
"""

from __future__ import annotations

import http.client
import sys
import threading
import time
import urllib.parse
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ..errors import (
    GraphLoadError,
    ParameterError,
    PolicyKGError,
    QuerySyntaxError,
    QueryTimeoutError,
    UnsafeQueryError,
)
from ..resources import SPARQL_ASSETS_DIR

MAX_REQUEST_BYTES = 1024 * 1024
MAX_RESULT_BYTES = 64 * 1024 * 1024
_DATASET_PARAMETERS = {"default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"}
CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends to a 200 body
TSV = "text/tab-separated-values"
RESULTS_JSON = "application/sparql-results+json"
# The page's own files, by URL path; nothing else is served from the disk.
PAGE_FILES = {
    "/": ("query-page.html", "text/html; charset=utf-8"),
    "/assets/query-page.js": ("query-page.js", "text/javascript; charset=utf-8"),
    "/assets/query-page.css": ("query-page.css", "text/css; charset=utf-8"),
}
# The pages load nothing but this server's own files, and send queries only to it.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class QueryChecker:
    """The safety check with a cache of the texts already checked (the check is a pure function)."""

    def __init__(self, timeout: float, size: int = 1024):
        self.timeout = timeout
        self.size = size
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> str:
        from .engines import run_with_time_limit
        from .safety import inspect, precheck

        with self._lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        canonical = precheck(text, "query")
        checked = run_with_time_limit(lambda: inspect(canonical, "query"), self.timeout)
        with self._lock:
            self._cache[text] = checked.text
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return checked.text


class GuardedEndpoint(ThreadingHTTPServer):
    """The public HTTP server; ``upstream`` is Oxigraph's private ``(host, port)``."""

    daemon_threads = True
    request_queue_size = 512  # 200 clients connecting at once must not be refused by the backlog

    def __init__(self, address, upstream, *, timeout: float = 30.0, slots: int = 4,
                 max_result_bytes: int = MAX_RESULT_BYTES, log=None, plans=None):
        super().__init__(address, _Handler)
        self.upstream = upstream
        # plan -> an engine over that plan's graph alone (catalog URLs' ?plan=), or None
        self.plans = plans
        self.timeout = timeout
        self.slots = threading.BoundedSemaphore(slots)
        self.max_result_bytes = max_result_bytes
        self.check = QueryChecker(timeout)
        self.log = log or (lambda line: None)
        self._catalog = None
        self._files: dict[str, bytes] = {}

    @property
    def catalog(self):
        if self._catalog is None:
            from .catalog import load_catalog

            self._catalog = load_catalog()
        return self._catalog

    def page_file(self, name: str) -> bytes:
        if name not in self._files:
            self._files[name] = (SPARQL_ASSETS_DIR / name).read_bytes()
        return self._files[name]

    def handle_error(self, request, client_address) -> None:  # one line, never a traceback
        err = sys.exc_info()[1]
        self.log(f"request from {client_address[0]} failed: {type(err).__name__}: {err}")


LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "[::1]"})


class _Reply(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class _Handler(BaseHTTPRequestHandler):
    server: GuardedEndpoint
    protocol_version = "HTTP/1.1"
    server_version = "policykg-guard"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    # -- methods ---------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._answer(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._answer(self._post)

    def _refuse_method(self) -> None:
        self._answer(lambda: self._raise(405, "read-only endpoint: only GET and POST of queries"))

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _refuse_method  # noqa: N815

    def _check_host(self) -> None:
        """Refuse a request that names another host: a web page whose name an attacker points at
        127.0.0.1 (DNS rebinding) would otherwise read answers from this server in the browser of
        someone who runs it. Clients that send no Host (HTTP/1.0 tools) are let through."""
        host = (self.headers.get("Host") or "").strip().lower()
        if not host:
            return
        name = host[:host.index("]") + 1] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
        if name not in LOCAL_NAMES:
            self._raise(403, f"this server answers requests for {', '.join(sorted(LOCAL_NAMES))} only, "
                        "not for another host name")

    # -- routing ---------------------------------------------------------------------------------

    def _get(self):
        path, _, query_string = self.path.partition("?")
        if path == "/query":
            return self._query(_single(urllib.parse.parse_qs(query_string, keep_blank_values=True)))
        if path in PAGE_FILES:
            name, content_type = PAGE_FILES[path]
            return 200, content_type, self.server.page_file(name), PAGE_HEADERS
        if path in ("/queries", "/queries/", "/queries.json"):
            return self._listing(path)
        if path.startswith("/queries/"):
            return self._canned(path, _single(_parse_utf8(query_string)))
        if path.startswith("/update"):
            self._raise(403, "read-only endpoint: updates are not allowed")
        return self._forward("GET", self.path, None, {})

    def _post(self):
        path = self.path.partition("?")[0]
        if path not in ("/query", "/download"):
            self._raise(403, "read-only endpoint: only queries (POST /query) are allowed")
        body = self._body()
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if path == "/download":
            if kind != "application/x-www-form-urlencoded":
                self._raise(415, "send the query as a form: fields 'query' and 'format'")
            return self._download(_single(urllib.parse.parse_qs(_decode(body), keep_blank_values=True)))
        if kind == "application/sparql-query":
            return self._query({"query": _decode(body)})
        if kind == "application/x-www-form-urlencoded":
            return self._query(_single(urllib.parse.parse_qs(_decode(body), keep_blank_values=True)))
        self._raise(415, "send the query as application/sparql-query or a form field 'query'")

    def _download(self, params: dict[str, str]):
        """The page's download of an edited query: its results as the catalog writes them."""
        import json

        from .canned import MEDIA_TYPES
        from .results import from_json_dict, write

        fmt = params.pop("format", "")
        if fmt not in MEDIA_TYPES:
            self._raise(400, f"format must be one of {', '.join(MEDIA_TYPES)}")
        status, content_type, data = self._query(params, accept=RESULTS_JSON)
        if status != 200 or not content_type.startswith(RESULTS_JSON):
            return status, content_type, data  # an error, or a graph (CONSTRUCT) as Oxigraph wrote it
        result = from_json_dict(json.loads(data))
        return 200, MEDIA_TYPES[fmt], write(result, fmt).encode("utf-8"), {
            "Content-Disposition": f'attachment; filename="query.{fmt}"'}

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self._raise(411, "send the request with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._raise(400, "bad Content-Length")
        if length < 0 or length > MAX_REQUEST_BYTES:
            self._raise(413, f"the request is larger than {MAX_REQUEST_BYTES} bytes")
        return self.rfile.read(length)

    def _query(self, params: dict[str, str], accept: str | None = None):
        if "update" in params:
            self._raise(403, "read-only endpoint: updates are not allowed")
        dataset = sorted(set(params) & _DATASET_PARAMETERS)
        if dataset:
            self._raise(403, f"{', '.join(dataset)} is not allowed here, as FROM is not: query the "
                        "graph loaded")
        if "query" not in params:
            self._raise(400, "no query: give a 'query' parameter")
        text = params["query"]
        values = {name[1:]: value for name, value in params.items() if name.startswith("$")}
        if values:
            from .params import bind

            try:
                text = bind(text, values)
            except ParameterError as err:
                self._raise(400, str(err))
        return self._forward("POST", "/query", self._checked(text), {
            "Content-Type": "application/sparql-query; charset=utf-8"}, accept)

    def _checked(self, text: str) -> bytes:
        """The canonical text of a query the checks pass, as Oxigraph is to read it."""
        try:
            text = self.server.check(text)
        except UnsafeQueryError as err:
            self._raise(403, str(err))
        except QuerySyntaxError as err:
            self._raise(400, str(err))
        except QueryTimeoutError:
            self._raise(504, f"the query could not be checked within {self.server.timeout:g} s")
        except PolicyKGError as err:
            self._raise(400, str(err))
        return text.encode("utf-8")

    # -- the catalog as URLs ---------------------------------------------------------------------

    def _listing(self, path: str):
        from . import canned

        if path == "/queries":
            return 301, "text/plain; charset=utf-8", b"see /queries/\n", {"Location": "/queries/"}
        if path == "/queries.json":
            return 200, "application/json; charset=utf-8", canned.listing_json(self.server.catalog), {}
        if canned.wants_json(self.headers.get("Accept")):  # /queries/ answers as it is asked
            return 200, "application/json; charset=utf-8", canned.listing_json(self.server.catalog), {"Vary": "Accept"}
        return 200, "text/html; charset=utf-8", canned.listing_html(self.server.catalog), {**PAGE_HEADERS, "Vary": "Accept"}

    def _canned(self, path: str, values: dict[str, str]):
        from . import canned

        plan = values.pop("plan", "").strip() or None  # the catalog has no parameter of that name; empty: the whole graph
        try:
            request = canned.parse_request(self.server.catalog, path, values)
        except canned.NotFound as err:
            self._raise(404, str(err))
        except ParameterError as err:
            self._raise(400, str(err))
        result = self._on_plan(plan, request) if plan is not None else self._on_graph(request)
        if isinstance(result, tuple):  # the engine's own error answer
            return result
        content_type, body = canned.answer(request, result)
        if len(body) > self.server.max_result_bytes:
            self._too_large()
        return 200, content_type, body, {"X-Content-Type-Options": "nosniff"}

    def _on_graph(self, request):
        """The rows of a catalog question on the whole graph, from Oxigraph."""
        from .results import Result
        from .tsv import TsvFormatError, parse_tsv

        text = self._checked(request.text)
        status, content_type, data = self._forward(
            "POST", "/query", text, {"Content-Type": "application/sparql-query; charset=utf-8"}, accept=TSV)
        if status != 200:
            return status, content_type, data
        # Oxigraph's TSV read as the command line reads it from pyoxigraph: the same rows
        header, _, _ = data.partition(b"\n")
        columns = [c[1:] for c in header.decode("utf-8").split("\t")] if header else []
        try:
            return Result(columns, parse_tsv(data, len(columns)))
        except (TsvFormatError, UnicodeDecodeError) as err:
            self._raise(502, f"the query engine's answer could not be read: {err}")

    def _on_plan(self, plan: str, request):
        """The rows of a catalog question on one plan's graph, as ``policykg query NAME --plan``
        gives them: read from the build's TriG into memory and asked in this process."""
        server = self.server
        if server.plans is None:
            self._raise(400, "this server cannot ask about one plan (it was not started on a build's graph "
                        "folder); leave out ?plan=")
        if not server.slots.acquire(timeout=server.timeout):
            self._raise(503, "the server is busy; try again")
        try:
            try:
                engine = server.plans(plan)
            except GraphLoadError as err:
                self._raise(404, str(err))
            try:
                return engine.run(request.text, trusted=True, timeout=server.timeout)
            except QueryTimeoutError:
                self._raise(504, f"the query was stopped after {server.timeout:g} s (the time limit)")
        finally:
            server.slots.release()

    # -- upstream --------------------------------------------------------------------------------

    def _forward(self, method: str, path: str, body: bytes | None, headers: dict, accept: str | None = None):
        server = self.server
        deadline = time.monotonic() + server.timeout
        if not server.slots.acquire(timeout=server.timeout):
            self._raise(503, "the server is busy; try again")
        try:
            accept = accept or self.headers.get("Accept")
            if accept:
                headers["Accept"] = accept
            conn = http.client.HTTPConnection(*server.upstream, timeout=max(0.1, deadline - time.monotonic()))
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                data = _read_limited(response, server.max_result_bytes, deadline)
            finally:
                conn.close()
        except TimeoutError:
            self._raise(504, f"the query was stopped after {server.timeout:g} s (the time limit)")
        except (OSError, http.client.HTTPException) as err:
            self._raise(502, f"the query engine did not answer: {err}")
        finally:
            server.slots.release()
        if data is None:
            self._raise(504, f"the query was stopped after {server.timeout:g} s (the time limit)")
        if len(data) > server.max_result_bytes:
            self._too_large()
        if response.status == 200 and data.endswith(CANCELLED):
            self._raise(504, f"the query was stopped after {server.timeout:g} s (the time limit)")
        return response.status, response.getheader("Content-Type") or "application/octet-stream", data

    def _too_large(self):
        self._raise(507, f"the result is larger than the {self.server.max_result_bytes // 1024 ** 2} MB "
                    "this server sends; make the query more selective or add LIMIT")

    # -- answering -------------------------------------------------------------------------------

    def _raise(self, status: int, message: str):
        raise _Reply(status, message)

    def _answer(self, work) -> None:
        headers: dict = {}
        try:
            self._check_host()
            status, content_type, data, *more = work()
            if more:
                headers = more[0]
        except _Reply as reply:
            status, content_type = reply.status, "text/plain; charset=utf-8"
            data = (str(reply) + "\n").encode("utf-8")
        except Exception as err:  # a bug: the request fails, the server stays
            self.server.log(f"{self.command} {self.path[:80]}: {type(err).__name__}: {err}")
            status, content_type, data = 500, "text/plain; charset=utf-8", b"internal error\n"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _read_limited(response, limit: int, deadline: float) -> bytes | None:
    """The body, at most ``limit + 1`` bytes of it; None when ``deadline`` passes first."""
    chunks, size = [], 0
    while size <= limit:
        if time.monotonic() > deadline:
            return None
        chunk = response.read1(1 << 16) if hasattr(response, "read1") else response.read(1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _single(params: dict[str, list[str]]) -> dict[str, str]:
    for name, values in params.items():
        if len(values) != 1:
            raise _Reply(400, f"the parameter {name!r} is given {len(values)} times")
    return {name: values[0] for name, values in params.items()}


def _parse_utf8(query_string: str) -> dict[str, list[str]]:
    """A URL's query string, its %-escapes read as UTF-8 (a value that is not UTF-8 is refused)."""
    try:
        return urllib.parse.parse_qs(query_string, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise _Reply(400, "the query string is not URL-encoded UTF-8") from None


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Reply(400, "the request is not UTF-8") from None
