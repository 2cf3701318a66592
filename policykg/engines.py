"""SPARQL engines over the graph files: one ``run(query, params) -> Result`` API.

- ``rdflib``: rdflib's in-memory ``Graph``; pure Python, the reference engine.
- ``oxigraph``: a pyoxigraph in-memory ``Store``; parses and queries one to two orders of
  magnitude faster, and imports in a few milliseconds, so the command line uses it by default.
- a remote SPARQL 1.1 endpoint (see :mod:`policykg.remote`) has the same API.

Every file's triples go into the default graph (quads of TriG / N-Quads files too), so both
engines see the same data. Libraries are imported when an engine is made, not at import time.

Queries typed by a user are checked by :func:`policykg.query_safety.check_query` before they
run (``trusted=False``, the default); the named catalog queries are checked by the test suite.
Each query runs under a time limit.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

from .errors import PolicyKGError
from .results import Result, Term

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0  # seconds

# file extension -> (pyoxigraph RdfFormat name, rdflib format name, holds quads)
GRAPH_FORMATS = {
    ".ttl": ("TURTLE", "turtle", False),
    ".nt": ("N_TRIPLES", "nt", False),
    ".trig": ("TRIG", "trig", True),
    ".nq": ("N_QUADS", "nquads", True),
}


class GraphLoadError(PolicyKGError):
    """The graph files cannot be found or read."""


class QueryTimeoutError(PolicyKGError):
    """The query ran longer than its time limit."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(
            f"the query was stopped after {seconds:g} s (the time limit); make it more selective "
            "or allow more time with --timeout"
        )


def graph_files(paths) -> list[Path]:
    """The graph files named by ``paths``: files as given, directories expanded (sorted)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix in GRAPH_FORMATS and f.is_file())
            # policykg.ttl and policykg.trig hold the same triples: read one file per name.
            order = list(GRAPH_FORMATS)
            best = {}
            for f in found:
                if f.stem not in best or order.index(f.suffix) < order.index(best[f.stem].suffix):
                    best[f.stem] = f
            found = sorted(best.values())
            if not found:
                raise GraphLoadError(
                    f"{p}/: no graph files ({', '.join(GRAPH_FORMATS)}); build the graph first "
                    "(policykg build) or pass --graph FILE"
                )
            files += found
        elif p.is_file():
            if p.suffix not in GRAPH_FORMATS:
                raise GraphLoadError(
                    f"{p}: unknown graph format {p.suffix!r}; use one of {', '.join(GRAPH_FORMATS)}"
                )
            files.append(p)
        else:
            raise GraphLoadError(f"{p}: no such file or directory")
    return files


def run_with_time_limit(work: Callable[[], Result], timeout: float | None) -> Result:
    """Run ``work`` in a daemon thread and give up after ``timeout`` seconds.

    Both engines release control while they compute (pyoxigraph drops the GIL), so the caller
    gets :class:`QueryTimeoutError` on time; the worker is then cancelled (see :func:`_cancel`).
    """
    if not timeout:
        return work()
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as err:  # handed to the caller's thread
            box["error"] = err

    worker = threading.Thread(target=target, name="policykg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _cancel(worker)
        raise QueryTimeoutError(timeout)
    if "error" in box:
        raise box["error"]
    return box["result"]


class _Cancelled(BaseException):
    """Raised inside an abandoned query thread to stop it."""


def _cancel(worker: threading.Thread) -> None:
    """Ask ``worker`` to stop: rdflib (pure Python) stops at once; pyoxigraph when it next
    returns to Python, between solutions."""
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(worker.ident), ctypes.py_object(_Cancelled)
    )


class Engine:
    """Base class: subclasses implement :meth:`_execute` for checked query text."""

    name = "engine"

    def run(self, query: str, params: dict[str, str] | None = None, *, trusted: bool = False,
            timeout: float | None = DEFAULT_TIMEOUT, source: str = "query") -> Result:
        """Run a SPARQL query; ``params`` bind ``$name`` variables to string literals.

        ``trusted=False`` (the default) refuses SERVICE, FROM / FROM NAMED and updates before
        the engine sees the query. ``source`` names the query in error messages.
        """
        if params:
            from .params import bind

            query = bind(query, params)
        if not trusted:
            from .query_safety import check_query

            check_query(query, source)
        return run_with_time_limit(lambda: self._execute(query, source), timeout)

    def _execute(self, query: str, source: str) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def __len__(self) -> int:  # pragma: no cover - abstract
        raise NotImplementedError


# --------------------------------------------------------------------------- rdflib


def _from_rdflib(term) -> Term | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term.uri(str(term))
    if isinstance(term, BNode):
        return Term.bnode(str(term))
    if isinstance(term, Literal):
        return Term.literal(
            str(term), str(term.datatype) if term.datatype else None, term.language
        )
    return Term.literal(str(term))  # pragma: no cover - quoted triples etc.


class RdflibEngine(Engine):
    name = "rdflib"

    def __init__(self, graph=None):
        from rdflib import Graph

        self.graph = graph if graph is not None else Graph()

    @classmethod
    def from_files(cls, paths) -> "RdflibEngine":
        from rdflib import Dataset, Graph

        graph = Graph()
        for f in graph_files(paths):
            _, fmt, quads = GRAPH_FORMATS[f.suffix]
            try:
                if quads:
                    ds = Dataset()
                    ds.parse(f, format=fmt)
                    for s, p, o, _g in ds.quads((None, None, None, None)):
                        graph.add((s, p, o))
                else:
                    graph.parse(f, format=fmt)
            except Exception as err:  # rdflib raises many kinds of parse errors
                raise GraphLoadError(f"{f}: cannot read the graph: {err}") from None
        return cls(graph)

    def __len__(self) -> int:
        return len(self.graph)

    def _execute(self, query: str, source: str) -> Result:
        from pyparsing import ParseException

        try:
            res = self.graph.query(query)
        except ParseException as err:
            from .query_safety import QuerySyntaxError

            raise QuerySyntaxError(str(err.msg), err.lineno, err.col, source) from None
        if res.type == "ASK":
            return Result(columns=[], boolean=bool(res.askAnswer), form="ask")
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [tuple(_from_rdflib(t) for t in triple) for triple in res.graph]
            rows.sort(key=lambda r: tuple((t.kind, t.value) for t in r))
            return Result(["subject", "predicate", "object"], rows, form=res.type.lower())
        columns = [str(v) for v in res.vars]
        rows = [tuple(_from_rdflib(row[i]) for i in range(len(columns))) for row in res]
        return Result(columns, rows)


# --------------------------------------------------------------------------- Oxigraph


def _from_oxigraph(term) -> Term | None:
    if term is None:
        return None
    kind = type(term).__name__  # cheaper than isinstance checks against the pyoxigraph module
    if kind == "NamedNode":
        return Term("uri", term.value)
    if kind == "Literal":
        lang = term.language
        if lang:
            return Term("literal", term.value, None, lang.lower())
        return Term.literal(term.value, term.datatype.value)
    if kind == "BlankNode":
        return Term.bnode(term.value)
    return Term.literal(str(term))  # pragma: no cover - quoted triples


def _oxigraph_syntax_error(err: SyntaxError, source: str):
    """pyoxigraph says ``error at 2:11: expected ...``; keep line and column apart."""
    from .query_safety import QuerySyntaxError

    text = str(err)
    line = col = None
    if text.startswith("error at "):
        where, _, rest = text[len("error at "):].partition(": ")
        a, _, b = where.partition(":")
        if a.isdigit() and b.split("-")[0].isdigit():
            line, col, text = int(a), int(b.split("-")[0]), rest
    return QuerySyntaxError(text, line, col, source)


class OxigraphEngine(Engine):
    name = "oxigraph"

    def __init__(self, store=None):
        import pyoxigraph as ox

        self.store = store if store is not None else ox.Store()

    @classmethod
    def from_files(cls, paths) -> "OxigraphEngine":
        import pyoxigraph as ox

        store = ox.Store()
        for f in graph_files(paths):
            fmt_name, _, quads = GRAPH_FORMATS[f.suffix]
            fmt = getattr(ox.RdfFormat, fmt_name)
            try:
                if quads:  # flatten named graphs into the default graph, as rdflib does
                    store.extend(
                        ox.Quad(q.subject, q.predicate, q.object)
                        for q in ox.parse(path=str(f), format=fmt)
                    )
                else:
                    store.load(path=str(f), format=fmt)
            except (SyntaxError, OSError, ValueError) as err:
                raise GraphLoadError(f"{f}: cannot read the graph: {err}") from None
        return cls(store)

    def __len__(self) -> int:
        return len(self.store)

    def _execute(self, query: str, source: str) -> Result:
        import pyoxigraph as ox

        try:
            res = self.store.query(query)
            if isinstance(res, ox.QueryBoolean):
                return Result(columns=[], boolean=bool(res), form="ask")
            if isinstance(res, ox.QueryTriples):
                rows = [
                    (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                    for t in res
                ]
                rows.sort(key=lambda r: tuple((t.kind, t.value) for t in r))
                return Result(["subject", "predicate", "object"], rows, form="construct")
            columns = [v.value for v in res.variables]
            width = range(len(columns))
            seen: dict = {}  # results repeat their values (unit names…): convert each once

            def convert(term):
                found = seen.get(term)
                if found is None and term is not None:
                    found = seen[term] = _from_oxigraph(term)
                return found

            rows = [tuple([convert(sol[i]) for i in width]) for sol in res]
        except SyntaxError as err:
            raise _oxigraph_syntax_error(err, source) from None
        except OSError as err:
            raise PolicyKGError(f"{source}: the query failed: {err}") from None
        return Result(columns, rows)


def load_engine(paths, engine: str = "oxigraph") -> Engine:
    """An engine of kind ``engine`` (``oxigraph`` or ``rdflib``) over the graph files ``paths``."""
    if engine == "oxigraph":
        return OxigraphEngine.from_files(paths)
    if engine == "rdflib":
        return RdflibEngine.from_files(paths)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
