"""SPARQL engines over the graph files: one ``run(query, params) -> Result`` API.

- ``rdflib``: rdflib's in-memory ``Graph``; pure Python, the reference engine.
- ``oxigraph``: a pyoxigraph ``Store``; parses and queries one to two orders of magnitude
  faster, and imports in a few milliseconds, so the command line uses it by default. Where the
  build's on-disk store (``graph/store/``, :mod:`policykg.rdf.store`) was loaded from the very
  files asked for, it is opened read-only instead of parsing them: milliseconds at any size.
- a remote SPARQL 1.1 endpoint (see :mod:`policykg.sparql.remote`) has the same API.

Every file's triples go into the default graph (quads of TriG / N-Quads files too), so both
engines see the same data. Libraries are imported when an engine is made, not at import time.

Queries typed by a user are checked by :func:`policykg.sparql.safety.check_query` before they
run (``trusted=False``, the default); the named catalog queries are checked by the test suite.
Each query runs under a time limit.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Callable

from ..errors import GraphLoadError, PolicyKGError, QueryLimitError, QueryTimeoutError
from .isolation import DEFAULT_MEMORY
from .results import Result, Term
from .tsv import TsvFormatError, parse_tsv

ENGINES = ("oxigraph", "rdflib")
DEFAULT_TIMEOUT = 30.0  # seconds
ENGINE_TIMEOUT = object()  # run(timeout=...) not given: the engine's own timeout

# file extension -> (pyoxigraph RdfFormat name, rdflib format name, holds quads)
GRAPH_FORMATS = {
    ".ttl": ("TURTLE", "turtle", False),
    ".nt": ("N_TRIPLES", "nt", False),
    ".trig": ("TRIG", "trig", True),
    ".nq": ("N_QUADS", "nquads", True),
}


def graph_files(paths, quads: bool = False) -> list[Path]:
    """The graph files named by ``paths``: files as given, directories expanded (sorted).

    In a directory, files of one name (policykg.ttl, policykg.trig) hold the same triples and
    one is read: the Turtle, or with ``quads`` the one that keeps the plans' named graphs.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.suffix in GRAPH_FORMATS and f.is_file())
            order = sorted(GRAPH_FORMATS, key=lambda ext: not GRAPH_FORMATS[ext][2]) if quads \
                else list(GRAPH_FORMATS)
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


PLAN_NAMES_QUERY = """
SELECT ?plan ?name WHERE {
  GRAPH ?plan { ?plan <http://purl.org/dc/terms/identifier>|<http://purl.org/dc/terms/title> ?name }
}"""


def choose_plan(graph_names, wanted: str, names_of=None) -> str:
    """The named graph (a plan's IRI) that ``wanted`` names: the IRI itself, the plan's slug
    (its file name without .txt), ``jurisdiction/slug``, or one of ``names_of[IRI]`` (its
    document number, 文号, or its title); ``names_of`` may be a function giving that dict."""
    names = sorted(set(graph_names))
    wanted = wanted.strip().strip("<>")
    found = [n for n in names if n == wanted or n.endswith("/" + wanted.strip("/"))]
    if not found and names_of:
        names_of = names_of() if callable(names_of) else names_of
        found = [n for n in names if wanted in names_of.get(n, ())]
    if len(found) == 1:
        return found[0]
    if not names:
        raise GraphLoadError("--plan: the graph has no named graphs; build it again (policykg.trig)")
    if found:
        raise GraphLoadError(
            f"--plan {wanted!r} names {len(found)} plans: {', '.join(found)}; give the IRI or "
            "jurisdiction/slug"
        )
    slugs = [n.rsplit("/", 1)[-1] for n in names]
    shown = ", ".join(slugs[:10]) + (f" … ({len(slugs)} plans)" if len(slugs) > 10 else "")
    raise GraphLoadError(f"--plan: no plan {wanted!r} in the graph; it has: {shown}")


# The plans a --plan value may name, found through the indexes of the store's default graph.
_CANDIDATE_PLANS = """
SELECT DISTINCT ?plan WHERE {
  VALUES ?name { %s }
  ?plan a <https://w3id.org/policykg/ns#Plan> .
  { ?plan <https://w3id.org/policykg/ns#slug> ?name } UNION { ?plan <http://purl.org/dc/terms/identifier> ?name }
  UNION { ?plan <http://purl.org/dc/terms/title> ?name }
}"""

# PLAN_NAMES_QUERY on the store, whose default graph holds the plans (the union of their graphs)
_PLAN_NAMES_IN_STORE = """
SELECT ?plan ?name WHERE {
  ?plan a <https://w3id.org/policykg/ns#Plan> ;
    <http://purl.org/dc/terms/identifier>|<http://purl.org/dc/terms/title> ?name
}"""


def _plan_in_store(opened, wanted: str) -> str:
    """:func:`choose_plan` on the store: first among the few plans whose slug (an IRI's last
    segment), document number or title is ``wanted``; else among all, as on the files."""
    import pyoxigraph as ox

    store = opened.store
    indexed = set(opened.plans)

    def names_of(plans) -> dict:
        found: dict = {}
        for solution in store.query(_PLAN_NAMES_IN_STORE):
            if solution["plan"].value in (indexed if plans is None else plans):
                found.setdefault(solution["plan"].value, []).append(solution["name"].value)
        return found

    text = wanted.strip().strip("<>")
    values = {text, text.strip("/").rsplit("/", 1)[-1]}
    literals = " ".join(str(ox.Literal(v, **lang)) for v in sorted(values) for lang in ({}, {"language": "zh"}))
    candidates = {s["plan"].value for s in store.query(_CANDIDATE_PLANS % literals)}
    if "://" in text:
        candidates.add(text)
    candidates &= indexed
    if candidates:
        try:
            return choose_plan(candidates, wanted, lambda: names_of(candidates))
        except GraphLoadError:
            pass  # ask again among all the plans, for the message that lists them
    return choose_plan(indexed, wanted, lambda: names_of(None))


def _quad_files(paths) -> list[Path]:
    files = graph_files(paths, quads=True)
    for f in files:
        if not GRAPH_FORMATS[f.suffix][2]:
            raise GraphLoadError(
                f"{f}: --plan needs the graph with one named graph per plan (.trig or .nq, "
                "as policykg build writes)"
            )
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
        except _Cancelled:
            pass  # the caller has gone: what the query made is freed here, in its own thread
        except BaseException as err:  # handed to the caller's thread
            box["error"] = _without_frames(err)

    worker = threading.Thread(target=target, name="policykg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        _cancel(worker)
        raise QueryTimeoutError(timeout)
    if "error" in box:
        raise box["error"]
    return box["result"]


def _without_frames(err: BaseException) -> BaseException:
    """``err`` (and the exceptions it chains) without tracebacks: their frames hold the query's
    pyoxigraph objects, which must be freed in the thread that made them (pyoxigraph prints
    ``RuntimeError: … PyQuerySolutions is unsendable, but is being dropped on another thread``)."""
    seen = set()
    todo = [err]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        e.__traceback__ = None
        todo += [e.__cause__, e.__context__]
    return err


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

    timeout: float | None = DEFAULT_TIMEOUT  # seconds, when run() is not given one

    def run(self, query: str, params: dict[str, str] | None = None, *, trusted: bool = False,
            timeout: float | None | object = ENGINE_TIMEOUT, source: str = "query") -> Result:
        """Run a SPARQL query; ``params`` bind ``$name`` variables to string literals.

        ``trusted=False`` (the default) refuses SERVICE, FROM / FROM NAMED, updates and queries
        too long or too deeply nested before the engine sees the query, runs the canonical text
        the check read (see :mod:`policykg.sparql.safety`) and, where the system allows, runs it
        in a child process bounded in time and memory (:mod:`policykg.sparql.isolation`).
        ``source`` names the query in error messages. At most :attr:`max_rows` rows come back.
        """
        if timeout is ENGINE_TIMEOUT:
            timeout = self.timeout
        if params:
            from .params import bind

            query = bind(query, params)
        if trusted:
            return run_with_time_limit(lambda: self._execute(query, source), timeout)
        from . import isolation
        from .safety import inspect, precheck

        text = precheck(query, source)

        def work() -> Result:  # the parse is slow for some texts: it runs under the limits too
            checked = inspect(text, source)
            return self._execute(checked.text, source, checked.parsed)

        if isolation.available():
            self._prepare_isolated()
            return isolation.run_isolated(work, timeout, self.max_memory, what=source)
        return run_with_time_limit(work, timeout)

    max_rows = 1_000_000  # rows a query may return
    max_memory = DEFAULT_MEMORY  # bytes an untrusted query may add to the process

    def _prepare_isolated(self) -> None:
        """Import before forking what the child would import on every query."""
        import rdflib.plugins.sparql.parser  # noqa: F401 - the safety check's parser

    def _execute(self, query: str, source: str, parsed=None) -> Result:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        """Let go of the graph: the engine answers nothing more."""

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

    def close(self) -> None:
        self.graph = None

    @classmethod
    def from_files(cls, paths, plan: str | None = None) -> "RdflibEngine":
        """The triples of ``paths``; with ``plan``, only that plan's named graph and the
        default graph (the vocabulary)."""
        from rdflib import Dataset, Graph

        graph = Graph()
        if plan is not None:
            ds = Dataset()
            for f in _quad_files(paths):
                try:
                    ds.parse(f, format=GRAPH_FORMATS[f.suffix][1])
                except Exception as err:
                    raise GraphLoadError(f"{f}: cannot read the graph: {err}") from None
            default = ds.default_graph.identifier
            names = [str(g.identifier) for g in ds.graphs() if g.identifier != default]
            names_of: dict = {}
            for row in ds.query(PLAN_NAMES_QUERY):
                names_of.setdefault(str(row[0]), []).append(str(row[1]))
            chosen = choose_plan(names, plan, names_of)
            for s, p, o, g in ds.quads((None, None, None, None)):
                if g is None or g == default or str(g) == chosen:
                    graph.add((s, p, o))
            return cls(graph)
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

    def _prepare_isolated(self) -> None:
        super()._prepare_isolated()
        import rdflib.plugins.sparql.algebra  # noqa: F401
        import rdflib.plugins.sparql.evaluate  # noqa: F401
        import rdflib.plugins.sparql.processor  # noqa: F401

    def _execute(self, query: str, source: str, parsed=None) -> Result:
        from pyparsing import ParseException

        if self.graph is None:
            raise PolicyKGError(f"{source}: the engine was closed")
        try:
            if parsed is not None:  # the very tree the safety check inspected
                import sys

                from rdflib.plugins.sparql.algebra import translateQuery

                sys.setrecursionlimit(max(sys.getrecursionlimit(), 8000))
                res = self.graph.query(translateQuery(parsed))
            else:
                res = self.graph.query(query)
        except ParseException as err:
            from .syntax import syntax_error

            raise syntax_error(query, source, err.lineno, err.col, str(err.msg)) from None
        except Exception as err:
            if not str(err).startswith("Unknown namespace prefix"):  # rdflib says so at translation
                raise
            from .syntax import syntax_error

            raise syntax_error(query, source, message=str(err)) from None
        if res.type == "ASK":
            return Result(columns=[], boolean=bool(res.askAnswer), form="ask")
        if res.type in ("CONSTRUCT", "DESCRIBE"):
            rows = [tuple(_from_rdflib(t) for t in triple) for triple in _capped(res.graph, self.max_rows)]
            rows.sort(key=lambda r: tuple((t.kind, t.value) for t in r))
            return Result(["subject", "predicate", "object"], rows, form=res.type.lower())
        columns = [str(v) for v in res.vars]
        rows = [tuple(_from_rdflib(row[i]) for i in range(len(columns))) for row in _capped(res, self.max_rows)]
        return Result(columns, rows)


def _too_many_rows(limit: int) -> QueryLimitError:
    return QueryLimitError(f"the query gives more than {limit} rows (the limit); make it more selective "
                           "or add LIMIT")


def _capped(items, limit: int):
    for n, item in enumerate(items):
        if n >= limit:
            raise _too_many_rows(limit)
        yield item


class _RowCountingSink:
    """A file-like target for pyoxigraph's TSV writer that stops it after ``limit`` rows."""

    def __init__(self, limit: int):
        self.limit, self.lines, self.chunks = limit, 0, []

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit + 1:  # the header line, then one line per row
            raise _too_many_rows(self.limit)
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass


# --------------------------------------------------------------------------- Oxigraph


def _from_oxigraph(term) -> Term | None:
    """One pyoxigraph term as a :class:`Term` (answers come through :mod:`policykg.sparql.tsv`;
    this serves CONSTRUCT triples, and the answers TSV cannot carry plainly)."""
    if term is None:
        return None
    kind = type(term).__name__  # cheaper than isinstance checks against the pyoxigraph module
    if kind == "NamedNode":
        return Term.uri(term.value)
    if kind == "Literal":
        return Term.literal(term.value, term.datatype.value, term.language)
    if kind == "BlankNode":
        return Term.bnode(term.value)
    return Term.literal(str(term))  # quoted triples


class OxigraphEngine(Engine):
    name = "oxigraph"

    def __init__(self, store=None, default_graph=None, named_graphs=None, opened=None):
        import pyoxigraph as ox

        self.store = store if store is not None else ox.Store()
        self.default_graph = default_graph  # None: the store's default graph
        self.named_graphs = named_graphs  # None: all the store's named graphs
        self.opened = opened  # the on-disk store this engine reads, if it reads one

    @classmethod
    def from_store(cls, paths, plan: str | None = None, notify=None) -> "OxigraphEngine | None":
        """An engine over the build's store beside the graph files ``paths`` when it was loaded
        from those files as they are now; else None, and ``notify(message)`` says why when a
        store is there but does not match, or when the files are big enough to need one."""
        import pyoxigraph as ox

        from ..rdf.store import STORE_DIR, open_store

        files = _quad_files(paths) if plan is not None else graph_files(paths)
        opened, why = open_store(files)
        if opened is None:
            if why is None and sum(f.stat().st_size for f in files) >= NOTE_NO_STORE_FROM:
                folder = files[0].parent
                why = f"{folder}/ has no {STORE_DIR}/ (policykg build writes one)"
            if why and notify:
                notify(f"{why}; reading the graph files instead")
            return None
        if plan is None:  # the default graph holds the union, as the files would give it
            return cls(opened.store, None, [], opened)
        # The plan's graph, read from the TriG where the store's index says it is (milliseconds),
        # with the vocabulary in the default graph: as from the files, with only this plan's graph.
        chosen = _plan_in_store(opened, plan)
        store = ox.Store()
        store.load(opened.plan_graph(chosen), format=ox.RdfFormat.TRIG)
        opened.store = None  # the database is not read again: the plan's graph is in memory
        return cls(store, [ox.NamedNode(chosen), ox.DefaultGraph()], None, opened)

    def close(self) -> None:
        """Let go of the graph: the in-memory store, or the on-disk store (and the build's folder
        it holds in view)."""
        self.store = None
        if self.opened is not None:
            self.opened.close()
            self.opened = None

    @classmethod
    def from_files(cls, paths, plan: str | None = None, *, lenient: bool = False) -> "OxigraphEngine":
        """The triples of ``paths``; with ``plan``, queries see only that plan's named graph
        and the default graph (the vocabulary). ``lenient``: the files are known to be a build's
        own output, so their IRIs and language tags are not checked again (a fifth faster)."""
        import pyoxigraph as ox

        store = ox.Store()
        if plan is not None:
            for f in _quad_files(paths):
                try:
                    store.load(path=str(f), format=getattr(ox.RdfFormat, GRAPH_FORMATS[f.suffix][0]))
                except (SyntaxError, OSError, ValueError) as err:
                    raise GraphLoadError(f"{f}: cannot read the graph: {err}") from None
            names_of: dict = {}
            for solution in store.query(PLAN_NAMES_QUERY):
                names_of.setdefault(solution["plan"].value, []).append(solution["name"].value)
            graphs = (g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
            chosen = choose_plan(graphs, plan, names_of)
            return cls(store, [ox.NamedNode(chosen), ox.DefaultGraph()])
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
                    store.load(path=str(f), format=fmt, lenient=lenient)
            except (SyntaxError, OSError, ValueError) as err:
                raise GraphLoadError(f"{f}: cannot read the graph: {err}") from None
        return cls(store)

    def __len__(self) -> int:
        if self.default_graph is None and self.named_graphs is None:
            return len(self.store)
        count = self._execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "count").rows[0][0]
        return int(count.value)

    def _execute(self, query: str, source: str, parsed=None) -> Result:
        import pyoxigraph as ox

        if self.store is None:
            raise PolicyKGError(f"{source}: the engine was closed")
        dataset = {}
        if self.default_graph is not None:
            dataset["default_graph"] = self.default_graph
        if self.named_graphs is not None:
            dataset["named_graphs"] = self.named_graphs

        def run():
            return self.store.query(query, **dataset)

        try:
            res = run()
            if isinstance(res, ox.QueryBoolean):
                return Result(columns=[], boolean=bool(res), form="ask")
            if isinstance(res, ox.QueryTriples):
                rows = [
                    (_from_oxigraph(t.subject), _from_oxigraph(t.predicate), _from_oxigraph(t.object))
                    for t in _capped(res, self.max_rows)
                ]
                rows.sort(key=lambda r: tuple((t.kind, t.value) for t in r))
                return Result(["subject", "predicate", "object"], rows, form="construct")
            columns = [v.value for v in res.variables]
            try:  # see policykg.tsv_results: faster than reading pyoxigraph's term objects
                if columns:
                    sink = _RowCountingSink(self.max_rows)
                    res.serialize(sink, format=ox.QueryResultsFormat.TSV)
                    rows = parse_tsv(b"".join(sink.chunks), len(columns))
                else:
                    rows = [() for _ in _capped(res, self.max_rows)]
            except TsvFormatError:  # a term TSV does not carry plainly (RDF-star): read objects
                rows = [tuple(map(_from_oxigraph, solution)) for solution in _capped(run(), self.max_rows)]
        except SyntaxError as err:
            from .syntax import syntax_error

            raise syntax_error(query, source, message=str(err)) from None
        except OSError as err:
            raise PolicyKGError(f"{source}: the query failed: {err}") from None
        return Result(columns, rows)


# Graph files from this size (bytes) take a second or more to read: without a store beside
# them, reading them is worth a note. Smaller ones are read in a blink and need none.
NOTE_NO_STORE_FROM = 16 * 1024 ** 2


def note(message: str) -> None:
    """A note on stderr, as the command line gives them."""
    print(f"note: {message}", file=sys.stderr)


def load_engine(paths, engine: str = "oxigraph", plan: str | None = None, *, store: bool = True,
                notify=note, lenient: bool = False) -> Engine:
    """An engine of kind ``engine`` (``oxigraph`` or ``rdflib``) over the graph files ``paths``;
    with ``plan`` (see :func:`choose_plan`), over that plan's named graph alone.

    Oxigraph opens the build's store beside the files when it matches them (``store=False``:
    never); otherwise it reads the files, and ``notify`` is told why when a store would help.
    """
    if engine == "oxigraph":
        if store:
            found = OxigraphEngine.from_store(paths, plan, notify)
            if found is not None:
                return found
        return OxigraphEngine.from_files(paths, plan, lenient=lenient)
    if engine == "rdflib":
        return RdflibEngine.from_files(paths, plan)
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
