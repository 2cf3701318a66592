"""The overview of a large corpus: jurisdictions → their units by type and their plans → a plan's views.

One drawing of every unit stops being readable (and fast) at thousands of plans. The overview
instead writes static pages from two aggregate queries (``view-corpus-plans``, one row per plan,
and ``view-corpus-units``, one row per unit with its counts), so its cost grows with the number
of plans and units, not with the measures and their pairs:

- ``index.html``: every jurisdiction with its plans, pilot tasks, measures and units, the units
  counted by type;
- ``jurisdictions/<slug>.html``: the jurisdiction's units grouped by type (plans, measures, pilot
  tasks led) and its plans (document number, date, counts).

A plan's own views (networks, outline, responsibility sheets) are drawn on demand with
``policykg visualize --plan SLUG --out OUT/plans/SLUG``: the jurisdiction page shows that command
for each plan, and links the plan's title to ``plans/SLUG/index.html`` once that folder exists
(so no link is ever broken; writing the overview again after drawing plans adds their links).
"""

from __future__ import annotations

import re
import shlex
from collections import defaultdict
from pathlib import Path

from . import networks as nw
from .pages import TYPE_COLORS, ViewsResult
from .render import PALETTE, esc, write_text
from .statichtml import static_page

TEXT = {
    "zh": {
        "title": "{plans} 个方案 · {jurisdictions} 个地区",
        "note": "单位按地区和类型归并；点击地区查看其单位（按类型）和方案。单个方案的网络图、结构和责任清单按需生成：",
        "jurisdiction": "地区", "plans": "方案", "pilot_tasks": "试验任务", "measures": "具体措施", "units": "单位",
        "leads": "牵头试验任务", "total": "合计", "index": "首页", "by_type": "单位（按类型）",
        "doc_number": "文号", "issued": "印发日期",
        "draw_note": "方案标题链接到已生成的方案视图（网络图、结构、责任清单）；尚未生成的，用下面的命令生成（SLUG 换成表中的值），"
                     "再写一次概览即可链接：",
        "counts_by_type": "各类单位数", "unknown": "（未标地区）", "en": "English",
    },
    "en": {
        "title": "{plans} plans · {jurisdictions} jurisdictions",
        "note": "Units grouped by jurisdiction and type; open a jurisdiction for its units (by type) and its "
                "plans. A plan's own networks, outline and responsibility sheets are drawn on demand:",
        "jurisdiction": "Jurisdiction", "plans": "plans", "pilot_tasks": "pilot tasks", "measures": "measures",
        "units": "units", "leads": "pilot tasks led", "total": "Total", "index": "Index", "by_type": "Units by type",
        "doc_number": "Document number", "issued": "Issued",
        "draw_note": "A plan's title links to its views (networks, outline, responsibility sheets) once they are "
                     "drawn; draw the others with this command (SLUG from the table), then write the overview "
                     "again to link them:",
        "counts_by_type": "units by type", "unknown": "(no jurisdiction)", "en": "Chinese",
    },
}

OVERVIEW_CSS = (
    "<style>.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:4px}"
    "code{font-size:12.5px;background:#f6f8fa;padding:1px 4px;border-radius:3px;white-space:nowrap}"
    "tr.total td{font-weight:600;background:#f6f8fa}h3{font-size:16px;margin:18px 0 6px}</style>\n"
)


def _file_slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(text)).strip("-.") or "x"


class OverviewData:
    """Plans and units of a corpus, grouped by jurisdiction."""

    def __init__(self, plans: list[dict], units: list[dict]) -> None:
        self.plans = plans
        self.units = units
        self.jurisdictions: dict[str, dict] = {}
        for p in plans:
            j = p.get("jurisdiction") or ""
            entry = self.jurisdictions.setdefault(j, {
                "iri": j, "zh": p.get("jZh"), "en": p.get("jEn"),
                "file": f"jurisdictions/{_file_slug(p.get('jSlug') or nw.short_name(j) or 'none')}.html",
                "plans": [], "units": []})
            entry["plans"].append(p)
        for u in units:
            j = u.get("jurisdiction") or ""
            if j in self.jurisdictions:  # a unit of a jurisdiction with no plan here is left out
                self.jurisdictions[j]["units"].append(u)
        types: dict[str, tuple] = {}
        for u in units:
            types.setdefault(u.get("type") or "unknown", (u.get("typeZh"), u.get("typeEn")))
        order = [key for key, _, _ in nw.UNIT_TYPES]
        defaults = {key: (zh, en) for key, zh, en in nw.UNIT_TYPES}
        self.types = [
            (key, types[key][0] or defaults.get(key, (key, key))[0], types[key][1] or defaults.get(key, (key, key))[1])
            for key in sorted(types, key=lambda k: (order.index(k) if k in order else len(order), k))
        ]

    @classmethod
    def fetch(cls, source: nw.Source, *, query_dir: str | Path | None = None) -> "OverviewData":
        return cls(nw.run_select("view-corpus-plans", source, query_dir=query_dir),
                   nw.run_select("view-corpus-units", source, query_dir=query_dir))


def jurisdiction_name(j: dict, lang: str) -> str:
    first, second = (j["zh"], j["en"]) if lang == "zh" else (j["en"], j["zh"])
    return str(first or second or nw.short_name(j["iri"]) or TEXT[lang]["unknown"])


def _type_head(key: str, label: str) -> str:
    color = TYPE_COLORS.get(key, PALETTE[7])
    return f'<span class="dot" style="background:{color}"></span>{esc(label)}'


def _ordered_jurisdictions(data: OverviewData, lang: str) -> list[dict]:
    return sorted(data.jurisdictions.values(), key=lambda j: (-len(j["plans"]), jurisdiction_name(j, lang), j["iri"]))


def index_page(data: OverviewData, lang: str, command: str) -> str:
    t = TEXT[lang]
    js = _ordered_jurisdictions(data, lang)
    title = t["title"].format(plans=len(data.plans), jurisdictions=len(js))
    type_label = {key: (zh if lang == "zh" else en) for key, zh, en in data.types}
    h = [f"<h1>{esc(title)}</h1>", f"<p>{esc(t['note'])} <code>{esc(command)}</code></p>"]
    h.append(f"<table><tr><th>{esc(t['jurisdiction'])}</th><th>{esc(t['plans'])}</th><th>{esc(t['pilot_tasks'])}</th>"
             f"<th>{esc(t['measures'])}</th><th>{esc(t['units'])}</th>")
    h.extend(f"<th>{_type_head(key, type_label[key])}</th>" for key, _, _ in data.types)
    h.append("</tr>")
    totals: dict[str, int] = defaultdict(int)
    for j in js:
        by_type: dict[str, int] = defaultdict(int)
        for u in j["units"]:
            by_type[u.get("type") or "unknown"] += 1
        figures = {"plans": len(j["plans"]), "pilot_tasks": sum(p.get("pilotTasks") or 0 for p in j["plans"]),
                   "measures": sum(p.get("measures") or 0 for p in j["plans"]), "units": len(j["units"]),
                   **{f"type:{k}": by_type[k] for k, _, _ in data.types}}
        for k, v in figures.items():
            totals[k] += v
        h.append(f'<tr><td><a href="{esc(j["file"])}">{esc(jurisdiction_name(j, lang))}</a></td>'
                 + "".join(f'<td class="num">{v}</td>' for v in figures.values()) + "</tr>")
    h.append(f'<tr class="total"><td>{esc(t["total"])}</td>'
             + "".join(f'<td class="num">{totals[k]}</td>' for k in
                       ["plans", "pilot_tasks", "measures", "units", *(f"type:{k}" for k, _, _ in data.types)])
             + "</tr></table>")
    return static_page(title, OVERVIEW_CSS + "\n".join(h) + "\n", lang)


def jurisdiction_page(j: dict, data: OverviewData, lang: str, command: str, drawn: set[str]) -> str:
    t = TEXT[lang]
    title = jurisdiction_name(j, lang)
    other = jurisdiction_name(j, "en" if lang == "zh" else "zh")
    h = [f'<nav><a href="../index.html">{esc(t["index"])}</a></nav>', f"<h1>{esc(title)}</h1>"]
    if other != title:
        h.append(f'<p class="en">{esc(other)}</p>')
    h.append('<div class="counts">'
             f'<span><b>{len(j["plans"])}</b> {esc(t["plans"])}</span>'
             f'<span><b>{len(j["units"])}</b> {esc(t["units"])}</span>'
             f'<span><b>{sum(p.get("pilotTasks") or 0 for p in j["plans"])}</b> {esc(t["pilot_tasks"])}</span>'
             f'<span><b>{sum(p.get("measures") or 0 for p in j["plans"])}</b> {esc(t["measures"])}</span></div>')
    h.append(f"<h2>{esc(t['by_type'])}</h2>")
    by_type: dict[str, list[dict]] = defaultdict(list)
    for u in j["units"]:
        by_type[u.get("type") or "unknown"].append(u)
    name_key = "nameZh" if lang == "zh" else "nameEn"
    other_key = "nameEn" if lang == "zh" else "nameZh"
    for key, zh, en in data.types:
        units = sorted(by_type.get(key, ()), key=lambda u: (-(u.get("measures") or 0), str(u.get(name_key) or ""), u["unit"]))
        if not units:
            continue
        h.append(f"<h3>{_type_head(key, zh if lang == 'zh' else en)} ({len(units)})</h3>")
        h.append(f"<table><tr><th>{esc(t['units'])}</th><th>{esc(t['en'])}</th><th>{esc(t['plans'])}</th>"
                 f"<th>{esc(t['measures'])}</th><th>{esc(t['leads'])}</th></tr>")
        for u in units:
            shown = u.get(name_key) or u.get(other_key) or nw.short_name(u["unit"])
            h.append(f"<tr><td>{esc(shown)}</td><td class=\"en\">{esc(u.get(other_key) or '')}</td>"
                     f'<td class="num">{u.get("plans") or 0}</td><td class="num">{u.get("measures") or 0}</td>'
                     f'<td class="num">{u.get("leads") or 0}</td></tr>')
        h.append("</table>")
    h.append(f"<h2>{esc(t['plans'])} ({len(j['plans'])})</h2>"
             f"<p class=\"muted\">{esc(t['draw_note'])} <code>{esc(command)}</code></p>")
    h.append(f"<table><tr><th>{esc(t['plans'])}</th><th>{esc(t['doc_number'])}</th><th>{esc(t['issued'])}</th>"
             f"<th>{esc(t['pilot_tasks'])}</th><th>{esc(t['measures'])}</th><th>SLUG</th></tr>")
    for p in sorted(j["plans"], key=lambda p: (str(p.get("issued") or ""), str(p.get("slug") or ""), p["plan"])):
        slug = str(p.get("slug") or nw.short_name(p["plan"]))
        folder = f"plans/{_file_slug(slug)}"
        title_cell = esc(p.get("title") or slug)
        if folder in drawn:
            title_cell = f'<a href="../{esc(folder)}/index.html">{title_cell}</a>'
        h.append(f"<tr><td>{title_cell}</td><td>{esc(p.get('docNumber') or '')}</td><td class=\"num\">{esc(p.get('issued') or '')}</td>"
                 f'<td class="num">{p.get("pilotTasks") or 0}</td><td class="num">{p.get("measures") or 0}</td>'
                 f"<td><code>{esc(slug)}</code></td></tr>")
    h.append("</table>")
    return static_page(title, OVERVIEW_CSS + "\n".join(h) + "\n", lang)


def plan_command(graph: list[str] | None, out: str | Path) -> str:
    """The command that draws one plan's views into the overview's ``plans/`` folder."""
    g = "".join(f"-g {shlex.quote(str(path))} " for path in graph or ())
    return f"policykg visualize {g}--plan SLUG --out {shlex.quote(str(Path(out) / 'plans'))}/SLUG"


def build_overview(source: nw.Source, out: str | Path = "views", *, lang: str = "zh", graph: list[str] | None = None,
                   query_dir: str | Path | None = None) -> ViewsResult:
    """Write the corpus overview (index and one page per jurisdiction) for the graph behind ``source``.
    ``graph`` is the graph files or folders as the user named them, for the commands the pages show."""
    if lang not in TEXT:
        raise ValueError(f"lang must be zh or en, got {lang!r}")
    out = Path(out)
    data = OverviewData.fetch(source, query_dir=query_dir)
    command = plan_command(graph, out)
    drawn = {f"plans/{d.name}" for d in (out / "plans").glob("*") if (d / "index.html").is_file()}
    files = [write_text(out / "index.html", index_page(data, lang, command))]
    for j in _ordered_jurisdictions(data, lang):
        files.append(write_text(out / j["file"], jurisdiction_page(j, data, lang, command, drawn)))
    counts = {"plans": len(data.plans), "jurisdictions": len(data.jurisdictions), "units": len(data.units),
              "n_measures": sum(p.get("measures") or 0 for p in data.plans)}
    return ViewsResult(out=out, files=files, counts=counts)


OVERVIEW_FROM = 2000  # plans: from this size `visualize` writes the overview, not one drawing of every unit


def corpus_size(source: nw.Source, *, query_dir: str | Path | None = None) -> int:
    rows = nw.run_select("view-corpus-size", source, query_dir=query_dir)
    return int(rows[0]["plans"] or 0) if rows else 0


def wants_overview(source: nw.Source, overview: bool | None, *, query_dir: str | Path | None = None) -> bool:
    """``overview`` as asked, or (None) whether the corpus holds :data:`OVERVIEW_FROM` plans or more."""
    if overview is not None:
        return overview
    return corpus_size(source, query_dir=query_dir) >= OVERVIEW_FROM
