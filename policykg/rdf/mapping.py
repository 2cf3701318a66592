"""Mapping the document model to RDF under the policykg ontology.

Knows the model and the ontology, nothing of text. IRIs are readable ASCII paths under one
configurable namespace, scoped by jurisdiction and document, and the same on every build:

    <ns>jurisdiction/gaoqing
    <ns>unit/gaoqing/public-security-bureau
    <ns>plan/gaoqing/<document slug>/pilot-task/1, …/work-task/4, …/measure/4.2, …/stage/1/goal/2
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..published.text import origin_of
from ..resources import ONTOLOGY_FILE
from ..text.model import ANNEX, BODY, PlanDocument, Span, UnitMention
from ..vocab import DCTERMS, ONTOLOGY_IRI, ORG, OWL, PKG, PREFIXES, PROV, RDF, RDFS, SKOS, TIME, XSD
from .reconcile import Reconciliation
from .registry import Jurisdiction, Unit
from .terms import Lit, Triple, en, lit, to_rdflib, zh

DEFAULT_NAMESPACE = "https://w3id.org/policykg/id/"

PARTS = {BODY: PKG.body, ANNEX: PKG.annex}
MEMBER_UNITS = re.compile(r"^(.{2,}?)(?:其他|其余|各)?成员单位$")
ROLES = {"lead": PKG.lead, "responsible": PKG.responsible}
KINDS = {
    "lead-units": PKG.leadUnits, "responsible-units": PKG.responsibleUnits,
    "work-task": PKG.workTaskPlacement, "unit-name": PKG.unitNameVariant,
    "title-text": PKG.titleWording, "measure-text": PKG.measureWording,
    "unmatched": PKG.unmatchedEntry,
}
CONCEPT_SCHEMES = (PKG.DocumentParts, PKG.Roles, PKG.DiscrepancyKinds, PKG.UnitTypes)


@dataclass
class PlanInput:
    """One parsed plan with what the later stages worked out about it."""

    document: PlanDocument
    jurisdiction: Jurisdiction
    reconciliation: Reconciliation


def bind_prefixes(graph) -> None:
    """Bind the policykg prefixes on an rdflib Graph or Dataset."""
    for prefix, namespace in PREFIXES.items():
        if prefix not in ("rdf", "rdfs"):
            graph.bind(prefix, str(namespace), override=True, replace=True)


def plan_iri(plan: PlanInput, namespace: str = DEFAULT_NAMESPACE) -> str:
    return f"{namespace}plan/{plan.jurisdiction.slug}/{plan.document.slug}"


def plan_triples(plan: PlanInput, namespace: str = DEFAULT_NAMESPACE) -> list[Triple]:
    """The triples of one plan's named graph: the plan, its parts and the units it names.

    May hold a triple more than once (a unit named twice); IRIs are ``str``, literals
    :class:`~policykg.terms.Lit`.
    """
    mapper = _PlanMapper(plan, namespace)
    mapper.map()
    return mapper.triples


_CONCEPTS: list[Triple] | None = None


def _years(start: int, end: int | None) -> str:
    """A stage's years as its label writes them: 2020—2022年, 2024年, 2026年起 (no end)."""
    if end is None:
        return f"{start}年起"
    return f"{start}年" if end == start else f"{start}—{end}年"


def concept_triples() -> list[Triple]:
    """The controlled values the data uses (from the ontology), so the graph is usable without it."""
    global _CONCEPTS  # a cache of a constant read from a file, not state
    if _CONCEPTS is None:
        import pyoxigraph as ox

        from .terms import Lit as _Lit

        def term(t):
            if isinstance(t, ox.Literal):
                dt = t.datatype.value
                return _Lit(t.value, None if dt.endswith(("#string", "#langString")) else dt, t.language)
            return t.value

        wanted = (RDF.type, SKOS.inScheme, SKOS.notation, SKOS.prefLabel, RDFS.label, SKOS.broader)
        store = ox.Store()
        store.load(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
        triples = []
        for scheme in CONCEPT_SCHEMES:
            for q in store.quads_for_pattern(None, ox.NamedNode(SKOS.inScheme), ox.NamedNode(scheme)):
                for p in wanted:
                    for o in store.quads_for_pattern(q.subject, ox.NamedNode(p), None):
                        triples.append((q.subject.value, p, term(o.object)))
        _CONCEPTS = sorted(set(triples))
    return list(_CONCEPTS)


def _rdflib_graph(graph, triples) -> None:
    add = graph.add
    for s, p, o in triples:
        add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))


def header_triples(namespace: str = DEFAULT_NAMESPACE) -> list[Triple]:
    """The graph file's own description: an ``owl:Ontology`` that imports the policykg ontology,
    so OWL tools (Protégé) open the data with the vocabulary's declarations."""
    graph = dataset_iri(namespace)
    return [
        (graph, RDF.type, OWL.Ontology),
        (graph, OWL.imports, ONTOLOGY_IRI),
        (graph, RDFS.label, en("policykg knowledge graph of implementation plans")),
        (graph, RDFS.label, zh("政策实施方案知识图谱")),
    ]


def dataset_iri(namespace: str = DEFAULT_NAMESPACE) -> str:
    """The IRI of the graph as a whole: the data namespace without its last separator."""
    return namespace[:-1] if namespace.endswith(("/", "#")) else namespace


def to_graph(plans: list[PlanInput], namespace: str = DEFAULT_NAMESPACE):
    """The union graph of ``plans`` and the controlled values they use, as an rdflib Graph
    (for small corpora: the build itself does not need rdflib)."""
    from rdflib import Graph

    graph = Graph()
    bind_prefixes(graph)
    _rdflib_graph(graph, header_triples(namespace))
    _rdflib_graph(graph, concept_triples())
    for plan in plans:
        _rdflib_graph(graph, plan_triples(plan, namespace))
    return graph


class _PlanMapper:
    def __init__(self, plan: PlanInput, namespace: str):
        self.triples: list[Triple] = []
        self.doc = plan.document
        self.place = plan.jurisdiction
        self.rec = plan.reconciliation
        self.ns = namespace
        self.plan = plan_iri(plan, namespace)
        self.units: dict[str, Unit] = {}
        self.spellings: dict[str, set[str]] = {}
        self.claims: set[str] = set()  # assignment nodes made

    # --- IRIs ----------------------------------------------------------------------------
    def iri(self, *path) -> str:
        return "/".join([self.plan, *map(str, path)])

    def jurisdiction_iri(self) -> str:
        return f"{self.ns}jurisdiction/{self.place.slug}"

    def unit_iri(self, unit: Unit) -> str:
        return f"{self.ns}unit/{unit.jurisdiction}/{unit.slug}"

    # --- helpers -------------------------------------------------------------------------
    def add(self, s: str, p: str, o) -> None:
        if o is not None and o != "":
            self.triples.append((s, p, o if isinstance(o, (str, Lit)) else lit(o)))

    def span(self, subject: str, span: Span) -> None:
        node = str(f"{subject}/span")
        self.add(subject, PKG.sourceSpan, node)
        self.add(node, RDF.type, PKG.SourceSpan)
        self.add(node, PKG.inDocument, self.plan)
        self.add(node, PKG.fromPart, PARTS[span.part])
        self.add(node, PKG.startOffset, lit(span.start))
        self.add(node, PKG.endOffset, lit(span.end))
        self.add(node, PKG.line, lit(span.line))
        self.add(node, PKG.endLine, lit(span.end_line))
        where = origin_of(self.doc.source, span.start, span.end) if self.doc.source is not None else None
        self.add(node, PKG.originalLocation, lit(where) if where else None)

    def unit(self, name: str) -> str:
        unit = self.place.resolve(name)
        self.units[unit.slug] = unit
        self.spellings.setdefault(unit.slug, set()).add(name)
        return self.unit_iri(unit)

    def assignment(self, owner: str, role: str, source: str, mention: UnitMention,
                   entry: str | None = None, inherited: str | None = None) -> str:
        unit = self.unit(mention.name)
        for alias in mention.aliases:  # 区委宣传部（区文明办、区政府新闻办）: its other names
            self.add(unit, SKOS.altLabel, zh(alias))
        node = self.iri_under(owner, "assignment", source, self.place.resolve(mention.name).slug)
        if node in self.claims:  # one unit named twice for one task in one part: its first mention
            return unit
        self.claims.add(node)
        self.add(owner, PKG.qualifiedAssignment, node)
        self.add(node, RDF.type, PKG.Assignment)
        self.add(node, PKG.assignedUnit, unit)
        self.add(node, PKG.role, ROLES[role])
        self.add(node, PKG.fromPart, PARTS[mention.span.part])
        self.add(node, PKG.statedName, zh(mention.name))
        if entry is not None:
            self.add(node, PROV.wasDerivedFrom, entry)
        self.add(node, PKG.inheritedFrom, inherited)
        self.span(node, mention.span)
        return unit

    @staticmethod
    def iri_under(owner: str, *path) -> str:
        return str("/".join([str(owner), *map(str, path)]))

    # --- the plan ------------------------------------------------------------------------
    def map(self) -> None:
        doc, meta, plan = self.doc, self.doc.metadata, self.plan
        place = self.jurisdiction_iri()
        self.add(place, RDF.type, DCTERMS.Jurisdiction)
        self.add(place, SKOS.prefLabel, zh(self.place.name) if self.place.name else None)
        self.add(place, RDFS.label, en(self.place.english) if self.place.english else None)
        self.add(place, PKG.slug, lit(self.place.slug))

        for cls in (PKG.Plan, PROV.Plan):
            self.add(plan, RDF.type, cls)
        self.add(plan, DCTERMS.title, zh(meta.title) if meta.title else None)
        self.add(plan, DCTERMS.identifier, zh(meta.doc_number) if meta.doc_number else None)
        self.add(plan, DCTERMS.issued, lit(meta.issued) if meta.issued else None)
        self.add(plan, DCTERMS.available, lit(meta.published) if meta.published else None)
        if meta.issuer:
            self.add(plan, DCTERMS.publisher, self.unit(meta.issuer))
        for name in meta.co_issuers:
            self.add(plan, PKG.jointPublisher, self.unit(name))
        self.add(plan, PKG.noticeTitle, zh(meta.notice_title) if meta.notice_title else None)
        for recipient in meta.recipients:
            self.add(plan, PKG.recipient, zh(recipient))
        self.add(plan, PKG.releaseNote, zh(meta.release_note) if meta.release_note else None)
        self.add(plan, PKG.context, zh(meta.context) if meta.context else None)
        self.add(plan, PKG.guidingIdeology, zh(doc.guiding_ideology) if doc.guiding_ideology else None)
        self.add(plan, PKG.jurisdiction, place)
        self.add(plan, PKG.sourceFile, lit(Path(doc.path).name))
        self.add(plan, PKG.slug, lit(doc.slug))

        self.principles()
        self.stages()
        self.goals()
        self.tasks()
        self.safeguards()
        self.annex()
        self.discrepancies()
        self.unit_descriptions()

    def numbered_section(self, kind: str, cls, item) -> str:
        """A principle or safeguard: number, title, text, plan and span."""
        node = self.iri(kind, item.number)
        self.add(node, RDF.type, cls)
        self.add(node, PKG.number, lit(item.number))
        self.add(node, PKG.title, zh(item.title))
        self.add(node, PKG.text, zh(item.text) if item.text else None)
        self.add(node, DCTERMS.isPartOf, self.plan)
        self.span(node, item.span)
        return node

    def principles(self) -> None:
        for p in self.doc.principles:
            self.numbered_section("principle", PKG.Principle, p)

    def stages(self) -> None:
        links = {(link.stage, link.goal): [] for link in self.rec.goal_links}
        for link in self.rec.goal_links:
            links[(link.stage, link.goal)].append(link.pilot_task)
        for s in self.doc.stages:
            node = self.iri("stage", s.number)
            for cls in (PKG.Stage, TIME.Interval):
                self.add(node, RDF.type, cls)
            self.add(node, PKG.number, lit(s.number))
            self.add(node, RDFS.label, zh(f"{s.name}（{_years(s.start_year, s.end_year)}）"))
            self.add(node, PKG.startYear, lit(s.start_year))
            self.add(node, PKG.endYear, lit(s.end_year) if s.end_year is not None else None)
            for end, year, prop in (("beginning", s.start_year, TIME.hasBeginning),
                                    ("end", s.end_year, TIME.hasEnd)):
                if year is None:  # open-ended: no end instant
                    continue
                instant = self.iri_under(node, end)
                self.add(node, prop, instant)
                self.add(instant, RDF.type, TIME.Instant)
                self.add(instant, TIME.inXSDgYear, Lit(str(year), XSD.gYear))
            self.add(node, PKG.summaryGoal, zh(s.summary) if s.summary else None)
            self.add(node, DCTERMS.isPartOf, self.plan)
            self.span(node, s.span)
            for goal in s.goals:
                g = self.iri_under(node, "goal", goal.number)
                self.add(g, RDF.type, PKG.Goal)
                self.add(g, PKG.number, lit(goal.number))
                self.add(g, PKG.text, zh(goal.text))
                self.add(g, DCTERMS.isPartOf, node)
                for pt in links.get((s.number, goal.number), []):
                    self.add(g, PKG.namesPilotTask, self.iri("pilot-task", pt))
                self.span(g, goal.span)

    def goals(self) -> None:
        """The plan's goals where they are not by stage: part of the plan, with the year they are for."""
        for goal in self.doc.goals:
            g = self.iri("goal", goal.number)
            self.add(g, RDF.type, PKG.Goal)
            self.add(g, PKG.number, lit(goal.number))
            self.add(g, PKG.text, zh(goal.text))
            self.add(g, PKG.targetYear, lit(goal.year) if goal.year is not None else None)
            self.add(g, DCTERMS.isPartOf, self.plan)
            self.span(g, goal.span)

    def task(self, node: str, cls, task, parent: str) -> None:
        """A task of any level: class, number, title, heading level and path, what it is part of."""
        self.add(node, RDF.type, cls)
        self.add(node, PKG.number, lit(task.number))
        self.add(node, PKG.title, zh(task.title))
        self.add(node, PKG.headingLevel, lit(task.level) if task.level else None)
        self.add(node, PKG.numberPath, lit(task.path) if task.path else None)
        self.add(node, DCTERMS.isPartOf, parent)
        self.span(node, task.span)

    def task_units(self, node: str, task) -> None:
        """Units assigned to a task as a whole; pkg:responsibleUnit stays a measure's, so the
        responsible ones are qualified assignments only."""
        for mention in task.lead_units:
            self.add(node, PKG.leadUnit, self.assignment(node, "lead", "body", mention))
        for mention in task.responsible_units:
            self.assignment(node, "responsible", "body", mention)

    def inherited_units(self, measure: str, task_node: str, task) -> None:
        """The units a measure's task is assigned as a whole, for a measure whose text names none
        (53: （责任部门：X） after a section's items): its assignments, derived from the task's."""
        for role, mentions in (("lead", task.lead_units), ("responsible", task.responsible_units)):
            for mention in mentions:
                given = self.iri_under(task_node, "assignment", "body", self.place.resolve(mention.name).slug)
                unit = self.assignment(measure, role, "body", mention, inherited=given)
                self.add(measure, PKG.responsibleUnit, unit)
                if role == "lead":
                    self.add(measure, PKG.leadUnit, unit)

    def tasks(self) -> None:
        for t in self.doc.tasks:
            node = self.iri("task", t.key)
            self.task(node, PKG.Task, t, self.plan)
            self.task_units(node, t)
        for pt in self.doc.pilot_tasks:
            node = self.iri("pilot-task", pt.key)
            self.task(node, PKG.PilotTask, pt, self.iri("task", pt.parent) if pt.parent else self.plan)
            self.task_units(node, pt)
            assigning = self.doc.assigning_task(pt)
            giver = None if assigning is None else (
                node if assigning is pt else self.iri("task", assigning.key), assigning)
            for wt in pt.work_tasks:
                w = self.iri("work-task", wt.key)
                self.task(w, PKG.WorkTask, wt, node)
                for m in wt.measures:
                    mi = self.iri("measure", m.id)
                    self.add(mi, RDF.type, PKG.Measure)
                    self.add(mi, DCTERMS.identifier, lit(m.id))
                    self.add(mi, PKG.number, lit(m.number))
                    self.add(mi, PKG.text, zh(m.text))
                    self.add(mi, DCTERMS.isPartOf, w)
                    self.span(mi, m.span)
                    self.add(mi, PKG.deadline, zh(m.deadline) if m.deadline else None)
                    self.add(mi, PKG.points, zh(m.points) if m.points else None)
                    leads = {lead.name for lead in m.leads}
                    for mention in m.units:
                        role = "lead" if mention.name in leads else "responsible"
                        unit = self.assignment(mi, role, "body", mention)
                        self.add(mi, PKG.responsibleUnit, unit)
                        if role == "lead":
                            self.add(mi, PKG.leadUnit, unit)
                    if not m.units and giver is not None:
                        self.inherited_units(mi, *giver)

    def safeguards(self) -> None:
        for s in self.doc.safeguards:
            node = self.numbered_section("safeguard", PKG.Safeguard, s)
            for body in s.bodies:
                self.add(node, PKG.namesBody, self.unit(body.name))

    def annex(self) -> None:
        # A merged cell is one claim, however many rows it spans: one assignment, derived
        # from every row that carries it.
        claimed: dict[tuple, str] = {}

        def claim(owner: str, role: str, mention: UnitMention, row: int, entry: str) -> None:
            key = (owner, mention.name, mention.span.start)
            if key in claimed:
                self.add(claimed[key], PROV.wasDerivedFrom, entry)
            else:
                self.assignment(owner, role, f"annex-row-{row}", mention, entry)
                unit = self.place.resolve(mention.name).slug
                claimed[key] = self.iri_under(owner, "assignment", f"annex-row-{row}", unit)

        for a in self.rec.alignments:
            row = a.row
            entry = self.iri("annex-entry", row.row)
            self.add(self.plan, PKG.annexEntry, entry)
            self.add(entry, RDF.type, PKG.AnnexEntry)
            self.add(entry, PKG.row, lit(row.row))
            self.add(entry, PKG.text, zh(row.text))
            self.add(entry, PKG.pilotTaskCell, zh(row.pilot_task) if row.pilot_task else None)
            self.add(entry, PKG.leadUnitCell, zh("、".join(u.name for u in row.lead_units)) if row.lead_units else None)
            self.add(entry, PKG.workTaskCell, zh(row.work_task) if row.work_task else None)
            self.add(entry, PKG.deadline, zh(row.deadline) if row.deadline else None)
            self.add(entry, PKG.responsibleUnitCell, zh("、".join(u.name for u in row.units)))
            self.add(entry, DCTERMS.isPartOf, self.plan)
            self.add(entry, PKG.alignmentScore, lit(Decimal(str(a.score))))
            self.span(entry, row.span)
            if a.work_task is not None:
                self.add(entry, PKG.claimedWorkTask, self.iri("work-task", a.work_task.key))
            if a.pilot_task is not None:
                pt = self.iri("pilot-task", a.pilot_task.key)
                self.add(entry, PKG.alignedPilotTask, pt)
                for mention in row.lead_units:
                    claim(pt, "lead", mention, row.row, entry)
            if a.measure is not None:
                mi = self.iri("measure", a.measure.id)
                self.add(entry, PKG.alignedMeasure, mi)
                for mention in row.units:
                    claim(mi, "responsible", mention, row.row, entry)

    def discrepancies(self) -> None:
        for number, d in enumerate(self.rec.discrepancies, start=1):
            node = self.iri("discrepancy", number)
            self.add(node, RDF.type, PKG.Discrepancy)
            self.add(node, PKG.kind, KINDS[d.kind])
            kind, value = d.subject
            about = (str(f"{self.ns}unit/{self.place.slug}/{value}") if kind == "unit"
                     else self.iri(kind, value))
            self.add(node, PKG.about, about)
            self.add(node, PKG.bodyValue, zh(d.body_value) if d.body_value else None)
            self.add(node, PKG.annexValue, zh(d.annex_value) if d.annex_value else None)
            for row in d.rows:
                self.add(node, PKG.inAnnexEntry, self.iri("annex-entry", row))
            self.add(node, RDFS.comment, en(d.describe()))
            self.add(node, DCTERMS.isPartOf, self.plan)

    def unit_descriptions(self) -> None:
        place = self.jurisdiction_iri()
        for slug in sorted(self.units):
            # 省推进工业互联网创新发展专项工作组成员单位: the members of a group the document names
            group = MEMBER_UNITS.match(self.units[slug].name)
            if group:
                self.add(self.unit_iri(self.units[slug]), PKG.membersOf, self.unit(group.group(1)))
        for slug in sorted(self.units):
            unit = self.units[slug]
            node = self.unit_iri(unit)
            for cls in (PKG.Unit, ORG.Organization):
                self.add(node, RDF.type, cls)
            self.add(node, SKOS.prefLabel, zh(unit.name))
            for alt in sorted(set(unit.alt_names) | self.spellings.get(slug, set())):
                if alt != unit.name:
                    self.add(node, SKOS.altLabel, zh(alt))
            self.add(node, RDFS.label, en(unit.english) if unit.english else None)
            self.add(node, ORG.classification, PKG[unit.unit_type])
            self.add(node, PKG.jurisdiction, place)
            self.add(node, PKG.registered, lit(unit.registered))
            self.add(node, PKG.slug, lit(unit.slug))
            self.add(node, PKG.standsFor, zh(unit.stands_for) if unit.stands_for else None)
            if unit.part_of in self.units:
                self.add(node, ORG.subOrganizationOf, self.unit_iri(self.units[unit.part_of]))
