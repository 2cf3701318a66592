"""Bind query parameters safely: ``$name`` variables become properly escaped literals.

A catalog query writes its parameters as SPARQL variables with the ``$`` sigil (``$keyword``),
so the ``.rq`` file stays valid SPARQL that any endpoint can run as it is. Binding replaces each
``$name`` *token* (never text inside strings, IRIs or comments) with a string literal whose
quotes, backslashes and line breaks are escaped, so a value cannot end the literal and add SPARQL
of its own. The result runs on every engine and on any SPARQL 1.1 endpoint.
"""

from __future__ import annotations

import re

from ..errors import ParameterError

# Characters a SPARQL string literal must not hold as they are: the short escapes where SPARQL has
# one, \uXXXX for the other control characters.
_ESCAPES = {ord(c): f"\\u{ord(c):04X}" for c in map(chr, [*range(0x20), 0x7F])}
_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
                 ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f"})


# SPARQL expands \uXXXX and \UXXXXXXXX before parsing, even after a backslash, so no string
# literal can hold them as text: rdflib reads "\\u53bf" as a broken escape, pyoxigraph as text.
_CODEPOINT_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def sparql_string(value: str, lang: str | None = None) -> str:
    """``value`` as a SPARQL string literal (``"..."`` with escapes), optionally language-tagged.

    A value holding a ``\\uXXXX`` escape as text is refused: no SPARQL literal can carry it
    the same way on every engine. The message gives the characters it spells.
    """
    escape = _CODEPOINT_ESCAPE.search(value)
    if escape:
        spelled = _CODEPOINT_ESCAPE.sub(_spell, value)
        raise ParameterError(
            f"the value {value} holds the escape {escape.group(0)}, which SPARQL engines read "
            f"differently; give the characters themselves: {spelled}"
        )
    literal = '"' + value.translate(_ESCAPES) + '"'
    if lang:
        if not all(part.isalnum() and part.isascii() for part in lang.split("-")):
            raise ParameterError(f"not a language tag: {lang!r}")
        literal += "@" + lang
    return literal


def _spell(match: re.Match) -> str:
    code = int(match.group(0)[2:], 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group(0)


def _is_name_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or ch == "\u00b7"


def dollar_variables(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, name)`` of every ``$name`` token outside strings, IRIs and comments."""
    return [(a, b, name) for kind, a, b, name in _scan(text) if kind == "var"]


def strip_comments(text: str) -> str:
    """``text`` without its ``#`` comments (each comment becomes an empty line end)."""
    out, last = [], 0
    for kind, a, b, _ in _scan(text):
        if kind == "comment":
            out.append(text[last:a])
            last = b
    out.append(text[last:])
    return "".join(out)


def _scan(text: str):
    """Yield ``("var", start, end, name)`` and ``("comment", start, end, "")`` tokens."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            end = n if j < 0 else j
            yield ("comment", i, end, "")
            i = end
        elif ch in "\"'":
            triple = text[i:i + 3] == ch * 3
            quote = ch * 3 if triple else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1
                elif not triple and text[j] == "\n":
                    break  # a broken string: let the SPARQL parser report it
                j += 1
            i = j + len(quote)
        elif ch == "<":
            # an IRI reference has no spaces; otherwise this is the less-than operator
            j = i + 1
            while j < n and text[j] not in "<>\"{}|^`\\ \t\r\n":
                j += 1
            i = j + 1 if j < n and text[j] == ">" else i + 1
        elif ch == "$":
            j = i + 1
            while j < n and _is_name_char(text[j]):
                j += 1
            if j > i + 1:
                yield ("var", i, j, text[i + 1:j])
            i = j
        else:
            i += 1


def bind(text: str, values: dict[str, str]) -> str:
    """Replace each ``$name`` with the literal for ``values[name]``.

    A value that is already a SPARQL term produced by :func:`sparql_string` must not be passed;
    pass the plain string. ``$name`` tokens without a value are left as variables.
    """
    out, last = [], 0
    for start, end, name in dollar_variables(text):
        if name in values:
            out.append(text[last:start])
            out.append(sparql_string(values[name]))
            last = end
    out.append(text[last:])
    return "".join(out)
