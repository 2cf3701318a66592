"""Validating graphs against the SHACL shapes in ``ontology/shapes.ttl``.

Two validators read the same shapes file:

- :func:`validation_report` runs pySHACL (the full SHACL recommendation) on an rdflib Graph;
  ``policykg validate`` uses it on a built graph file.
- :class:`Shapes` compiles the shapes once and checks plain triples (see :mod:`policykg.rdf.terms`)
  in pure Python. It implements the SHACL Core constraint components the shapes file uses
  (node shapes with ``sh:targetClass``, property shapes with a predicate path, and
  ``sh:minCount maxCount datatype class in pattern minLength maxLength minInclusive
  maxInclusive minExclusive maxExclusive lessThan lessThanOrEquals languageIn uniqueLang
  hasValue nodeKind``) and refuses a shapes file that uses anything else, so it never passes
  a graph by ignoring a constraint. The build uses it: pySHACL needs minutes for a million
  triples, this checks each plan's graph in milliseconds. The test suite checks that both
  validators agree on the built graph and on graphs broken one constraint at a time.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import ValidationError
from ..resources import SHAPES_FILE
from ..vocab import RDF, RDF_LANGSTRING, RDFS, SH, XSD
from .terms import Lit, Term

RDF_TYPE = RDF.type
SUBCLASS = RDFS.subClassOf


def validation_report(graph, shapes_file: str | Path = SHAPES_FILE) -> tuple[bool, str]:
    """``(conforms, report text)`` for ``graph`` (an rdflib Graph), by pySHACL."""
    import pyshacl  # slow to import; only `policykg validate` and the tests need it
    from rdflib import Graph

    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                         advanced=False, allow_warnings=True)
    return bool(conforms), text



_FILE_FORMATS = {".ttl": ("TURTLE", "turtle"), ".nt": ("N_TRIPLES", "nt"), ".trig": ("TRIG", "trig"),
                 ".nq": ("N_QUADS", "nquads"), ".jsonld": (None, "json-ld")}


@dataclass
class FileReport:
    conforms: bool
    report: str  # pySHACL's text for every graph that does not conform, each under its name
    triples: int  # in the whole file
    graphs: list[str]  # the graphs checked: "default", or the named graphs' IRIs


def validate_file(path, shapes_file: str | Path = SHAPES_FILE) -> FileReport:
    """Validate a graph file; a TriG or N-Quads file graph by graph.

    Each named graph is checked together with the default graph (which holds the vocabulary
    the plans' graphs share), so a plan graph that lacks a required property fails even when
    another graph has it. A file that cannot be read is a :class:`GraphLoadError` naming line
    and column, in one line.
    """
    from rdflib import Dataset, Graph

    from ..errors import GraphLoadError

    path = Path(path)
    ox_format, rdflib_format = _FILE_FORMATS.get(path.suffix, (None, "turtle"))
    if ox_format is not None:
        _syntax_check(path, ox_format)
    try:
        if path.suffix in (".trig", ".nq"):
            data = Dataset()
            data.parse(path, format=rdflib_format)
        else:
            data = Graph().parse(path, format=rdflib_format)
    except Exception as err:  # rdflib raises many kinds; keep the first line, briefly
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise GraphLoadError(f"{path}: cannot be read as RDF: {first[:200]}") from None
    if not isinstance(data, Dataset):
        conforms, report = validation_report(data, shapes_file)
        return FileReport(conforms, report, len(data), ["default"])
    default = data.default_graph
    named = sorted((g for g in data.graphs() if g.identifier != default.identifier), key=lambda g: str(g.identifier))
    total = sum(1 for _ in data.quads((None, None, None, None)))
    if not named:
        conforms, report = validation_report(_copy(default), shapes_file)
        return FileReport(conforms, report, total, ["default"])
    failures = []
    for graph in named:
        union = _copy(graph)
        for triple in default:
            union.add(triple)
        conforms, report = validation_report(union, shapes_file)
        if not conforms:
            failures.append(f"graph <{graph.identifier}>:\n{report}")
    return FileReport(not failures, "\n".join(failures), total, [str(g.identifier) for g in named])


def _copy(graph):
    from rdflib import Graph

    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _syntax_check(path: Path, ox_format: str) -> None:
    """A file pyoxigraph cannot parse: one line with where and why (rdflib's message can be the
    whole file)."""
    import pyoxigraph as ox

    from ..errors import GraphLoadError

    try:
        for _ in ox.parse(path=str(path), format=getattr(ox.RdfFormat, ox_format)):
            pass
    except SyntaxError as err:
        message = str(err).splitlines()[0] if str(err) else "syntax error"
        match = re.match(r"Parser error at line (\d+) between columns (\d+) and \d+: (.*?)(?: \(.*\))?$", message)
        if match:
            raise GraphLoadError(f"{path}:{match.group(1)}:{match.group(2)}: not valid RDF: "
                                 f"{match.group(3)[:200]}") from None
        raise GraphLoadError(f"{path}: not valid RDF: {message[:200]}") from None
    except (OSError, ValueError, MemoryError) as err:
        raise GraphLoadError(f"{path}: cannot be read: {str(err)[:200]}") from None


# --------------------------------------------------------------------------- compiled shapes

_PARAMETERS = {  # constraint component parameters the compiled validator implements
    "minCount", "maxCount", "datatype", "class", "in", "pattern", "flags", "minLength", "maxLength",
    "minInclusive", "maxInclusive", "minExclusive", "maxExclusive", "lessThan", "lessThanOrEquals",
    "languageIn", "uniqueLang", "hasValue", "nodeKind",
}
_IGNORED = {"name", "description", "message", "order", "group", "severity", "deactivated", "path"}
_NODE_KEYS = {"targetClass", "property"} | _IGNORED

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_LEXICAL = {
    XSD + "integer": _INTEGER,
    XSD + "decimal": _DECIMAL,
    XSD + "boolean": re.compile(r"^(true|false|1|0)$"),
    XSD + "date": re.compile(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d\d:\d\d)?$"),
    XSD + "gYear": re.compile(r"^-?\d{4,}(Z|[+-]\d\d:\d\d)?$"),
}
_NUMERIC = {XSD + "integer", XSD + "decimal"}
_XSD_INTEGER = XSD + "integer"


@dataclass
class PropertyShape:
    shape: str  # the node shape it belongs to, for messages
    path: str
    constraints: dict[str, object] = field(default_factory=dict)

    @property
    def test(self):
        """The constraints as one function (see :func:`_property_test`), made when first asked
        for: a plan's check asks a thousand times."""
        test = self.__dict__.get("_test")
        if test is None:
            test = self.__dict__["_test"] = _property_test(self)
        return test

    def __getstate__(self) -> dict:  # the shapes go to worker processes; functions do not pickle
        return {k: v for k, v in self.__dict__.items() if k != "_test"}


@dataclass
class NodeShape:
    iri: str
    target_classes: tuple[str, ...]
    properties: list[PropertyShape]


class Shapes:
    """SHACL shapes compiled for checking plain triples. See the module docstring."""

    def __init__(self, node_shapes: list[NodeShape]):
        self.node_shapes = node_shapes

    @classmethod
    def load(cls, shapes_file: str | Path = SHAPES_FILE) -> "Shapes":
        import pyoxigraph as ox

        from .terms import Lit as _Lit

        def term(t):
            if isinstance(t, ox.Literal):
                dt = t.datatype.value
                return _Lit(t.value, None if dt.endswith(("#string", "#langString")) else dt, t.language)
            return t.value if isinstance(t, ox.NamedNode) else f"_:{t.value}"

        data: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in ox.parse(path=str(shapes_file), format=ox.RdfFormat.TURTLE):
            data[term(t.subject)][term(t.predicate)].append(term(t.object))

        def rdf_list(head):
            items = []
            while head != RDF.nil:
                items.append(data[head][RDF.first][0])
                head = data[head][RDF.rest][0]
            return items

        def local(p):
            return p[len(str(SH)):] if p.startswith(str(SH)) else None

        shapes = []
        for subject in sorted(s for s, po in data.items() if SH + "NodeShape" in po.get(RDF_TYPE, ())):
            po = data[subject]
            for p in po:
                if p != RDF_TYPE and local(p) not in _NODE_KEYS:
                    raise ValidationError(f"{shapes_file}: {subject}: {p} is not supported by the compiled "
                                          "validator; validate with pySHACL (policykg validate)")
            properties = []
            for node in po.get(SH + "property", []):
                ppo = data[node]
                paths = ppo.get(SH + "path", [])
                if len(paths) != 1 or isinstance(paths[0], Lit) or paths[0].startswith("_:"):
                    raise ValidationError(f"{shapes_file}: {subject}: only predicate paths are supported")
                constraints: dict[str, object] = {}
                for p, values in ppo.items():
                    name = local(p)
                    if p == RDF_TYPE or name in _IGNORED:
                        continue
                    if name not in _PARAMETERS:
                        raise ValidationError(f"{shapes_file}: {subject}: {p} is not supported by the "
                                              "compiled validator; validate with pySHACL (policykg validate)")
                    value = values[0]
                    if name in ("in", "languageIn"):
                        value = rdf_list(value)
                        if name == "languageIn":
                            value = [v.value.lower() for v in value]
                    elif name in ("minCount", "maxCount", "minLength", "maxLength"):
                        value = int(value.value)
                    elif name == "uniqueLang":
                        value = value.value == "true"
                    elif name == "pattern":
                        flags = ppo.get(SH + "flags", [Lit("")])[0].value
                        value = re.compile(value.value, re.I if "i" in flags else 0)
                    constraints[name] = value
                properties.append(PropertyShape(subject, paths[0], constraints))
            targets = tuple(sorted(po.get(SH + "targetClass", [])))
            shapes.append(NodeShape(subject, targets, properties))
        return cls(shapes)

    # ----------------------------------------------------------------------------- checking
    def violations(self, triples, focus: set[str] | None = None, limit: int = 20) -> list[str]:
        """Messages for the constraints ``triples`` break (at most ``limit``), empty if none.

        ``focus``, if given, restricts the check to those focus nodes.
        """
        index: dict[str, dict[str, list[Term]]] = {}
        for s, p, o in dict.fromkeys(triples):  # each triple once, in the order given
            po = index.get(s)
            if po is None:
                index[s] = {p: [o]}
            elif p in po:
                po[p].append(o)
            else:
                po[p] = [o]
        supers = _superclasses(index)
        instances: dict[str, list[str]] = defaultdict(list)
        for s, po in index.items():
            for cls in po.get(RDF_TYPE, ()):
                for c in supers.get(cls, (cls,)):
                    instances[c].append(s)
        out: list[str] = []
        for shape in self.node_shapes:
            nodes = sorted({n for c in shape.target_classes for n in instances.get(c, ())})
            tests = [(prop, prop.test) for prop in shape.properties]
            for node in nodes:
                if focus is not None and node not in focus:
                    continue
                po = index.get(node, {})
                for prop, test in tests:
                    problems = test(po, node, index, supers)
                    for problem in problems or ():
                        out.append(f"{node}: {_short(prop.path)}: {problem} (shape {_short(shape.iri)})")
                        if len(out) >= limit:
                            return out
        return out

    def check(self, triples, focus: set[str] | None = None, where: str = "graph") -> None:
        """Raise :class:`ValidationError` unless ``triples`` conform."""
        found = self.violations(triples, focus)
        if found:
            raise ValidationError(f"{where} does not conform to {SHAPES_FILE.name}:\n  " + "\n  ".join(found))


def _short(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] if isinstance(iri, str) else str(iri)


def _superclasses(index) -> dict[str, tuple[str, ...]]:
    """Each class with its superclasses by rdfs:subClassOf in the data (SHACL's class semantics)."""
    direct = {s: po[SUBCLASS] for s, po in index.items() if SUBCLASS in po}
    if not direct:
        return {}
    out = {}
    for cls in direct:
        seen, todo = [cls], [cls]
        while todo:
            for parent in direct.get(todo.pop(), ()):
                if parent not in seen:
                    seen.append(parent)
                    todo.append(parent)
        out[cls] = tuple(seen)
    return out


def _is_instance(node, cls: str, index, supers) -> bool:
    if isinstance(node, Lit):
        return False
    for t in index.get(node, {}).get(RDF_TYPE, ()):
        if t == cls or cls in supers.get(t, ()):
            return True
    return False


def _number(term):
    if isinstance(term, Lit) and term.datatype in _NUMERIC and _LEXICAL[term.datatype].match(term.value):
        if term.datatype == _XSD_INTEGER:  # int and Decimal compare exactly; int is made faster
            return int(term.value)
        try:
            return Decimal(term.value)
        except InvalidOperation:
            return None
    return None


def _comparable(a, b):
    """``(x, y)`` to compare with < and <=, or None when SHACL cannot compare them."""
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na, nb
    if isinstance(a, Lit) and isinstance(b, Lit) and a.datatype == b.datatype and not a.lang and not b.lang \
            and a.datatype in (None, XSD + "string", XSD + "date", XSD + "gYear"):
        return a.value, b.value
    return None


def _property_test(prop: PropertyShape):
    """``test(po, node, index, supers) -> messages or None``: the constraints of ``prop`` on the
    node ``node`` whose predicates and values are ``po``."""
    c = prop.constraints
    path, tests = prop.path, tuple(_value_tests(c))
    least, most, required = c.get("minCount"), c.get("maxCount"), c.get("hasValue")
    unique_lang = bool(c.get("uniqueLang"))

    absent = tuple(problem for problem in (
        f"fewer than {least} values (0)" if least is not None and least > 0 else None,
        f"missing the value {required}" if required is not None else None) if problem)

    def test(po, node, index, supers):
        values = po.get(path)
        if values is None:  # most properties of most nodes: nothing else to check
            return absent
        problems = []
        if least is not None and len(values) < least:
            problems.append(f"fewer than {least} values ({len(values)})")
        if most is not None and len(values) > most:
            problems.append(f"more than {most} values ({len(values)})")
        if required is not None and required not in values:
            problems.append(f"missing the value {required}")
        for v in values:
            for value_test in tests:
                found = value_test(v, node, index, supers)
                if found:
                    problems.extend(found)
        if unique_lang:
            langs = [v.lang.lower() for v in values if isinstance(v, Lit) and v.lang]
            for lang in sorted({x for x in langs if langs.count(x) > 1}):
                problems.append(f"more than one value in language {lang!r}")
        return problems
    return test


_KIND_ALLOWED = {"IRI": {"IRI"}, "Literal": {"Literal"}, "BlankNode": {"BlankNode"},
                 "BlankNodeOrIRI": {"BlankNode", "IRI"}, "IRIOrLiteral": {"IRI", "Literal"},
                 "BlankNodeOrLiteral": {"BlankNode", "Literal"}}


def _text(v):
    return v.value if isinstance(v, Lit) else (None if v.startswith("_:") else v)


def _value_tests(c: dict) -> list:
    """The per-value constraints of ``c`` as functions, in the order their messages come."""
    tests = []
    if "datatype" in c:
        dt = c["datatype"]

        def datatype(v, node, index, supers):
            actual = (RDF_LANGSTRING if v.lang else (v.datatype or XSD + "string")) if isinstance(v, Lit) else None
            if actual != dt or (dt in _LEXICAL and not _LEXICAL[dt].match(v.value)):
                return (f"{v!r} is not a valid {_short(dt)}",)
        tests.append(datatype)
    if "class" in c:
        cls = c["class"]

        def class_(v, node, index, supers):
            if not _is_instance(v, cls, index, supers):
                return (f"{v!r} is not a {_short(cls)}",)
        tests.append(class_)
    if "in" in c:
        allowed_values = c["in"]

        def in_(v, node, index, supers):
            if v not in allowed_values:
                return (f"{v!r} is not one of the allowed values",)
        tests.append(in_)
    if "nodeKind" in c:
        kind_name = _short(c["nodeKind"])
        allowed = _KIND_ALLOWED[kind_name]

        def node_kind(v, node, index, supers):
            kind = "Literal" if isinstance(v, Lit) else ("BlankNode" if v.startswith("_:") else "IRI")
            if kind not in allowed:
                return (f"{v!r} is not of node kind {kind_name}",)
        tests.append(node_kind)
    if "pattern" in c:
        pattern = c["pattern"]

        def pattern_(v, node, index, supers):
            text = _text(v)
            if text is None or not pattern.search(text):
                return (f"{v!r} does not match {pattern.pattern}",)
        tests.append(pattern_)
    if "minLength" in c:
        tests.append(_length_test(c["minLength"], lambda n, limit: n >= limit, "shorter than"))
    if "maxLength" in c:
        tests.append(_length_test(c["maxLength"], lambda n, limit: n <= limit, "longer than"))
    for name, ok in (("minInclusive", lambda x, y: x <= y), ("maxInclusive", lambda x, y: y <= x),
                     ("minExclusive", lambda x, y: x < y), ("maxExclusive", lambda x, y: y < x)):
        if name in c:
            tests.append(_bound_test(name, c[name], ok))
    if "languageIn" in c:
        ranges = c["languageIn"]

        def language_in(v, node, index, supers):
            lang = v.lang.lower() if isinstance(v, Lit) and v.lang else None
            if lang is None or not any(lang == r or lang.startswith(r + "-") or r == "*" for r in ranges):
                return (f"{v!r} is not in the languages {', '.join(ranges)}",)
        tests.append(language_in)
    for name, ok in (("lessThan", lambda x, y: x < y), ("lessThanOrEquals", lambda x, y: x <= y)):
        if name in c:
            tests.append(_pair_test(name, c[name], ok))
    return tests


def _length_test(limit: int, ok, broken: str):
    def test(v, node, index, supers):
        text = _text(v)
        if text is None or not ok(len(text), limit):
            return (f"{v!r} is {broken} {limit}",)
    return test


def _bound_test(name: str, bound, ok):
    number = _number(bound)

    def test(v, node, index, supers):
        if number is not None:  # the usual case, a number against a number, without _comparable
            value = _number(v)
            if value is not None and ok(number, value):
                return None
        pair = _comparable(bound, v)
        if pair is None or not ok(*pair):
            return (f"{v!r} breaks sh:{name} {bound.value}",)
    return test


def _pair_test(name: str, other: str, ok):
    def test(v, node, index, supers):
        problems = []
        for w in index.get(node, {}).get(other, []):
            pair = _comparable(v, w)
            if pair is None or not ok(*pair):
                problems.append(f"{v!r} is not sh:{name} {_short(other)} {w!r}")
        return problems
    return test
