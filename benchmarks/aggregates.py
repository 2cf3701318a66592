"""Benchmark: corpus-wide catalog questions on a build's store, the query alone.

Usage: python benchmarks/aggregates.py GRAPH_DIR [--query NAME ...] [--all] [--queries DIR] [--files] [--timeout 600]

Opens GRAPH_DIR's store as `policykg query` does (--files: the graph files read into memory) and
runs each query with its default parameters, printing wall and CPU seconds (CPU includes
Oxigraph's own threads), the part of the wall time spent reading Oxigraph's TSV answer into
Python rows (`read s`, policykg.sparql.tsv), the rows and a digest of them (in their order), so
two versions of a query can be checked to give the same answer (--queries: another version's
queries/ folder). Default queries: the catalog's corpus aggregates; --all: every catalog query
(the view-* ones too) on the whole corpus, without --plan.
"""

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykg.errors import PolicyKGError  # noqa: E402
from policykg.sparql import engines  # noqa: E402
from policykg.sparql.catalog import load_catalog  # noqa: E402
from policykg.sparql.engines import load_engine  # noqa: E402

AGGREGATES = ("plans-per-jurisdiction", "plans", "units-across-plans", "unit-load", "unregistered-units",
              "corpus-co-responsibility", "unit-load-per-plan", "view-corpus-plans", "view-corpus-units")
# the catalog's required parameters, as tests/test_catalog_scale.py gives them
PARAMS = {"measures-of-unit": {"unit": "县财政局"}, "tasks-of-unit": {"unit": "县财政局"}, "search": {"keyword": "生态"},
          "unit-partners": {"unit": "县财政局"}}


class _TimedReading:
    """engines.parse_tsv, adding up the wall time it takes."""

    def __init__(self, parse):
        self.parse, self.seconds = parse, 0.0

    def __call__(self, data, width):
        start = time.perf_counter()
        try:
            return self.parse(data, width)
        finally:
            self.seconds += time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph", type=Path)
    ap.add_argument("--query", action="append")
    ap.add_argument("--all", action="store_true", help="every catalog query, on the whole corpus")
    ap.add_argument("--files", action="store_true", help="read the graph files, not the store")
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--queries", type=Path, help="the catalog folder to read the queries from")
    args = ap.parse_args()
    catalog = load_catalog(args.queries)
    reading = engines.parse_tsv = _TimedReading(engines.parse_tsv)
    t0 = time.perf_counter()
    engine = load_engine([args.graph], store=not args.files)
    engine.timeout = args.timeout
    print(f"opened in {time.perf_counter() - t0:.2f} s ({'store' if getattr(engine, 'opened', None) else 'files'}); "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'query':28} {'wall s':>8} {'cpu s':>8} {'read s':>8} {'rows':>8}  digest")
    names = args.query or (catalog.names if args.all else AGGREGATES)
    for name in names:
        text = catalog.get(name).bind(PARAMS.get(name, {}))
        reading.seconds = 0.0
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            result = engine.run(text, trusted=True, source=name)
        except PolicyKGError as err:  # a time or row limit: say so and go on
            print(f"{name:28} {time.perf_counter() - wall:8.2f} {time.process_time() - cpu:8.2f}  {err}", flush=True)
            continue
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        digest = hashlib.sha1(repr(result.rows).encode()).hexdigest()[:10]
        print(f"{name:28} {wall:8.2f} {cpu:8.2f} {reading.seconds:8.2f} {len(result.rows):8}  {digest}", flush=True)


if __name__ == "__main__":
    main()
