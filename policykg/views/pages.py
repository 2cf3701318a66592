"""The views folder: network pages, an index, one responsibility sheet (责任清单) per unit, exports.

:func:`build_views` reads the graph through the ``view-*`` SPARQL queries (local graph or
endpoint), builds the networks of :mod:`policykg.views.networks`, draws them with
:mod:`policykg.views.render` and writes plain, script-free HTML for the index and the sheets. Every
file is UTF-8 and byte-identical across runs on the same graph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import networks as nw
from .render import PALETTE, Category, EdgeKind, FilterOption, PageSpec, esc, render_page, write_text

TYPE_COLORS = {
    "county-government-department": PALETTE[0],
    "county-party-department": PALETTE[1],
    "municipal-bureau-branch": PALETTE[2],
    "financial-institution": PALETTE[3],
    "public-service-institution": PALETTE[4],
    "township-collective": PALETTE[5],
    "coordinating-body": PALETTE[6],
    "unknown": PALETTE[7],
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
     "同上，但按附件任务分工表的行计数。", "As above, counted over the rows of the annexed task-division table."),
    ("unit-task.html", "单位—任务网络", "Units and tasks",
     "虚线：牵头试验任务；实线：承担工作任务下的措施（线宽 = 措施数）。",
     "Dashed: leads a pilot task; solid: responsible for measures of a work task (width = measures)."),
    ("structure.html", "方案结构", "Structure of the plan",
     "方案 → 试验任务 → 工作任务 → 具体措施 → 责任单位。", "Plan → pilot tasks → work tasks → measures → responsible units."),
)

T = {
    "zh": {
        "index": "首页", "views": "网络视图", "counts": "规模", "top": "中心性最高的单位",
        "disc": "正文与附件差异", "downloads": "数据下载", "sheets": "单位责任清单", "unit": "单位",
        "type": "类型", "kind": "差异类型", "about": "对象", "body": "正文", "annex": "附件",
        "leads": "牵头的试验任务", "measures": "承担的具体措施", "annex_rows": "附件分工表中列名的行",
        "measure": "措施", "task": "所属任务", "partners": "共同责任单位", "source": "原文",
        "line": "原文第{n}行", "row": "附件第{n}行", "none": "无", "metrics": "网络指标",
        "part": "来源", "sheet_title": "责任清单：{name}",
        "plans": "方案", "pilot_tasks": "试验任务", "work_tasks": "工作任务", "n_measures": "具体措施",
        "units": "单位", "annex_rows_n": "附件分工表行", "discrepancies": "正文与附件差异",
        "csv": "单位网络指标（CSV）", "graphml": "GraphML", "gexf": "GEXF（Gephi）",
    },
    "en": {
        "index": "Index", "views": "Network views", "counts": "Counts", "top": "Most central units",
        "disc": "Body / annex discrepancies", "downloads": "Downloads", "sheets": "Responsibility sheets",
        "unit": "Unit", "type": "Type", "kind": "Kind", "about": "About", "body": "Body", "annex": "Annex",
        "leads": "Pilot tasks it leads", "measures": "Measures it shares", "annex_rows": "Annex rows naming it",
        "measure": "Measure", "task": "Task", "partners": "Partners", "source": "Source sentence",
        "line": "source line {n}", "row": "annex row {n}", "none": "none", "metrics": "Network metrics",
        "part": "Part", "sheet_title": "Responsibility sheet: {name}",
        "plans": "plans", "pilot_tasks": "pilot tasks", "work_tasks": "work tasks", "n_measures": "measures",
        "units": "units", "annex_rows_n": "annex rows", "discrepancies": "discrepancies",
        "csv": "Unit network metrics (CSV)", "graphml": "GraphML", "gexf": "GEXF (Gephi)",
    },
}


@dataclass
class ViewsResult:
    out: Path
    files: list[Path]
    counts: dict


def sheet_file(unit_iri: str) -> str:
    """``units/<jurisdiction>-<slug>.html`` from a unit IRI ``…/unit/<jurisdiction>/<slug>``."""
    parts = [p for p in re.split(r"[/#]", unit_iri) if p]
    tail = parts[-2:] if len(parts) >= 2 and parts[-3:-2] == ["unit"] else parts[-1:]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(tail)).strip("-.") or "unit"
    return f"units/{name}.html"


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


def build_networks(data: nw.ViewData) -> dict[str, nx.Graph]:
    """The four networks of the views folder, with metrics on the units."""
    body = nw.co_responsibility_network(data, part="body")
    metrics = nw.add_unit_metrics(body)
    annex = nw.co_responsibility_network(data, part="annex")
    nw.add_unit_metrics(annex)
    unit_task = nw.unit_task_network(data)
    structure = nw.structure_network(data)
    for g in (unit_task, structure):
        for n, a in g.nodes(data=True):
            if a.get("kind") == "unit" and n in body:
                a["measures"] = body.nodes[n]["measures"]
                a["leads"] = body.nodes[n]["leads"]
        nw.add_unit_metrics(g, metrics)
        _task_info(g, data)
    for g in (body, annex, unit_task, structure):
        _with_sheets(g)
    return {"co-responsibility": body, "co-responsibility-annex": annex, "unit-task": unit_task,
            "structure": structure}


def page_specs(data: nw.ViewData) -> dict[str, PageSpec]:
    """Titles, legends, filter menus and switches of the four network pages."""
    cats = unit_categories(data)
    filters = pilot_task_filters(data)
    back = (("index.html", "首页", "Index"),)
    return {
        "co-responsibility": PageSpec(*VIEW_PAGES[0][1:], categories=cats, filters=filters,
                                      edge_kinds=(EdgeKind("shared", "共担措施（线宽 = 数量）", "shared measures (width = count)"),),
                                      collective_switch=True, links=back),
        "co-responsibility-annex": PageSpec(*VIEW_PAGES[1][1:], categories=cats, filters=filters,
                                            edge_kinds=(EdgeKind("shared", "共担附件行（线宽 = 数量）", "shared annex rows (width = count)"),),
                                            collective_switch=True, links=back),
        "unit-task": PageSpec(*VIEW_PAGES[2][1:], categories=cats + TASK_CATEGORIES[1:3], filters=filters,
                              edge_kinds=(EdgeKind("lead", "牵头", "leads", "#B42318", True),
                                          EdgeKind("responsible", "承担措施", "responsible", "#8896AB"),
                                          EdgeKind("part-of", "隶属", "part of", "#D0D7DE")),
                              collective_switch=True, links=back, font_size=14, node_size=(7.0, 24.0)),
        "structure": PageSpec(*VIEW_PAGES[3][1:], categories=cats + TASK_CATEGORIES, filters=filters,
                              edge_kinds=(EdgeKind("part-of", "隶属", "part of", "#8896AB"),
                                          EdgeKind("responsible", "责任单位", "responsible unit", "#D0D7DE")),
                              collective_switch=True, links=back, font_size=14, node_size=(4.0, 11.0)),
    }


def build_views(source: nw.Source, out: str | Path = "views", *, lang: str = "zh",
                query_dir: str | Path | None = None) -> ViewsResult:
    """Write the whole views folder for the graph behind ``source`` (rdflib graph or endpoint URL)."""
    if lang not in T:
        raise ValueError(f"lang must be zh or en, got {lang!r}")
    out = Path(out)
    data = nw.ViewData.fetch(source, query_dir=query_dir)
    nets = build_networks(data)
    files: list[Path] = []
    specs = page_specs(data)
    for key, g in nets.items():
        files.append(write_text(out / f"{key}.html", render_page(g, specs[key], lang=lang)))
    body = nets["co-responsibility"]
    files.append(nw.write_metrics_csv(body, out / "data" / "unit-metrics.csv"))
    for key, g in nets.items():
        files.append(nw.write_graphml(g, out / "data" / f"{key}.graphml"))
        files.append(nw.write_gexf(g, out / "data" / f"{key}.gexf"))
    index = sheet_index(data)
    for unit in data.unit_table():
        files.append(write_text(out / sheet_file(unit), sheet_page(unit, data, body, lang, index)))
    counts = count_things(data)
    files.append(write_text(out / "index.html", index_page(data, body, counts, lang)))
    return ViewsResult(out=out, files=files, counts=counts)


def sheet_index(data: nw.ViewData) -> dict:
    """What the unit sheets look up, indexed by unit once (not scanned once per sheet)."""
    leads: dict[str, list] = defaultdict(list)
    for r in data.pilot_task_leads:
        leads[r["unit"]].append(r)
    return {"leads": leads, "measures": _Items.index(data.measure_units),
            "annex_rows": _Items.index(data.annex_row_units)}


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


# --------------------------------------------------------------------------- static pages

STATIC_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1b1f24;max-width:1180px;margin:0 auto;padding:16px 20px 40px;line-height:1.55}
h1{font-size:22px;margin:4px 0 10px}h2{font-size:18px;margin:26px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:3px}
a{color:#0550ae}nav{font-size:14px;margin-bottom:6px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border:1px solid #d0d7de;padding:4px 7px;vertical-align:top;text-align:left}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.en{color:#57606a}.muted{color:#57606a;font-size:13px}
ul.cols{columns:3;padding-left:18px}
.counts{display:flex;flex-wrap:wrap;gap:8px 26px;font-size:15px}.counts b{font-size:20px}
.src{font-size:13.5px}
td.kind,td.about{white-space:nowrap}
table.items td:nth-child(2){width:24%}table.items td:nth-child(3){width:17%}
"""
STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def _static_page(title: str, body: str, lang: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{STATIC_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STATIC_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _name(entry: dict, lang: str) -> str:
    return entry["name_zh"] if lang == "zh" else entry["name_en"]


def _other(entry: dict, lang: str) -> str:
    return entry["name_en"] if lang == "zh" else entry["name_zh"]


def index_page(data: nw.ViewData, body: nx.Graph, counts: dict, lang: str) -> str:
    t = T[lang]
    units = data.unit_table()
    titles = sorted({r.get("planTitle") or nw.short_name(r["plan"]) for r in data.structure})
    if counts["plans"] > 3:  # a corpus: its titles would fill the page (policykg query plans lists them)
        heading = f"{counts['plans']} 个方案" if lang == "zh" else f"{counts['plans']} plans"
    else:
        heading = "；".join(titles) if lang == "zh" else "; ".join(titles)
    h = [f"<h1>{esc(heading)}</h1>"]
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
        h.append(f'<tr><td class="num">{i}</td><td><a href="{esc(sheet_file(row["unit"]))}">{esc(_name(u, lang))}</a>'
                 f' <span class="en">{esc(_other(u, lang))}</span></td><td>{esc(tz if lang == "zh" else te)}</td>')
        for key in ("measures", "leads") + nw.METRICS:
            h.append(f'<td class="num">{esc(row[key])}</td>')
        h.append("</tr>")
    h.append("</table>")
    h.append(f"<h2>{t['disc']} ({counts['discrepancies']})</h2>")
    if data.discrepancies:
        h.append(f"<table><tr><th>{t['kind']}</th><th>{t['about']}</th><th>{t['body']}</th><th>{t['annex']}</th></tr>")
        seen = set()
        for r in data.discrepancies:
            if r["discrepancy"] in seen:
                continue
            seen.add(r["discrepancy"])
            kind = (r.get("kindZh") if lang == "zh" else r.get("kindEn")) or r.get("kind") or ""
            about = r.get("aboutId") or r.get("aboutTitle") or nw.short_name(r.get("about") or "")
            if r.get("aboutId"):
                about = (f"措施{about}" if lang == "zh" else f"measure {about}")
            h.append(f"<tr><td class=\"kind\">{esc(kind)}</td><td class=\"about\">{esc(nw.short_label(about, 14))}</td><td class=\"src\">{esc(r.get('bodyValue') or '')}</td>"
                     f"<td class=\"src\">{esc(r.get('annexValue') or '')}</td></tr>")
        h.append("</table>")
    else:
        h.append(f"<p>{t['none']}</p>")
    h.append(f"<h2>{t['downloads']}</h2><ul>")
    h.append(f'<li><a href="data/unit-metrics.csv">{esc(t["csv"])}</a></li>')
    for file, zh, en, _, _ in VIEW_PAGES:
        key = file[:-5]
        h.append(f'<li>{esc(zh if lang == "zh" else en)}: <a href="data/{key}.graphml">{t["graphml"]}</a> · '
                 f'<a href="data/{key}.gexf">{esc(t["gexf"])}</a></li>')
    h.append("</ul>")
    h.append(f"<h2>{t['sheets']} ({len(units)})</h2><ul class=\"cols\">")
    for iri, u in sorted(units.items(), key=lambda kv: (kv[1]["collective"], _name(kv[1], lang), kv[0])):
        h.append(f'<li><a href="{esc(sheet_file(iri))}">{esc(_name(u, lang))}</a></li>')
    h.append("</ul>")
    return _static_page(heading, "\n".join(h) + "\n", lang)


def sheet_page(unit: str, data: nw.ViewData, body: nx.Graph, lang: str, index: dict | None = None) -> str:
    """The responsibility sheet of one unit: pilot tasks it leads, measures it shares (with partners
    and source sentence), annex rows naming it, and its network metrics. ``index`` is
    :func:`sheet_index` of ``data``, made once when writing many sheets."""
    index = index or sheet_index(data)
    t = T[lang]
    units = data.unit_table()
    u = units[unit]
    up = "../"
    link = lambda iri: f'<a href="{esc(up + sheet_file(iri))}">{esc(_name(units[iri], lang))}</a>'  # noqa: E731
    h = [f'<nav><a href="../index.html">{t["index"]}</a> · <a href="../co-responsibility.html">{esc(VIEW_PAGES[0][1 if lang == "zh" else 2])}</a></nav>']
    h.append(f"<h1>{esc(t['sheet_title'].format(name=_name(u, lang)))}</h1>")
    types = {k: (zh, en) for k, zh, en in data.unit_types()}
    tz, te = types.get(u["type"], (u["type"], u["type"]))
    h.append(f'<p><span class="en">{esc(_other(u, lang))}</span> · {esc(tz if lang == "zh" else te)}</p>')
    # leads
    leads = defaultdict(set)
    for r in index["leads"].get(unit, ()):
        leads[(nw._sort_num(r.get("ptNumber")), r["pilotTask"], r.get("ptNumber"), r.get("ptTitle") or "")].add(r["part"])
    h.append(f"<h2>{t['leads']} ({len(leads)})</h2>")
    if leads:
        h.append("<ul>")
        for (_, _, num, title), parts in sorted(leads.items()):
            where = "、".join(t[p] for p in ("body", "annex") if p in parts) if lang == "zh" else \
                ", ".join(t[p].lower() for p in ("body", "annex") if p in parts)
            h.append(f"<li>{esc(num)}. {esc(title)} <span class=\"muted\">({t['part']}: {esc(where)})</span></li>")
        h.append("</ul>")
    else:
        h.append(f"<p>{t['none']}</p>")
    # measures (body)
    h.extend(_item_table(unit, index["measures"], units, link, t, lang, "measures", "line"))
    h.extend(_item_table(unit, index["annex_rows"], units, link, t, lang, "annex_rows", "row"))
    if unit in body:
        a = body.nodes[unit]
        h.append(f"<h2>{t['metrics']}</h2><table>")
        for key in ("measures", "leads") + nw.METRICS:
            zh, en = nw.METRIC_LABELS[key]
            h.append(f"<tr><th>{esc(zh if lang == 'zh' else en)}</th><td class=\"num\">{esc(a.get(key, ''))}</td></tr>")
        h.append("</table>")
    return _static_page(t["sheet_title"].format(name=_name(u, lang)), "\n".join(h) + "\n", lang)


@dataclass
class _Items:
    """The rows of a measure or annex-row view query, indexed once for every unit's sheet."""

    members: dict  # item -> the units named for it
    info: dict  # item -> its first row
    of_unit: dict  # unit -> the items naming it

    @classmethod
    def index(cls, rows) -> "_Items":
        members: dict[str, set[str]] = defaultdict(set)
        info: dict[str, dict] = {}
        of_unit: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            if r["unit"] not in members[r["item"]]:
                members[r["item"]].add(r["unit"])
                of_unit[r["unit"]].append(r["item"])
            info.setdefault(r["item"], r)
        return cls(members, info, of_unit)


def _item_table(unit, items: _Items, units, link, t, lang, heading, where_key):
    members, info = items.members, items.info
    mine = sorted(items.of_unit.get(unit, ()),
                  key=lambda i: (nw._sort_num(info[i].get("ptNumber")), nw._sort_num(info[i].get("wtNumber")),
                                 nw.measure_sort_key(info[i].get("identifier")), nw._sort_num(info[i].get("line")), i))
    out = [f"<h2>{t[heading]} ({len(mine)})</h2>"]
    if not mine:
        out.append(f"<p>{t['none']}</p>")
        return out
    out.append(f"<table class=\"items\"><tr><th>{t['measure']}</th><th>{t['task']}</th><th>{t['partners']}</th><th>{t['source']}</th></tr>")
    for i in mine:
        r = info[i]
        partners = sorted((p for p in members[i] if p != unit and p in units),
                          key=lambda p: (units[p]["collective"], _name(units[p], lang), p))
        task = ""
        if r.get("ptNumber") is not None:
            task = f"{r['ptNumber']}. {r.get('ptTitle') or ''}"
        if r.get("wtNumber") is not None:
            task += f" / {r['wtNumber']}. {r.get('wtTitle') or ''}"
        where = t[where_key].format(n=r["line"]) if r.get("line") is not None else ""
        out.append(
            f"<tr><td class=\"num\">{esc(r.get('identifier') or '')}</td><td>{esc(task)}</td>"
            f"<td>{'、'.join(link(p) for p in partners) if partners else esc(t['none'])}</td>"
            f"<td class=\"src\">{esc(r.get('text') or '')} <span class=\"muted\">{esc(where)}</span></td></tr>"
        )
    out.append("</table>")
    return out
