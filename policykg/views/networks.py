"""Networks of a plan's units, built from SPARQL query results, with metrics and exports.

Every network here is built from the rows of the named queries ``queries/view-*.rq`` (plain
dicts of Python values), never from the parser's objects, so a view shows only what is in the
graph and can be drawn from the local graph or from any SPARQL endpoint alike.

- :func:`co_responsibility_network`: units, an edge where two share a measure (weight = count);
- :func:`unit_task_network`: units, pilot tasks and work tasks; lead and responsible links apart;
- :func:`structure_network`: plan → pilot tasks → work tasks → measures → units.

:func:`add_unit_metrics` puts degree, weighted degree, betweenness, eigenvector centrality and a
seeded Louvain community on every unit; :func:`write_metrics_csv`, :func:`write_graphml` and
:func:`write_gexf` export them.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Union

import networkx as nx

from ..errors import PolicyKGError, ViewQueryError
from ..resources import QUERIES_DIR
from ..vocab import XSD
from .layout import ordered_subgraph
from .render import write_text
from .rustgraph import betweenness
from .xmlexport import gexf_text, graphml_text

if TYPE_CHECKING:
    from ..sparql.engines import Engine

COLLECTIVE_TYPES = ("township-collective", "collective")

# The order unit types appear in legends and tables (those the graph uses); labels come from the
# graph when it has them. A county-level type of the Gaoqing registry sits beside the general type
# it narrows, which the registry's rules for unit names give units of other places.
UNIT_TYPES = (
    ("county-government-department", "县政府部门", "county government department"),
    ("government-department", "政府部门", "government department"),
    ("county-party-department", "县委部门", "county Party committee department"),
    ("party-department", "党委部门", "Party committee department"),
    ("peoples-government", "人民政府", "people's government"),
    ("municipal-bureau-branch", "市直部门派驻分局", "municipal bureau branch"),
    ("branch-office", "派驻机构", "branch office"),
    ("internal-division", "内设机构", "internal division"),
    ("peoples-congress", "人大机关", "people's congress"),
    ("political-consultative-conference", "政协机关", "political consultative conference"),
    ("judicial-organ", "司法机关", "judicial organ"),
    ("military-organ", "军事机关", "military organ"),
    ("mass-organization", "群团组织", "mass organisation"),
    ("financial-institution", "金融机构", "financial institution"),
    ("enterprise", "企业", "enterprise"),
    ("public-service-institution", "事业单位", "public service institution"),
    ("social-organization", "社会组织", "social organisation"),
    ("township-collective", "镇街集合", "township collective"),
    ("collective", "集合", "collective"),
    ("coordinating-body", "议事协调机构", "coordinating body"),
    ("unknown", "类型未知", "type unknown"),
)

Row = dict
Source = Union["Engine", str]


# --------------------------------------------------------------------------- running queries

def load_graph(paths: Iterable[str | Path], plan: str | None = None, *, store: bool = True) -> "Engine":
    """An in-process query engine over RDF files and folders of them (see :mod:`policykg.sparql.engines`);
    with ``plan`` (slug or IRI), over that plan's named graph alone; ``store=False``: never the
    build's store, always the files read into memory."""
    from ..sparql.engines import load_engine

    return load_engine(list(paths), plan=plan, store=store)


def for_every_unit(source: Source, paths: Iterable[str | Path], *, shards: int | None = None) -> Source:
    """The engine to draw every unit of a whole graph from: ``source``, unless it reads the build's
    store, then the graph read into memory instead. The view queries read nearly the whole graph;
    on the store (RocksDB) they cost three times the CPU of parsing the files and querying them in
    memory (1,000 plans: 19.7 s against 4.0 s + 2.9 s; ``benchmarks/corpus_views.py``).

    The plans are read from the TriG beside the store in ``shards`` runs side by side (None: one a
    core, for a corpus big enough; see :mod:`policykg.views.shards`), or from the files into one
    store when there is no TriG or a shard would be the whole."""
    if getattr(source, "opened", None) is None:
        return source
    from ..sparql.engines import load_engine
    from .shards import load_shards, shard_count

    timeout = source.timeout
    index = source.opened.index
    count = shard_count(source.opened) if shards is None else min(shards, len(index.plans) if index else 0)
    if count > 1:
        try:
            return load_shards(source.opened, count, timeout=timeout)
        finally:
            source.close()
    source.close()
    # the files the store's manifest matched: the build's own output, read without re-checking
    engine = load_engine(list(paths), store=False, lenient=True)
    engine.timeout = timeout
    return engine


def query_text(name: str, query_dir: str | Path | None = None) -> str:
    from ..sparql.catalog import load_query

    path = Path(query_dir or QUERIES_DIR) / f"{name}.rq"
    if not path.is_file():
        raise ViewQueryError(f"no query named {name!r} (looked for {path})")
    return load_query(path).text


_INTS = frozenset(XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"))
_FLOATS = frozenset(XSD + t for t in ("decimal", "double", "float"))
_BOOLEAN = XSD + "boolean"


def _value(term) -> object:
    """A result term as a plain Python value: numbers and booleans typed, everything else text."""
    if term is None:
        return None
    datatype = term.datatype
    if datatype in _INTS:
        return int(term.value)
    if datatype in _FLOATS:
        return float(term.value)
    if datatype == _BOOLEAN:
        return term.value in ("true", "1")
    return term.value


def run_select(name: str, source: Source, *, query_dir: str | Path | None = None) -> list[Row]:
    """Rows of the named SELECT query as dicts of plain Python values (IRIs as strings).

    ``source`` is a query engine (:func:`load_graph`, or any :class:`policykg.sparql.engines.Engine`)
    or the URL of a SPARQL endpoint: views read the graph only through these queries.
    """
    text = query_text(name, query_dir)
    if isinstance(source, str):
        from ..sparql.remote import RemoteEngine

        source = RemoteEngine(source)
    try:
        result = source.run(text, trusted=True, source=name)
    except PolicyKGError as err:
        raise ViewQueryError(f"{name}: {err}", err) from err
    return [{c: _value(t) for c, t in zip(result.columns, row)} for row in result.rows]


@dataclass
class ViewData:
    """The rows of every ``view-*`` query, fetched once and shared by the networks and pages."""

    units: list[Row]
    measure_units: list[Row]
    annex_row_units: list[Row]
    pilot_task_leads: list[Row]
    structure: list[Row]
    discrepancies: list[Row]
    discrepancy_units: list[Row] = field(default_factory=list)
    task_units: list[Row] = field(default_factory=list)  # units stated for a task as a whole
    plan_info: list[Row] = field(default_factory=list)  # each plan's 文号, date, issuers and goals
    _unit_table: dict | None = field(default=None, init=False, repr=False, compare=False)
    _unit_types: list | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def fetch(cls, source: Source, *, query_dir: str | Path | None = None) -> "ViewData":
        """Run every ``view-*`` query. On Oxigraph two run at a time: pyoxigraph lets go of the
        GIL while it evaluates, and a corpus's view queries take seconds each on its store."""
        from concurrent.futures import ThreadPoolExecutor

        from ..sparql.engines import OxigraphEngine
        from .shards import Shards, merge_rows

        # the two longest first, one on each thread
        names = ("measure_units", "annex_row_units", "structure", "pilot_task_leads", "units",
                 "discrepancy_units", "discrepancies", "task_units", "plan_info")
        queries = {n: "view-" + n.replace("_", "-") for n in names}
        if isinstance(source, Shards):  # each query on every shard, the rows merged
            if query_dir is not None:
                raise ViewQueryError("a query folder of one's own is read from one store, not in shards")
            with ThreadPoolExecutor(max_workers=len(source)) as pool:
                parts = {n: [pool.submit(run_select, queries[n], engine) for engine in source.engines]
                         for n in names}
                return cls(**{n: merge_rows(n, query_text(queries[n]), [f.result() for f in parts[n]])
                              for n in names})
        workers = 2 if isinstance(source, OxigraphEngine) else 1  # rdflib's SPARQL is not thread-safe
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {n: pool.submit(run_select, queries[n], source, query_dir=query_dir) for n in names}
            return cls(**{n: f.result() for n, f in futures.items()})

    # ---- derived tables, all deterministic

    def unit_table(self) -> dict[str, dict]:
        """unit IRI → names, type and flags (first value wins where a query gives several).

        Computed once: every page asks for it (1,700 sheets at corpus scale). Read, don't change."""
        if self._unit_table is None:
            self._unit_table = self._make_unit_table()
        return self._unit_table

    def _make_unit_table(self) -> dict[str, dict]:
        table: dict[str, dict] = {}
        for r in self.units:
            u = r["unit"]
            entry = table.setdefault(u, {"unit": u, "name_zh": None, "name_en": None, "type": None,
                                         "type_zh": None, "type_en": None, "registered": None})
            for key, col in (("name_zh", "nameZh"), ("name_en", "nameEn"), ("type", "type"),
                             ("type_zh", "typeZh"), ("type_en", "typeEn"), ("registered", "registered")):
                if entry[key] is None and r.get(col) is not None:
                    entry[key] = r[col]
        for entry in table.values():
            entry["type"] = entry["type"] or "unknown"
            entry["collective"] = entry["type"] in COLLECTIVE_TYPES
            entry["name_zh"] = entry["name_zh"] or entry["name_en"] or short_name(entry["unit"])
            entry["name_en"] = entry["name_en"] or entry["name_zh"]
        return dict(sorted(table.items()))

    def unit_types(self) -> list[tuple[str, str, str]]:
        """(notation, zh, en) of every unit type, in legend order, labels from the graph if any.

        Computed once (every sheet asks). Read, don't change."""
        if self._unit_types is None:
            self._unit_types = self._make_unit_types()
        return self._unit_types

    def _make_unit_types(self) -> list[tuple[str, str, str]]:
        seen = {}
        for r in self.units:
            if r.get("type"):
                seen.setdefault(r["type"], (r.get("typeZh"), r.get("typeEn")))
        out = []
        for key, zh, en in UNIT_TYPES:
            if key in seen:
                got = seen.pop(key)
                out.append((key, got[0] or zh, got[1] or en))
        for key in sorted(seen):
            out.append((key, seen[key][0] or key, seen[key][1] or key))
        return out

    def pilot_tasks(self) -> list[dict]:
        """Pilot tasks in document order: IRI, number, title."""
        tasks: dict[str, dict] = {}
        for r in self.structure + self.pilot_task_leads + self.measure_units:
            pt = r.get("pilotTask")
            if pt and pt not in tasks:
                tasks[pt] = {"iri": pt, "number": r.get("ptNumber"), "title": r.get("ptTitle") or short_name(pt)}
        return sorted(tasks.values(), key=lambda t: (_sort_num(t["number"]), t["iri"]))

    def responsibility_rows(self, part: str = "body") -> list[Row]:
        if part == "body":
            return self.measure_units
        if part == "annex":
            return self.annex_row_units
        raise ValueError(f"part must be 'body' or 'annex', got {part!r}")


def _sort_num(value: object) -> tuple:
    if isinstance(value, (int, float)):
        return (0, value, "")
    return (1, 0, str(value or ""))


def short_name(iri: str) -> str:
    """The last path segment of an IRI (for things without a label)."""
    return re.split(r"[/#]", str(iri).rstrip("/"))[-1]


def short_label(text: str, limit: int = 12) -> str:
    """A label cut to ``limit`` characters with an ellipsis (the full text goes in the tooltip)."""
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def measure_sort_key(identifier: object) -> tuple:
    """'8.3' < '8.10' < '10.1'."""
    parts = re.findall(r"\d+|\D+", str(identifier or ""))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


# --------------------------------------------------------------------------- networks

def _unit_node_attrs(entry: dict) -> dict:
    return {
        "kind": "unit",
        "label_zh": entry["name_zh"],
        "label_en": entry["name_en"],
        "unit_type": entry["type"],
        "category": entry["type"],
        "collective": entry["collective"],
        "registered": bool(entry["registered"]) if entry["registered"] is not None else False,
    }


def co_responsibility_network(
    data: ViewData, *, part: str = "body", include_collective: bool = True
) -> nx.Graph:
    """Units as nodes; an edge where two units share a measure, weighted by how many they share.

    ``part="annex"`` takes the responsible units from the rows of the annex table instead of the
    body, still counting measures: a measure the table splits over three rows that all name two
    units counts once for them, not three times. Every unit that leads a pilot task or is
    responsible for something in that part is a node, even without partners. Node attribute
    ``measures`` is the unit's load (measures it is responsible for), ``leads`` the pilot tasks it
    leads (in that part), ``filters`` the pilot tasks it takes part in and ``filter_load`` its
    measures within each. Edge attribute ``filters`` maps each pilot task to the measures shared
    within it.
    """
    units = data.unit_table()
    rows = data.responsibility_rows(part)
    members: dict[str, set[str]] = defaultdict(set)  # item -> units
    item_task: dict[str, str | None] = {}
    for r in rows:
        members[r["measure"]].add(r["unit"])
        item_task.setdefault(r["measure"], r.get("pilotTask"))
    leads: dict[str, set[str]] = defaultdict(set)
    for r in data.pilot_task_leads:
        if r["part"] == part:
            leads[r["unit"]].add(r["pilotTask"])

    def keep(u: str) -> bool:
        return u in units and (include_collective or not units[u]["collective"])

    g = nx.Graph(name=f"co-responsibility ({part})", part=part)
    involved = sorted({u for ms in members.values() for u in ms} | set(leads))
    load: dict[str, int] = defaultdict(int)
    load_in: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in sorted(members):
        for u in members[item]:
            load[u] += 1
            if item_task[item]:
                load_in[u][item_task[item]] += 1
    for u in involved:
        if not keep(u):
            continue
        g.add_node(u, **_unit_node_attrs(units[u]), measures=load[u], leads=len(leads[u]),
                   load=load[u], filters=sorted(set(load_in[u]) | leads[u]),
                   filter_load={t: load_in[u].get(t, 0) for t in sorted(set(load_in[u]) | leads[u])})
    weights: dict[tuple[str, str], int] = defaultdict(int)
    by_task: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in sorted(members):
        us = sorted(u for u in members[item] if keep(u))
        for i, a in enumerate(us):
            for b in us[i + 1:]:
                weights[(a, b)] += 1
                if item_task[item]:
                    by_task[(a, b)][item_task[item]] += 1
    for (a, b), w in sorted(weights.items()):
        g.add_edge(a, b, weight=w, kind="shared", filters=dict(sorted(by_task[(a, b)].items())))
    return g


def unit_task_network(data: ViewData, *, include_collective: bool = True) -> nx.Graph:
    """Units, pilot tasks and work tasks: lead links (unit → pilot task, body) and responsible links
    (unit → work task, weighted by its measures there), plus part-of links (work → pilot task)."""
    units = data.unit_table()
    g = nx.Graph(name="unit-task")
    tasks = {t["iri"]: t for t in data.pilot_tasks()}
    for t in tasks.values():
        g.add_node(t["iri"], kind="pilot-task", category="pilot-task", number=t["number"] or "",
                   label_zh=f"试验任务{t['number']}：{t['title']}" if t["number"] else t["title"],
                   label_en=f"Pilot task {t['number']}" if t["number"] else t["title"], load=0,
                   filters=[t["iri"]])
    wts: dict[str, dict] = {}
    for r in data.structure + data.measure_units:
        wt = r.get("workTask")
        if wt and wt not in wts:
            wts[wt] = r
    for wt in sorted(wts, key=lambda w: (_sort_num(wts[w].get("wtNumber")), w)):
        r = wts[wt]
        num, title = r.get("wtNumber"), r.get("wtTitle") or short_name(wt)
        g.add_node(wt, kind="work-task", category="work-task", number=num or "",
                   label_zh=f"{num}. {title}" if num else title,
                   label_en=f"Work task {num}" if num else title, load=0,
                   filters=[r["pilotTask"]] if r.get("pilotTask") else [])
        if r.get("pilotTask") in tasks:
            g.add_edge(wt, r["pilotTask"], kind="part-of", weight=1, filters={r["pilotTask"]: 1})

    def keep(u: str) -> bool:
        return u in units and (include_collective or not units[u]["collective"])

    resp: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in data.measure_units:
        if keep(r["unit"]) and r["workTask"] in wts:
            resp[(r["unit"], r["workTask"])].add(r["item"])
    lead_pairs = sorted({(r["unit"], r["pilotTask"]) for r in data.pilot_task_leads
                         if r["part"] == "body" and keep(r["unit"]) and r["pilotTask"] in tasks})
    unit_ids = sorted({u for u, _ in resp} | {u for u, _ in lead_pairs})
    load: dict[str, int] = defaultdict(int)
    for (u, _), ms in resp.items():
        load[u] += len(ms)
    load_in: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (u, w), ms in resp.items():
        if wts[w].get("pilotTask"):
            load_in[u][wts[w]["pilotTask"]] += len(ms)
    work_of: dict[str, list[str]] = defaultdict(list)  # grouped once: scanning per unit was quadratic
    for u, w in resp:
        work_of[u].append(w)
    led_by: dict[str, list[str]] = defaultdict(list)
    for u, t in lead_pairs:
        led_by[u].append(t)
    for u in unit_ids:
        led, work = led_by[u], work_of[u]
        task_keys = sorted({wts[w].get("pilotTask") for w in work} | set(led))
        g.add_node(u, **_unit_node_attrs(units[u]), load=load[u], measures=load[u], leads=len(led),
                   work_tasks=len(work), filters=[t for t in task_keys if t],
                   filter_load={t: load_in[u].get(t, 0) for t in task_keys if t})
    for u, t in lead_pairs:
        g.add_edge(u, t, kind="lead", weight=1, filters={t: 1})
    for (u, w), ms in sorted(resp.items()):
        pt = wts[w].get("pilotTask")
        g.add_edge(u, w, kind="responsible", weight=len(ms), filters={pt: len(ms)} if pt else {})
    for n, a in g.nodes(data=True):
        if a["kind"] != "unit":
            a["load"] = g.degree(n)
    return g


def structure_network(data: ViewData, *, include_collective: bool = True) -> nx.DiGraph:
    """The plan's outline as a directed tree plan → pilot tasks → work tasks → measures, with each
    measure pointing to its responsible units (body). Positions are a layered left-to-right layout."""
    units = data.unit_table()
    g = nx.DiGraph(name="structure")
    for r in data.structure:
        plan = r["plan"]
        if plan not in g:
            g.add_node(plan, kind="plan", category="plan", label_zh=r.get("planTitle") or short_name(plan),
                       label_en=short_name(plan), load=0)
        pt = r["pilotTask"]
        if pt not in g:
            num = r.get("ptNumber")
            g.add_node(pt, kind="pilot-task", category="pilot-task", number=num or "",
                       label_zh=f"试验任务{num}：{r.get('ptTitle') or ''}" if num else (r.get("ptTitle") or short_name(pt)),
                       label_en=f"Pilot task {num}" if num else short_name(pt), load=0, filters=[pt])
            g.add_edge(plan, pt, kind="part-of", weight=1)
        wt = r.get("workTask")
        if wt and wt not in g:
            num = r.get("wtNumber")
            g.add_node(wt, kind="work-task", category="work-task", number=num or "",
                       label_zh=f"{num}. {r.get('wtTitle') or ''}" if num else (r.get("wtTitle") or short_name(wt)),
                       label_en=f"Work task {num}" if num else short_name(wt), load=0, filters=[pt])
            g.add_edge(pt, wt, kind="part-of", weight=1)
        m = r.get("measure")
        if m and m not in g:
            ident = r.get("identifier") or short_name(m)
            g.add_node(m, kind="measure", category="measure", number=str(ident), label_zh=f"措施{ident}",
                       label_en=f"Measure {ident}", text=r.get("text") or "", load=0, filters=[pt])
            g.add_edge(wt, m, kind="part-of", weight=1)
    for r in data.measure_units:
        u, m = r["unit"], r["measure"]
        if m not in g or u not in units or (not include_collective and units[u]["collective"]):
            continue
        if u not in g:
            g.add_node(u, **_unit_node_attrs(units[u]), load=0, filters=[])
        g.nodes[u]["load"] += 1
        pt = r.get("pilotTask")
        if pt and pt not in g.nodes[u]["filters"]:
            g.nodes[u]["filters"] = sorted(g.nodes[u]["filters"] + [pt])
        g.add_edge(m, u, kind="responsible", weight=1)
    _layered_positions(g)
    return g


_LEVELS = {"plan": 0, "pilot-task": 1, "work-task": 2, "measure": 3, "unit": 4}


def _layered_positions(g: nx.DiGraph) -> None:
    """x by level, y by outline order; units at the barycentre of their measures, then spread."""
    column_x = {0: 0.0, 1: 250.0, 2: 560.0, 3: 860.0, 4: 1140.0}
    order = []
    roots = sorted(n for n, a in g.nodes(data=True) if a["kind"] == "plan")

    def children(n):
        kids = [c for c in g.successors(n) if g.nodes[c]["kind"] != "unit"]
        return sorted(kids, key=lambda c: (_sort_num(g.nodes[c].get("number")), measure_sort_key(g.nodes[c].get("number")), c))

    def walk(n):
        order.append(n)
        for c in children(n):
            walk(c)

    for r in roots:
        walk(r)
    step = 40.0
    rank: dict[str, float] = {}
    levels: dict[int, list[str]] = defaultdict(list)
    for n in order:
        levels[_LEVELS[g.nodes[n]["kind"]]].append(n)
    leaves = levels[3] or levels[2] or levels[1]
    for i, n in enumerate(leaves):
        rank[n] = i * step
    for lvl in (2, 1, 0):
        for n in levels[lvl]:
            if n in rank:
                continue
            kids = [rank[c] for c in children(n) if c in rank]
            rank[n] = sum(kids) / len(kids) if kids else (max(rank.values(), default=-step) + step)
    units = sorted((n for n, a in g.nodes(data=True) if a["kind"] == "unit"),
                   key=lambda u: (sum(rank[m] for m in g.predecessors(u)) / max(g.in_degree(u), 1), u))
    span = max(rank.values(), default=0.0)
    ustep = max(span / max(len(units) - 1, 1), 46.0) if units else 0.0
    offset = (span - ustep * (len(units) - 1)) / 2 if units else 0.0
    for i, u in enumerate(units):
        rank[u] = offset + i * ustep
    for n, a in g.nodes(data=True):
        a["x"] = column_x[_LEVELS[a["kind"]]]
        a["y"] = round(rank.get(n, 0.0), 1)


# --------------------------------------------------------------------------- metrics

METRICS = ("degree", "weighted_degree", "betweenness", "eigenvector", "community")
METRIC_LABELS = {
    "measures": ("承担措施数", "measures"),
    "leads": ("牵头试验任务数", "pilot tasks led"),
    "work_tasks": ("涉及工作任务数", "work tasks"),
    "degree": ("协作单位数（度）", "partners (degree)"),
    "weighted_degree": ("加权度", "weighted degree"),
    "betweenness": ("中介中心性", "betweenness"),
    "eigenvector": ("特征向量中心性", "eigenvector centrality"),
    "community": ("社群", "community"),
}



def unit_metrics(g: nx.Graph, *, seed: int = 42) -> dict[str, dict]:
    """Per unit node: degree, weighted degree, betweenness (unweighted, normalised), eigenvector
    centrality (weighted) and a Louvain community (seeded; numbered largest first)."""
    unit_nodes = sorted(n for n, a in g.nodes(data=True) if a.get("kind", "unit") == "unit")
    h = ordered_subgraph(g, unit_nodes) if len(unit_nodes) != len(g) else g
    if isinstance(h, nx.DiGraph):
        h = h.to_undirected()
    out: dict[str, dict] = {}
    if not len(h):
        return out
    between = betweenness(h)
    eigen = _eigenvector(h)
    comms = nx.community.louvain_communities(h, weight="weight", seed=seed) if h.number_of_edges() else [{n} for n in h]
    comms = sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))
    community = {n: i + 1 for i, c in enumerate(comms) for n in c}
    for n in unit_nodes:
        out[n] = {
            "degree": h.degree(n),
            "weighted_degree": _tidy(h.degree(n, weight="weight")),
            "betweenness": round(float(between.get(n, 0.0)), 6),
            "eigenvector": round(float(eigen.get(n, 0.0)), 6),
            "community": community[n],
        }
    return out


def _tidy(value: float) -> int | float:
    value = round(float(value), 6)
    return int(value) if value.is_integer() else value


def _eigenvector(h: nx.Graph) -> dict:
    """Weighted eigenvector centrality, as networkx defines it (unit length, non-negative).

    networkx's power iteration is pure Python (65 s for 1,700 units at corpus scale) and its
    numpy variant starts ARPACK from a random vector (not byte-stable); so: ARPACK on the sparse
    adjacency matrix from a fixed start vector, nodes in sorted order.
    """
    if h.number_of_edges() == 0:
        return {n: 0.0 for n in h}
    import numpy as np
    from scipy.sparse.linalg import eigsh

    nodes = sorted(h)
    a = nx.to_scipy_sparse_array(h, nodelist=nodes, weight="weight", dtype=float)
    if len(nodes) < 3:  # ARPACK needs k < n; a dense solve is exact for tiny graphs
        values, vectors = np.linalg.eigh(a.toarray())
        vector = vectors[:, int(np.argmax(values))]
    else:
        _, vectors = eigsh(a, k=1, which="LA", v0=np.ones(len(nodes)), tol=1e-12, maxiter=100_000)
        vector = vectors[:, 0]
    vector = np.abs(vector) / np.linalg.norm(vector)
    return {n: float(x) for n, x in zip(nodes, vector)}


def add_unit_metrics(g: nx.Graph, metrics: Mapping[str, dict] | None = None) -> dict[str, dict]:
    """Compute (or take) the unit metrics, set them as node attributes and as the ``info`` rows
    the pages show on hover. Returns the metrics."""
    metrics = unit_metrics(g) if metrics is None else metrics
    for n, m in metrics.items():
        if n not in g:
            continue
        a = g.nodes[n]
        a.update(m)
        rows = []
        for key in ("measures", "leads") + METRICS:
            if key in a:
                zh, en = METRIC_LABELS[key]
                rows.append((zh, en, a[key]))
        a["info"] = rows
    for _u, _v, d in g.edges(data=True):
        if d.get("kind") == "shared":
            d["info"] = [("共担措施数", "shared measures", d["weight"])]
        elif d.get("kind") == "responsible":
            d["info"] = [("负责措施数", "measures", d["weight"])]
    return metrics


# --------------------------------------------------------------------------- exports

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run: text starting = + - @ (or tab, CR) gets a '."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def metrics_table(g: nx.Graph) -> list[dict]:
    """One row per unit, most central first (eigenvector, then weighted degree, then IRI)."""
    rows = []
    for n, a in g.nodes(data=True):
        if a.get("kind", "unit") != "unit":
            continue
        rows.append({
            "unit": n, "name_zh": a.get("label_zh", ""), "name_en": a.get("label_en", ""),
            "type": a.get("unit_type", ""), "measures": a.get("measures", 0), "leads": a.get("leads", 0),
            **{m: a.get(m, "") for m in METRICS},
        })
    rows.sort(key=lambda r: (-float(r["eigenvector"] or 0), -float(r["weighted_degree"] or 0), r["unit"]))
    return rows


def metrics_csv(g: nx.Graph) -> str:
    rows = metrics_table(g)
    buf = io.StringIO()
    fields = ["unit", "name_zh", "name_en", "type", "measures", "leads", *METRICS]
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_cell(r[k]) for k in fields})
    return buf.getvalue()


def write_metrics_csv(g: nx.Graph, path: str | Path) -> Path:
    """The metrics table as UTF-8 CSV (with BOM, so spreadsheets read the Chinese right)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(metrics_csv(g))
    return path


def export_graph(g: nx.Graph) -> nx.Graph:
    """A copy with only scalar attributes (lists and dicts joined as text), sorted, for GraphML/GEXF."""
    h = g.__class__()
    h.graph.update({k: v for k, v in g.graph.items() if isinstance(v, (str, int, float, bool))})
    h.add_nodes_from((n, _scalars(g.nodes[n])) for n in sorted(g.nodes))
    h.add_edges_from((u, v, _scalars(d)) for u, v, d in sorted(g.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
    return h


def _scalars(attrs: Mapping) -> dict:
    out = {}
    for k, v in sorted(attrs.items()):
        if k in ("info", "href"):
            continue
        if isinstance(v, (list, tuple, set)):
            out[k] = " ".join(str(x) for x in v)
        elif isinstance(v, dict):
            out[k] = " ".join(f"{a}={b}" for a, b in sorted(v.items()))
        elif v is None:
            continue
        else:
            out[k] = v
    if "label_zh" in out:
        out.setdefault("label", out["label_zh"])
    return out


def write_graphml(g: nx.Graph, path: str | Path, *, exported: nx.Graph | None = None) -> Path:
    """GraphML of ``g`` (``exported``: its :func:`export_graph`, when already made)."""
    return write_text(path, graphml_text(export_graph(g) if exported is None else exported))


def write_gexf(g: nx.Graph, path: str | Path, *, exported: nx.Graph | None = None) -> Path:
    """GEXF for Gephi (no timestamp in the file, so it is identical across runs)."""
    return write_text(path, gexf_text(export_graph(g) if exported is None else exported) + "\n")


def write_network_files(g: nx.Graph, folder: str | Path, key: str) -> list[Path]:
    """``folder/key.graphml`` and ``folder/key.gexf``, from one :func:`export_graph` of ``g``."""
    h = export_graph(g)
    return [write_graphml(g, Path(folder) / f"{key}.graphml", exported=h),
            write_gexf(g, Path(folder) / f"{key}.gexf", exported=h)]
