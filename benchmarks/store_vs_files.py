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

from policykg.corpus.bench import machine, store_vs_files  # noqa: E402


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
    print_table(figures)


def print_table(figures: dict) -> None:
    m = figures["machine"]
    print(f"{m['nproc']} cores, {m['cpu_model']}, load {m['load_average']}; graph {figures['graph']}, "
          f"--plan {figures['plan']}")
    print(f"{'question':26} {'scope':6} {'rows':>6} {'store s':>8} {'MB':>6} {'files s':>8} {'MB':>6} "
          f"{'query: store s':>14} {'memory s':>9} same")
    for name, row in figures["questions"].items():
        def cell(mode, row=row):
            s = row[f"shell_{mode}_seconds"]
            return f"{s:>8.2f}" if s is not None else f"{'failed':>8}"
        own, mem = row.get("query_on_store_seconds"), row.get("query_in_memory_seconds")
        print(f"{name:26} {row['scope']:6} {row.get('rows', '-')!s:>6} {cell('store')} "
              f"{row['shell_store_peak_rss_mb']!s:>6} {cell('files')} {row['shell_files_peak_rss_mb']!s:>6} "
              f"{'-' if own is None else f'{own:.3f}':>14} {'-' if mem is None else f'{mem:.3f}':>9} "
              f"{row.get('same_rows', '-')}")
        for mode in ("store", "files"):
            if row.get(f"shell_{mode}_failed"):
                print(f"    {mode}: {row[f'shell_{mode}_failed']}")
    ready = figures.get("serve_ready")
    if ready:
        print(f"policykg serve ready: {ready['store_seconds']} s on the store, {ready['files_seconds']} s "
              "loading the files into a temporary store")


if __name__ == "__main__":
    main()
