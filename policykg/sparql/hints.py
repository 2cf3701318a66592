"""What to tell someone whose question found nothing because a name is not in the graph.

``policykg query measures-of-unit -p unit=县财政局`` on a plan that has no such bureau prints
``(0 rows)``, which reads as "the bureau has no measures". :func:`unknown_unit` tells the two
apart and offers the unit names closest to the one given (``--plan nope`` already lists the
plans there are).
"""

from __future__ import annotations

from dataclasses import dataclass

# Every name a unit goes by: its labels in both languages, and the spellings the documents use.
UNIT_NAMES = """
PREFIX pkg:  <https://w3id.org/policykg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE {
  { ?u a pkg:Unit . ?u skos:prefLabel|skos:altLabel|rdfs:label ?name }
  UNION
  { ?assignment pkg:statedName ?name }
}
"""

CLOSE_NAMES = 5  # names offered at most
CLOSE_ENOUGH = 50  # rapidfuzz WRatio below which a name is not offered


@dataclass(frozen=True)
class UnknownName:
    name: str
    close: tuple[str, ...]  # the nearest names the graph has, nearest first

    def message(self, what: str = "unit") -> str:
        said = f"the graph has no {what} named {self.name!r}"
        if self.close:
            return f"{said}; close names: {', '.join(self.close)}"
        return said


def unknown_unit(runner, name: str, *, timeout: float = 30.0) -> UnknownName | None:
    """None when some unit of the graph goes by ``name`` (English names without regard to
    case, as the catalog matches them); else the name with the closest names the graph has."""
    from rapidfuzz import fuzz, process

    names = sorted({row[0].value for row in runner.run(UNIT_NAMES, trusted=True, timeout=timeout).rows
                    if row[0] is not None})
    if any(n.lower() == name.lower() for n in names):
        return None
    matches = process.extract(name, names, scorer=fuzz.WRatio, limit=CLOSE_NAMES,
                              score_cutoff=CLOSE_ENOUGH)
    # rapidfuzz orders equal scores by position; names are sorted, so the order is stable
    return UnknownName(name, tuple(match for match, _, _ in matches))
