"""What the script-free pages (index, outline, responsibility sheets) share: their words in both
languages, their style, their frame, and how a discrepancy is named, ordered and shown."""

from __future__ import annotations

import re
from functools import lru_cache

from . import networks as nw
from .render import esc
from .textdiff import marked_pair

T = {
    "zh": {
        "index": "首页", "views": "网络视图", "counts": "规模", "top": "中心性最高的单位",
        "plan_info": "方案信息", "doc_number": "文号", "issued": "成文日期", "available": "发布日期", "issuer": "发文单位",
        "joint": "联合发文", "goals": "目标",
        "disc": "正文与附件差异", "downloads": "数据下载", "sheets": "单位责任清单", "unit": "单位",
        "type": "类型", "kind": "差异类型", "about": "对象", "body": "正文", "annex": "附件",
        "leads": "牵头的试验任务", "task_level": "整体负责的任务（单位写在任务一级，而非其下的措施）", "task_col": "任务", "role": "角色", "where": "原文位置", "measures": "承担的具体措施（正文）", "annex_rows": "附件分工表中列名本单位的行",
        "measure": "措施", "task": "所属任务（正文）", "annex_task": "附件所列任务", "partners": "共同责任单位",
        "source": "原文", "row_text": "附件原文", "annex_row": "附件行",
        "line": "原文第{n}行", "row": "附件第{n}行", "none": "无", "metrics": "网络指标",
        "part": "来源", "sheet_title": "责任清单：{name}",
        "plans": "方案", "pilot_tasks": "试验任务", "work_tasks": "工作任务", "n_measures": "具体措施",
        "units": "单位", "annex_rows_n": "附件分工表行", "discrepancies": "正文与附件差异",
        "csv": "单位网络指标（CSV）", "graphml": "GraphML", "gexf": "GEXF（Gephi）",
        "partner_list": "协作单位（按共担措施数，再按在原文中出现的先后）", "shared": "共担措施数",
        "unit_disc": "涉及本单位的正文与附件差异", "this_unit": "本单位",
        "only_body": "仅正文列有本单位", "only_annex": "仅附件列有本单位", "both_parts": "正文、附件均列有本单位",
        "name_variant": "本单位名称写法", "annex_says_elsewhere": "附件归入另一工作任务",
        "body_puts": "正文：{task}",
        "measure_n": "措施{n}", "work_task_n": "工作任务{n}", "pilot_task_n": "试验任务{n}",
        "disc_note": "黄色标出两处不同的文字；较长的相同部分以“…”省略。",
        "outline": "方案结构", "lead": "牵头", "responsible": "责任单位", "responsible_inherited": "责任单位（随所在任务）", "none_in_body": "正文未列", "in_network": "在网络图中查看",
        "full_text": "全文",
    },
    "en": {
        "index": "Index", "views": "Network views", "counts": "Counts", "top": "Most central units",
        "plan_info": "The plan", "doc_number": "Document number", "issued": "Dated", "available": "Published", "issuer": "Issued by",
        "joint": "jointly with", "goals": "Goals",
        "disc": "Body / annex discrepancies", "downloads": "Downloads", "sheets": "Responsibility sheets",
        "unit": "Unit", "type": "Type", "kind": "Kind", "about": "About", "body": "Body", "annex": "Annex",
        "leads": "Pilot tasks it leads", "task_level": "Tasks it answers for as a whole (units named for the task, not its measures)", "task_col": "Task", "role": "Role", "where": "Where in the text", "measures": "Measures it shares (body)", "annex_rows": "Annex rows naming it",
        "measure": "Measure", "task": "Task (body)", "annex_task": "Task as the annex gives it", "partners": "Partners",
        "source": "Source sentence", "row_text": "Annex text", "annex_row": "Annex row",
        "line": "source line {n}", "row": "annex row {n}", "none": "none", "metrics": "Network metrics",
        "part": "Part", "sheet_title": "Responsibility sheet: {name}",
        "plans": "plans", "pilot_tasks": "pilot tasks", "work_tasks": "work tasks", "n_measures": "measures",
        "units": "units", "annex_rows_n": "annex rows", "discrepancies": "discrepancies",
        "csv": "Unit network metrics (CSV)", "graphml": "GraphML", "gexf": "GEXF (Gephi)",
        "partner_list": "Partners (by shared measures, then order of appearance in the text)", "shared": "shared measures",
        "unit_disc": "Body / annex discrepancies concerning this unit", "this_unit": "This unit",
        "only_body": "named in the body only", "only_annex": "named in the annex only", "both_parts": "named in both",
        "name_variant": "its name as written", "annex_says_elsewhere": "the annex files it under another work task",
        "body_puts": "body: {task}",
        "measure_n": "Measure {n}", "work_task_n": "Work task {n}", "pilot_task_n": "Pilot task {n}",
        "disc_note": "What differs is marked in yellow; long stretches the two share are shortened to “…”.",
        "outline": "Outline of the plan", "lead": "Lead", "responsible": "Responsible", "responsible_inherited": "Responsible (named for its task)", "none_in_body": "none named in the body", "in_network": "show in the network",
        "full_text": "full text",
    },
}

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
td.kind{white-space:nowrap}td.about{min-width:6em;max-width:13em}
table.items th{white-space:nowrap}table.items td:nth-child(2){width:22%}table.items td:nth-child(3){width:17%}
mark{background:#ffe08a;color:#1b1f24;padding:0 1px;border-radius:2px}
mark.missing{background:none;color:#bf8700;font-weight:700;padding:0}
.gap{color:#8c959f;padding:0 3px}
.flag{display:inline-block;font-size:12.5px;padding:0 6px;border-radius:9px;background:#fff1e5;color:#953800;border:1px solid #ffc680;white-space:nowrap}
.flag.ok{background:#f6f8fa;color:#57606a;border-color:#d0d7de}
details.full{font-size:13px;color:#57606a}details.full summary{cursor:pointer}
ol.partners{columns:3;padding-left:26px;font-size:14px}
.outline ul{list-style:none;padding-left:22px;margin:2px 0}
.outline>ul{padding-left:0}
.outline summary{cursor:pointer;padding:2px 0}
.outline .pt>details>summary{font-size:16px;font-weight:600}
.outline .wt>details>summary{font-size:15px}
.outline .m{margin:4px 0 8px;font-size:14px}
.outline .m .id{font-weight:600;margin-right:6px;white-space:nowrap}
.outline .units{margin-top:2px}
.outline .chip{display:inline-block;font-size:12.5px;margin:1px 3px 1px 0;padding:0 6px;border-radius:9px;background:#eef3fb;border:1px solid #c8d6ec;text-decoration:none}
.outline .chip.lead{background:#fdeceb;border-color:#f1b6b1}
.outline .net{font-size:12.5px;margin-left:8px}
.outline .m summary{list-style-position:outside}
.outline .clip{display:inline-block;max-width:calc(100% - 9em);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:bottom}
.outline details[open]>summary .clip{visibility:hidden;height:0}
.outline .m .text{margin:2px 0 4px 1.2em;padding:4px 8px;background:#f6f8fa;border-left:3px solid #d0d7de}
"""
STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def static_page(title: str, body: str, lang: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{STATIC_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STATIC_CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def name(entry: dict, lang: str) -> str:
    return entry["name_zh"] if lang == "zh" else entry["name_en"]


def other_name(entry: dict, lang: str) -> str:
    return entry["name_en"] if lang == "zh" else entry["name_zh"]


@lru_cache(maxsize=65536)  # every sheet links its partners: 156,000 calls for 1,678 units at 1,000 plans
def sheet_file(unit_iri: str) -> str:
    """``units/<jurisdiction>-<slug>.html`` from a unit IRI ``…/unit/<jurisdiction>/<slug>``."""
    parts = [p for p in re.split(r"[/#]", unit_iri) if p]
    tail = parts[-2:] if len(parts) >= 2 and parts[-3:-2] == ["unit"] else parts[-1:]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join(tail)).strip("-.") or "unit"
    return f"units/{slug}.html"


# --------------------------------------------------------------------------- discrepancies

_ABOUT_RANK = {"pilot-task": 0, "work-task": 1, "measure": 2, "unit": 3, "other": 4}
LIST_KINDS = ("lead-units", "responsible-units")


def discrepancies(data: nw.ViewData) -> list[dict]:
    """One row per discrepancy (the query gives one per label), in reading order: by kind, then
    by the number of what it is about (measure 6.1 before 10.1), then by IRI."""
    seen: dict[str, dict] = {}
    for r in data.discrepancies:
        seen.setdefault(r["discrepancy"], r)
    return sorted(seen.values(), key=discrepancy_sort_key)


def discrepancy_sort_key(r: dict) -> tuple:
    about_type = r.get("aboutType") or "other"
    number = r.get("aboutId") if r.get("aboutId") is not None else r.get("aboutNumber")
    return (str(r.get("kind") or ""), _ABOUT_RANK.get(about_type, 4), nw.measure_sort_key(number),
            str(r.get("aboutTitle") or ""), r["discrepancy"])


def about_label(r: dict, lang: str) -> str:
    """What a discrepancy is about, as a reader names it: 措施8.1, 工作任务10, 试验任务4, a unit."""
    t = T[lang]
    kind = r.get("aboutType") or "other"
    if kind == "measure" and r.get("aboutId") is not None:
        return t["measure_n"].format(n=r["aboutId"])
    if kind in ("work-task", "pilot-task") and r.get("aboutNumber") is not None:
        return t[kind.replace("-", "_") + "_n"].format(n=r["aboutNumber"])
    return str(r.get("aboutTitle") or nw.short_name(r.get("about") or ""))


def kind_label(r: dict, lang: str) -> str:
    return str((r.get("kindZh") if lang == "zh" else r.get("kindEn")) or r.get("kind") or "")


def marked_values(r: dict) -> tuple[str, str]:
    """Body and annex value as HTML, what differs in ``<mark>``."""
    return marked_pair(str(r.get("bodyValue") or ""), str(r.get("annexValue") or ""),
                       as_list=r.get("kind") in LIST_KINDS)


def discrepancy_table(rows: list[dict], lang: str, extra: dict | None = None) -> list[str]:
    """The rows as a table: kind, about (with its title under), body, annex; ``extra`` maps a
    discrepancy to one more cell of HTML (the sheet's note on the unit)."""
    t = T[lang]
    head = f"<tr><th>{t['kind']}</th><th>{t['about']}</th><th>{t['body']}</th><th>{t['annex']}</th>"
    head += f"<th>{t['this_unit']}</th></tr>" if extra is not None else "</tr>"
    out = [f'<p class="muted">{esc(t["disc_note"])}</p>', f'<table class="disc">{head}']
    for r in rows:
        body, annex = marked_values(r)
        about = about_label(r, lang)
        title = r.get("aboutTitle") if r.get("aboutType") in ("work-task", "pilot-task") else None
        about_html = esc(about) + (f'<div class="muted">{esc(title)}</div>' if title else "")
        cells = (f'<tr><td class="kind">{esc(kind_label(r, lang))}</td><td class="about">{about_html}</td>'
                 f'<td class="src">{body}</td><td class="src">{annex}</td>')
        if extra is not None:
            cells += f"<td>{extra.get(r['discrepancy'], '')}</td>"
        out.append(cells + "</tr>")
    out.append("</table>")
    return out
