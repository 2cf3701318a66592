"""Refuse user queries that could reach the network or the file system.

Both embedded engines would follow a query out of the process: rdflib runs ``SERVICE`` with
``urlopen`` and loads ``FROM`` / ``FROM NAMED`` targets (``http://`` and ``file://``), pyoxigraph
sends ``SERVICE`` requests over HTTP, and any update may ``LOAD``. So a query typed by a user is
parsed (with rdflib's SPARQL grammar) and its parse tree inspected before any engine sees it:

- updates of any kind (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ...) are refused;
- a dataset clause (``FROM`` / ``FROM NAMED``) is refused;
- a ``SERVICE`` pattern anywhere, in subqueries too, is refused.

The parser is imported only when a user query is checked; the named catalog queries are
checked once by the test suite instead, so ``policykg query NAME`` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import QuerySyntaxError, UnsafeQueryError


@dataclass(frozen=True)
class CheckedQuery:
    text: str
    form: str  # "select", "construct", "describe" or "ask"


_FORMS = {
    "SelectQuery": "select",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
    "AskQuery": "ask",
}


def check_query(text: str, source: str = "query") -> CheckedQuery:
    """Parse ``text`` and refuse it if it is unsafe; return its form.

    Raises :class:`QuerySyntaxError` (with line and column) or :class:`UnsafeQueryError`.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as query_err:
        try:
            parseUpdate(text)
        except ParseException:
            raise QuerySyntaxError(_describe(query_err), query_err.lineno, query_err.col,
                                   source) from None
        raise UnsafeQueryError(
            f"{source}: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ...) are not allowed; "
            "the graph is read-only here"
        ) from None
    query = parsed[1]
    form = _FORMS.get(query.name, query.name)
    # CompValue.get returns the key itself when it is missing: use the plain dict lookup
    if dict.get(query, "datasetClause"):
        raise UnsafeQueryError(
            f"{source}: FROM and FROM NAMED are not allowed: they would make the engine load "
            "graphs from URLs or files. Query the loaded graph without a dataset clause"
        )
    service = _find_service(query)
    if service is not None:
        raise UnsafeQueryError(
            f"{source}: SERVICE <{service}> is not allowed: federated queries would reach the "
            "network. Run the query on that endpoint with --endpoint instead"
        )
    return CheckedQuery(text=text, form=form)


def _describe(err) -> str:
    msg = str(err.msg)
    found = err.line.strip() if hasattr(err, "line") else ""
    return f"{msg} near {found[:60]!r}" if found else msg


def _find_service(node) -> str | None:
    """The IRI (or variable) of the first SERVICE pattern in a parse tree, else None."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return str(item.get("term"))
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return None
