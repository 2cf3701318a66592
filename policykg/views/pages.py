"""The views folder: network pages, an index, the plan's outline, one responsibility sheet (责任清单)
per unit, exports.

:func:`build_views` reads the graph through the ``view-*`` SPARQL queries (local graph or
endpoint), builds the networks of :mod:`policykg.views.networks`, draws them with
:mod:`policykg.views.render` and writes plain, script-free HTML for the index, the outline
(:mod:`policykg.views.outline`) and the sheets (:mod:`policykg.views.sheets`). Every file is UTF-8
and byte-identical across runs on the same graph.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..errors import PolicyKGError, RuntimeFailure
from . import networks as nw
from .layout import layout
from .outline import outline_page
from .render import PALETTE, Category, EdgeKind, FilterOption, LiveFigures, PageSpec, esc, render_page, write_text
from .sheets import sheet_index, sheet_page
from .statichtml import T, about_label, discrepancies, discrepancy_table, name, other_name, sheet_file, static_page

# A county-level type of the Gaoqing registry shares the colour of the general type it narrows.
TYPE_COLORS = {
    "county-government-department": PALETTE[0],
    "government-department": PALETTE[0],
    "county-party-department": PALETTE[1],
    "party-department": PALETTE[1],
    "municipal-bureau-branch": PALETTE[2],
    "branch-office": PALETTE[2],
    "financial-institution": PALETTE[3],
    "public-service-institution": PALETTE[4],
    "township-collective": PALETTE[5],
    "collective": PALETTE[5],
    "coordinating-body": PALETTE[6],
    "unknown": PALETTE[7],
    # beyond the Okabe-Ito eight: Paul Tol's muted colours
    "peoples-government": "#332288",
    "mass-organization": "#AA4499",
    "judicial-organ": "#882255",
    "enterprise": "#44AA99",
    "social-organization": "#117733",
    "internal-division": "#661100",
    "peoples-congress": "#DDCC77",
    "political-consultative-conference": "#CC6677",
    "military-organ": "#4B5320",
}
TASK_CATEGORIES = (
    Category("plan", "实施方案", "plan", "#24292F", "star"),
    Category("pilot-task", "试验任务", "pilot task", "#4B5563", "diamond"),
    Category("work-task", "工作任务", "work task", "#8B95A1", "square"),
    Category("measure", "具体措施", "measure", "#C4CBD3", "dot"),
)

VIEW_PAGES = (
    # file, title zh, title en, note zh, note en
    ("co-responsibility.html", "单位协作网络（正文）", "Unit co-responsibility network (body)",
     "节点为单位，连线表示两单位共同承担同一具体措施（依正文责任单位）。",
     "Units; a line joins two units that share a measure (responsible units as the body states them)."),
    ("co-responsibility-annex.html", "单位协作网络（附件分工表）", "Unit co-responsibility network (annex table)",
     "同上，但责任单位按附件任务分工表；仍按措施计数：附件把一项措施分成几行时只算一次。单位位置与正文视图相同，便于对照。",
     "As above, with the responsible units the annexed table names; still counted in measures (a measure the "
     "table splits over several rows counts once). Units sit where they sit in the body view, for comparison."),
    ("unit-task.html", "单位—任务网络", "Units and tasks",
     "虚线：牵头试验任务；实线：承担工作任务下的措施（线宽 = 措施数）。",
     "Dashed: leads a pilot task; solid: responsible for measures of a work task (width = measures)."),
    ("structure.html", "方案结构", "Outline of the plan",
     "可折叠的提纲：试验任务（牵头单位）→ 工作任务 → 具体措施（责任单位）。",
     "A collapsible outline: pilot tasks (lead units) → work tasks → measures (responsible units)."),
)

@dataclass
class ViewsResult:
    out: Path
    files: list[Path]
    counts: dict


def unit_categories(data: nw.ViewData) -> tuple[Category, ...]:
    return tuple(
        Category(key, zh, en, TYPE_COLORS.get(key, PALETTE[7])) for key, zh, en in data.unit_types()
    )


def pilot_task_filters(data: nw.ViewData) -> tuple[FilterOption, ...]:
    return tuple(
        FilterOption(t["iri"], f"{t['number']}. {t['title']}" if t["number"] else t["title"],
                     f"Pilot task {t['number']}: {t['title']}" if t["number"] else t["title"])
        for t in data.pilot_tasks()
    )


def _with_sheets(g: nx.Graph, prefix: str = "") -> None:
    for n, a in g.nodes(data=True):
        if a.get("kind") == "unit":
            a["href"] = prefix + sheet_file(n)


def _task_info(g: nx.Graph, data: nw.ViewData) -> None:
    titles = {}
    for r in data.structure:
        titles[r["pilotTask"]] = r.get("ptTitle") or ""
        if r.get("workTask"):
            titles[r["workTask"]] = r.get("wtTitle") or ""
        if r.get("measure"):
            titles[r["measure"]] = r.get("text") or ""
    for n, a in g.nodes(data=True):
        if a.get("kind") in ("pilot-task", "work-task", "measure") and titles.get(n):
            label = ("内容", "text") if a["kind"] == "measure" else ("标题", "title")
            a["info"] = [(label[0], label[1], titles[n])]


def build_networks(data: nw.ViewData, *, lang: str = "zh") -> dict[str, nx.Graph]:
    """The four networks of the views folder, with metrics on the units. The body and annex
    co-responsibility networks share one layout, so a unit sits in the same place in both."""
    body, metrics = body_network(data)
    annex = annex_network(data, body, lang=lang)
    unit_task, structure = task_networks(data, body, metrics)
    return {"co-responsibility": body, "co-responsibility-annex": annex, "unit-task": unit_task,
            "structure": structure}


def body_network(data: nw.ViewData) -> tuple[nx.Graph, dict]:
    """The body's co-responsibility network with the unit metrics (also returned); no layout yet."""
    body = nw.co_responsibility_network(data, part="body")
    return body, nw.add_unit_metrics(body)


def annex_network(data: nw.ViewData, body: nx.Graph, *, lang: str = "zh") -> nx.Graph:
    """The annex's co-responsibility network, laid out together with ``body``."""
    annex = nw.co_responsibility_network(data, part="annex")
    nw.add_unit_metrics(annex)
    share_layout((body, annex), lang=lang, font_size=PAGE_FONT[lang])
    for g in (body, annex):
        _with_sheets(g)
    return annex


def task_networks(data: nw.ViewData, body: nx.Graph, metrics: dict) -> tuple[nx.Graph, nx.Graph]:
    """The unit-task and structure networks, their units carrying the body's figures and metrics."""
    unit_task = nw.unit_task_network(data)
    structure = nw.structure_network(data)
    for g in (unit_task, structure):
        for n, a in g.nodes(data=True):
            if a.get("kind") == "unit" and n in body:
                a["measures"] = body.nodes[n]["measures"]
                a["leads"] = body.nodes[n]["leads"]
        nw.add_unit_metrics(g, metrics)
        _task_info(g, data)
    for _n, a in unit_task.nodes(data=True):  # its own figures: what the lines of this view count
        if a.get("kind") == "unit":
            a["info"] = [(*nw.METRIC_LABELS[k], a.get(k, 0)) for k in ("measures", "leads", "work_tasks")]
    for g in (unit_task, structure):
        _with_sheets(g)
    return unit_task, structure


# Label size of the unit networks, in layout units. English names run three times as long as
# Chinese ones: a larger font keeps them readable once the page scales the layout to the window.
PAGE_FONT = {"zh": 16, "en": 20}


def share_layout(graphs, *, lang: str = "zh", font_size: float = 16) -> None:
    """One seeded layout for the union of ``graphs`` (edge weight the largest of theirs), set as
    every graph's node positions."""
    union = nx.Graph()
    for g in graphs:
        for n, a in g.nodes(data=True):
            if n not in union:
                union.add_node(n, **a)
    for g in graphs:
        for u, v, d in g.edges(data=True):
            w = max(d.get("weight", 1), union.edges[u, v]["weight"] if union.has_edge(u, v) else 0)
            union.add_edge(u, v, weight=w)
    union = nw.ordered_subgraph(union, sorted(union.nodes))
    pos = layout(union, lang=lang, font_size=font_size, label_em=12.0 if lang == "zh" else 16.0)
    for g in graphs:
        for n, a in g.nodes(data=True):
            a["x"], a["y"] = pos[n]


def page_specs(data: nw.ViewData, lang: str = "zh") -> dict[str, PageSpec]:
    """Titles, legends, filter menus and switches of the network pages."""
    cats = unit_categories(data)
    filters = pilot_task_filters(data)
    back = (("index.html", "首页", "Index"), ("structure.html", "方案结构", "Outline"))
    live = LiveFigures("承担措施数", "measures", "协作单位数", "partners", "共担措施数（合计）", "shared measures (sum)")
    partners = dict(panel_zh="协作单位（共担措施数）", panel_en="Partners (shared measures)")
    return {
        "co-responsibility": PageSpec(*VIEW_PAGES[0][1:], categories=cats, filters=filters,
                                      edge_kinds=(EdgeKind("shared", "共担措施（线宽 = 数量）", "shared measures (width = count)", **partners),),
                                      collective_switch=True, links=back, live=live, font_size=PAGE_FONT[lang]),
        "co-responsibility-annex": PageSpec(*VIEW_PAGES[1][1:], categories=cats, filters=filters,
                                            edge_kinds=(EdgeKind("shared", "共担措施，按附件分工表（线宽 = 措施数，一项措施分几行也只算一次）",
                                                                 "shared measures as the annex table assigns them (width = measures; a measure split over rows counts once)",
                                                                 **partners),),
                                            collective_switch=True, links=back, live=live, font_size=PAGE_FONT[lang]),
        "unit-task": PageSpec(*VIEW_PAGES[2][1:], categories=cats + TASK_CATEGORIES[1:3], filters=filters,
                              edge_kinds=(EdgeKind("lead", "牵头", "leads", "#B42318", True, "牵头关系", "Lead links"),
                                          EdgeKind("responsible", "承担措施（线宽 = 措施数）", "responsible (width = measures)", "#8896AB",
                                                   panel_zh="承担措施（措施数）", panel_en="Measures (count)"),
                                          EdgeKind("part-of", "隶属", "part of", "#D0D7DE", panel_zh="隶属关系", panel_en="Part of")),
                              collective_switch=True, links=back, font_size=14 if lang == "zh" else 17, node_size=(7.0, 24.0),
                              live=LiveFigures("承担措施数", "measures", "相连节点数", "linked nodes", "", "")),
    }


class Phases:
    """Wall and CPU seconds per phase of a views build, for benchmarks (``benchmarks/corpus_views.py``)."""

    def __init__(self) -> None:
        self.seconds: dict[str, tuple[float, float]] = {}

    @contextmanager
    def __call__(self, name: str):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            w, c = self.seconds.get(name, (0.0, 0.0))
            self.seconds[name] = (w + time.perf_counter() - wall, c + time.process_time() - cpu)


def build_views(source: nw.Source, out: str | Path = "views", *, lang: str = "zh",
                query_dir: str | Path | None = None, phases: Phases | None = None,
                close_source: bool = False) -> ViewsResult:
    """Write the whole views folder for the graph behind ``source`` (a query engine or endpoint URL).
    ``phases``, if given, collects the time each phase took. ``close_source``: the caller asks
    ``source`` nothing more, so it is closed once the views' queries have run (freeing the graph
    of 1,000 plans takes half a second, spent while the other half of the views is being made).

    The folder is made in two halves that share only the body network's metrics: the units'
    (co-responsibility pages and exports, outline, sheets, index) and the tasks' (unit-task page,
    the unit-task and structure networks' exports). From ``IN_CHILD_FROM`` rows a forked child
    process makes the tasks' half meanwhile."""
    if lang not in T:
        raise ValueError(f"lang must be zh or en, got {lang!r}")
    with _fewer_collections():
        return _build_views(source, Path(out), lang=lang, query_dir=query_dir, phase=phases or Phases(),
                            close_source=close_source)


@contextmanager
def _fewer_collections():
    """Python's cycle collector runs after every 700 new objects, walking the young ones: the views
    of 1,000 plans make millions (rows, graphs, page data) that live to the end, and its 2,500
    runs cost about 1.3 s CPU of 9 while freeing some 200,000 objects. After every 100,000 it runs
    10 times (0.15 s); what it frees later is not missed (the peak RSS is the same)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build_views(source: nw.Source, out: Path, *, lang: str, query_dir, phase: Phases,
                 close_source: bool) -> ViewsResult:
    with phase("view queries"):
        data = nw.ViewData.fetch(source, query_dir=query_dir)
    specs = page_specs(data, lang)
    with phase("body network, metrics"):
        body, metrics = body_network(data)
    with phase("task half (started)"):
        tasks = _start(_task_half, data, body, metrics, specs, out, lang,
                       in_child=len(data.structure) + len(data.measure_units) >= IN_CHILD_FROM,
                       what=f"{out}/unit-task.html and the task networks' exports")
    with phase("annex network, layout"):
        annex = annex_network(data, body, lang=lang)
    nets = {"co-responsibility": body, "co-responsibility-annex": annex}
    with phase("network pages"):
        pages = [write_text(out / f"{key}.html", render_page(g, specs[key], lang=lang)) for key, g in nets.items()]
    with phase("outline"):
        outline = write_text(out / "structure.html", outline_page(data, lang, VIEW_PAGES[3][1 if lang == "zh" else 2]))
    with phase("exports"):
        exports = write_exports(nets, out / "data")
    sheets: list[Path] = []
    with phase("sheets"):
        index = sheet_index(data)
        for unit in data.unit_table():
            sheets.append(write_text(out / sheet_file(unit), sheet_page(unit, data, body, lang, index)))
    with phase("index"):
        counts = count_things(data)
        sheets.append(write_text(out / "index.html", index_page(data, body, counts, lang)))
    if close_source and not isinstance(source, str):
        with phase("closing the graph"):
            source.close()
    with phase("task half (waited for)"):
        task_pages, task_exports = tasks()
    files = pages + task_pages + [outline] + exports + task_exports + sheets
    return ViewsResult(out=out, files=files, counts=counts)


def _task_half(data: nw.ViewData, body: nx.Graph, metrics: dict, specs: dict, out: Path,
               lang: str) -> tuple[list[Path], list[Path]]:
    """The unit-task page and the task networks' exports: (pages, exports)."""
    unit_task, structure = task_networks(data, body, metrics)
    pages = [write_text(out / "unit-task.html", render_page(unit_task, specs["unit-task"], lang=lang))]
    return pages, write_exports({"unit-task": unit_task, "structure": structure}, out / "data", csv=False)


def write_exports(nets: dict[str, nx.Graph], folder: Path, *, csv: bool = True) -> list[Path]:
    """The unit metrics as CSV (of the body network; ``csv=False``: none) and every network as
    GraphML and GEXF. A file that cannot be written is a RuntimeFailure."""
    try:
        files = [nw.write_metrics_csv(nets["co-responsibility"], folder / "unit-metrics.csv")] if csv else []
        for key, g in nets.items():
            files.extend(nw.write_network_files(g, folder, key))
    except OSError as err:
        raise RuntimeFailure(f"{folder}: cannot write the GraphML/GEXF exports: {type(err).__name__}: {err}") from err
    return files


# From this many rows of the view queries (measures' units and the outline, about 24,000 at
# 1,000 plans) the tasks' half of the views is made by a forked child process while this one makes
# the units' half: the machine has two cores, and the halves share only the body network's metrics.
IN_CHILD_FROM = 5000


def _start(work, *args, in_child: bool, what: str):
    """Run ``work(*args)`` now, or in a forked child; returns a function that gives its result.
    A failure in the child is a RuntimeFailure: its own message if it is policykg's error, else
    ``what`` could not be made and why."""
    if not in_child or "fork" not in mp.get_all_start_methods():
        result = work(*args)
        return lambda: result
    ctx = mp.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(work, args, writer), daemon=True)
    child.start()
    writer.close()

    def wait():
        try:
            status, value = reader.recv()
        except EOFError:
            status, value = "failed", "the process making it stopped"
        child.join()
        if status == "error":
            raise RuntimeFailure(value)
        if status == "failed":
            raise RuntimeFailure(f"cannot make {what}: {value}")
        return value

    return wait


def _child(work, args, writer) -> None:
    try:
        writer.send(("ok", work(*args)))
    except PolicyKGError as err:
        writer.send(("error", str(err)))
    except BaseException as err:  # noqa: BLE001 - reported to the parent, which raises it
        writer.send(("failed", f"{type(err).__name__}: {err}"))


def count_things(data: nw.ViewData) -> dict:
    s = data.structure
    return {
        "plans": len({r["plan"] for r in s}),
        "pilot_tasks": len({r["pilotTask"] for r in s}),
        "work_tasks": len({r["workTask"] for r in s if r.get("workTask")}),
        "n_measures": len({r["measure"] for r in s if r.get("measure")}),
        "units": len(data.unit_table()),
        "annex_rows_n": len({r["item"] for r in data.annex_row_units}),
        "discrepancies": len({r["discrepancy"] for r in data.discrepancies}),
    }


def _plan_info(data: nw.ViewData, lang: str, titled: bool) -> list[str]:
    """What each plan says of itself: 文号, date, the day its page was published, issuers (those that sign with the first after it),
    and its goals with their years."""
    t = T[lang]
    titles = {r["plan"]: r.get("planTitle") for r in data.structure}
    plans: dict[str, dict] = {}
    for r in data.plan_info:
        info = plans.setdefault(r["plan"], {"identifier": [], "issued": [], "available": [], "publisher": [], "joint": [],
                                           "goal": []})
        info[r["kind"]].append(r)
    h = [f"<h2>{esc(t['plan_info'])}</h2>"] if plans else []
    for plan, info in sorted(plans.items()):
        if titled:
            h.append(f"<h3>{esc(titles.get(plan) or nw.short_name(plan))}</h3>")
        facts = [(t["doc_number"], "、".join(str(r["value"]) for r in info["identifier"])),
                 (t["issued"], "、".join(str(r["value"]) for r in info["issued"])),
                 (t["available"], "、".join(str(r["value"]) for r in info["available"])),
                 (t["issuer"], "、".join(str(r["value"]) for r in info["publisher"]))]
        line = " · ".join(f'<span class="muted">{esc(label)}</span> {esc(value)}' for label, value in facts if value)
        if info["joint"]:
            line += (f' <span class="muted">（{esc(t["joint"])}：{esc("、".join(str(r["value"]) for r in info["joint"]))}）</span>'
                     if lang == "zh" else
                     f' <span class="muted">({esc(t["joint"])} {esc(", ".join(str(r["value"]) for r in info["joint"]))})</span>')
        h.append(f"<p>{line}</p>")
        if info["goal"]:
            h.append(f"<h3>{esc(t['goals'])}</h3><ul class=\"goals\">")
            for r in info["goal"]:
                year = f'<span class="muted">{esc(r["year"])}</span> ' if r.get("year") is not None else ""
                h.append(f"<li>{year}{esc(r['value'])}</li>")
            h.append("</ul>")
    return h


def index_page(data: nw.ViewData, body: nx.Graph, counts: dict, lang: str) -> str:
    t = T[lang]
    units = data.unit_table()
    titles = sorted({r.get("planTitle") or nw.short_name(r["plan"]) for r in data.structure})
    if counts["plans"] > 3:  # a corpus: its titles would fill the page (policykg query plans lists them)
        heading = f"{counts['plans']} 个方案" if lang == "zh" else f"{counts['plans']} plans"
    else:
        heading = "；".join(titles) if lang == "zh" else "; ".join(titles)
    h = [f"<h1>{esc(heading)}</h1>"]
    if counts["plans"] <= 3:
        h.extend(_plan_info(data, lang, titled=counts["plans"] > 1))
    h.append(f"<h2>{t['counts']}</h2><div class=\"counts\">")
    keys = ("pilot_tasks", "work_tasks", "n_measures", "units", "annex_rows_n", "discrepancies")
    for key in (("plans",) + keys) if counts["plans"] > 1 else keys:
        h.append(f"<span><b>{counts[key]}</b> {esc(t[key])}</span>")
    h.append("</div>")
    h.append(f"<h2>{t['views']}</h2><ul>")
    for file, zh, en, nzh, nen in VIEW_PAGES:
        h.append(f'<li><a href="{esc(file)}">{esc(zh if lang == "zh" else en)}</a> '
                 f'<span class="muted">{esc(nzh if lang == "zh" else nen)}</span></li>')
    h.append("</ul>")
    h.append(f"<h2>{t['top']}</h2><table><tr><th>#</th><th>{t['unit']}</th><th>{t['type']}</th>")
    for key in ("measures", "leads") + nw.METRICS:
        zh, en = nw.METRIC_LABELS[key]
        h.append(f"<th>{esc(zh if lang == 'zh' else en)}</th>")
    h.append("</tr>")
    types = {k: (zh, en) for k, zh, en in data.unit_types()}
    for i, row in enumerate(nw.metrics_table(body)[:10], 1):
        u = units[row["unit"]]
        tz, te = types.get(row["type"], (row["type"], row["type"]))
        h.append(f'<tr><td class="num">{i}</td><td><a href="{esc(sheet_file(row["unit"]))}">{esc(name(u, lang))}</a>'
                 f' <span class="en">{esc(other_name(u, lang))}</span></td><td>{esc(tz if lang == "zh" else te)}</td>')
        for key in ("measures", "leads") + nw.METRICS:
            h.append(f'<td class="num">{esc(row[key])}</td>')
        h.append("</tr>")
    h.append("</table>")
    h.append(f"<h2 id=\"discrepancies\">{t['disc']} ({counts['discrepancies']})</h2>")
    rows = discrepancies(data)
    h.extend(discrepancy_table(rows, lang) if rows else [f"<p>{t['none']}</p>"])
    h.append(f"<h2>{t['downloads']}</h2><ul>")
    h.append(f'<li><a href="data/unit-metrics.csv">{esc(t["csv"])}</a></li>')
    for file, zh, en, _, _ in VIEW_PAGES:
        key = file[:-5]
        h.append(f'<li>{esc(zh if lang == "zh" else en)}: <a href="data/{key}.graphml">{t["graphml"]}</a> · '
                 f'<a href="data/{key}.gexf">{esc(t["gexf"])}</a></li>')
    h.append("</ul>")
    h.append(f"<h2>{t['sheets']} ({len(units)})</h2><ul class=\"cols\">")
    for iri, u in sorted(units.items(), key=lambda kv: (kv[1]["collective"], name(kv[1], lang), kv[0])):
        h.append(f'<li><a href="{esc(sheet_file(iri))}">{esc(name(u, lang))}</a></li>')
    h.append("</ul>")
    return static_page(heading, "\n".join(h) + "\n", lang)


__all__ = ["build_views", "build_networks", "page_specs", "index_page", "sheet_page", "sheet_index", "sheet_file",
           "about_label", "count_things", "share_layout"]
