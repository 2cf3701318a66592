"""The unit registry: curated canonical names, variants, English names and types of units.

Registries are Turtle files under ``ontology/registry/``, one per jurisdiction. A name the
registry lacks still resolves, to an unregistered unit with a pinyin slug, so nothing a
document says is dropped; the build lists such units for a curator to add. Such a unit is typed
by the registry folder's rules for unit names (``pkg:UnitTypeRule``, in ``unit-types.ttl``): the
first, in order, whose pattern its name matches (市民政局: a government department; 团市委: a mass
organisation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import vocab
from ..errors import RegistryError
from ..resources import REGISTRY_DIR
from ..text.slugs import distinct_slug, slugify

PKG = str(vocab.PKG)
DEFAULT_REGISTRY_DIR = REGISTRY_DIR

# Level prefixes a document may put before a unit of its own jurisdiction: 县公安局 is
# 高青县公安局 in a Gaoqing plan.
LEVEL_SUFFIX = re.compile(r"(自治县|自治州|县|市|区|旗|州|省)$")


@dataclass(frozen=True)
class Unit:
    slug: str
    name: str  # canonical Chinese name (skos:prefLabel)
    english: str | None
    unit_type: str  # local name of the pkg:UnitType concept, e.g. "CountyGovernmentDepartment"
    jurisdiction: str  # jurisdiction slug
    alt_names: tuple[str, ...] = ()
    stands_for: str | None = None
    part_of: str | None = None  # slug of the unit this one belongs to (org:subOrganizationOf)
    registered: bool = True


@dataclass(frozen=True)
class TypeRule:
    """An unregistered unit whose name matches ``pattern`` is of type ``unit_type``."""

    order: int
    pattern: re.Pattern
    unit_type: str  # local name of the pkg:UnitType concept


def type_by_name(name: str, rules: tuple[TypeRule, ...]) -> str:
    """The type the first rule matching ``name`` gives, or ``UnknownType``."""
    for rule in rules:
        if rule.pattern.search(name):
            return rule.unit_type
    return "UnknownType"


@dataclass
class Jurisdiction:
    slug: str
    name: str  # e.g. 高青县
    english: str | None
    alt_names: tuple[str, ...] = ()
    type_rules: tuple[TypeRule, ...] = ()  # for the units the registry lacks
    units: dict[str, Unit] = field(default_factory=dict)  # by slug
    by_name: dict[str, Unit] = field(default_factory=dict)  # canonical and variant names
    # slugs distinct unregistered names share (found by the build): each such name gets its own
    ambiguous: set[str] = field(default_factory=set, repr=False, compare=False)
    _resolved: dict[str, Unit] = field(default_factory=dict, repr=False, compare=False)

    @property
    def level(self) -> str:
        m = LEVEL_SUFFIX.search(self.name)
        return m.group(1) if m else ""

    def resolved_units(self) -> list[Unit]:
        """Every unit :meth:`resolve` has given so far."""
        return list(self._resolved.values())

    def resolve(self, name: str) -> Unit:
        """The unit a document of this jurisdiction means by ``name``."""
        unit = self._resolved.get(name)
        if unit is None:
            unit = self._resolved[name] = self._resolve(name)
        return unit

    def _resolve(self, name: str) -> Unit:
        name = re.sub(r"\s+", "", name)
        for candidate in self._spellings(name):
            if candidate in self.by_name:
                return self.by_name[candidate]
        if self.level and self.name and name.startswith(self.name) and len(name) > len(self.name):
            # 安徽省商务厅 in an Anhui document is the 省商务厅 its other documents name: one unit,
            # named as the registries name a place's own units (县公安局)
            name = self.level + name[len(self.name):]
        slug = slugify(name)
        if slug in self.units or slug in self.ambiguous:  # never merge distinct names
            slug = distinct_slug(name)
        return Unit(
            slug=slug, name=name, english=None, unit_type=type_by_name(name, self.type_rules),
            jurisdiction=self.slug, registered=False,
        )

    def _spellings(self, name: str):
        yield name
        if self.name and name.startswith(self.name) and len(name) > len(self.name):
            yield self.level + name[len(self.name):]  # 高青县公安局 -> 县公安局
        if self.level and name.startswith(self.level):
            yield self.name + name[len(self.level):]  # 县政府办公室 -> 高青县政府办公室
        elif self.level and not name.startswith(("各", "市", "省", "中国", "国家")):
            yield self.level + name  # 农业农村局 -> 县农业农村局


@dataclass
class Registry:
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)  # by slug
    ambiguous: dict[str, set[str]] = field(default_factory=dict)  # jurisdiction slug -> unit slugs
    type_rules: tuple[TypeRule, ...] = ()

    def mark_ambiguous(self, jurisdiction: str, slugs) -> None:
        """Unit slugs of ``jurisdiction`` that distinct names share: each name gets its own."""
        self.ambiguous.setdefault(jurisdiction, set()).update(slugs)
        place = self.jurisdictions.get(jurisdiction)
        if place is not None:
            place.ambiguous.update(slugs)
            place._resolved.clear()

    def named_in(self, text: str | None) -> Jurisdiction | None:
        """The registered jurisdiction whose name ``text`` mentions first, if any."""
        hits = [(text.find(j.name), j.slug, j) for j in self.jurisdictions.values()
                if text and j.name and j.name in text]
        return min(hits)[2] if hits else None

    def for_name(self, name: str | None) -> Jurisdiction:
        """The jurisdiction called ``name`` (e.g. 高青县), or a new empty one for it."""
        for jurisdiction in self.jurisdictions.values():
            if name and (name == jurisdiction.name or name in jurisdiction.alt_names):
                return jurisdiction
        if not name:
            return Jurisdiction(slug="unknown", name="", english=None, type_rules=self.type_rules,
                                ambiguous=self.ambiguous.setdefault("unknown", set()))
        slug = slugify(name)
        if slug in self.jurisdictions:  # a registered place's slug: never merge with it
            slug = distinct_slug(name)
        return Jurisdiction(slug=slug, name=name, english=None, type_rules=self.type_rules,
                            ambiguous=self.ambiguous.setdefault(slug, set()))


def load_registry(directory: str | Path = DEFAULT_REGISTRY_DIR) -> Registry:
    """Read every ``*.ttl`` registry file in ``directory``: jurisdictions, their units, and the
    rules that type units the registries lack."""
    from rdflib import RDF, RDFS, Graph, Namespace
    from rdflib.namespace import DCTERMS, ORG, SKOS

    pkg = Namespace(PKG)
    if not Path(directory).is_dir():
        raise RegistryError(f"{directory}: no such registry folder (a folder of unit registries, *.ttl)")
    registry = Registry()
    rules: dict[int, TypeRule] = {}
    files = sorted(Path(directory).glob("*.ttl"))
    for path in files:
        graph = Graph()
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several parser exception types
            raise RegistryError(f"{path}: not valid Turtle: {err}") from None

        def one(subject, predicate, lang=None, required=True, graph=graph, path=path):
            values = [
                o for o in graph.objects(subject, predicate)
                if lang is None or getattr(o, "language", None) == lang
            ]
            if not values:
                if required:
                    raise RegistryError(f"{path}: {subject} has no {predicate.n3(graph.namespace_manager)}")
                return None
            return str(sorted(values)[0])

        places = {}
        for subject in sorted(graph.subjects(RDF.type, DCTERMS.Jurisdiction)):
            slug = one(subject, pkg.slug)
            jurisdiction = registry.jurisdictions.get(slug) or Jurisdiction(
                slug=slug, name=one(subject, SKOS.prefLabel, "zh"),
                english=one(subject, RDFS.label, "en", required=False),
                alt_names=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))),
            )
            registry.jurisdictions[slug] = jurisdiction
            places[subject] = jurisdiction
        slugs = {s: one(s, pkg.slug) for s in graph.subjects(RDF.type, pkg.Unit)}
        for subject in sorted(graph.subjects(RDF.type, pkg.Unit)):
            place = places.get(graph.value(subject, pkg.jurisdiction))
            if place is None:
                raise RegistryError(f"{path}: unit {subject} has no pkg:jurisdiction declared in the file")
            unit_type = graph.value(subject, ORG.classification)
            if unit_type is None or not str(unit_type).startswith(PKG):
                raise RegistryError(f"{path}: unit {subject} has no org:classification from pkg:UnitTypes")
            parent = graph.value(subject, ORG.subOrganizationOf)
            unit = Unit(
                slug=slugs[subject],
                name=one(subject, SKOS.prefLabel, "zh"),
                english=one(subject, RDFS.label, "en", required=False),
                unit_type=str(unit_type)[len(PKG):],
                jurisdiction=place.slug,
                alt_names=tuple(sorted(str(o) for o in graph.objects(subject, SKOS.altLabel))),
                stands_for=one(subject, pkg.standsFor, required=False),
                part_of=slugs.get(parent) if parent is not None else None,
            )
            if unit.slug in place.units:
                raise RegistryError(f"{path}: unit slug {unit.slug!r} is used twice in {place.name}")
            place.units[unit.slug] = unit
            for name in (unit.name, *unit.alt_names):
                if name in place.by_name and place.by_name[name] is not unit:
                    raise RegistryError(
                        f"{path}: the name {name} belongs to both {place.by_name[name].slug} and {unit.slug}"
                    )
                place.by_name[name] = unit
        for subject in sorted(graph.subjects(RDF.type, pkg.UnitTypeRule)):
            rule = _type_rule(graph, subject, path, pkg)
            if rule.order in rules:
                raise RegistryError(f"{path}: two unit type rules have pkg:order {rule.order}")
            rules[rule.order] = rule
    registry.type_rules = tuple(rules[order] for order in sorted(rules))
    for place in registry.jurisdictions.values():
        place.type_rules = registry.type_rules
    return registry


def _type_rule(graph, subject, path: Path, pkg) -> TypeRule:
    """The :class:`TypeRule` ``subject`` states, or a :class:`RegistryError` naming what is wrong."""
    order, pattern, unit_type = (graph.value(subject, pkg[p]) for p in ("order", "namePattern", "assignsType"))
    if order is None or pattern is None or unit_type is None:
        raise RegistryError(f"{path}: unit type rule {subject} needs pkg:order, pkg:namePattern and pkg:assignsType")
    if not str(unit_type).startswith(PKG):
        raise RegistryError(f"{path}: unit type rule {subject} assigns {unit_type}, not a pkg:UnitType")
    try:
        number = int(order)
        compiled = re.compile(str(pattern))
    except ValueError as err:
        raise RegistryError(f"{path}: unit type rule {subject}: pkg:order {order} is not an integer") from err
    except re.error as err:
        raise RegistryError(f"{path}: unit type rule {subject}: pkg:namePattern is not a regular expression: {err}") from None
    return TypeRule(number, compiled, str(unit_type)[len(PKG):])
