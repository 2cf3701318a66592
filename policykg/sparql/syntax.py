"""One readable line for a query that does not parse.

The two parsers fail unhelpfully in opposite ways. Oxigraph's reports the furthest place it
reached, with every token it would have taken there: where a name could go, that is a page of
Unicode ranges (``expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …``);
its column counts UTF-8 bytes. rdflib's pyparsing grammar reports where the rule that failed
began (often the start of the WHERE clause) and names the rule (``Expected SelectQuery``).

:func:`syntax_error` asks Oxigraph's parser where the text fails, on an empty store and without
evaluating anything, and says in one line what stands there and what could have: an undeclared
prefix by its name, a class of name characters as "a name", a long list of keywords cut short.
Positions are in the text the user wrote: the prefixes declared in front of it
(:mod:`policykg.sparql.prefixes`) are not counted.
"""

from __future__ import annotations

import re

from ..errors import QuerySyntaxError
from .prefixes import generated_header_length

_AT = re.compile(r"error at (\d+):(\d+)(?:-\d+:\d+)?: ")
_SHOWN = 6  # alternatives named before "or N more"
_PNAME_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[^\s{}()<>\"',;]*$")


def syntax_error(text: str, source: str, line: int | None = None, column: int | None = None,
                 message: str = "") -> QuerySyntaxError:
    """The error to raise for ``text``, which a parser refused.

    ``line``, ``column`` and ``message`` are that parser's own account, used when Oxigraph's
    parser accepts the text (the grammars differ at the edges)."""
    header = generated_header_length(text)
    found = _oxigraph_failure(text)
    if found is not None and line is not None and _misplaced(text, found, line, column):
        what = f"the query does not parse from {_token_at(text, line, column)} on"
    elif found is not None:
        line, column, expected = found
        what = _describe(text, line, column, expected)
    else:
        what = message.split("\n", 1)[0].strip() or "the query does not parse"
        if line is not None and column is not None:
            what += f" at {_token_at(text, line, column) or 'the end of the query'}"
    if line == 1 and column is not None and header:
        column = max(1, column - header)
    return QuerySyntaxError(what, line, column, source)


def _oxigraph_failure(text: str) -> tuple[int, int, str] | None:
    """``(line, column, expected)`` where Oxigraph's parser stops, column in characters;
    None when it parses. Queries are lazy in Oxigraph: nothing is evaluated here."""
    import pyoxigraph

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as err:
        said = str(err)
        at = _AT.match(said)
        if not at:
            return None
        line, byte_column = int(at.group(1)), int(at.group(2))
        lines = text.split("\n")
        if not 1 <= line <= len(lines):
            return None
        before = lines[line - 1].encode("utf-8")[: max(0, byte_column - 1)]
        column = len(before.decode("utf-8", errors="ignore")) + 1
        return line, column, said[at.end():]
    except Exception:  # noqa: BLE001 - an evaluation error means the text parsed
        return None
    return None


def _misplaced(text: str, found: tuple[int, int, str], line: int, column: int | None) -> bool:
    """Whether Oxigraph's place is the end of a text that ends by closing its last group, where
    rdflib's parser stopped earlier: there Oxigraph has read ahead to the end (it does so inside
    a FILTER), and rdflib's place is the nearer one."""
    lines = text.split("\n")
    at_end = found[0] == len(lines) and found[1] > len(lines[-1].rstrip())
    closed = text.rstrip().endswith("}")
    return at_end and closed and column is not None and (line, column) < found[:2]


def _describe(text: str, line: int, column: int, expected: str) -> str:
    alternatives = _alternatives(expected)
    if "Prefix not found" in alternatives:
        name = _prefix_before(text, line, column)
        if name is not None:
            from ..vocab import PREFIXES

            return (f"the prefix {name}: is not declared; add PREFIX {name}: <…> "
                    f"(known without declaring: {', '.join(PREFIXES)})")
        alternatives = [a for a in alternatives if a != "Prefix not found"]
    token = _token_at(text, line, column)
    if token is None:
        unclosed = _unclosed(text)
        if unclosed is not None:
            return f"the query ends before the {unclosed[0]!r} of line {unclosed[1]} is closed"
    found = "the query ends too early" if token is None else f"unexpected {token}"
    if not alternatives:
        return found
    if len(alternatives) > _SHOWN:
        more = len(alternatives) - _SHOWN
        listed = ", ".join(alternatives[:_SHOWN]) + f" or {more} more"
    else:
        listed = ", ".join(alternatives[:-1]) + (" or " if len(alternatives) > 1 else "") + alternatives[-1]
    return f"{found}; expected {listed}"


def _alternatives(expected: str) -> list[str]:
    """Oxigraph's ``expected one of A, B, [class]`` as readable words, in its order, once each."""
    body = expected.removeprefix("expected one of ").removeprefix("expected ")
    words: list[str] = []
    for item in _split_items(" ".join(body.split())):
        word = _word(item)
        if word and word not in words:
            words.append(word)
    return words


def _split_items(body: str) -> list[str]:
    """Split at the commas outside brackets and quotes."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            if ch == "\\":
                continue
            if ch == quote and body[i - 1] != "\\":
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return [item for item in items if item]


def _word(item: str) -> str | None:
    if item == "[_]":  # any character: white space or a comment
        return None
    if item.startswith("["):
        if "'A'" in item or "'a'" in item:
            return "a name"
        if "'0'" in item:
            return "a digit"
        inner = item.strip("[]").strip()
        return inner if len(inner) <= 5 else "a character"
    if item.startswith('"') and item.endswith('"') and len(item) >= 2:
        return f"'{item[1:-1]}'"
    return item


def _token_at(text: str, line: int, column: int) -> str | None:
    """The token at a position, quoted; None at the end of the text."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    rest = lines[line - 1][column - 1:]
    stripped = rest.strip()
    if not stripped:
        later = "\n".join(lines[line:]).strip()
        if not later:
            return None
        stripped = later
    token = re.match(r"[\w?$:.-]+|\S", stripped).group(0)
    return repr(token[:30] + ("…" if len(token) > 30 else ""))


def _prefix_before(text: str, line: int, column: int) -> str | None:
    """The prefix of the prefixed name that ends where the parser stopped."""
    before = text.split("\n")[line - 1][: column - 1]
    match = _PNAME_BEFORE.search(before)
    return match.group(1) or "" if match else None


def _unclosed(text: str) -> tuple[str, int] | None:
    """The innermost bracket left open at the end of the text, and its line."""
    from .safety import bracket_tokens

    stack = []
    for kind, start, _ in bracket_tokens(text):
        if kind == "open":
            stack.append(start)
        elif kind == "close" and stack:
            stack.pop()
    if not stack:
        return None
    return text[stack[-1]], text.count("\n", 0, stack[-1]) + 1
