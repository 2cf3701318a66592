"""Fuzzing policykg with mutated documents of the genre.

A *recipe* says how to damage one seed document the way copying out of PDFs and web pages
does, and worse: cut, duplicate, swap and move lines, break and join them, drop or swap
brackets and punctuation, insert stray labels, headings, table cells and odd characters, cut
the file short, then encode it (UTF-8, BOM, GB18030, UTF-16, UTF-16 without BOM) with LF,
CRLF, CR or mixed line ends, and corrupt a few bytes.

:func:`outcome` feeds the bytes to policykg and classifies what happened. The only
acceptable outcomes are ``graph`` (a graph was built) and ``document-error`` (a
:class:`policykg.errors.DocumentError` naming the file, a line inside it or none, and a
reason). Anything else is a bug: ``crash:<Exception>``, ``hang`` (over the time bound),
``bad-error`` (a DocumentError with the wrong path or a line outside the file),
``invalid-graph`` (the build refused its own graph: SHACL) or ``broken-span`` (a span
outside the text).

The same recipes come from hypothesis (``recipes()``, in ``tests/test_fuzz.py``) and from a
seeded ``random.Random`` (``random_recipe``, in ``tests/fuzz_report.py``).
"""

from __future__ import annotations

import codecs
import signal
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [ROOT / "sources" / "gaoqing-urban-rural-pilot-2022.txt",
         *sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")),
         *sorted((ROOT / "tests" / "documents").glob("*.txt"))]  # the layout tests' documents

# Characters the genre's structure hangs on: mutations aim at them.
SPECIAL = "（）()【】〔〕[]《》“”。；：，、.．:;,\t\u3000一二三四五六七八九十①②③④⑤0123456789"
TOKENS = [
    "（", "）", "(", ")", "（责任单位：", "（牵头单位：", "责任单位：", "牵头单位：", "：", "。", "；", "、",
    "\t", "\t\t", "一、", "二、保障措施", "四、试验措施", "（一）", "（二十）", "1. ", "2. ", "1、", "（1）", "①", "⑳",
    "附件", "附件1：", "\n附件\n", "落实措施：", "具体内容为：", "第一阶段（2023—2022年）：", "（三）第三阶段（2020—2020年）：",
    "2022年13月40日", "2022年2月29日", "0000年0月0日", "高政办字〔2022〕21号", "关于印发《X》的通知", "县人民政府办公室",
    "列第一位者为牵头单位", "（0.5分）", "（县公安局负责）", "（县公安局牵头，县财政局配合）", "（6月底前完成）", "（）", "（：）",
    "试验任务\t牵头单位\t工作任务\t具体措施\t责任单位", "\t县公安局\t\t\t", "99999999999999999999. ", "（九十九）", "０",
    "\ufeff", "\x00", "\u202e", "\u200f", "\u2028", "\u0085", "\x0c", "\x0b", "\r", "😀", "\U0001f3f3\ufe0f\u200d\U0001f308",
    "<script>alert(1)</script>", "\"", "'", "`", "\\", "@prefix", "_:b0", "<>", "\ud7ff", "\U0010ffff",
]
LINE_OPS = ("cut", "dup", "swap", "move", "delete_block", "split", "join", "truncate")
CHAR_OPS = ("delete_special", "replace_special", "insert_token", "dup_span", "swap_brackets", "tabs")
OPS = LINE_OPS + CHAR_OPS
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-be-bom", "utf-16-le")
EOLS = ("\n", "\r\n", "\r", "mixed")
BYTE_OPS = ("flip", "insert", "delete", "truncate")


@dataclass(frozen=True)
class Recipe:
    seed: int
    ops: tuple[tuple[str, int, int, int], ...]
    encoding: str = "utf-8"
    eol: str = "\n"
    byte_ops: tuple[tuple[str, int, int], ...] = ()

    def __str__(self) -> str:
        return (f"Recipe(seed={self.seed}, ops={list(self.ops)}, encoding={self.encoding!r}, "
                f"eol={self.eol!r}, byte_ops={list(self.byte_ops)})")


_seed_texts: dict[int, str] = {}


def seed_text(index: int) -> str:
    index %= len(SEEDS)
    if index not in _seed_texts:
        _seed_texts[index] = SEEDS[index].read_text(encoding="utf-8")
    return _seed_texts[index]


# --- applying a recipe --------------------------------------------------------------------


def mutate_text(text: str, ops) -> str:
    for op, a, b, c in ops:
        text = _apply(text, op, a, b, c)
    return text


def _apply(text: str, op: str, a: int, b: int, c: int) -> str:
    lines = text.split("\n")
    n = len(lines)
    i, j = a % n, b % n
    if op == "cut":
        del lines[i]
    elif op == "dup":
        lines.insert(j, lines[i])
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "move":
        block = lines[i:i + 1 + c % 12]
        del lines[i:i + 1 + c % 12]
        lines[j % max(1, len(lines)):j % max(1, len(lines))] = block
    elif op == "delete_block":
        del lines[i:i + 1 + c % 40]
    elif op == "split":
        line = lines[i]
        k = b % (len(line) + 1)
        lines[i:i + 1] = [line[:k], *[""] * (c % 3), line[k:]]
    elif op == "join":
        if i + 1 < n:
            lines[i:i + 2] = [lines[i] + lines[i + 1]]
    elif op == "truncate":
        return text[: (a % 1000) * len(text) // 1000]
    elif op in CHAR_OPS:
        return _char_op(text, op, a, b, c)
    return "\n".join(lines)


def _char_op(text: str, op: str, a: int, b: int, c: int) -> str:
    if op in ("delete_special", "replace_special"):
        positions = [k for k, ch in enumerate(text) if ch in SPECIAL]
        if not positions:
            return text
        k = positions[a % len(positions)]
        new = "" if op == "delete_special" else SPECIAL[c % len(SPECIAL)]
        return text[:k] + new + text[k + 1:]
    if op == "insert_token":
        k = a % (len(text) + 1)
        return text[:k] + TOKENS[c % len(TOKENS)] + text[k:]
    if op == "dup_span":
        k = a % (len(text) + 1)
        return text[:k] + text[k:k + 1 + b % 400] + text[k:]
    lines = text.split("\n")
    i = a % len(lines)
    if op == "swap_brackets":
        table = str.maketrans("（）()", "()（）") if c % 2 else str.maketrans("（）()【】", "【】【】（）")
        lines[i] = lines[i].translate(table)
    elif op == "tabs":
        lines[i] = lines[i].replace("\t", "    ") if "\t" in lines[i] else lines[i].replace("，", "\t", 1 + c % 4)
    return "\n".join(lines)


def encode(text: str, encoding: str, eol: str) -> bytes:
    if eol == "mixed":
        parts = text.split("\n")
        text = "".join(part + ("\r\n", "\n", "\r")[k % 3] for k, part in enumerate(parts[:-1])) + parts[-1]
    else:
        text = text.replace("\n", eol)
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass")
    return text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")


def corrupt(data: bytes, byte_ops) -> bytes:
    for op, a, b in byte_ops:
        if not data:
            break
        k = a % len(data)
        if op == "flip":
            data = data[:k] + bytes([data[k] ^ (1 + b % 255)]) + data[k + 1:]
        elif op == "insert":
            data = data[:k] + bytes([b % 256]) + data[k:]
        elif op == "delete":
            data = data[:k] + data[k + 1:]
        elif op == "truncate":
            data = data[:k]
    return data


def recipe_bytes(recipe: Recipe) -> bytes:
    text = mutate_text(seed_text(recipe.seed), recipe.ops)
    return corrupt(encode(text, recipe.encoding, recipe.eol), recipe.byte_ops)


# --- recipes from hypothesis and from random ---------------------------------------------


def recipes():
    """A hypothesis strategy of recipes: mostly text damage, sometimes encodings and bytes."""
    from hypothesis import strategies as st

    big = st.integers(0, 2**20)
    op = st.tuples(st.sampled_from(OPS), big, big, st.integers(0, 255))
    byte_op = st.tuples(st.sampled_from(BYTE_OPS), big, st.integers(0, 255))
    return st.builds(
        Recipe,
        seed=st.integers(0, len(SEEDS) - 1),
        ops=st.lists(op, min_size=1, max_size=8).map(tuple),
        encoding=st.sampled_from(ENCODINGS),
        eol=st.sampled_from(EOLS),
        byte_ops=st.one_of(st.just(()), st.lists(byte_op, max_size=3).map(tuple)),
    )


def random_recipe(rng) -> Recipe:
    ops = tuple((rng.choice(OPS), rng.randrange(2**20), rng.randrange(2**20), rng.randrange(256))
                for _ in range(rng.randint(1, 8)))
    byte_ops = ()
    if rng.random() < 0.2:
        byte_ops = tuple((rng.choice(BYTE_OPS), rng.randrange(2**20), rng.randrange(256))
                         for _ in range(rng.randint(1, 3)))
    encoding = rng.choice(ENCODINGS) if rng.random() < 0.5 else "utf-8"
    eol = rng.choice(EOLS) if rng.random() < 0.5 else "\n"
    return Recipe(rng.randrange(len(SEEDS)), ops, encoding, eol, byte_ops)


# --- running policykg on the bytes ---------------------------------------------------------


class Hang(Exception):
    pass


@contextmanager
def time_bound(seconds: float):
    """Raise :class:`Hang` in the block after ``seconds`` (main thread; SIGALRM)."""
    def on_alarm(signum, frame):
        raise Hang(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    kind: str  # graph | document-error | crash:<Type> | hang | bad-error | invalid-graph | broken-span
    detail: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.kind in ("graph", "document-error")


_registry = None


def _place(doc):
    global _registry
    from policykg.rdf.registry import load_registry

    if _registry is None:
        _registry = load_registry()
    return _registry.for_name(doc.metadata.jurisdiction)


def outcome(data: bytes, path: Path, full_build: bool = False, seconds: float = 10.0) -> Outcome:
    """What policykg does with ``data`` saved as ``path``.

    ``full_build`` runs :func:`policykg.rdf.build.build` (parse, reconcile, map, SHACL, write
    Turtle) into a folder beside ``path``; otherwise parse and reconcile only.
    """
    from policykg.errors import DocumentError, ValidationError

    path.write_bytes(data)
    max_line = data.count(b"\n") + data.count(b"\r") + 1
    try:
        with time_bound(seconds):
            if full_build:
                from policykg.rdf.build import build
                from policykg.text.parse import parse_plan

                build([path], out=path.parent / "out", formats=("turtle",))
                docs = [parse_plan(path)]  # the build keeps no parsed documents; check their spans
            else:
                from policykg.rdf.reconcile import reconcile
                from policykg.text.parse import parse_plan

                doc = parse_plan(path)
                reconcile(doc, _place(doc).resolve)
                docs = [doc]
    except Hang as err:
        return Outcome("hang", str(err))
    except DocumentError as err:
        if err.path != str(path) or not err.problem or (err.line is not None and not 1 <= err.line <= max_line):
            return Outcome("bad-error", f"{err!s} (path {err.path!r}, line {err.line}, file has <= {max_line} lines)")
        return Outcome("document-error", err.problem, {"line": err.line})
    except ValidationError as err:
        return Outcome("invalid-graph", str(err)[:3000])
    except RecursionError as err:
        return Outcome("crash:RecursionError", str(err))
    except Exception as err:  # noqa: BLE001 - classifying is the point
        return Outcome(f"crash:{type(err).__name__}", "".join(traceback.format_exception(err))[-3000:])
    for doc in docs:
        problem = _span_problem(doc)
        if problem:
            return Outcome("broken-span", problem)
    return Outcome("graph")


def _span_problem(doc) -> str | None:
    """A span that is empty or outside the decoded text, if any."""
    size = len(doc.text)
    spans = [("pilot task", pt.span) for pt in doc.pilot_tasks]
    spans += [("work task", wt.span) for wt in doc.work_tasks()]
    spans += [("measure", m.span) for m in doc.measures()]
    spans += [("unit", u.span) for m in doc.measures() for u in m.units]
    spans += [("annex row", row.span) for row in doc.annex]
    for what, span in spans:
        if not (0 <= span.start < span.end <= size and 1 <= span.line <= span.end_line):
            return f"{what} span {span} outside text of {size} characters"
    return None
