"""Remote SPARQL 1.1 endpoints: query them through SPARQLWrapper, fill them with the Graph Store
Protocol (GSP).

Any SPARQL 1.1 server works: Oxigraph (``policykg serve``), Fuseki, GraphDB, Virtuoso, QLever.
A query sent to an endpoint runs there, so the local safety checks (which protect *this* machine's
network and files from the embedded engines) do not apply; the server enforces its own rules.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
import warnings

# What a connection that breaks, or a server that does not speak HTTP, raises from urllib:
# OSError (refused, reset, timed out) and http.client's own errors (IncompleteRead when the
# server closes mid-answer, BadStatusLine, LineTooLong), which are not OSErrors.
_CONNECTION_ERRORS = (urllib.error.URLError, OSError, http.client.HTTPException)
_TURTLE_TYPES = {"text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3",
                 "application/n-triples"}

from ..errors import EndpointError, QueryTimeoutError
from .engines import DEFAULT_TIMEOUT, ENGINE_TIMEOUT, Engine, graph_files, run_with_time_limit
from .results import Result, from_json_dict


def _reason(err: BaseException) -> str:
    if isinstance(err, urllib.error.HTTPError):
        body = ""
        try:
            body = err.read().decode("utf-8", "replace").strip()
        except Exception:  # pragma: no cover - best effort
            pass
        return f"HTTP {err.code} {err.reason}" + (f": {body[:300]}" if body else "")
    if isinstance(err, urllib.error.URLError):
        return str(err.reason)
    return str(err) or type(err).__name__


class RemoteEngine(Engine):
    """A SPARQL 1.1 query endpoint, such as ``http://127.0.0.1:7878/query``."""

    name = "remote"

    def __init__(self, endpoint: str, timeout: float | None = DEFAULT_TIMEOUT):
        parsed = urllib.parse.urlparse(endpoint)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EndpointError(f"{endpoint}: not an http(s) URL of a SPARQL endpoint")
        self.endpoint = endpoint
        self.timeout = timeout

    def run(self, query: str, params: dict[str, str] | None = None, *, trusted: bool = False,
            timeout: float | None | object = ENGINE_TIMEOUT, source: str = "query") -> Result:
        if timeout is ENGINE_TIMEOUT:
            timeout = self.timeout
        if params:
            from .params import bind

            query = bind(query, params)
        return run_with_time_limit(lambda: self._execute(query, source, timeout), timeout)

    def _execute(self, query: str, source: str, timeout: float | None = None) -> Result:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        from .params import strip_comments

        sw = SPARQLWrapper(self.endpoint, agent="policykg")
        # SPARQLWrapper guesses the query form with regular expressions that leave every other
        # line of a comment block in place and match keywords inside words ("task" -> ASK,
        # "workload" -> LOAD, sent as an update). Without comments its guess is right.
        sw.setQuery(strip_comments(query))
        sw.setMethod(POST)
        if timeout:
            sw.setTimeout(int(timeout) + 1)
        form = sw.queryType.lower()
        if form in ("construct", "describe"):
            return self._graph_result(sw, form)
        sw.setReturnFormat(JSON)
        try:
            with warnings.catch_warnings():  # on an unexpected content type; checked below
                warnings.simplefilter("ignore", RuntimeWarning)
                data = sw.queryAndConvert()
        except SPARQLWrapperException as err:
            msg = str(err).split("\n\nResponse:\n")
            detail = msg[1].strip()[:500] if len(msg) > 1 else ""
            raise EndpointError(
                f"{self.endpoint}: the endpoint refused {source}: {msg[0].strip()}"
                + (f" ({detail})" if detail else "")
            ) from None
        except ValueError as err:
            raise EndpointError(f"{self.endpoint}: the answer is not SPARQL JSON results: {err}") from None
        except _CONNECTION_ERRORS as err:
            raise EndpointError(f"{self.endpoint}: cannot reach the SPARQL endpoint: {_reason(err)}") from None
        if not isinstance(data, dict):
            raise EndpointError(f"{self.endpoint}: the answer is not SPARQL JSON results")
        result = from_json_dict(data)
        if result.boolean is not None:
            result.form = "ask"
        return result

    def _graph_result(self, sw, form: str) -> Result:
        from rdflib import Graph
        from SPARQLWrapper import TURTLE

        from .engines import _from_rdflib

        sw.setReturnFormat(TURTLE)
        try:
            answer = sw.query()
            content_type = (answer.info().get("content-type") or "").split(";")[0].strip().lower()
            if content_type not in _TURTLE_TYPES:
                raise EndpointError(f"{self.endpoint}: the answer to a {form.upper()} query is not Turtle "
                                    f"(content type {content_type or 'missing'!r})")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                graph = answer.convert()
            if isinstance(graph, bytes):
                graph = Graph().parse(data=graph, format="turtle")
        except EndpointError:
            raise
        except _CONNECTION_ERRORS as err:
            raise EndpointError(f"{self.endpoint}: cannot reach the SPARQL endpoint: {_reason(err)}") from None
        except Exception as err:  # rdflib's parsers raise many kinds
            raise EndpointError(f"{self.endpoint}: the answer is not RDF in Turtle: {err}") from None
        if not isinstance(graph, Graph):
            raise EndpointError(f"{self.endpoint}: the answer to a {form.upper()} query is not an RDF graph")
        rows = sorted(
            (tuple(_from_rdflib(t) for t in triple) for triple in graph),
            key=lambda r: tuple((t.kind, t.value) for t in r),
        )
        return Result(["subject", "predicate", "object"], rows, form=form)


def graph_store_url(endpoint: str, graph: str | None) -> str:
    """The GSP URL of ``graph`` (or of the default graph) at store endpoint ``endpoint``."""
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    return endpoint + ("&" if "?" in endpoint else "?") + query


def push(paths, endpoint: str, graph: str | None = None, *, replace: bool = True,
         timeout: float = 60.0) -> int:
    """Upload the graph files to a Graph Store Protocol endpoint; return the number of triples.

    ``replace=True`` sends HTTP PUT (the target graph's content is replaced), otherwise POST
    (triples are added). ``graph`` is the target graph IRI; without it, the default graph.
    ``timeout`` bounds the whole upload, however slowly the server answers.
    """
    import pyoxigraph as ox

    from .engines import OxigraphEngine

    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise EndpointError(f"{endpoint}: not an http(s) URL of a graph store")
    engine = OxigraphEngine.from_files(graph_files(paths))
    payload = ox.serialize(
        (q.triple for q in engine.store.quads_for_pattern(None, None, None, ox.DefaultGraph())),
        format=ox.RdfFormat.N_TRIPLES,
    )
    url = graph_store_url(endpoint, graph)
    request = urllib.request.Request(
        url, data=payload, method="PUT" if replace else "POST",
        headers={"Content-Type": "application/n-triples", "User-Agent": "policykg"},
    )

    def upload() -> None:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()

    try:
        run_with_time_limit(upload, timeout)
    except QueryTimeoutError:
        raise EndpointError(f"{url}: the upload did not finish within {timeout:g} s; allow more time "
                            "with --timeout") from None
    except _CONNECTION_ERRORS as err:
        raise EndpointError(f"{url}: cannot upload the graph: {_reason(err)}") from None
    return len(engine)
