"""The structure view: the plan's hierarchy as an indented, collapsible outline (plan → pilot tasks
with their lead units → work tasks → measures with their responsible units), linked to the network
views and the responsibility sheets. Script-free: folding is the browser's own ``<details>``."""

from __future__ import annotations

from collections import defaultdict
from math import inf
from urllib.parse import quote

from . import networks as nw
from .render import esc
from .statichtml import T, name, sheet_file, static_page

NETWORK = "unit-task.html"


def _select_link(iri: str, t: dict) -> str:
    return f'<a class="net" href="{NETWORK}#select={esc(quote(iri, safe=""))}">{esc(t["in_network"])}</a>'


def _section_head(section: dict, lang: str) -> str:
    n = section["number"]
    if n is None:
        return ""
    return f"{_chinese(int(n))}、" if lang == "zh" else f"{n}. "


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _stated(units: dict, chip, t) -> str:
    """The units the body names for a task as a whole (``units``: unit -> (role, where)), leads
    then responsible, each in the order the text names them; empty if none."""
    out = []
    for role, cls in (("lead", " lead"), ("responsible", "")):
        named = sorted((at, u) for u, (r, at) in units.items() if r == role)
        if named:
            out.append(f'<div class="units"><span class="muted">{esc(t[role])}：</span>'
                       + "".join(chip(u, cls) for _, u in named) + "</div>")
    return "".join(out)


def _pilot_task(pt_iri, pt, named, responsible, lines, chip, t, num, stated, inherited) -> list[str]:
    """A pilot task with its leads, its work tasks and their measures, as outline items."""
    h = []
    head = t["pilot_task_n"].format(n=pt["number"]) + ("：" if t is T["zh"] else ": ") if pt["number"] is not None else ""
    h.append(f'<li class="pt"><details open><summary>{esc(head + pt["title"])} {_select_link(pt_iri, t)}</summary>')
    # its leads (view-pilot-task-leads) and the units named responsible for it as a whole
    units = _stated({u: ("lead", at) for u, at in named.items()} | stated.get(pt_iri, {}), chip, t)
    if units:
        h.append(units)
    h.append("<ul>")
    for wt_iri, wt in sorted(pt["wts"].items(), key=num):
        wt_head = f"{wt['number']}. " if wt["number"] is not None else ""
        h.append(f'<li class="wt"><details open><summary>{esc(wt_head + wt["title"])} '
                 f'<span class="muted">({len(wt["ms"])})</span> {_select_link(wt_iri, t)}</summary>'
                 f'{_stated(stated.get(wt_iri, {}), chip, t)}<ul>')
        for m_iri, m in sorted(wt["ms"].items(), key=lambda x: (nw.measure_sort_key(x[1]["id"]), x[0])):
            units = responsible[m_iri]
            unit_chips = ("".join(chip(u) for u in sorted(units, key=lambda u: (units[u], u)))
                          or f'<span class="muted">{esc(t["none_in_body"])}</span>')
            where = t["line"].format(n=lines[m_iri]) if lines.get(m_iri) is not None else ""
            # units named for the task as a whole, which the measure's own text does not name
            label = t["responsible_inherited"] if m_iri in inherited else t["responsible"]
            h.append(f'<li class="m"><details><summary><span class="id">{esc(t["measure_n"].format(n=m["id"]))}</span>'
                     f'<span class="clip">{esc(m["text"])}</span>'
                     f'<div class="units"><span class="muted">{esc(label)}：</span>{unit_chips}</div></summary>'
                     f'<div class="text">{esc(m["text"])} <span class="muted">{esc(where)}</span></div></details></li>')
        h.append("</ul></details></li>")
    h.append("</ul></details></li>")
    return h


def outline_page(data: nw.ViewData, lang: str, title: str) -> str:
    t = T[lang]
    units = data.unit_table()

    def chip(iri: str, cls: str = "") -> str:
        label = name(units[iri], lang) if iri in units else nw.short_name(iri)
        return f'<a class="chip{cls}" href="{esc(sheet_file(iri))}">{esc(label)}</a>'

    plans: dict[str, dict] = {}
    for r in data.structure:
        plan = plans.setdefault(r["plan"], {"title": r.get("planTitle") or nw.short_name(r["plan"]), "sections": {}})
        section = plan["sections"].setdefault(r.get("section") or "", {
            "number": r.get("sectionNumber"), "title": r.get("sectionTitle") or "", "pts": {}})
        pt = section["pts"].setdefault(r["pilotTask"], {"number": r.get("ptNumber"), "title": r.get("ptTitle") or "", "wts": {}})
        if r.get("workTask"):
            wt = pt["wts"].setdefault(r["workTask"], {"number": r.get("wtNumber"), "title": r.get("wtTitle") or "", "ms": {}})
            if r.get("measure"):
                wt["ms"][r["measure"]] = {"id": r.get("identifier") or nw.short_name(r["measure"]), "text": r.get("text") or ""}
    leads: dict[str, dict[str, float]] = defaultdict(dict)  # pilot task -> lead -> where the text names it
    for r in data.pilot_task_leads:
        if r["part"] == "body":
            at = float(r["order"]) if r.get("order") is not None else inf
            leads[r["pilotTask"]][r["unit"]] = min(at, leads[r["pilotTask"]].get(r["unit"], inf))
    stated: dict[str, dict[str, tuple]] = defaultdict(dict)  # task -> unit -> (role, where), for the task as a whole
    for r in data.task_units:
        at = float(r["order"]) if r.get("order") is not None else inf
        stated[r["task"]][r["unit"]] = min((r["role"], at), stated[r["task"]].get(r["unit"], (r["role"], inf)))
    responsible: dict[str, dict[str, float]] = defaultdict(dict)  # measure -> unit -> where the text names it
    lines: dict[str, object] = {}
    inherited: set[str] = set()  # measures whose units are named for their task as a whole
    for r in data.measure_units:
        at = float(r["order"]) if r.get("order") is not None else inf
        responsible[r["measure"]][r["unit"]] = min(at, responsible[r["measure"]].get(r["unit"], inf))
        lines.setdefault(r["measure"], r.get("line"))
        if r.get("inherited"):
            inherited.add(r["measure"])

    h = [f'<nav><a href="index.html">{t["index"]}</a> · <a href="{NETWORK}">'
         f'{esc("单位—任务网络" if lang == "zh" else "Units and tasks")}</a></nav>', f"<h1>{esc(title)}</h1>"]
    h.append('<div class="outline"><ul>')
    num = lambda x: (nw._sort_num(x[1]["number"]), x[0])  # noqa: E731
    for _plan_iri, plan in sorted(plans.items()):
        if len(plans) > 1:
            h.append(f"<li><details open><summary><b>{esc(plan['title'])}</b></summary><ul>")
        for section_iri, section in sorted(plan["sections"].items(), key=num):
            if section_iri:  # 一、… above its （一）…: the plan's own level, folded like the others
                h.append(f'<li class="sec"><details open><summary><b>{esc(_section_head(section, lang))}'
                         f'{esc(section["title"])}</b></summary>{_stated(stated.get(section_iri, {}), chip, t)}<ul>')
            for pt_iri, pt in sorted(section["pts"].items(), key=num):
                h.extend(_pilot_task(pt_iri, pt, leads[pt_iri], responsible, lines, chip, t, num, stated, inherited))
            if section_iri:
                h.append("</ul></details></li>")
        if len(plans) > 1:
            h.append("</ul></details></li>")
    h.append("</ul></div>")
    return static_page(title, "\n".join(h) + "\n", lang)
