"""The build: source files -> parsed plans -> reconciled -> RDF -> validated -> files.

Each plan is parsed, reconciled, mapped to triples and checked against the SHACL shapes on
its own, in worker processes when there are many (one per core) or on a Dask cluster
(:mod:`policykg.rdf.executors`); the parent keeps each plan's Turtle on disk as it comes
(:mod:`policykg.rdf.assemble`) and streams the files from there; the store is bulk-loaded
from the same Turtle in a thread while the plans are built (:mod:`policykg.rdf.loader`).
Triples travel as sorted N-Triples lines, so the output is the same bytes on every run whatever
the number of workers, the executor or the hash seed.
"""

from __future__ import annotations

import hashlib
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
from .assemble import Fragments, Union
from .executors import LocalExecutor
from .export import FORMATS, jsonld, ntriples, output_error, prefix_header, turtle_fragment, write_folder
from .mapping import DEFAULT_NAMESPACE, PREFIXES, PlanInput, concept_triples, header_triples, plan_iri, plan_triples
from .reconcile import Discrepancy, reconcile
from .registry import DEFAULT_REGISTRY_DIR, Registry, Unit, load_registry
from .terms import check_namespace, nt_line, nt_lines
from .turtle import TurtleWriter

GRAPH_NAME = "policykg"  # graph/policykg.ttl, graph/policykg.nt, …
TURTLE_PREFIXES = {k: str(v) for k, v in PREFIXES.items() if k != "rdf"}
TURTLE = TurtleWriter(TURTLE_PREFIXES)  # each plan's Turtle (per process: it keeps the vocabulary's names)


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
    _union: Union | None = field(default=None, repr=False)
    _graph: object = field(default=None, repr=False)

    @property
    def graph(self):
        """The union graph as an rdflib Graph, made when first asked for (slow for a corpus)."""
        if self._graph is None:
            from rdflib import Graph

            from .mapping import bind_prefixes

            graph = Graph()
            bind_prefixes(graph)
            graph.parse(data=self._union.turtle().decode("utf-8"), format="turtle")
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
    names += ([meta.issuer] if meta.issuer else []) + meta.co_issuers
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
            ("goals", sum(len(s.goals) for s in doc.stages) + len(doc.goals)),
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
    shared, own_triples, shared_triples = [], [], []
    for triple, line in sorted(nt_lines(triples).items(), key=lambda item: item[1]):
        if line.startswith(own_prefixes):
            own_triples.append(triple)
        else:
            shared.append(line)
            shared_triples.append(triple)
    outcome = outcome_of(plan, iri, len(own_triples) + len(shared))
    new_units: dict = {}
    for unit in place.resolved_units():
        if not unit.registered:
            new_units.setdefault((unit.jurisdiction, unit.slug), set()).add(unit.name)
    return _PlanPart(outcome, (place.slug, doc.slug), TURTLE.fragment(own_triples),
                     TURTLE.fragment(shared_triples), shared, shared_triples, new_units)


def _built_or_refused(path: Path, registry, namespace, shapes):
    """The plan's part, or the DocumentError refusing it (so a corpus reports every refusal)."""
    try:
        return _build_plans(path, registry, namespace, shapes)
    except DocumentError as err:
        return err


@dataclass
class _Collected:
    """What the parent keeps of the plans: their summaries, their Turtle on disk, the shared nodes."""

    outcomes: list[PlanOutcome]
    failures: list[DocumentError]
    fragments: Fragments
    shared: dict  # triple -> its N-Triples line: what plans say about the nodes they may share, each once
    seen_in: Counter  # shared node -> the number of plans describing it
    unit_names: dict  # (jurisdiction slug, unit slug) -> the names of the unregistered units given that slug
    own_triples: int = 0  # triples under the plans' own IRIs


def _collect(paths, registry, namespace, shapes, executor, progress, fragments: Fragments) -> _Collected:
    """Every document built (or refused) by ``executor``, in order, the plans' Turtle kept in
    ``fragments``; other errors stop the build."""
    got = _Collected([], [], fragments, {}, Counter(), defaultdict(set))
    origin: dict[tuple[str, str], str] = {}
    results = executor.map(_built_or_refused, paths, (registry, namespace, shapes))
    for file_parts in (progress(results, len(paths)) if progress else results):
        if isinstance(file_parts, DocumentError):
            got.failures.append(file_parts)
            continue
        for part in file_parts:  # a file may hold two documents
            if part.key in origin:
                raise DocumentError(
                    part.outcome.path, None,
                    f"would be written as the same plan ({part.key[0]}/{part.key[1]}) as {origin[part.key]}; "
                    "rename one file",
                )
            origin[part.key] = part.outcome.path
            got.outcomes.append(part.outcome)
            got.fragments.add(part.outcome.iri, part.own, part.shared_turtle)
            got.own_triples += part.outcome.triples - len(part.shared)
            got.seen_in.update({t[0] for t in part.shared_triples})
            for triple, line in zip(part.shared_triples, part.shared):
                got.shared.setdefault(triple, line)
            for key, names in part.new_units.items():
                got.unit_names[key] |= names
    return got


def merged_units(names: dict[tuple[str, str], set[str]]) -> dict[str, set[str]]:
    """``{jurisdiction slug: unit slugs}`` that units of different names (not spellings of one
    name, which the registry's resolution already joined) were given, in any of the plans;
    ``names`` maps (jurisdiction slug, unit slug) to the names given it."""
    merged: dict[str, set[str]] = defaultdict(set)
    for (jurisdiction, slug), found in sorted(names.items()):
        if len(found) > 1:
            merged[jurisdiction].add(slug)
    return dict(merged)


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
    executor=None,
) -> BuildResult:
    """Build the graph of ``sources`` and, unless ``out`` is None, write it there.

    Nothing is written unless every document parses and the graph conforms to the shapes; every
    document refused is reported (DocumentsError). With ``keep_going``, the graph of the readable
    documents is built and written, and ``failures`` lists the others.
    ``progress(iterable, total)`` wraps the per-plan loop (a progress bar); ``workers`` is
    the number of processes (default: one per core available); ``executor`` runs the
    per-document work elsewhere instead (:mod:`policykg.rdf.executors`, e.g. a
    ``DaskExecutor``): the outputs are the same bytes. With ``store``, an Oxigraph
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
    executor = executor or LocalExecutor(workers)
    spool_dir = _existing_folder_near(out)
    described = header_triples(namespace)
    header = prefix_header(TURTLE_PREFIXES)
    vocabulary = turtle_fragment(sorted({nt_line(t) for t in described + concept_triples()}), TURTLE_PREFIXES)
    loading = None  # the store, loaded while the plans are built (policykg.rdf.loader)

    def start(fragments: Fragments) -> Fragments:
        nonlocal loading
        if out is not None and store:
            from .loader import StoreLoader

            try:
                loading = StoreLoader(out, header + vocabulary, spool_dir)
            except OSError as err:  # no folder can be made there: the outputs could not be written either
                raise output_error(Path(out), err) from None
            loading.follow(fragments)
        return fragments

    try:
        got = _collect(paths, registry, namespace, shapes, executor, progress, start(Fragments(spool_dir)))
        if got.failures and (not keep_going or not got.outcomes):
            raise got.failures[0] if len(got.failures) == 1 else DocumentsError(got.failures, len(paths))
        merged = merged_units(got.unit_names)
        if merged:  # distinct names that share a slug: give each its own, and build again
            for jurisdiction, slugs in merged.items():
                registry.mark_ambiguous(jurisdiction, slugs)
            if loading is not None:
                loading.abort()
            got.fragments.close()
            lap("plans-first-pass")
            got = _collect(paths, registry, namespace, shapes, executor, progress, start(Fragments(spool_dir)))
        got.fragments.stop_following()  # every plan is in: the loader takes the rest while the files are written
        lap("plans")

        # Nodes that several plans describe (a county's units, the county) are checked again on
        # the union of what the plans say about them.
        if shapes is not None:
            shared_nodes = {node for node, n in got.seen_in.items() if n > 1}
            if shared_nodes:
                shapes.check(list(got.shared) + concept_triples(), focus=shared_nodes,
                             where="the union of the plans' graphs")
        lap("shared-check")

        union = Union(header=header, vocabulary=vocabulary, fragments=got.fragments,
                      shared=turtle_fragment(sorted(got.shared.values()), TURTLE_PREFIXES))
        if loading is not None:  # the store's last load and its compaction, while the files are written
            loading.start_finishing(union.shared)
        triples = len(described) + len(concept_triples()) + got.own_triples + len(got.shared)
        result = BuildResult(got.outcomes, triples, failures=got.failures, timings=timings, _union=union)
        lap("merge")
        if out is not None:
            result.files = write_folder(Path(out), _timed(_outputs(union, formats, loading, result), timings))
            lap("write")
    finally:
        if loading is not None:
            loading.abort()  # the store was moved into the outputs, or is not wanted
    return result


def _outputs(union: Union, formats: tuple[str, ...], loading, result: BuildResult) -> dict:
    """``name: writer`` for :func:`~policykg.rdf.export.write_folder`: the graph files, streamed
    from the fragments on disk, then the store ``loading`` (a StoreLoader, or None) has loaded."""
    from .store import TrigIndex

    contents: dict = {}
    digests: dict[str, str] = {}  # graph file -> SHA-256, for the store's manifest
    trig_index = None  # where the TriG holds each plan's graph, for the store
    for fmt in formats:
        name = f"{GRAPH_NAME}{FORMATS[fmt]}"
        if fmt == "turtle":
            contents[name] = _streamed(union.turtle_pieces, digests, name)
        elif fmt == "trig":
            trig_index = TrigIndex(name)
            contents[name] = _streamed(_indexing(union.trig_graphs, trig_index), digests, name)
        elif fmt == "nt":
            contents[name] = _streamed(lambda: [ntriples(union.turtle())], digests, name)
        else:  # not in the store's manifest
            contents[name] = lambda target: Path(target).write_bytes(jsonld(result.graph))
    if loading is not None:  # after the files: the manifest records them as written
        from .store import STORE_DIR, write_store

        contents[STORE_DIR] = lambda target: write_store(target, loading.finish(), digests, trig_index)
    return contents


def _indexing(graphs, index):
    """The pieces of ``graphs()`` (``(plan IRI or None, bytes)``), noting in the TrigIndex
    ``index`` where each plan's graph begins and how long it is."""
    def pieces():
        offset = 0
        for iri, piece in graphs():
            if iri is None:
                index.prelude = offset + len(piece)
            else:
                index.plans[iri] = (offset, len(piece))
            offset += len(piece)
            yield piece
    return pieces


def _timed(contents: dict, timings: dict) -> dict:
    """``contents`` with each writer noting its seconds in ``timings`` (``write:NAME``), and the
    CPU seconds of this process's threads meanwhile (``cpu:write:NAME``: the store's loader)."""
    def timed(name, write):
        def run(target) -> None:
            start, cpu = time.perf_counter(), time.process_time()
            write(target)
            timings[f"write:{name}"] = round(time.perf_counter() - start, 3)
            timings[f"cpu:write:{name}"] = round(time.process_time() - cpu, 3)
        return run
    return {name: timed(name, write) for name, write in contents.items()}


def _streamed(pieces, digests: dict, name: str):
    """A writer of the file ``name`` from ``pieces()``, noting its SHA-256 in ``digests``."""
    def write(target) -> None:
        digest = hashlib.sha256()
        with open(target, "wb") as handle:
            for piece in pieces():
                handle.write(piece)
                digest.update(piece)
        digests[name] = digest.hexdigest()
    return write


def _existing_folder_near(out) -> Path | None:
    """The folder the plans' fragments are kept in while building: beside the outputs (on their
    disk, not a memory-backed /tmp), or the system's temporary folder when nothing is written."""
    if out is None:
        return None
    folder = Path(os.path.abspath(out)).parent
    while not folder.is_dir():
        folder = folder.parent
    return folder
