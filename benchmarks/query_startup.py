"""Wall time of `policykg query lead-units` from the shell, start-up included.

Usage: python benchmarks/query_startup.py [--runs 10] [--engine oxigraph|rdflib]
Runs the command as a fresh process (python -m policykg) on graph/, prints min / median / max.
The target in issue 3 is at most 0.5 s.
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--engine", default="oxigraph")
    ap.add_argument("--query", default="lead-units")
    args = ap.parse_args()
    cmd = [sys.executable, "-m", "policykg", "query", args.query, "--engine", args.engine]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)  # warm the file cache
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    print(f"policykg query {args.query} --engine {args.engine}: "
          f"min {min(times):.3f} s, median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
