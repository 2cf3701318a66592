"""What differs between what the body says and what the annex says, marked for a reader.

:func:`marked_pair` compares two texts character by character (difflib), or item by item when both
are lists of unit names, and returns both as escaped HTML with the differing stretches in
``<mark>``; long stretches the two share are shortened around an ellipsis so that the differences
are what the eye falls on.
"""

from __future__ import annotations

import difflib
import html
import re

LIST_SEPARATORS = re.compile(r"([、，,；;])")
CONTEXT = 18  # characters kept on each side of a difference when a shared stretch is shortened
LONG = 2 * CONTEXT + 12  # shared stretches longer than this are shortened
UNRELATED = 0.5  # below this similarity two texts are different texts, not variants of one


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def segments(body: str, annex: str, *, as_list: bool = False) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts cut into ``(text, differs)`` runs. ``as_list`` compares items split at 、，；
    (unit lists), so that one unit more or less is marked whole, wherever it stands."""
    if as_list:
        a, b = LIST_SEPARATORS.split(body), LIST_SEPARATORS.split(annex)
        a_items = {x for x in a[::2]}
        b_items = {x for x in b[::2]}
        left = [(x, i % 2 == 0 and x not in b_items) for i, x in enumerate(a) if x]
        right = [(x, i % 2 == 0 and x not in a_items) for i, x in enumerate(b) if x]
        return _merge(left), _merge(right)
    matcher = difflib.SequenceMatcher(None, body, annex, autojunk=False)
    if matcher.ratio() < UNRELATED:  # two different texts: mark them whole, not the letters they share
        return [(body, True)] if body else [], [(annex, True)] if annex else []
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        # an insertion leaves an empty differing run on the other side: drawn as a caret there
        left.append((body[i1:i2], op != "equal"))
        right.append((annex[j1:j2], op != "equal"))
    return left, right


def _merge(runs: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for text, differs in runs:
        if out and out[-1][1] == differs:
            out[-1] = (out[-1][0] + text, differs)
        else:
            out.append((text, differs))
    return out


def to_html(runs: list[tuple[str, bool]], *, shorten: bool = True) -> str:
    """Escaped HTML of the runs, differing ones in ``<mark>`` (an empty one, where the other text
    has something this one lacks, as a caret), long shared ones shortened."""
    out = []
    for i, (text, differs) in enumerate(runs):
        if differs:
            out.append(f"<mark>{_esc(text)}</mark>" if text else '<mark class="missing">‸</mark>')
            continue
        if shorten and len(text) > LONG:
            head = text[:CONTEXT] if i > 0 else ""
            tail = text[-CONTEXT:] if i < len(runs) - 1 else ""
            if len(head) + len(tail) + 1 < len(text):
                out.append(f'{_esc(head)}<span class="gap">…</span>{_esc(tail)}')
                continue
        out.append(_esc(text))
    return "".join(out)


def marked_pair(body: str, annex: str, *, as_list: bool = False, shorten: bool = True) -> tuple[str, str]:
    """Body and annex text as escaped HTML with what differs marked (see the module doc)."""
    left, right = segments(body or "", annex or "", as_list=as_list)
    shorten = shorten and any(d for _, d in left + right)
    return to_html(left, shorten=shorten), to_html(right, shorten=shorten)


def differing(body: str, annex: str, *, as_list: bool = False) -> tuple[list[str], list[str]]:
    """The differing stretches of each text, in order (for tests and summaries)."""
    left, right = segments(body or "", annex or "", as_list=as_list)
    return [t for t, d in left if d and t], [t for t, d in right if d and t]
