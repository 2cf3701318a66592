"""The build: source files -> parsed plans -> reconciled -> RDF -> validated -> files.

Each plan is parsed, reconciled, mapped to triples and checked against the SHACL shapes on
its own, in worker processes when there are many (one per core); the parent merges the plans'
graphs and writes them with pyoxigraph. Triples travel as sorted N-Triples lines, so the
output is the same bytes on every run whatever the number of workers or the hash seed.
"""

from __future__ import annotations

import os
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import DocumentError, DocumentsError, PolicyKGError
from ..published import SUFFIXES, is_document, read_document
from ..text.gaps import Passage, unread
from ..text.parse import parse_documents
from .export import FORMATS, jsonld, named_graph, ntriples, prefix_header, turtle_fragment, write_folder
from .mapping import DEFAULT_NAMESPACE, PREFIXES, PlanInput, concept_triples, header_triples, plan_iri, plan_triples
from .reconcile import Discrepancy, reconcile
from .registry import DEFAULT_REGISTRY_DIR, Registry, Unit, load_registry
from .terms import check_namespace, nt_line

GRAPH_NAME = "policykg"  # graph/policykg.ttl, graph/policykg.nt, …
PARALLEL_FROM = 8  # documents; fewer are built in this process
CHUNK = 4  # documents a worker takes at a time
TURTLE_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "rdf"}


@dataclass
class UnitLoad:
    unit: Unit
    measures: int  # body measures naming it


@dataclass
class PlanOutcome:
    """What the build keeps of one plan for its summary (not the parsed document)."""

    path: str
    iri: str
    slug: str
    title: str | None
    doc_number: str | None
    issuer: str | None
    issued: date | None
    jurisdiction: str  # name
    jurisdiction_slug: str
    counts: list[tuple[str, int]]
    units: list[UnitLoad]
    discrepancies: list[Discrepancy]
    unregistered: list[Unit]
    triples: int
    assignment_like: int = 0  # bracketed passages naming a role (牵头, 负责, 责任单位, …)
    unread: list[Passage] = field(default_factory=list)  # those in which the reader found no unit


@dataclass
class _PlanPart:
    """One plan's graph as the workers hand it to the parent."""

    outcome: PlanOutcome
    key: tuple[str, str]
    own: bytes  # Turtle of the triples whose subject is the plan or under its IRI
    shared_turtle: bytes  # Turtle of the rest: nodes plans may share (units, the jurisdiction)
    shared: list[str]  # the same as sorted N-Triples lines, for the union
    shared_triples: list  # and as triples, for the cross-plan shape check
    # (jurisdiction slug, unit slug) -> the names of the unregistered units given that slug
    new_units: dict = field(default_factory=dict)


@dataclass
class BuildResult:
    plans: list[PlanOutcome]
    triples: int = 0
    files: list[Path] = field(default_factory=list)
    failures: list[DocumentError] = field(default_factory=list)  # documents left out (keep_going)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    _turtle: list[bytes] = field(default_factory=list, repr=False)  # the union's Turtle, in pieces
    _graph: object = field(default=None, repr=False)

    @property
    def graph(self):
        """The union graph as an rdflib Graph, made when first asked for (slow for a corpus)."""
        if self._graph is None:
            from rdflib import Graph

            from .mapping import bind_prefixes

            graph = Graph()
            bind_prefixes(graph)
            graph.parse(data=b"".join(self._turtle).decode("utf-8"), format="turtle")
            self._graph = graph
        return self._graph

    def unregistered_units(self) -> list[Unit]:
        seen: dict[tuple[str, str], Unit] = {}
        for plan in self.plans:
            for unit in plan.unregistered:
                seen.setdefault((unit.jurisdiction, unit.slug), unit)
        return [seen[key] for key in sorted(seen)]


def collect_sources(paths: list[str | Path]) -> list[Path]:
    """The documents named by ``paths``: files, or folders searched for every suffix policykg reads
    (``.txt``, ``.md``, ``.html``, ``.htm``, ``.docx``, ``.pdf``; not a folder's README.md or SOURCES.md)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if is_document(p) and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise DocumentError(str(path), None, "no such file or folder")
    if not files:
        raise PolicyKGError(f"no source documents ({', '.join(SUFFIXES)}) in {', '.join(map(str, paths))}")
    return files


def outcome_of(plan: PlanInput, iri: str, triples: int) -> PlanOutcome:
    doc, place = plan.document, plan.jurisdiction
    meta = doc.metadata
    load: Counter = Counter()
    units: dict[str, Unit] = {}
    for m in doc.measures():
        for u in m.units:
            unit = place.resolve(u.name)
            units.setdefault(unit.slug, unit)
        for slug in {place.resolve(u.name).slug for u in m.units}:
            load[slug] += 1
    tasks = [*doc.tasks, *doc.pilot_tasks]
    for pt in tasks:
        for u in (*pt.lead_units, *pt.responsible_units):
            unit = place.resolve(u.name)
            units.setdefault(unit.slug, unit)
    names = [u.name for pt in tasks for u in (*pt.lead_units, *pt.responsible_units)]
    names += [u.name for m in doc.measures() for u in m.units]
    names += [u.name for row in doc.annex for u in (*row.lead_units, *row.units)]
    names += [b.name for s in doc.safeguards for b in s.bodies]
    names += [meta.issuer] if meta.issuer else []
    unregistered = {}
    for name in names:
        unit = place.resolve(name)
        if not unit.registered:
            unregistered.setdefault(unit.slug, unit)
    assignment_like, missed = unread(doc)
    return PlanOutcome(
        path=str(doc.path), iri=iri, slug=doc.slug, title=meta.title, doc_number=meta.doc_number,
        issuer=meta.issuer, issued=meta.issued, jurisdiction=place.name, jurisdiction_slug=place.slug,
        counts=[
            ("principles", len(doc.principles)),
            ("stages", len(doc.stages)),
            ("goals", sum(len(s.goals) for s in doc.stages)),
            ("pilot tasks", len(doc.pilot_tasks)),
            ("work tasks", len(doc.work_tasks())),
            ("measures", len(doc.measures())),
            ("safeguards", len(doc.safeguards)),
            ("annex rows", len(doc.annex)),
            ("discrepancies", len(plan.reconciliation.discrepancies)),
        ],
        units=[UnitLoad(units[s], load[s]) for s in sorted(units, key=lambda s: (-load[s], units[s].name))],
        discrepancies=plan.reconciliation.discrepancies,
        unregistered=[unregistered[s] for s in sorted(unregistered)],
        triples=triples,
        assignment_like=assignment_like,
        unread=missed,
    )


def require_title(doc) -> None:
    """The graph names every plan (shapes.ttl: dcterms:title): a plan without one is refused."""
    if not doc.metadata.title:
        raise DocumentError(
            doc.path, None,
            "no plan title found: no line ending in 方案, 计划, 要点, 意见, 办法, 措施, 细则 or 分工 before the first "
            "section, no 《title》 in a notice title and no 关于… title in the text",
        )


def _build_plans(path: Path, registry: Registry, namespace: str, shapes) -> list[_PlanPart]:
    """Parse, reconcile, map and check the plans of one file (two when a notice 印发 two)."""
    docs = parse_documents(read_document(path))
    for doc in docs:
        require_title(doc)
    return [_build_plan(doc, path, registry, namespace, shapes) for doc in docs]


def _build_plan(doc, path: Path, registry: Registry, namespace: str, shapes) -> _PlanPart:
    """Reconcile, map and check one plan."""
    place = registry.for_name(doc.metadata.jurisdiction)
    if doc.metadata.jurisdiction is None:
        # No issuer to read it from: a registered jurisdiction the title names.
        place = registry.named_in(doc.metadata.title) or place
    plan = PlanInput(doc, place, reconcile(doc, place.resolve))
    iri = plan_iri(plan, namespace)
    triples = plan_triples(plan, namespace)
    if shapes is not None:
        shapes.check(triples + concept_triples(), where=str(path))
    own_prefixes = (f"<{iri}>", f"<{iri}/")
    own, shared = [], []
    shared_triples = []
    for triple, line in sorted({t: nt_line(t) for t in triples}.items(), key=lambda item: item[1]):
        if line.startswith(own_prefixes):
            own.append(line)
        else:
            shared.append(line)
            shared_triples.append(triple)
    outcome = outcome_of(plan, iri, len(own) + len(shared))
    new_units: dict = {}
    for unit in place.resolved_units():
        if not unit.registered:
            new_units.setdefault((unit.jurisdiction, unit.slug), set()).add(unit.name)
    return _PlanPart(outcome, (place.slug, doc.slug), turtle_fragment(own, TURTLE_PREFIXES),
                     turtle_fragment(shared, TURTLE_PREFIXES), shared, shared_triples, new_units)


# Worker processes get the registry and shapes once, when they start (fork).
_WORKER: dict = {}


def _worker_init(registry, namespace, shapes) -> None:
    _WORKER.update(registry=registry, namespace=namespace, shapes=shapes)


def _worker_build(path: Path):
    return _built_or_refused(path, _WORKER["registry"], _WORKER["namespace"], _WORKER["shapes"])


def _built_or_refused(path: Path, registry, namespace, shapes):
    """The plan's part, or the DocumentError refusing it (so a corpus reports every refusal)."""
    try:
        return _build_plans(path, registry, namespace, shapes)
    except DocumentError as err:
        return err


def _plan_parts(paths: list[Path], registry, namespace, shapes, workers: int, progress):
    """Each document's part or refusal, in order; other errors stop the build."""
    workers = min(workers, -(-len(paths) // CHUNK))  # a process with nothing to do is not started
    if workers <= 1 or len(paths) < PARALLEL_FROM:
        results = (_built_or_refused(p, registry, namespace, shapes) for p in paths)
        yield from (progress(results, len(paths)) if progress else results)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(workers, initializer=_worker_init, initargs=(registry, namespace, shapes)) as pool:
        results = pool.imap(_worker_build, paths, chunksize=CHUNK)  # in order: deterministic
        for part in (progress(results, len(paths)) if progress else results):
            if isinstance(part, BaseException) and not isinstance(part, DocumentError):
                pool.terminate()
                raise part
            yield part


def _all_parts(paths, registry, namespace, shapes, workers, progress):
    """``(parts, refusals)``: each document's part, or the error that refused it."""
    parts: list[_PlanPart] = []
    failures: list[DocumentError] = []
    origin: dict[tuple[str, str], str] = {}
    for file_parts in _plan_parts(paths, registry, namespace, shapes, workers, progress):
        if isinstance(file_parts, DocumentError):
            failures.append(file_parts)
            continue
        for part in file_parts:  # a file may hold two documents
            if part.key in origin:
                raise DocumentError(
                    part.outcome.path, None,
                    f"would be written as the same plan ({part.key[0]}/{part.key[1]}) as {origin[part.key]}; "
                    "rename one file",
                )
            origin[part.key] = part.outcome.path
            parts.append(part)
    return parts, failures


def merged_units(parts: list[_PlanPart]) -> dict[str, set[str]]:
    """``{jurisdiction slug: unit slugs}`` that units of different names (not spellings of one
    name, which the registry's resolution already joined) were given, in any of the plans."""
    names: dict[tuple[str, str], set[str]] = defaultdict(set)
    for part in parts:
        for key, found in part.new_units.items():
            names[key] |= found
    merged: dict[str, set[str]] = defaultdict(set)
    for (jurisdiction, slug), found in sorted(names.items()):
        if len(found) > 1:
            merged[jurisdiction].add(slug)
    return dict(merged)


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build(
    sources: list[str | Path],
    out: str | Path | None = "graph",
    formats: tuple[str, ...] = ("turtle", "trig"),
    namespace: str = DEFAULT_NAMESPACE,
    registry_dir: str | Path = DEFAULT_REGISTRY_DIR,
    validate: bool = True,
    progress=None,
    workers: int | None = None,
    keep_going: bool = False,
    store: bool = True,
) -> BuildResult:
    """Build the graph of ``sources`` and, unless ``out`` is None, write it there.

    Nothing is written unless every document parses and the graph conforms to the shapes; every
    document refused is reported (DocumentsError). With ``keep_going``, the graph of the readable
    documents is built and written, and ``failures`` lists the others.
    ``progress(iterable, total)`` wraps the per-plan loop (a progress bar); ``workers`` is
    the number of processes (default: one per core available). With ``store``, an Oxigraph
    store of the graph is written too, in ``store/`` (see :mod:`policykg.rdf.store`).
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise PolicyKGError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    check_namespace(namespace)
    clock = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    registry = load_registry(registry_dir)
    paths = collect_sources(sources)
    shapes = None
    if validate:
        from .shapes import Shapes

        shapes = Shapes.load()
    parts, failures = _all_parts(paths, registry, namespace, shapes, workers or default_workers(), progress)
    if failures and (not keep_going or not parts):
        raise failures[0] if len(failures) == 1 else DocumentsError(failures, len(paths))
    merged = merged_units(parts)
    if merged:  # distinct names that share a slug: give each its own, and build again
        for jurisdiction, slugs in merged.items():
            registry.mark_ambiguous(jurisdiction, slugs)
        parts, failures = _all_parts(paths, registry, namespace, shapes, workers or default_workers(), progress)
    lap("plans")

    # Nodes that several plans describe (a county's units, the county) are checked again on
    # the union of what the plans say about them.
    seen_in: Counter = Counter()
    for part in parts:
        seen_in.update({t[0] for t in part.shared_triples})
    if shapes is not None:
        shared_nodes = {node for node, n in seen_in.items() if n > 1}
        if shared_nodes:
            union = [t for part in parts for t in part.shared_triples] + concept_triples()
            shapes.check(union, focus=shared_nodes, where="the union of the plans' graphs")
    lap("shared-check")

    header = prefix_header(TURTLE_PREFIXES)
    described = header_triples(namespace)
    concepts = turtle_fragment(sorted({nt_line(t) for t in described + concept_triples()}), TURTLE_PREFIXES)
    shared_lines = sorted({line for part in parts for line in part.shared})
    ordered = sorted(parts, key=lambda part: part.outcome.iri)
    union = [header, concepts] + [part.own for part in ordered] + [turtle_fragment(shared_lines, TURTLE_PREFIXES)]
    triples = len(described) + len(concept_triples()) + sum(p.outcome.triples - len(p.shared) for p in parts) + len(shared_lines)
    result = BuildResult([part.outcome for part in parts], triples, failures=failures, timings=timings,
                         _turtle=union)
    lap("merge")
    if out is not None:
        out = Path(out)
        contents: dict = {}
        turtle = b"".join(union)
        trig = b"".join([header, concepts] + [
            named_graph(part.outcome.iri, [part.own, part.shared_turtle]) for part in ordered])
        for fmt in formats:
            path = f"{GRAPH_NAME}{FORMATS[fmt]}"
            if fmt == "turtle":
                contents[path] = turtle
            elif fmt == "trig":
                contents[path] = trig
            elif fmt == "nt":
                contents[path] = ntriples(turtle)
            else:
                contents[path] = jsonld(result.graph)
            lap(fmt)
        if store:  # after the files: the manifest records them as written
            from .store import STORE_DIR, write_store

            graph_files = {name: data for name, data in contents.items()
                           if not name.endswith(FORMATS["jsonld"])}
            contents[STORE_DIR] = lambda target: write_store(target, turtle, trig, header + concepts, graph_files)
        result.files = write_folder(out, contents)
        lap("write")
    return result
