"""One responsibility sheet (责任清单) per unit: the pilot tasks it leads, its partners, the body
measures it shares (with partners and source sentence), the annex rows naming it as the annex
gives them, the discrepancies that concern it, and its network metrics."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from math import inf

import networkx as nx

from . import networks as nw
from .render import esc
from .statichtml import LIST_KINDS, T, discrepancies, discrepancy_table, name, other_name, sheet_file, static_page

VIEW_LINK = ("co-responsibility.html", "单位协作网络（正文）", "Unit co-responsibility network (body)")


@dataclass
class _Items:
    """The rows of a measure or annex-row view query, indexed once for every unit's sheet."""

    members: dict  # item -> the units named for it
    info: dict  # item -> its first row
    of_unit: dict  # unit -> the items naming it
    order: dict  # (item, unit) -> where the document names the unit for the item (offset)

    @classmethod
    def index(cls, rows, item: str = "item") -> "_Items":
        """``rows`` indexed by their column ``item`` (the measure, annex row or task)."""
        members: dict[str, set[str]] = defaultdict(set)
        info: dict[str, dict] = {}
        of_unit: dict[str, list[str]] = defaultdict(list)
        order: dict[tuple[str, str], float] = {}
        for r in rows:
            if r["unit"] not in members[r[item]]:
                members[r[item]].add(r["unit"])
                of_unit[r["unit"]].append(r[item])
            info.setdefault(r[item], r)
            if r.get("order") is not None:
                key = (r[item], r["unit"])
                order[key] = min(order.get(key, inf), float(r["order"]))
        return cls(members, info, of_unit, order)

    def sort_key(self, item: str) -> tuple:
        r = self.info[item]
        return (nw._sort_num(r.get("ptNumber")), nw._sort_num(r.get("wtNumber")),
                nw.measure_sort_key(r.get("identifier")), nw._sort_num(r.get("line")), item)


def sheet_index(data: nw.ViewData) -> dict:
    """What the unit sheets look up, indexed by unit once (not scanned once per sheet)."""
    leads: dict[str, list] = defaultdict(list)
    for r in data.pilot_task_leads:
        leads[r["unit"]].append(r)
    measures = _Items.index(data.measure_units)
    first_seen: dict[str, tuple] = {}  # unit -> where the body first names it
    for item in sorted(measures.info, key=measures.sort_key):
        for u in measures.members[item]:
            key = (measures.order.get((item, u), inf), measures.sort_key(item))
            if u not in first_seen or key < first_seen[u]:
                first_seen[u] = key
    concerns: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for r in data.discrepancy_units:
        concerns[r["unit"]][r["discrepancy"]].add(r["part"])
    return {"leads": leads, "measures": measures, "annex_rows": _Items.index(data.annex_row_units),
            "tasks": _Items.index(data.task_units, item="task"), "task_roles": _roles(data.task_units),
            "first_seen": first_seen, "concerns": concerns, "discrepancies": discrepancies(data)}


def partners_of(unit: str, items: _Items, first_seen: dict) -> list[tuple[str, int]]:
    """(partner, shared measures), most shared first, then in the order the text first names them."""
    shared: dict[str, int] = defaultdict(int)
    for item in items.of_unit.get(unit, ()):
        for p in items.members[item]:
            if p != unit:
                shared[p] += 1
    return sorted(shared.items(), key=lambda kv: (-kv[1], first_seen.get(kv[0], (inf,)), kv[0]))


def sheet_page(unit: str, data: nw.ViewData, body: nx.Graph, lang: str, index: dict | None = None) -> str:
    """The responsibility sheet of one unit. ``index`` is :func:`sheet_index` of ``data``, made
    once when writing many sheets."""
    index = index or sheet_index(data)
    t = T[lang]
    units = data.unit_table()
    u = units[unit]
    link = lambda iri: f'<a href="../{esc(sheet_file(iri))}">{esc(name(units[iri], lang))}</a>'  # noqa: E731
    h = [f'<nav><a href="../index.html">{t["index"]}</a> · <a href="../{VIEW_LINK[0]}">'
         f'{esc(VIEW_LINK[1] if lang == "zh" else VIEW_LINK[2])}</a> · <a href="../structure.html">{esc(t["outline"])}</a></nav>']
    h.append(f"<h1>{esc(t['sheet_title'].format(name=name(u, lang)))}</h1>")
    types = {k: (zh, en) for k, zh, en in data.unit_types()}
    tz, te = types.get(u["type"], (u["type"], u["type"]))
    h.append(f'<p><span class="en">{esc(other_name(u, lang))}</span> · {esc(tz if lang == "zh" else te)}</p>')
    h.extend(_leads(unit, index, t, lang))
    partners = partners_of(unit, index["measures"], index["first_seen"])
    rank = {p: i for i, (p, _) in enumerate(partners)}
    h.extend(_task_level(unit, index["tasks"], index["task_roles"], units, rank, link, t))
    h.append(f"<h2>{esc(t['partner_list'])} ({len(partners)})</h2>")
    if partners:
        h.append('<ol class="partners">' + "".join(
            f"<li>{link(p)} <span class=\"muted\">· {n}</span></li>" for p, n in partners if p in units) + "</ol>")
    else:
        h.append(f"<p>{t['none']}</p>")
    h.extend(_measure_table(unit, index["measures"], units, rank, link, t))
    h.extend(_annex_table(unit, index["annex_rows"], units, rank, link, t))
    h.extend(_discrepancies(unit, index, t, lang))
    if unit in body:
        a = body.nodes[unit]
        h.append(f"<h2>{t['metrics']}</h2><table>")
        for key in ("measures", "leads") + nw.METRICS:
            zh, en = nw.METRIC_LABELS[key]
            h.append(f"<tr><th>{esc(zh if lang == 'zh' else en)}</th><td class=\"num\">{esc(a.get(key, ''))}</td></tr>")
        h.append("</table>")
    return static_page(t["sheet_title"].format(name=name(u, lang)), "\n".join(h) + "\n", lang)


def _leads(unit: str, index: dict, t: dict, lang: str) -> list[str]:
    leads = defaultdict(set)
    for r in index["leads"].get(unit, ()):
        leads[(nw._sort_num(r.get("ptNumber")), r["pilotTask"], r.get("ptNumber"), r.get("ptTitle") or "")].add(r["part"])
    out = [f"<h2>{t['leads']} ({len(leads)})</h2>"]
    if not leads:
        return out + [f"<p>{t['none']}</p>"]
    out.append("<ul>")
    for (_, _, num, title), parts in sorted(leads.items()):
        names = [t[p] for p in ("body", "annex") if p in parts]
        where = "、".join(names) if lang == "zh" else ", ".join(n.lower() for n in names)
        out.append(f"<li>{esc(num)}. {esc(title)} <span class=\"muted\">({t['part']}: {esc(where)})</span></li>")
    out.append("</ul>")
    return out


def _roles(rows) -> dict:
    """(task, unit) -> the roles the text gives the unit for the task."""
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        roles[(r["task"], r["unit"])].add(r["role"])
    return roles


def _task_level(unit, items: _Items, roles: dict, units, rank, link, t) -> list[str]:
    """The tasks whose units the body names for the task as a whole (80: 五、强化金融政策支持 …
    （四）责任单位：A、B、C。), the unit's role in each and who else is named; shown only where
    there are some, so sheets of plans that name units for measures only are as they were."""
    mine = sorted(items.of_unit.get(unit, ()), key=lambda i: (nw.measure_sort_key(items.info[i].get("path")), i))
    if not mine:
        return []
    out = [f"<h2>{esc(t['task_level'])} ({len(mine)})</h2>",
           f"<table class=\"items\"><tr><th>{t['task_col']}</th><th>{t['role']}</th><th>{t['partners']}</th>"
           f"<th>{t['where']}</th></tr>"]
    for i in mine:
        r = items.info[i]
        role = "、".join(esc(t[k]) for k in ("lead", "responsible") if k in roles[(i, unit)])
        where = t["line"].format(n=r["line"]) if r.get("line") is not None else ""
        task = " ".join(str(x) for x in (r.get("path"), r.get("title")) if x is not None)
        out.append(f"<tr><td>{esc(task)}</td><td>{role}</td>"
                   f"<td>{_partner_cell(unit, i, items, units, rank, link, t)}</td>"
                   f"<td class=\"muted\">{esc(where)}</td></tr>")
    out.append("</table>")
    return out


def _partner_cell(unit: str, item: str, items: _Items, units: dict, rank: dict, link, t: dict) -> str:
    partners = sorted((p for p in items.members[item] if p != unit and p in units),
                      key=lambda p: (rank.get(p, inf), items.order.get((item, p), inf), p))
    return "、".join(link(p) for p in partners) if partners else esc(t["none"])


def _task(num, title) -> str:
    return f"{num}. {title or ''}" if num is not None else str(title or "")


def _measure_table(unit, items: _Items, units, rank, link, t) -> list[str]:
    mine = sorted(items.of_unit.get(unit, ()), key=items.sort_key)
    out = [f"<h2>{t['measures']} ({len(mine)})</h2>"]
    if not mine:
        return out + [f"<p>{t['none']}</p>"]
    out.append(f"<table class=\"items\"><tr><th>{t['measure']}</th><th>{t['task']}</th><th>{t['partners']}</th><th>{t['source']}</th></tr>")
    for i in mine:
        r = items.info[i]
        task = _task(r.get("ptNumber"), r.get("ptTitle"))
        if r.get("wtNumber") is not None:
            task += " / " + _task(r.get("wtNumber"), r.get("wtTitle"))
        where = t["line"].format(n=r["line"]) if r.get("line") is not None else ""
        out.append(
            f"<tr><td class=\"num\">{esc(r.get('identifier') or '')}</td><td>{esc(task)}</td>"
            f"<td>{_partner_cell(unit, i, items, units, rank, link, t)}</td>"
            f"<td class=\"src\">{esc(r.get('text') or '')} <span class=\"muted\">{esc(where)}</span></td></tr>")
    out.append("</table>")
    return out


def _annex_table(unit, items: _Items, units, rank, link, t) -> list[str]:
    """The annex rows naming the unit, with the task cells as the annex writes them; where the
    row's 工作任务 cell names another work task than the body puts the measure under, both show."""
    mine = sorted(items.of_unit.get(unit, ()), key=lambda i: (nw._sort_num(items.info[i].get("line")), i))
    out = [f"<h2>{t['annex_rows']} ({len(mine)})</h2>"]
    if not mine:
        return out + [f"<p>{t['none']}</p>"]
    out.append(f"<table class=\"items\"><tr><th>{t['annex_row']}</th><th>{t['annex_task']}</th>"
               f"<th>{t['partners']}</th><th>{t['row_text']}</th></tr>")
    for i in mine:
        r = items.info[i]
        cells = [c for c in (r.get("ptCell"), r.get("wtCell")) if c]
        task = " / ".join(esc(c) for c in cells) if cells else esc(_task(r.get("wtNumber"), r.get("wtTitle")))
        if r.get("claimedWorkTask") and r.get("claimedWorkTask") != r.get("workTask"):
            body_task = _task(r.get("wtNumber"), r.get("wtTitle"))
            task += (f'<div><span class="flag">{esc(t["annex_says_elsewhere"])}</span> '
                     f'<span class="muted">{esc(t["body_puts"].format(task=body_task))}</span></div>')
        measure = t["measure_n"].format(n=r["identifier"]) if r.get("identifier") is not None else ""
        out.append(
            f"<tr><td class=\"num\">{esc(r.get('line') or '')}<div class=\"muted\">{esc(measure)}</div></td>"
            f"<td>{task}</td><td>{_partner_cell(unit, i, items, units, rank, link, t)}</td>"
            f"<td class=\"src\">{esc(r.get('text') or '')}</td></tr>")
    out.append("</table>")
    return out


def _discrepancies(unit: str, index: dict, t: dict, lang: str) -> list[str]:
    concerns = index["concerns"].get(unit, {})
    rows = [r for r in index["discrepancies"] if r["discrepancy"] in concerns]
    out = [f"<h2>{t['unit_disc']} ({len(rows)})</h2>"]
    if not rows:
        return out + [f"<p>{t['none']}</p>"]
    notes = {}
    for r in rows:
        parts = concerns[r["discrepancy"]]
        if "name" in parts:
            notes[r["discrepancy"]] = f'<span class="flag">{esc(t["name_variant"])}</span>'
        elif r.get("kind") in LIST_KINDS and parts == {"body"}:
            notes[r["discrepancy"]] = f'<span class="flag">{esc(t["only_body"])}</span>'
        elif r.get("kind") in LIST_KINDS and parts == {"annex"}:
            notes[r["discrepancy"]] = f'<span class="flag">{esc(t["only_annex"])}</span>'
        else:
            notes[r["discrepancy"]] = f'<span class="flag ok">{esc(t["both_parts"] if len(parts) > 1 else t["only_body" if "body" in parts else "only_annex"])}</span>'
    return out + discrepancy_table(rows, lang, notes)
