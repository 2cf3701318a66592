"""Throughput of `policykg serve` under many concurrent clients, with and without the checks.

Usage: python benchmarks/server_throughput.py [--clients 200] [--seconds 10] [--query lead-units]

Starts `policykg serve` on graph/ as its own process and drives it from this one with
``--clients`` threads, each sending the catalog query (form POST, JSON results) in a loop over
a fresh connection, for ``--seconds`` seconds per case:

- ``unchecked``: Oxigraph's own port behind the front, as `policykg serve` exposed it before
  issue 12 (no checks);
- ``checked, repeated text``: the public port, every client sending the same text (the check's
  cache answers after the first);
- ``checked, distinct texts``: the public port, every request a text never seen (a numbered
  comment), so every request is parsed by rdflib's SPARQL grammar.

Prints requests per second, median and 95th-percentile latency, and errors per case. The
clients share this process's GIL: on a small machine they, not the server, may be the limit for
the unchecked case (the figure is then a lower bound).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_server(graph: Path):
    from policykg.sparql.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "-g", str(graph), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    line = proc.stdout.readline()
    if not line.startswith("SPARQL endpoint"):
        raise SystemExit(f"serve did not start: {proc.stderr.read()}")
    import psutil

    children = [p for p in psutil.Process(proc.pid).children(recursive=True) if "serve-read-only" in " ".join(p.cmdline())]
    bind = children[0].cmdline()[children[0].cmdline().index("--bind") + 1]
    return proc, port, int(bind.rsplit(":", 1)[1])


def drive(port: int, texts, clients: int, seconds: float) -> dict:
    stop_at = time.monotonic() + seconds
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    counter = iter(range(10 ** 9))

    def client() -> None:
        mine, failed = [], []
        while time.monotonic() < stop_at:
            body = urllib.parse.urlencode({"query": texts(next(counter))}).encode()
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("POST", "/query", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                data = response.read()
                conn.close()
                if response.status != 200 or not json.loads(data)["results"]["bindings"]:
                    failed.append(response.status)
                    continue
            except (OSError, http.client.HTTPException, ValueError) as err:
                failed.append(type(err).__name__)
                continue
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - began
    latencies.sort()
    return {
        "requests_per_second": round(len(latencies) / took, 1),
        "ok": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(map(str, errors)))[:5],
        "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1) if latencies else None,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--query", default="lead-units")
    ap.add_argument("--graph", default=str(ROOT / "graph"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from policykg.sparql.catalog import load_catalog

    text = load_catalog().get(args.query).bind({})
    proc, public, private = start_server(Path(args.graph))
    try:
        cases = {
            "unchecked (Oxigraph's port, as serve was)": drive(private, lambda n: text, args.clients, args.seconds),
            "checked, repeated text": drive(public, lambda n: text, args.clients, args.seconds),
            "checked, distinct texts": drive(public, lambda n: f"# request {n}\n{text}", args.clients, args.seconds),
        }
    finally:
        proc.terminate()
        proc.wait(30)
    figures = {"clients": args.clients, "seconds": args.seconds, "query": args.query,
               "cores": os.cpu_count(), "cases": cases}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.clients} clients, {args.seconds:g} s per case, query {args.query}, {os.cpu_count()} cores")
    for name, row in cases.items():
        print(f"  {name:44} {row['requests_per_second']:>8} req/s  median {row['median_ms']} ms  "
              f"p95 {row['p95_ms']} ms  errors {row['errors']} {row['error_kinds'] or ''}")


if __name__ == "__main__":
    main()
