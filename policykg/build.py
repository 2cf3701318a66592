"""The build: source files -> parsed plans -> reconciled -> RDF -> validated -> files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import DocumentError, PolicyKGError
from .export import FORMATS, serialize, write_atomically
from .mapping import DEFAULT_NAMESPACE, PlanInput, to_dataset, to_graph
from .parse import parse_plan
from .reconcile import reconcile
from .registry import DEFAULT_REGISTRY_DIR, Unit, load_registry

GRAPH_NAME = "policykg"  # graph/policykg.ttl, graph/policykg.nt, …


@dataclass
class BuildResult:
    plans: list[PlanInput]
    graph: object  # rdflib.Graph
    files: list[Path] = field(default_factory=list)

    def unregistered_units(self) -> list[Unit]:
        seen: dict[tuple[str, str], Unit] = {}
        for plan in self.plans:
            doc, place = plan.document, plan.jurisdiction
            names = [u.name for pt in doc.pilot_tasks for u in pt.lead_units]
            names += [u.name for m in doc.measures() for u in m.units]
            names += [u.name for row in doc.annex for u in (*row.lead_units, *row.units)]
            names += [b.name for s in doc.safeguards for b in s.bodies]
            names += [doc.metadata.issuer] if doc.metadata.issuer else []
            for name in names:
                unit = place.resolve(name)
                if not unit.registered:
                    seen.setdefault((unit.jurisdiction, unit.slug), unit)
        return [seen[key] for key in sorted(seen)]


def collect_sources(paths: list[str | Path]) -> list[Path]:
    """The ``.txt`` files named by ``paths`` (files, or folders searched for ``*.txt``)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.txt") if p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise DocumentError(str(path), None, "no such file or folder")
    if not files:
        raise PolicyKGError(f"no source documents (*.txt) in {', '.join(map(str, paths))}")
    return files


def build(
    sources: list[str | Path],
    out: str | Path | None = "graph",
    formats: tuple[str, ...] = ("turtle", "trig"),
    namespace: str = DEFAULT_NAMESPACE,
    registry_dir: str | Path = DEFAULT_REGISTRY_DIR,
    validate: bool = True,
    progress=None,
) -> BuildResult:
    """Build the graph of ``sources`` and, unless ``out`` is None, write it there.

    Nothing is written unless every document parses and the graph conforms to the shapes.
    """
    for fmt in formats:
        if fmt not in FORMATS:
            raise PolicyKGError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    registry = load_registry(registry_dir)
    plans: list[PlanInput] = []
    origin: dict[tuple[str, str], str] = {}
    paths = collect_sources(sources)
    for path in (progress(paths) if progress else paths):
        doc = parse_plan(path)
        if not doc.metadata.title:  # the graph names every plan (shapes.ttl: dcterms:title)
            raise DocumentError(
                str(path), None,
                "no plan title found: no line ending in 方案, 计划, 要点, 意见 or 办法 before the first "
                "section, and no 《title》 in a notice title",
            )
        place = registry.for_name(doc.metadata.jurisdiction)
        if doc.metadata.jurisdiction is None:
            # No issuer to read it from: a registered jurisdiction the title names.
            place = registry.named_in(doc.metadata.title) or place
        key = (place.slug, doc.slug)
        if key in origin:
            raise DocumentError(
                str(path), None,
                f"would be written as the same plan ({place.slug}/{doc.slug}) as {origin[key]}; rename one file",
            )
        origin[key] = str(path)
        plans.append(PlanInput(doc, place, reconcile(doc, place.resolve)))
    graph = to_graph(plans, namespace)
    if validate:
        from .validate import check

        check(graph)
    result = BuildResult(plans, graph)
    if out is not None:
        out = Path(out)
        dataset = to_dataset(plans, namespace) if "trig" in formats else None
        contents = {
            out / f"{GRAPH_NAME}{FORMATS[fmt][0]}": serialize(dataset if fmt == "trig" else graph, fmt)
            for fmt in formats
        }
        write_atomically(contents)
        result.files = sorted(contents)
    return result
