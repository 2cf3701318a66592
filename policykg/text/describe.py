"""What the reader made of a document, as a plain-text outline: its metadata, goals, tasks and
measures with the units named for them and the lines they were read from. ``policykg read``
prints it, to check how a document is read before building a graph of it."""

from __future__ import annotations

from .model import Measure, PilotTask, PlanDocument, Task, UnitMention, WorkTask


def describe(doc: PlanDocument, *, width: int | None = 60) -> str:
    """The outline of ``doc``; texts longer than ``width`` characters are shortened in the middle
    (`` … ``), or given whole with ``width=None``."""
    return "\n".join(_lines(doc, width)) + "\n"


def _lines(doc: PlanDocument, width: int | None) -> list[str]:
    meta = doc.metadata
    issuers = ", ".join(filter(None, [meta.issuer, *meta.co_issuers]))
    out = [f"《{meta.title or '(no title)'}》  {doc.path}" + (f" lines {doc.lines[0]}–{doc.lines[1]}" if doc.lines else "")]
    if meta.notice_title and meta.notice_title != meta.title:
        out.append(f"  notice: {meta.notice_title}")
    out.append("  " + " · ".join([meta.doc_number or "(no 文号)", issuers or "(no issuer)",
                                  str(meta.issued) if meta.issued else "(no date)",
                                  meta.jurisdiction or "(no jurisdiction)"])
               + (f" · page published {meta.published}" if meta.published else ""))
    counts = [("principles", len(doc.principles)), ("stages", len(doc.stages)),
              ("goals", sum(len(s.goals) for s in doc.stages) + len(doc.goals)),
              ("pilot tasks", len(doc.pilot_tasks)), ("work tasks", len(doc.work_tasks())),
              ("measures", len(doc.measures())), ("safeguards", len(doc.safeguards)), ("annex rows", len(doc.annex))]
    out.append("  " + ", ".join(f"{n} {what}" for what, n in counts))
    for stage in doc.stages:
        out.append(f"  stage {stage.number} {stage.name} {stage.start_year}–{stage.end_year or ''}")
        out += [f"    goal {g.number}: {_short(g.text, width)}" for g in stage.goals]
    for goal in doc.goals:
        out.append(f"  goal {goal.number}{f' ({goal.year})' if goal.year else ''}: {_short(goal.text, width)}"
                   f"  line {goal.span.line}")
    sections = {task.key: task for task in doc.tasks}
    shown: set[str] = set()
    for pt in doc.pilot_tasks:
        if pt.parent in sections and pt.parent not in shown:
            shown.add(pt.parent)
            out.append(_task_line(sections[pt.parent], 0, width))
        out += _pilot_task(pt, 1 if pt.parent in sections else 0, width, doc.assigning_task(pt) is not None)
    if doc.safeguards:
        out.append("safeguards: " + "; ".join(s.title for s in doc.safeguards))
    return out


def _pilot_task(pt: PilotTask, depth: int, width: int | None, task_assigned: bool) -> list[str]:
    out = [_task_line(pt, depth, width)]
    for wt in pt.work_tasks:
        if not wt.implicit:
            out.append(_task_line(wt, depth + 1, width))
        out += [_measure_lines(m, depth + (1 if wt.implicit else 2), width, task_assigned) for m in wt.measures]
    return out


def _task_line(task: Task | PilotTask | WorkTask, depth: int, width: int | None) -> str:
    units = _units(getattr(task, "lead_units", []), getattr(task, "responsible_units", []))
    return f"{'  ' * depth}{task.path or task.key} {_short(task.title, width)}{units}  line {task.span.line}"


def _measure_lines(m: Measure, depth: int, width: int | None, task_assigned: bool = False) -> str:
    lines = f"line {m.span.line}" + (f"–{m.span.end_line}" if m.span.end_line != m.span.line else "")
    extra = "".join(f"  {label} {value}" for label, value in (("deadline", m.deadline), ("points", m.points)) if value)
    others = [u for u in m.units if u.name not in {lead.name for lead in m.leads}]
    none = "  (no units of its own: its task's)" if task_assigned else "  (no units)"
    return (f"{'  ' * depth}measure {m.id}{_units(m.leads, others) or none}{extra}  {lines}\n"
            f"{'  ' * (depth + 1)}{_short(m.text, width)}")


def _units(leads: list[UnitMention], others: list[UnitMention]) -> str:
    parts = ([f"lead {'、'.join(u.name for u in leads)}"] if leads else []) + (
        [f"responsible {'、'.join(u.name for u in others)}"] if others else [])
    return f"  [{'; '.join(parts)}]" if parts else ""


def _short(text: str, width: int | None) -> str:
    text = " ".join(text.split())
    if width is None or len(text) <= width:
        return text
    half = (width - 3) // 2
    return f"{text[:half]} … {text[-half:]}"
