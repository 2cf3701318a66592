"""Reading source files: decoding bytes and indexing lines.

The decoded text is the file's characters with any byte-order mark removed and every line
ending (CRLF, CR) turned into LF. All offsets policykg records are into this text, so a file
saved as UTF-8, UTF-8 with BOM, GB18030/GBK, with CRLF or LF endings gives the same offsets.
"""

from __future__ import annotations

import bisect
import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..errors import DocumentError

# Larger than any real plan (50-200 KB) by more than an order of magnitude, and small enough
# that every literal the graph holds fits the 16 MiB a single token may take in pyoxigraph's
# Turtle and N-Triples readers and writers: a paragraph of N bytes becomes at most 2N bytes
# escaped (a quote or line end is two), and one paragraph of the whole file must still load.
MAX_SOURCE_BYTES = 8_000_000


# Control characters a plan cannot hold: C0 and C1 but tab and the line ends (LF, CR, and the
# Unicode mandatory breaks VT, FF, NEL), and DEL. A NUL line would become a measure's text.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Characters that reorder or hide what a terminal shows: the bidirectional controls, and the
# control characters above. Terminal output shows them as <U+202E> instead (see visible()).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` for a terminal: bidirectional and control characters (but tab and LF) shown
    as ``<U+202E>``, so a name cannot reverse or hide the rest of the line."""
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group(0)):04X}>", text)


def _control_error(text: str, path: str) -> DocumentError | None:
    found = CONTROL.search(text)
    if found is None:
        return None
    char = found.group(0)
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    name = unicodedata.name(char, "") or {"\x00": "NUL", "\x7f": "DELETE"}.get(char, "control")
    problem = f"control character U+{ord(char):04X} ({name}) at column {column}; a plan holds text only"
    if char == "\x00" and text.count("\x00") * 4 > len(text):
        problem += " (UTF-16 without a byte-order mark? Save it with a BOM or as UTF-8)"
    return DocumentError(path, line, problem)


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    start: int  # offset of the line's first character in the decoded text
    text: str  # without the line ending


@dataclass
class SourceText:
    path: str
    text: str
    lines: list[Line] = field(repr=False)

    @classmethod
    def from_text(cls, path: str, text: str) -> "SourceText":
        """Index ``text``; a control character in it is a :class:`DocumentError` with its line."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        error = _control_error(text, path)
        if error is not None:
            raise error
        lines, offset = [], 0
        for number, raw in enumerate(text.split("\n"), start=1):
            lines.append(Line(number, offset, raw))
            offset += len(raw) + 1
        return cls(path, text, lines)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [line.start for line in self.lines]

    def line_of(self, offset: int) -> int:
        """The 1-based line number holding character ``offset``."""
        return bisect.bisect_right(self._line_starts, offset)


def decode(data: bytes, path: str) -> str:
    """Decode a plan's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    A file whose non-ASCII text mostly reads as UTF-8 but has undecodable bytes is corrupt
    UTF-8, not GB18030: reading it as GB18030 would silently turn it into nonsense. (Whether
    the text *before* the first bad byte is UTF-8 does not tell: GB18030 text can start with
    characters whose bytes happen to be valid UTF-8, as 示 (CA BE) does.)
    """
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", path, len(codecs.BOM_UTF8), data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path, 0, data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        if _mostly_utf8(data):
            raise _decode_error(data, err.start, "utf-8", path) from None
    return _strict(data, "gb18030", path, 0, data)


def _mostly_utf8(data: bytes) -> bool:
    """Whether more non-ASCII characters decode as UTF-8 than fail to."""
    text = data.decode("utf-8", "replace")
    failed = text.count("\ufffd")
    return len(text) - len(text.encode("ascii", "ignore")) - failed > failed


def _strict(body: bytes, encoding: str, path: str, shift: int, whole: bytes) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as err:
        raise _decode_error(whole, err.start + shift, encoding, path) from None


def _decode_error(data: bytes, position: int, encoding: str, path: str) -> DocumentError:
    line = data.count(b"\n", 0, position) + 1
    if encoding in ("utf-8", "gb18030") and data[:len(codecs.BOM_UTF8)] != codecs.BOM_UTF8:
        problem = f"the file is neither valid UTF-8 nor GB18030 (tried {encoding})"
        if b"\x00" in data:
            problem += "; it has NUL bytes: UTF-16 without a byte-order mark? Save it with a BOM or as UTF-8"
    else:
        problem = f"the file starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()}"
    return DocumentError(path, line, f"undecodable bytes at byte {position} (0x{data[position]:02x}); {problem}")


def read_source(path: str | Path) -> SourceText:
    """Read and decode one source file."""
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise DocumentError(
                shown, None,
                f"file is {size} bytes, larger than the {MAX_SOURCE_BYTES} bytes policykg reads "
                "from one plan; split it into one file per document",
            )
        data = path.read_bytes()
    except OSError as err:
        raise DocumentError(shown, None, f"cannot read file: {err.strerror or err}") from None
    if not data.strip():
        raise DocumentError(shown, None, "file is empty")
    return SourceText.from_text(shown, decode(data, shown))
