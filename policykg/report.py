"""The build's human-readable summary: counts, units, discrepancies, files."""

from __future__ import annotations

from collections import Counter

from .build import BuildResult
from .reconcile import changes


def summary(result: BuildResult) -> str:
    lines: list[str] = []
    for plan in result.plans:
        doc, rec = plan.document, plan.reconciliation
        meta = doc.metadata
        lines.append(f"{doc.path}: {meta.title or doc.slug}")
        lines.append(f"  {meta.doc_number or '(no 文号)'} · {meta.issuer or '?'} · {meta.issued or '?'}"
                     f" · jurisdiction {plan.jurisdiction.name or '?'} ({plan.jurisdiction.slug})")
        counts = [
            ("principles", len(doc.principles)),
            ("stages", len(doc.stages)),
            ("goals", sum(len(s.goals) for s in doc.stages)),
            ("pilot tasks", len(doc.pilot_tasks)),
            ("work tasks", len(doc.work_tasks())),
            ("measures", len(doc.measures())),
            ("safeguards", len(doc.safeguards)),
            ("annex rows", len(doc.annex)),
            ("discrepancies", len(rec.discrepancies)),
        ]
        lines.append("  " + ", ".join(f"{n} {label}" for label, n in counts))
        load = Counter()
        for m in doc.measures():
            for slug in {plan.jurisdiction.resolve(u.name).slug for u in m.units}:
                load[slug] += 1
        units = {}
        for m in doc.measures():
            for u in m.units:
                unit = plan.jurisdiction.resolve(u.name)
                units.setdefault(unit.slug, unit)
        for pt in doc.pilot_tasks:
            for u in pt.lead_units:
                unit = plan.jurisdiction.resolve(u.name)
                units.setdefault(unit.slug, unit)
        lines.append(f"  units ({len(units)}), by measures shared in the body:")
        for slug in sorted(units, key=lambda s: (-load[s], units[s].name)):
            unit = units[slug]
            flag = "" if unit.registered else "  [unregistered]"
            lines.append(f"    {load[slug]:3d}  {unit.name}  {unit.english or ''}{flag}")
        if rec.discrepancies:
            lines.append("  body/annex discrepancies:")
            for d in rec.discrepancies:
                lines.append(f"    - {d.describe()}")
                if d.kind == "measure-text":
                    lines.append(f"        {changes(d.body_value, d.annex_value)}")
                else:
                    lines.append(f"        body:  {d.body_value or '—'}")
                    lines.append(f"        annex: {d.annex_value or '—'}")
    unregistered = result.unregistered_units()
    if unregistered:
        lines.append("units not in the registry (add them to ontology/registry/):")
        for unit in unregistered:
            lines.append(f"    {unit.name}  (jurisdiction {unit.jurisdiction}, slug {unit.slug})")
    lines.append(f"graph: {len(result.graph)} triples, conforms to ontology/shapes.ttl")
    for path in result.files:
        lines.append(f"wrote {path}")
    return "\n".join(lines)
