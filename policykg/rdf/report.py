"""The build's human-readable summary: counts, units, discrepancies, files."""

from __future__ import annotations

from collections import Counter

from .build import BuildResult
from .reconcile import changes

DETAILED_PLANS = 10  # a corpus larger than this gets one line per plan
LISTED_UNREGISTERED = 50


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
    if not detailed:
        totals: Counter = Counter()
        for plan in result.plans:
            totals.update(dict(plan.counts))
        places = {plan.jurisdiction_slug for plan in result.plans}
        lines.append(f"{len(result.plans)} plans from {len(places)} jurisdictions: "
                     + ", ".join(f"{totals[label]} {label}" for label, _ in result.plans[0].counts))
    unregistered = result.unregistered_units()
    if unregistered:
        lines.append(f"units not in the registry ({len(unregistered)}; add them to ontology/registry/):")
        for unit in unregistered[:LISTED_UNREGISTERED]:
            lines.append(f"    {unit.name}  (jurisdiction {unit.jurisdiction}, slug {unit.slug})")
        if len(unregistered) > LISTED_UNREGISTERED:
            lines.append(f"    … and {len(unregistered) - LISTED_UNREGISTERED} more "
                         "(policykg query unregistered-units lists them all)")
    lines.append(f"graph: {result.triples} triples, conforms to ontology/shapes.ttl")
    for path in result.files:
        lines.append(f"wrote {path}")
    return "\n".join(lines)
