"""Measuring the reader on real documents against units read by hand.

A corpus folder holds documents and ``expected-units.json``: for each document (keyed by the two-digit
prefix of its file name) one entry per annotation or assigning table row, in document order, with the
``lead`` and ``responsible`` units a person read there. For each document this reports whether it
was read (or the reason it was refused), how many things the reader found carrying units against the
annotations expected, and unit recall and precision: the units named, counted as a bag over the whole
document, so a unit the reader puts in the wrong annotation still counts while a lost or invented one
does not. ``role_recall`` also requires the role (lead or responsible) to match.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import DocumentError
from ..published import SUFFIXES, is_document

READABLE = tuple(SUFFIXES)  # .txt, and web pages, Word files and PDFs (policykg.published)


@dataclass
class Assignment:
    """Units the reader found assigned at one place of a document."""

    line: int
    lead: list[str]
    responsible: list[str]
    where: str  # "task" (a pilot task or a section), "measure" or "annex row"


@dataclass
class DocumentScore:
    name: str
    read: bool
    reason: str = ""  # why it was refused or skipped
    annotations: int | None = None  # expected entries (None: no hand-read units)
    carrying: int = 0  # things the reader found carrying units
    recall: float | None = None
    precision: float | None = None
    role_recall: float | None = None
    missed: list[str] = field(default_factory=list)  # expected unit names the reader did not give
    extra: list[str] = field(default_factory=list)  # unit names the reader gave that were not expected
    level: str = ""  # from the corpus's documents.csv, where it has one
    style: str = ""
    unread: int | None = None  # passages that look like assignments the reader found no unit in
    passages: int | None = None  # passages that look like assignments

    def meets_target(self) -> bool:
        """The issue's bar: ≥ 95 % of annotations carried, recall ≥ 95 %, precision ≥ 90 %."""
        return (self.read and self.annotations is not None and self.recall is not None
                and self.carrying >= 0.95 * self.annotations and self.recall >= 0.95
                and (self.precision or 0) >= 0.90)


def _norm(name: str) -> str:
    return re.sub(r"\s", "", name)


def assignments(doc) -> list[Assignment]:
    """Every place of ``doc`` (a PlanDocument) that names units, in document order."""
    found: list[Assignment] = []
    for pt in [*doc.tasks, *doc.pilot_tasks]:
        if pt.lead_units or pt.responsible_units:
            found.append(Assignment(pt.span.line, [u.name for u in pt.lead_units],
                                    [u.name for u in pt.responsible_units], "task"))
    for m in doc.measures():
        if m.units:
            leads = [u.name for u in m.leads]
            found.append(Assignment(m.span.end_line, leads, [u.name for u in m.units if u.name not in leads],
                                    "measure"))
    for row in doc.annex:
        if row.lead_units or row.units:
            found.append(Assignment(row.span.line, [u.name for u in row.lead_units],
                                    [u.name for u in row.units], "annex row"))
    return sorted(found, key=lambda a: a.line)


def score(name: str, found: list[Assignment] | None, expected: list[dict] | None, reason: str = "") -> DocumentScore:
    result = DocumentScore(name, found is not None, reason,
                           None if expected is None else len(expected), len(found or []))
    if expected is None or found is None:
        return result
    want = Counter(_norm(u) for e in expected for u in (*e.get("lead", []), *e.get("responsible", [])))
    got = Counter(_norm(u) for a in found for u in (*a.lead, *a.responsible))
    hit = sum((want & got).values())
    result.recall = round(hit / sum(want.values()), 3) if want else None
    result.precision = round(hit / sum(got.values()), 3) if got else None
    want_roles = Counter((role, _norm(u)) for e in expected for role in ("lead", "responsible") for u in e.get(role, []))
    got_roles = Counter((role, _norm(u)) for a in found for role in ("lead", "responsible") for u in getattr(a, role))
    result.role_recall = round(sum((want_roles & got_roles).values()) / sum(want_roles.values()), 3) if want_roles else None
    result.missed = sorted((want - got).elements())
    result.extra = sorted((got - want).elements())
    return result


def evaluate_file(path: Path, expected: list[dict] | None) -> DocumentScore:
    from ..published import read_document
    from ..rdf.build import require_title
    from ..text.parse import parse_documents

    if path.suffix.lower() not in READABLE:
        return score(path.name, None, expected, f"{path.suffix} is not read (only {', '.join(READABLE)})")
    from ..text.gaps import unread

    try:
        docs = parse_documents(read_document(path))
        for doc in docs:
            require_title(doc)
    except DocumentError as err:
        return score(path.name, None, expected, f"refused: {err.problem}" + (f" (line {err.line})" if err.line else ""))
    found = sorted((a for doc in docs for a in assignments(doc)), key=lambda a: a.line)
    result = score(path.name, found, expected)
    counts = [unread(doc) for doc in docs]
    result.passages = sum(n for n, _ in counts)
    result.unread = sum(len(missed) for _, missed in counts)
    return result


def evaluate_corpus(folder: str | Path) -> list[DocumentScore]:
    """Score every document of ``folder`` that policykg reads: those named ``NN_….ext`` against the
    units ``expected-units.json`` holds for ``NN``; the others (a folder of documents nobody has read
    by hand) for whether they are read and how many assignment-like passages are not."""
    folder = Path(folder)
    expected_file = folder / "expected-units.json"
    expected = json.loads(expected_file.read_text(encoding="utf-8")) if expected_file.is_file() else {}
    catalogue = {}
    if (folder / "documents.csv").is_file():
        with open(folder / "documents.csv", encoding="utf-8", newline="") as handle:
            catalogue = {row["prefix"]: row for row in csv.DictReader(handle)}
    scores = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not is_document(path):
            continue
        key = path.name.split("_", 1)[0] if re.match(r"^\d+_", path.name) else None
        result = evaluate_file(path, expected.get(key) if key else None)
        about = catalogue.get(key, {})
        result.level = " · ".join(v for v in (about.get("province", "").strip("—"), about.get("level", "")) if v)
        result.style = about.get("style", "")
        scores.append(result)
    return scores


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f} %"


def table(scores: list[DocumentScore]) -> str:
    """The per-document table, as Markdown."""
    rows = ["| document | level | style | read | annotations | carrying units | recall | precision | role recall "
            "| not read |",
            "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        read = "yes" if s.read else s.reason.replace("|", "/")
        rows.append(f"| {s.name} | {s.level} | {s.style.replace('|', '/')} | {read} "
                    f"| {'' if s.annotations is None else s.annotations} | {s.carrying if s.read else ''}"
                    f" | {_percent(s.recall)} | {_percent(s.precision)} | {_percent(s.role_recall)} "
                    f"| {'' if s.unread is None else s.unread} |")
    met = sum(s.meets_target() for s in scores)
    graded = sum(s.annotations is not None for s in scores)
    rows.append("")
    read = [s for s in scores if s.read]
    rows.append(f"{len(read)} of {len(scores)} documents read, {len(scores) - len(read)} refused; "
                f"{sum(s.passages or 0 for s in read)} passages in them look like assignments, "
                f"{sum(s.unread or 0 for s in read)} of which were not read.")
    if graded:
        rows.append(f"{met} of {graded} documents with hand-read units meet the bar (≥ 95 % of annotations "
                    "carried, recall ≥ 95 %, precision ≥ 90 %).")
    return "\n".join(rows)


def as_json(scores: list[DocumentScore]) -> str:
    return json.dumps([asdict(s) for s in scores], ensure_ascii=False, indent=1)
