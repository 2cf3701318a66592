"""Passages that look like assignments, and those the reader did not read as one.

A curator should see what the reader skipped rather than trust its silence. Every bracketed
passage that names a role label (牵头单位, 责任单位, 配合单位, 责任部门, 牵头部门, 配合部门, 推进单位,
牵头考核单位) or a role verb (牵头, 负责, 配合, 会同) looks like an assignment; it was read when at least one
unit the document model holds was found inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import PlanDocument

# One bracket pair, not nested, at most a few hundred characters: （…）, (…) or 〔…〕.
BRACKETED = re.compile(r"[（(〔]([^（()）〔〕\n]{1,400})[)）〕]")
# 责任 but not 责任期 or 责任险 (an insurance's period and cover: （责任期为10年）, 58)
ROLE_WORDS = re.compile(r"牵头|负责|配合|会同|责任(?![期险])|(?:推进|协办|主办)(?:单位|部门)")


@dataclass(frozen=True)
class Passage:
    line: int
    start: int  # offsets into the document's text, the brackets included
    end: int
    text: str


def assignment_like(text: str) -> list[Passage]:
    """Every bracketed passage of ``text`` that names a role, in order."""
    found = []
    for m in BRACKETED.finditer(text):
        if ROLE_WORDS.search(m.group(1)):
            found.append(Passage(text.count("\n", 0, m.start()) + 1, m.start(), m.end(), m.group(0)))
    return found


def unit_offsets(doc: PlanDocument) -> list[int]:
    """Where each unit the reader found starts in the text, sorted."""
    mentions = [u for pt in (*doc.tasks, *doc.pilot_tasks) for u in (*pt.lead_units, *pt.responsible_units)]
    mentions += [u for m in doc.measures() for u in (*m.leads, *m.units)]
    mentions += [u for row in doc.annex for u in (*row.lead_units, *row.units)]
    return sorted(u.span.start for u in mentions)


def unread(doc: PlanDocument) -> tuple[int, list[Passage]]:
    """How many passages look like assignments, and those with no unit the reader found."""
    import bisect

    passages = assignment_like(doc.text)
    if doc.lines is not None:  # one of several documents in a file: its own lines
        passages = [p for p in passages if doc.lines[0] <= p.line <= doc.lines[1]]
    starts = unit_offsets(doc)
    missed = []
    for p in passages:
        k = bisect.bisect_left(starts, p.start)
        if not (k < len(starts) and starts[k] < p.end):
            missed.append(p)
    return len(passages), missed
