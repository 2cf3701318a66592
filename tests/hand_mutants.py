"""Hand-made mutants: the changes mutmut cannot make (module-level patterns, constants, and
mistakes that span more than one token), each applied to a copy of the tree and tested.

    python -m tests.hand_mutants             # every mutant
    python -m tests.hand_mutants -k CSV -k TSV   # those whose name contains "CSV" or "TSV"
    python -m tests.hand_mutants --list

For each mutant the tree (the files git knows, plus new ones it does not ignore) is copied to a
temporary folder, one exact piece of text is replaced in one file, and the named tests are run
there with that copy first on the import path. A mutant is *caught* when the tests fail, and
*missed* when they pass. The unchanged copy is tested first: a mutant counts only if its tests
pass without it. Exit status 1 when a mutant is missed (or the baseline fails), else 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # relative to the repository
    old: str  # must occur exactly once in the file
    new: str
    tests: tuple[str, ...]


UNITS = ("tests/test_unit_lists.py", "tests/test_annotations.py")
RECONCILE = ("tests/test_reconcile.py", "tests/test_alignment_rules.py")
RESULTS = ("tests/test_results.py", "tests/test_results_spec.py", "tests/test_tsv_results.py")
SAFETY = ("tests/test_safety_rules.py",)
EXPORT = ("tests/test_export_rules.py",)

ANNOTATIONS = "policykg/text/annotations.py"
ALIGN = "policykg/rdf/reconcile.py"
RES = "policykg/sparql/results.py"
SAFE = "policykg/sparql/safety.py"
EXP = "policykg/rdf/export.py"
NETWORK_CSV = ("tests/test_networks.py::test_csv_neutralises_formulas",)
SHARDS = "policykg/views/shards.py"
STORE_PY = "policykg/rdf/store.py"
NETWORKS = "policykg/views/networks.py"
HEAD = "policykg/text/head.py"
SHARD_TESTS = ("tests/test_shards.py",)
SEPARATORS = 'UNIT_SEPARATORS = re.compile(r"[、，；,;/／]'

MUTANTS = (
    # issue 16: unit lists
    Mutant("units: no split on ；", ANNOTATIONS, SEPARATORS, SEPARATORS.replace("；", ""), UNITS),
    Mutant("units: no split on ASCII ,", ANNOTATIONS, SEPARATORS, SEPARATORS.replace(",;", ";"), UNITS),
    Mutant("units: no split on ASCII ;", ANNOTATIONS, SEPARATORS, SEPARATORS.replace(",;/", ",/"), UNITS),
    Mutant("units: no split on 、", ANNOTATIONS, SEPARATORS, SEPARATORS.replace("、", ""), UNITS),
    Mutant("units: no split on 及", ANNOTATIONS, "|及(?!其)|", "|", UNITS),
    # issue 16: annex alignment
    Mutant("align: no preference for the row's work task", ALIGN,
           "work_task is not None and m.work_task == work_task.key", "False", RECONCILE),
    Mutant("align: ties go to the later measure", ALIGN, "-index)", "index)", RECONCILE),
    Mutant("align: measure threshold 0", ALIGN, "MIN_MEASURE_SCORE = 60.0", "MIN_MEASURE_SCORE = 0.0", RECONCILE),
    Mutant("align: measure threshold 95", ALIGN, "MIN_MEASURE_SCORE = 60.0", "MIN_MEASURE_SCORE = 95.0", RECONCILE),
    Mutant("align: title threshold 0", ALIGN, "MIN_TITLE_SCORE = 50.0", "MIN_TITLE_SCORE = 0.0", RECONCILE),
    Mutant("align: title threshold 95", ALIGN, "MIN_TITLE_SCORE = 50.0", "MIN_TITLE_SCORE = 95.0", RECONCILE),
    Mutant("goals: threshold 50", ALIGN, "MIN_GOAL_SCORE = 90.0", "MIN_GOAL_SCORE = 50.0",
           RECONCILE + ("tests/test_stage_goals.py",)),
    Mutant("goals: task verbs not stripped", ALIGN, 'TASK_VERBS = re.compile(r"^(?:', 'TASK_VERBS = re.compile(r"^(?:XX)(?:',
           RECONCILE + ("tests/test_stage_goals.py",)),
    Mutant("normalize: trailing 。 kept", ALIGN, 'TRAILING = "。；', 'TRAILING = "；', RECONCILE),
    Mutant("normalize: list marker kept", ALIGN, "text = text.lstrip(CIRCLED)\n", "\n", RECONCILE),
    # issue 16: discrepancies
    Mutant("discrepancies: pilot-task title wording not reported", ALIGN,
           'note("title-text", subject, pt.title, a.row.pilot_task, row)', "pass", RECONCILE),
    Mutant("discrepancies: annex row without a measure not reported", ALIGN,
           'note("unmatched", ("annex-entry", str(row)), "", a.row.text, row)\n', "\n", RECONCILE),
    Mutant("discrepancies: measure without a row not reported", ALIGN,
           'note("unmatched", ("measure", m.id), m.text, "", None)', "pass", RECONCILE),
    Mutant("discrepancies: kinds listed in another order", ALIGN,
           'KINDS = ("lead-units", "responsible-units"', 'KINDS = ("responsible-units", "lead-units"', RECONCILE),
    # issue 16: CSV neutralisation
    Mutant("CSV: tab not a formula start (query results)", RES, '"@", "\\t", "\\r")', '"@", "\\r")', RESULTS),
    Mutant("CSV: CR not a formula start (query results)", RES, '"@", "\\t", "\\r")', '"@", "\\t")', RESULTS),
    Mutant("CSV: tab not a formula start (network CSV)", "policykg/views/networks.py",
           '"@", "\\t", "\\r")', '"@", "\\r")', NETWORK_CSV),
    Mutant("CSV: CR not a formula start (network CSV)", "policykg/views/networks.py",
           '"@", "\\t", "\\r")', '"@", "\\t")', NETWORK_CSV),
    # results: module-level constants
    Mutant("TSV: xsd:decimal not written bare", RES, '_TSV_BARE = {XSD + "integer", XSD + "decimal", ',
           '_TSV_BARE = {XSD + "integer", ', RESULTS),
    Mutant("TSV: xsd:double not written bare", RES, 'XSD + "decimal", XSD + "double"}', 'XSD + "decimal"}', RESULTS),
    # issue 16: the span line lookup made quadratic again
    Mutant("spans: line starts rebuilt on every lookup", "policykg/text/decode.py",
           "return bisect.bisect_right(self._line_starts, offset)",
           "return bisect.bisect_right([line.start for line in self.lines], offset)", ("tests/test_limits.py::test_line_lookups_cost_about_what_indexing_the_lines_costs",)),
    # issue 16: serve exiting 3 on Ctrl-C
    Mutant("serve: exit 3 on Ctrl-C", "policykg/cli/query.py", 'click.echo("stopping", err=True)',
           'click.echo("stopping", err=True); raise SystemExit(3)', ("tests/test_query_cli.py::test_serve_prints_the_address_and_stops_on_ctrl_c",)),
    # safety: module-level limits and patterns
    Mutant("safety: nesting limit 64", SAFE, "MAX_NESTING = 32", "MAX_NESTING = 64", SAFETY),
    Mutant("safety: query length limit 500,000", SAFE, "MAX_QUERY_CHARS = 50_000", "MAX_QUERY_CHARS = 500_000", SAFETY),
    Mutant("safety: \\U escapes not expanded", SAFE, r'|\\U([0-9A-Fa-f]{8})")', '")', SAFETY),
    Mutant("safety: escapes of 3 digits expanded", SAFE, r'\\u([0-9A-Fa-f]{4})', r'\\u([0-9A-Fa-f]{3})', SAFETY),
    Mutant("safety: escape left over in lower case only", SAFE, r'_ANY_ESCAPE = re.compile(r"\\[uU]',
           r'_ANY_ESCAPE = re.compile(r"\\[u]', SAFETY),
    Mutant("safety: DEL not a control character", SAFE, r"\x0e-\x1f\x7f-\x9f]", r"\x0e-\x1f\x80-\x9f]", SAFETY),
    Mutant("safety: C1 controls allowed", SAFE, r"\x0e-\x1f\x7f-\x9f]", r"\x0e-\x1f\x7f]", SAFETY),
    Mutant("safety: vertical tab allowed", SAFE, r"[\x00-\x08\x0b\x0c", r"[\x00-\x08\x0c", SAFETY),
    Mutant("safety: SERVICE matched case-sensitively", SAFE, 'service(?![\\w:\\-])", re.IGNORECASE)',
           'service(?![\\w:\\-])")', SAFETY),
    Mutant("safety: SERVICE after a colon counted", SAFE, r"(?<![\w?$:\-])service", r"(?<![\w?$\-])service", SAFETY),
    Mutant("safety: SERVICE inside a longer name counted", SAFE, r"service(?![\w:\-])", r"service", SAFETY),
    Mutant("safety: IRIs may hold spaces", SAFE, r'_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")',
           r'_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x1f]*>")', SAFETY),
    # export: module-level names
    Mutant("N-Triples: U+2028 left raw", EXP, r'"\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"',
           r'"\x0b\x0c\x1c\x1d\x1e\x85\u2029"', EXPORT),
    Mutant("N-Triples: U+0085 left raw", EXP, r'"\x0b\x0c\x1c\x1d\x1e\x85\u2028', r'"\x0b\x0c\x1c\x1d\x1e\u2028', EXPORT),
    Mutant("export: temporary folders not marked", EXP, 'TEMP_MARK = ".policykg-"', 'TEMP_MARK = ".p-"', EXPORT),
    Mutant("export: write_atomically does not sync", EXP, "handle.flush()\n                os.fsync(handle.fileno())",
           "handle.flush()", EXPORT),
    # session 12: the views read in shards (mutmut's forked children hang on pyoxigraph's threads there)
    Mutant("shards: rows joined, not merged in order", SHARDS,
           "rows = heapq.merge(*parts, key=_order_key(name, keys, parts))",
           "rows = [row for part in parts for row in part]", SHARD_TESTS),
    Mutant("shards: DISTINCT rows kept twice", SHARDS, "if not select.group(1):", "if True:", SHARD_TESTS),
    Mutant("shards: unbound sorts after numbers", SHARDS, "return (0, 0)", "return (9, 0)", SHARD_TESTS),
    Mutant("shards: a mixed column compared as it is", SHARDS, "types <= {int, float} or types == {str}",
           "True", SHARD_TESTS),
    Mutant("shards: every plan in the first run", SHARDS, "out[min(count - 1, done * count // total)]", "out[0]",
           SHARD_TESTS),
    Mutant("shards: the TriG's graph braces kept", STORE_PY, "parts.append(block[len(opening):-2])",
           "parts.append(block)", SHARD_TESTS),
    Mutant("shards: the prelude left out", STORE_PY, "parts = [os.pread(fd, index.prelude, 0)]", "parts = []",
           SHARD_TESTS),
    Mutant("shards: no threshold", SHARDS, "if size < SHARD_FROM_BYTES:", "if False:", SHARD_TESTS),
    Mutant("shards: the store kept open", NETWORKS, "        finally:\n            source.close()\n", "        finally:\n            pass\n",
           SHARD_TESTS),
    # session 12: reading the head and the page's site
    Mutant("head: a 《 left open ends a title", HEAD, "return text.count(\"《\") > text.count(\"》\")", "return False",
           ("tests/test_real_corpus.py::test_a_notice_title_broken_inside_its_quotes_runs_on_to_its_end",)),
    Mutant("head: the site's place whatever the issuer's level", HEAD,
           "(level and not place.endswith(LEVELS[level.group(0)]))", "False",
           ("tests/test_published.py::test_the_site_that_published_a_page_gives_the_place_its_text_does_not",)),
)


def tree_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                         capture_output=True, check=True).stdout.decode()
    return [name for name in out.split("\0") if name and (root / name).is_file()]


def copy_tree(root: Path, target: Path, files: list[str]) -> None:
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / name, target / name)


def apply(target: Path, mutant: Mutant) -> None:
    path = target / mutant.path
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.name}: {mutant.path} holds the text to replace "
                         f"{text.count(mutant.old)} times, not once: {mutant.old!r}")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")


def run_tests(copy: Path, tests: tuple[str, ...], timeout: float) -> tuple[str, float]:
    """``passed``, ``failed`` or ``timeout``, and the seconds it took."""
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONDONTWRITEBYTECODE="1", POLICYKG_SKIP_BROWSER="1")
    check = subprocess.run([sys.executable, "-c", "import policykg; print(policykg.__file__)"], cwd=copy,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    if not Path(check).resolve().is_relative_to(copy.resolve()):
        raise SystemExit(f"the copy's policykg is not the one imported ({check})")
    started = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                              cwd=copy, env=env, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", time.perf_counter() - started
    return ("passed" if proc.returncode == 0 else "failed"), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="match", action="append", default=[],
                        help="only mutants whose name contains this (may be given more than once)")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--timeout", type=float, default=900, help="seconds for one mutant's tests")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.match or any(k.lower() in m.name.lower() for k in args.match)]
    if args.list:
        for m in chosen:
            print(f"{m.name}  ({m.path}; {' '.join(m.tests)})")
        return 0
    files = tree_files(ROOT)
    missed = 0
    with tempfile.TemporaryDirectory(prefix="hand-mutants-") as tmp:
        for tests in dict.fromkeys(m.tests for m in chosen):  # the baseline of each set of tests
            copy = Path(tmp) / "baseline"
            copy_tree(ROOT, copy, files)
            outcome, seconds = run_tests(copy, tests, args.timeout)
            shutil.rmtree(copy)
            if outcome != "passed":
                print(f"baseline {outcome}: {' '.join(tests)} ({seconds:.0f} s); fix the tests first")
                return 1
        for m in chosen:
            copy = Path(tmp) / "mutant"
            copy_tree(ROOT, copy, files)
            apply(copy, m)
            outcome, seconds = run_tests(copy, m.tests, args.timeout)
            shutil.rmtree(copy)
            verdict = "MISSED" if outcome == "passed" else "caught"
            missed += outcome == "passed"
            print(f"{verdict:7} {m.name} ({outcome}, {seconds:.0f} s)", flush=True)
    print(f"{len(chosen) - missed} of {len(chosen)} caught")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
