"""The query catalog as URLs, as datasette serves its canned queries.

- ``/queries/`` lists the catalog (HTML; JSON with ``/queries.json`` or ``Accept: application/json``);
- ``/queries/NAME.csv``, ``.tsv`` and ``.json`` answer one question in the W3C SPARQL 1.1 results
  formats, written by :mod:`policykg.sparql.results` as ``policykg query NAME -f csv`` writes them;
- parameters are query-string arguments (``?unit=县公安局``, URL-encoded UTF-8), bound by
  :meth:`policykg.sparql.catalog.CatalogQuery.bind` as the command line binds ``--param``.

This module knows URLs and formats, not sockets: :mod:`policykg.sparql.guard` routes the requests
here and runs the bound text through its checks, time limit and size limits.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from ..errors import ParameterError
from ..vocab import PREFIXES
from .catalog import Catalog, CatalogQuery
from .results import Result, write

# Queries the views are drawn from: served like the others, listed apart.
VIEW_PREFIX = "view-"
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json; charset=utf-8",
}
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


class NotFound(Exception):
    """A URL under ``/queries/`` that names no question of the catalog (HTTP 404)."""


@dataclass(frozen=True)
class CannedRequest:
    query: CatalogQuery
    fmt: str  # csv, tsv or json
    text: str  # the query with its parameters bound


def group(query: CatalogQuery) -> str:
    """``question`` for the catalog's questions, ``view`` for the queries the views are drawn from."""
    return "view" if query.name.startswith(VIEW_PREFIX) else "question"


def parse_request(catalog: Catalog, path: str, values: dict[str, str]) -> CannedRequest:
    """The question ``/queries/NAME.FMT`` asks, with ``values`` bound; :class:`NotFound` when the
    path names none, :class:`ParameterError` when a value is missing, empty or not allowed."""
    name, dot, fmt = path[len("/queries/"):].rpartition(".")
    if not dot or fmt not in MEDIA_TYPES or not _NAME.fullmatch(name) or name not in catalog.queries:
        raise NotFound("no such question in the catalog: the questions and their URLs are listed at "
                       "/queries/ (each as /queries/NAME.csv, .tsv or .json)")
    query = catalog.queries[name]
    for p in query.parameters:  # the catalog's own message says --param, which a URL has not
        if p.required and p.name not in values:
            raise ParameterError(f"query {name!r} needs parameter {p.name!r} ({p.description}); "
                                 f"add ?{p.name}=VALUE to the URL")
    return CannedRequest(query, fmt, query.bind(values))


def answer(request: CannedRequest, result: Result) -> tuple[str, bytes]:
    """Content type and body of the answer, byte for byte what ``policykg query NAME -f FMT`` prints."""
    return MEDIA_TYPES[request.fmt], write(result, request.fmt).encode("utf-8")


# --------------------------------------------------------------------------- the listing


def describe(query: CatalogQuery) -> dict:
    return {
        "name": query.name,
        "group": group(query),
        "title_zh": query.title_zh,
        "title_en": query.title_en,
        "question": query.question,
        "scope": query.scope,
        "columns": list(query.columns),
        "columns_note": query.columns_note,
        "parameters": [
            {"name": p.name, "description": p.description, "required": p.required, "default": p.default,
             "choices": list(p.choices)}
            for p in query.parameters
        ],
        "urls": {fmt: f"/queries/{query.name}.{fmt}" for fmt in MEDIA_TYPES},
        "text": query.text,
    }


def listing_json(catalog: Catalog) -> bytes:
    """The catalog for programs (and the query page): every question, its parameters, URLs and
    SPARQL text, and the prefixes a query may use without declaring them."""
    data = {
        "queries": [describe(q) for q in catalog],
        "prefixes": {name: str(iri) for name, iri in PREFIXES.items()},
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def wants_json(accept: str | None) -> bool:
    accept = (accept or "").lower()
    return "application/json" in accept and "text/html" not in accept


def listing_html(catalog: Catalog) -> bytes:
    """``/queries/``: every question with its parameters and the links (or, when it needs
    parameters, a form) to its CSV, TSV and JSON answers. Every text shown is escaped."""
    e = html.escape
    sections = []
    for kind, heading in (("question", "问题 · Questions"),
                          ("view", "视图所用的查询 · Queries the views are drawn from")):
        items = []
        for q in catalog:
            if group(q) != kind:
                continue
            items.append(_entry_html(q))
        sections.append(f'<section><h2>{e(heading)}</h2>\n<ol class="catalog">\n{"".join(items)}</ol></section>')
    return _PAGE.format(body="\n".join(sections)).encode("utf-8")


def _entry_html(q: CatalogQuery) -> str:
    e = html.escape
    name = e(q.name)
    fields = []
    for p in q.parameters:
        label = f'<label>{e(p.name)}{" *" if p.required else ""} '
        if p.choices:
            options = "".join(f'<option{" selected" if c == p.default else ""}>{e(c)}</option>' for c in p.choices)
            control = f'<select name="{e(p.name)}">{options}</select>'
        else:
            value = f' value="{e(p.default)}"' if p.default else ""
            control = f'<input name="{e(p.name)}"{value}{" required" if p.required else ""}>'
        fields.append(f'{label}{control}</label> <span class="muted">{e(p.description)}</span><br>')
    if q.scope == "plan":
        fields.append('<label>plan <input name="plan"></label> <span class="muted">方案的 slug、文号或标题（空：整个图）'
                      ' · the plan to ask about: its slug, document number or title (empty: the whole graph)</span><br>')
    buttons = "".join(f'<button formaction="/queries/{name}.{fmt}">{fmt.upper()}</button> ' for fmt in MEDIA_TYPES)
    if fields:
        links = f'<form method="get" action="/queries/{name}.csv">{"".join(fields)}{buttons}</form>'
    else:
        links = " ".join(f'<a href="/queries/{name}.{fmt}">{fmt.upper()}</a>' for fmt in MEDIA_TYPES)
    return (f'<li id="{name}"><h3><code>{name}</code> {e(q.title_zh)} <span class="en">{e(q.title_en)}</span></h3>'
            f'<p>{e(q.question)}</p>'
            f'<p class="muted">columns: {e(", ".join(q.columns))}'
            f'{" · scope: one plan" if q.scope == "plan" else ""}'
            f' · <a href="/?example={name}">在查询页打开 · open in the query page</a></p>'
            f'{links}</li>\n')


_PAGE = """<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<title>policykg 查询目录 · query catalog</title>
<link rel="stylesheet" href="/assets/query-page.css">
</head>
<body class="listing">
<header><h1>policykg 查询目录 · Query catalog</h1>
<p>每个问题可作为网址取得：<code>/queries/NAME.csv</code>、<code>.tsv</code>、<code>.json</code>，参数写在查询字符串中。
Each question is a URL: <code>/queries/NAME.csv</code>, <code>.tsv</code> or <code>.json</code>, with its parameters
as query-string arguments (* = required). A question about one plan takes <code>?plan=SLUG</code> (its slug,
document number or title, as <a href="/queries/plans.csv">/queries/plans.csv</a> lists them). As JSON: <a href="/queries.json">/queries.json</a>.
<a href="/">查询页 · query page</a></p></header>
<main>
{body}
</main>
</body>
</html>
"""
