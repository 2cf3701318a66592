"""The build's human-readable summary: counts, units, discrepancies, files."""

from __future__ import annotations

import json
from collections import Counter

from .build import BuildResult
from .reconcile import changes

DETAILED_PLANS = 10  # a corpus larger than this gets one line per plan
LISTED_UNREGISTERED = 50
LISTED_UNREAD = 20  # per plan


def summary(result: BuildResult) -> str:
    lines: list[str] = []
    detailed = len(result.plans) <= DETAILED_PLANS
    for plan in result.plans:
        lines.append(f"{plan.path}: {plan.title or plan.slug}")
        if not detailed:
            continue
        lines.append(f"  {plan.doc_number or '(no 文号)'} · {plan.issuer or '?'} · {plan.issued or '?'}"
                     f" · jurisdiction {plan.jurisdiction or '?'} ({plan.jurisdiction_slug})")
        lines.append("  " + ", ".join(f"{n} {label}" for label, n in plan.counts))
        lines.append(f"  units ({len(plan.units)}), by measures shared in the body:")
        for load in plan.units:
            unit = load.unit
            flag = "" if unit.registered else "  [unregistered]"
            lines.append(f"    {load.measures:3d}  {unit.name}  {unit.english or ''}{flag}")
        if plan.discrepancies:
            lines.append("  body/annex discrepancies:")
            for d in plan.discrepancies:
                lines.append(f"    - {d.describe()}")
                if d.kind == "measure-text":
                    lines.append(f"        {changes(d.body_value, d.annex_value)}")
                else:
                    lines.append(f"        body:  {d.body_value or '—'}")
                    lines.append(f"        annex: {d.annex_value or '—'}")
        lines.extend(_unread_lines(plan))
    if not detailed:
        totals: Counter = Counter()
        for plan in result.plans:
            totals.update(dict(plan.counts))
        places = {plan.jurisdiction_slug for plan in result.plans}
        lines.append(f"{len(result.plans)} plans from {len(places)} jurisdictions: "
                     + ", ".join(f"{totals[label]} {label}" for label, _ in result.plans[0].counts))
        gaps = [plan for plan in result.plans if plan.unread]
        if gaps:
            lines.append(f"passages that look like assignments but were not read, in {len(gaps)} plans:")
            for plan in gaps:
                lines.append(f"  {plan.path}: {len(plan.unread)} of {plan.assignment_like}, first on line "
                             f"{plan.unread[0].line}")
    unregistered = result.unregistered_units()
    if unregistered:
        lines.append(f"units not in the registry ({len(unregistered)}; add them to ontology/registry/):")
        for unit in unregistered[:LISTED_UNREGISTERED]:
            lines.append(f"    {unit.name}  (jurisdiction {unit.jurisdiction}, slug {unit.slug})")
        if len(unregistered) > LISTED_UNREGISTERED:
            lines.append(f"    … and {len(unregistered) - LISTED_UNREGISTERED} more "
                         "(policykg query unregistered-units lists them all)")
    for err in result.failures:
        lines.append(f"left out (--keep-going): {err}")
    lines.append(f"graph: {result.triples} triples, conforms to ontology/shapes.ttl")
    for path in result.files:
        lines.append(f"wrote {path}")
    return "\n".join(lines)


def _unread_lines(plan) -> list[str]:
    if not plan.assignment_like:
        return []
    head = (f"  {plan.assignment_like} passages look like assignments; "
            + (f"{len(plan.unread)} were not read as one:" if plan.unread else "all were read"))
    lines = [head]
    for passage in plan.unread[:LISTED_UNREAD]:
        lines.append(f"    line {passage.line}: {passage.text}")
    if len(plan.unread) > LISTED_UNREAD:
        lines.append(f"    … and {len(plan.unread) - LISTED_UNREAD} more (--report lists them all)")
    return lines


def json_report(result: BuildResult) -> str:
    """Per document: what it is, what was read, the passages not read, and the documents refused."""
    plans = [{
        "path": plan.path,
        "iri": plan.iri,
        "title": plan.title,
        "jurisdiction": plan.jurisdiction,
        "counts": dict(plan.counts),
        "assignment_like": plan.assignment_like,
        "unread": [{"line": p.line, "start": p.start, "end": p.end, "text": p.text} for p in plan.unread],
        "unregistered_units": [u.name for u in plan.unregistered],
    } for plan in result.plans]
    refused = [{"path": err.path, "line": err.line, "problem": err.problem} for err in result.failures]
    return json.dumps({"plans": plans, "refused": refused, "triples": result.triples},
                      ensure_ascii=False, indent=1, sort_keys=False) + "\n"
