"""Mutation score per module from mutmut's results in mutants/ (after `make mutation`).

    python -m tests.mutation_score

A timeout counts as a kill (the mutant made the tests loop, and the run stopped them); a mutant
that no selected test runs ("no tests") counts against the score.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code


def scores(root: Path = Path("mutants")) -> dict[str, Counter]:
    found = {}
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        found[str(meta.relative_to(root))[: -len(".meta")]] = Counter(status_by_exit_code[c] for c in codes)
    return found


def main() -> None:
    print(f"{'module':34} {'killed':>6} {'timeout':>7} {'survived':>8} {'no tests':>8} {'unchecked':>9} {'score':>6}")
    for module, n in scores().items():
        checked = sum(n.values()) - n["not checked"]
        score = f"{100 * (n['killed'] + n['timeout']) / checked:.1f}%" if checked else "-"
        print(f"{module:34} {n['killed']:6} {n['timeout']:7} {n['survived']:8} {n['no tests']:8} "
              f"{n['not checked']:9} {score:>6}")


if __name__ == "__main__":
    main()
