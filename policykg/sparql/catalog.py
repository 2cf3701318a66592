"""The query catalog: ``queries/*.rq``, one named question per file, with a header comment.

A header is the block of ``#`` comment lines at the top of the file::

    # title-zh: 试验任务的牵头单位
    # title-en: Lead units of each pilot task
    # question: Which units lead each pilot task, according to the body and to the annex?
    # param lang = zh (zh|en): label language of unit names
    # param unit: a unit's name in Chinese or English, canonical or as written
    # columns: pilot_task, pilot_task_title, unit, unit_en, source
    # scope: plan

``scope: plan`` marks a question about one plan: its rows carry the document's own task
numbers and do not name the plan, so on a graph of several plans it is run with ``--plan``.
``param NAME`` without ``= DEFAULT`` is required; ``(a|b)`` lists the allowed values. A line
starting with ``#`` and more spaces continues the entry above it. In the query, parameters are
``$name`` variables, bound by :func:`policykg.sparql.params.bind` to escaped literals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError, UnknownQueryError
from ..resources import QUERIES_DIR
from .params import ParameterError, bind, dollar_variables

SCOPES = ("plan", "corpus")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    default: str | None = None
    choices: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class CatalogQuery:
    name: str
    path: Path
    title_zh: str
    title_en: str
    question: str
    columns: tuple[str, ...]
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    columns_note: str = ""
    scope: str = "corpus"  # or "plan": see the module's docstring

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def bind(self, values: dict[str, str] | None = None) -> str:
        """The query text with parameters bound; defaults fill what ``values`` leaves out."""
        values = dict(values or {})
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            accepted = ", ".join(sorted(known)) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {accepted})"
            )
        for p in self.parameters:
            if p.name not in values:
                if p.required:
                    raise ParameterError(
                        f"query {self.name!r} needs parameter {p.name!r} ({p.description}); "
                        f"pass --param {p.name}=VALUE"
                    )
                values[p.name] = p.default
            if p.required and not str(values[p.name]).strip():
                # -p keyword= would match every measure: an empty answer to a required question
                raise ParameterError(
                    f"parameter {p.name!r} of query {self.name!r} is empty; give it a value ({p.description})"
                )
            if p.choices and values[p.name] not in p.choices:
                raise ParameterError(
                    f"parameter {p.name!r} of query {self.name!r} must be one of "
                    f"{', '.join(p.choices)}, not {values[p.name]!r}"
                )
        return bind(self.text, values)


def parse_header(text: str, source: str) -> dict:
    """Read the header comment of a catalog file into its entries."""
    entries: dict[str, str] = {}
    params: list[list[str]] = []  # [spec, description]
    last = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:]
        if body.startswith("  ") and last is not None:  # continuation
            if last == "param":
                params[-1][1] += " " + body.strip()
            elif last == "columns":  # notes on the columns, after the list of names
                entries["columns-note"] = (entries.get("columns-note", "") + " " + body.strip()).strip()
            else:
                entries[last] += " " + body.strip()
            continue
        key, sep, value = body.strip().partition(":")
        if not sep:
            continue  # a free comment line
        key = key.strip()
        if key.startswith("param "):
            params.append([key[len("param "):].strip(), value.strip()])
            last = "param"
        elif key in ("title-zh", "title-en", "question", "columns"):
            entries[key] = value.strip()
            last = key
        elif key == "scope":
            if value.strip() not in SCOPES:
                raise CatalogError(f"{source}:{lineno}: scope is one of {', '.join(SCOPES)}, not {value.strip()!r}")
            entries[key] = value.strip()
            last = key
        else:
            raise CatalogError(f"{source}:{lineno}: unknown header entry {key!r}")
    missing = [k for k in ("title-zh", "title-en", "question", "columns") if k not in entries]
    if missing:
        raise CatalogError(f"{source}: the header lacks {', '.join(missing)}")
    entries["params"] = [_parse_param(spec, desc, source) for spec, desc in params]
    return entries


def _parse_param(spec: str, description: str, source: str) -> Parameter:
    choices: tuple[str, ...] = ()
    if "(" in spec and spec.endswith(")"):
        spec, _, rest = spec.partition("(")
        choices = tuple(c.strip() for c in rest[:-1].split("|") if c.strip())
    name, eq, default = (s.strip() for s in spec.partition("="))
    if not name.isidentifier():
        raise CatalogError(f"{source}: bad parameter name {name!r}")
    return Parameter(name, description, default if eq else None, choices)


def load_query(path: Path) -> CatalogQuery:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    h = parse_header(text, str(path))
    query = CatalogQuery(
        name=path.stem,
        path=path,
        title_zh=h["title-zh"],
        title_en=h["title-en"],
        question=h["question"],
        columns=tuple(c.strip() for c in h["columns"].split(",") if c.strip()),
        text=text,
        parameters=tuple(h["params"]),
        columns_note=h.get("columns-note", ""),
        scope=h.get("scope", "corpus"),
    )
    used = {name for _, _, name in dollar_variables(text)}
    declared = {p.name for p in query.parameters}
    if used != declared:
        raise CatalogError(
            f"{path}: parameters used ({', '.join(sorted(used)) or 'none'}) and declared "
            f"({', '.join(sorted(declared)) or 'none'}) differ"
        )
    return query


@dataclass
class Catalog:
    queries: dict[str, CatalogQuery]

    @property
    def names(self) -> list[str]:
        return sorted(self.queries)

    def get(self, name: str) -> CatalogQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQueryError(name, self.names) from None

    def __iter__(self):
        return iter(self.queries[n] for n in self.names)

    def __len__(self) -> int:
        return len(self.queries)


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Every ``*.rq`` file of ``directory`` (default: the project's ``queries/``)."""
    directory = Path(directory) if directory else QUERIES_DIR
    if not directory.is_dir():
        raise CatalogError(f"{directory}/: no query catalog there")
    return Catalog({p.stem: load_query(p) for p in sorted(directory.glob("*.rq"))})


__all__ = [
    "Catalog", "CatalogError", "CatalogQuery", "Parameter", "ParameterError",
    "UnknownQueryError", "load_catalog", "load_query", "QUERIES_DIR",
]
