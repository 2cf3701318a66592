"""Questions from the shell on a build's Oxigraph store and on its files, side by side.

Usage: python benchmarks/store_vs_files.py GRAPH_DIR [--plan SLUG] [--timeout 60] [--query NAME ...] [--json]

GRAPH_DIR is a folder `policykg build` wrote (with its store/), e.g. after
`policykg generate 1000 --out /tmp/c1k && policykg build /tmp/c1k --out /tmp/g1k`.
Each question runs as a fresh `python -m policykg query NAME -g GRAPH_DIR` (start-up, opening
or parsing, the query, printing) on the store and with --no-store (the files parsed into
memory); questions about one plan are asked with --plan. Prints wall time and peak RSS of each,
whether both gave the same rows, and the query's own time on the opened store and on the files
parsed into memory (in this process).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.corpus.bench import machine, print_store_vs_files, store_vs_files  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("graph", type=Path)
    ap.add_argument("--plan")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--query", action="append")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    figures = store_vs_files(args.graph, args.plan, args.query, args.timeout,
                             progress=lambda m: print(m + " …", file=sys.stderr, flush=True))
    figures["machine"] = machine()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    print_store_vs_files(figures)


if __name__ == "__main__":
    main()
