"""The build's human-readable summary: counts, units, discrepancies, files.

A build of a few plans describes each in full; a corpus build gives one line per plan and
the totals, so the report stays readable at a thousand documents.
"""

from __future__ import annotations

from collections import Counter

from .build import BuildResult
from .mapping import PlanInput
from .reconcile import KINDS, changes

DETAILED_UP_TO = 3  # plans; beyond this the summary lists one line per plan


def summary(result: BuildResult) -> str:
    lines: list[str] = []
    detailed = len(result.plans) <= DETAILED_UP_TO
    totals: Counter = Counter()
    for plan in result.plans:
        counts = _counts(plan)
        totals.update(dict(counts))
        if detailed:
            lines.extend(_plan_details(plan, counts))
        else:
            doc = plan.document
            lines.append(f"{doc.path}: {doc.metadata.title or doc.slug} ({plan.jurisdiction.slug}) — "
                         + ", ".join(f"{n} {label}" for label, n in counts if n))
    if not detailed:
        kinds = Counter(d.kind for plan in result.plans for d in plan.reconciliation.discrepancies)
        lines.append(f"{len(result.plans)} plans: " + ", ".join(f"{n} {label}" for label, n in totals.items()))
        if kinds:
            lines.append("discrepancies by kind: " + ", ".join(f"{kinds[k]} {k}" for k in KINDS if kinds[k]))
    unregistered = result.unregistered_units()
    if unregistered:
        lines.append(f"units not in the registry ({len(unregistered)}; add them to ontology/registry/):")
        shown = unregistered if detailed else unregistered[:20]
        for unit in shown:
            lines.append(f"    {unit.name}  (jurisdiction {unit.jurisdiction}, slug {unit.slug})")
        if len(shown) < len(unregistered):
            lines.append(f"    … and {len(unregistered) - len(shown)} more")
    lines.append(f"graph: {len(result.graph)} triples, conforms to ontology/shapes.ttl")
    for path in result.files:
        lines.append(f"wrote {path}")
    return "\n".join(lines)


def _counts(plan: PlanInput) -> list[tuple[str, int]]:
    doc = plan.document
    return [
        ("principles", len(doc.principles)),
        ("stages", len(doc.stages)),
        ("goals", sum(len(s.goals) for s in doc.stages)),
        ("pilot tasks", len(doc.pilot_tasks)),
        ("work tasks", len(doc.work_tasks())),
        ("measures", len(doc.measures())),
        ("safeguards", len(doc.safeguards)),
        ("annex rows", len(doc.annex)),
        ("discrepancies", len(plan.reconciliation.discrepancies)),
    ]


def _plan_details(plan: PlanInput, counts) -> list[str]:
    doc, rec, place = plan.document, plan.reconciliation, plan.jurisdiction
    meta = doc.metadata
    lines = [
        f"{doc.path}: {meta.title or doc.slug}",
        f"  {meta.doc_number or '(no 文号)'} · {meta.issuer or '?'} · {meta.issued or '?'}"
        f" · jurisdiction {place.name or '?'} ({place.slug})",
        "  " + ", ".join(f"{n} {label}" for label, n in counts),
    ]
    units, load = {}, Counter()
    for m in doc.measures():
        for slug in {place.resolve(u.name).slug for u in m.units}:
            load[slug] += 1
    for mention in [u for m in doc.measures() for u in m.units] + [u for pt in doc.pilot_tasks for u in pt.lead_units]:
        unit = place.resolve(mention.name)
        units.setdefault(unit.slug, unit)
    lines.append(f"  units ({len(units)}), by measures shared in the body:")
    for slug in sorted(units, key=lambda s: (-load[s], units[s].name)):
        unit = units[slug]
        flag = "" if unit.registered else "  [unregistered]"
        lines.append(f"    {load[slug]:3d}  {unit.name}  {unit.english or ''}{flag}")
    if rec.discrepancies:
        lines.append("  body/annex discrepancies:")
        for d in rec.discrepancies:
            subject = place.units[d.subject[1]].name if d.subject[0] == "unit" and d.subject[1] in place.units else None
            lines.append(f"    - {d.describe()}" + (f" {subject}" if subject else ""))
            if d.kind == "measure-text":
                lines.append(f"        {changes(d.body_value, d.annex_value)}")
            else:
                lines.append(f"        body:  {d.body_value or '—'}")
                lines.append(f"        annex: {d.annex_value or '—'}")
    return lines
