"""Refuse user queries that could reach the network or the file system, or crash an engine.

Both embedded engines would follow a query out of the process: rdflib runs ``SERVICE`` with
``urlopen`` and loads ``FROM`` / ``FROM NAMED`` targets (``http://`` and ``file://``), pyoxigraph
sends ``SERVICE`` requests over HTTP, and any update may ``LOAD``. So a query typed by a user is
checked before any engine sees it, and what was checked is exactly what runs:

1. the text is made canonical (:func:`canonical_text`): bounded in length, control characters
   refused, line ends made LF, and the ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes the SPARQL grammar
   applies before parsing expanded once, by the grammar's rule. Engines disagree on escapes
   (rdflib expands them everywhere and reads ``\\u`` with 8 digits, pyoxigraph leaves them in
   comments), so a canonical text has none left: an escape that spells another is refused;
2. its brackets are counted on the canonical text (:func:`nesting_depth`, a lexer of the SPARQL
   terminals) and a query nested deeper than :data:`MAX_NESTING` is refused, before a recursive
   parser could overflow its stack;
3. the word ``SERVICE`` anywhere outside a string literal or IRI (comments included) is refused:
   a second, lexical line of defence (whether ``<`` starts an IRI or is an operator depends on
   the grammar's context, so a lexer alone cannot be exact; step 4 is);
4. the canonical text is parsed with rdflib's SPARQL grammar and the tree inspected: updates of
   any kind, dataset clauses (``FROM`` / ``FROM NAMED``) and ``SERVICE`` patterns are refused.

The engines then run the canonical text (rdflib runs the very tree that was inspected).
The parser is imported only when a user query is checked; the named catalog queries are
checked once by the test suite instead, so ``policykg query NAME`` starts fast.
"""

from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass, field

from ..errors import QuerySyntaxError, UnsafeQueryError
from .prefixes import declare_known_prefixes

MAX_QUERY_CHARS = 50_000  # a long hand-written query is 5,000; the catalog's longest 2,000
MAX_NESTING = 32  # brackets ( { [ inside one another; the catalog's deepest is 8
# A deeper limit than Python's default for the parse (pyparsing spends about 50 frames on
# each level of brackets); checked to hold in a thread with a 1 MB stack.
_PARSE_RECURSION = 8_000
_PARSER_LOCK = threading.Lock()


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # the canonical text: what every engine runs
    form: str  # "select", "construct", "describe" or "ask"
    parsed: object = field(default=None, compare=False, repr=False)  # rdflib's parse tree


_FORMS = {
    "SelectQuery": "select",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
    "AskQuery": "ask",
}

# The grammar's codepoint escapes: exactly 4 hex digits after \u, 8 after \U.
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What any engine might still read as an escape (rdflib: \u or \U, 4 or 8 digits, any case).
_ANY_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
# Control characters: C0 but tab, LF and CR; DEL; C1. Not SPARQL whitespace, and read
# differently by different lexers (Python's "." stops only at LF).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# SERVICE as a keyword: not part of a name, variable or prefixed name (Python's IGNORECASE also
# folds look-alikes such as U+017F, which only makes the check stricter).
_SERVICE = re.compile(r"(?<![\w?$:\-])service(?![\w:\-])", re.IGNORECASE)


def canonical_text(text: str, source: str = "query") -> str:
    """``text`` as every engine will read it: see step 1 of the module docstring."""
    if len(text) > MAX_QUERY_CHARS:
        raise UnsafeQueryError(
            f"{source}: the query is {len(text)} characters long, more than the {MAX_QUERY_CHARS} "
            "allowed; split it or use a shorter VALUES list"
        )
    _refuse_controls(text, source)

    def expand(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            line = text.count("\n", 0, match.start()) + 1
            raise QuerySyntaxError(f"{match.group(0)} is not a Unicode character", line, None, source)
        return chr(code)

    expanded = _ESCAPE.sub(expand, text)
    expanded = expanded.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_controls(expanded, source)
    leftover = _ANY_ESCAPE.search(expanded)
    if leftover:
        raise UnsafeQueryError(
            f"{source}:{_line(expanded, leftover.start())}: the escape sequences spell another escape "
            f"({leftover.group(0)}); engines read that differently. Write the character itself"
        )
    if len(expanded) > MAX_QUERY_CHARS:  # \U0001F600 is shorter expanded; kept for clarity
        raise UnsafeQueryError(f"{source}: the query is longer than {MAX_QUERY_CHARS} characters")
    return expanded


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _refuse_controls(text: str, source: str) -> None:
    bad = _CONTROL.search(text)
    if bad:
        raise QuerySyntaxError(
            f"control character U+{ord(bad.group(0)):04X} in the query", _line(text, bad.start()), None,
            source,
        )


def bracket_tokens(text: str):
    """``(kind, start, end)`` for string literals, IRIs and comments; ``("open"|"close", i, i+1)``
    for brackets. Follows the SPARQL terminals (STRING_LITERAL*, IRIREF, comments to LF)."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            j = n if j < 0 else j
            yield ("comment", i, j)
            i = j
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1
                elif len(quote) == 1 and text[j] == "\n":
                    break
                j += 1
            j = min(n, j + len(quote))
            yield ("string", i, j)
            i = j
        elif ch == "<":
            m = _IRIREF.match(text, i)
            if m:
                yield ("iri", i, m.end())
                i = m.end()
            else:
                i += 1
        elif ch in "({[":
            yield ("open", i, i + 1)
            i += 1
        elif ch in ")}]":
            yield ("close", i, i + 1)
            i += 1
        else:
            i += 1


_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for kind, _, _ in bracket_tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
    return deepest


def without_literals(text: str) -> str:
    """``text`` with its string literals and IRIs blanked (comments kept)."""
    parts, last = [], 0
    for kind, a, b in bracket_tokens(text):
        if kind in ("string", "iri"):
            parts.append(text[last:a])
            parts.append(" ")
            last = b
    parts.append(text[last:])
    return "".join(parts)


def precheck(text: str, source: str = "query") -> str:
    """The fast part of the check (steps 1 to 3, linear in the text, no parser): return the
    canonical text, or raise :class:`QuerySyntaxError` / :class:`UnsafeQueryError`."""
    text = canonical_text(text, source)
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise UnsafeQueryError(
            f"{source}: brackets are nested {depth} deep, more than the {MAX_NESTING} allowed"
        )
    service = _SERVICE.search(without_literals(text))
    if service:
        raise UnsafeQueryError(
            f"{source}:{_line(text, service.start())}: SERVICE is not allowed (also not in comments): "
            "federated queries would reach the network. Run the query on that endpoint with "
            "--endpoint instead"
        )
    return declare_known_prefixes(text, without_literals(text))


def inspect(text: str, source: str = "query") -> CheckedQuery:
    """Step 4 on a text :func:`precheck` returned: parse it with rdflib and inspect the tree.

    The parse takes time (pyparsing reads about 5 KB a second of some constructs): callers
    run it under their time limit.
    """
    _deep_enough()
    with _PARSER_LOCK:  # rdflib's pyparsing grammar is shared state: one parse at a time
        parsed, form = _parse_and_inspect(text, source)
    return CheckedQuery(text=text, form=form, parsed=parsed)


def check_query(text: str, source: str = "query") -> CheckedQuery:
    """Make ``text`` canonical, check it and return it with its form and rdflib parse tree.

    Raises :class:`QuerySyntaxError` (with line and column) or :class:`UnsafeQueryError`.
    """
    return inspect(precheck(text, source), source)


def _deep_enough() -> None:
    """Let the parse recurse as deep as :data:`MAX_NESTING` needs (about 50 Python frames a
    level; Python 3.11 calls Python functions without using the C stack, so a thread's default
    stack holds it)."""
    if sys.getrecursionlimit() < _PARSE_RECURSION:
        sys.setrecursionlimit(_PARSE_RECURSION)


def _parse_and_inspect(text: str, source: str):
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as query_err:
        try:
            parseUpdate(text)
        except ParseException:
            from .syntax import syntax_error

            raise syntax_error(text, source, query_err.lineno, query_err.col,
                               str(query_err.msg)) from None
        raise UnsafeQueryError(
            f"{source}: updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, ...) are not allowed; "
            "the graph is read-only here"
        ) from None
    except RecursionError:
        raise UnsafeQueryError(f"{source}: the query is nested too deeply to check") from None
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
    return parsed, form


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
