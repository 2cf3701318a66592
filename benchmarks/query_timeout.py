"""How fast a query past its time limit stops, and whether it keeps computing afterwards.

Usage: python benchmarks/query_timeout.py [--timeout 2] [--after 3]

For each embedded engine, runs a query with no end in sight (a count over a three-way product
of the graph) with ``--timeout`` seconds:

- ``user query``: as `policykg query -e` runs it since issue 12 (checked, in a forked child
  that is killed on the limit);
- ``thread (as before)``: the way every query ran before (a thread abandoned on the limit and
  asked to stop; pyoxigraph only stops when it next returns to Python).

Prints the time until the caller gets the error, and the CPU seconds the process and its
children spend in the ``--after`` seconds that follow (0 when the query really stopped).
Then the same query through `policykg serve`: time to the error status, and the CPU time the
Oxigraph process spends afterwards (the server cannot kill a query inside Oxigraph; it drops
the connection and Oxigraph stops at its own next check).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def cpu(proc: psutil.Process) -> float:
    total = sum(proc.cpu_times()[:2])
    for child in proc.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:
            pass
    return total


def embedded(engine_name: str, trusted: bool, timeout: float, after: float) -> tuple[float, float]:
    from policykg.errors import QueryTimeoutError
    from policykg.sparql.engines import load_engine

    engine = load_engine([ROOT / "graph"], engine_name)
    me = psutil.Process()
    started = time.monotonic()
    try:
        engine.run(SLOW, trusted=trusted, timeout=timeout)
    except QueryTimeoutError:
        pass
    stopped = time.monotonic() - started
    before = cpu(me)
    time.sleep(after)
    return stopped, cpu(me) - before


def served(timeout: float, after: float) -> tuple[float, float]:
    from policykg.sparql.server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "policykg", "serve", "--port", str(port), "--timeout",
                             str(int(timeout))], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)
    try:
        proc.stdout.readline()
        oxigraph = [p for p in psutil.Process(proc.pid).children(recursive=True)
                    if "serve-read-only" in " ".join(p.cmdline())][0]
        body = urllib.parse.urlencode({"query": SLOW}).encode()
        started = time.monotonic()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query", data=body, timeout=120).read()
            status = 200
        except urllib.error.HTTPError as err:
            status = err.code
        stopped = time.monotonic() - started
        before = sum(oxigraph.cpu_times()[:2])
        time.sleep(after)
        return stopped, sum(oxigraph.cpu_times()[:2]) - before, status
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--after", type=float, default=3.0)
    ap.add_argument("--case", help=argparse.SUPPRESS)  # ENGINE:trusted|user, run in a fresh process
    args = ap.parse_args()
    if args.case:
        engine, kind = args.case.split(":")
        stopped, spent = embedded(engine, kind == "trusted", args.timeout, args.after)
        print(f"{stopped:.3f} {spent:.2f}")
        return
    print(f"query: {SLOW}\ntime limit {args.timeout:g} s; CPU measured over the {args.after:g} s after the error")
    for engine in ("oxigraph", "rdflib"):
        for label, kind in (("user query (forked child, killed)", "user"), ("thread (as before)", "trusted")):
            out = subprocess.run([sys.executable, __file__, "--case", f"{engine}:{kind}", "--timeout",
                                  str(args.timeout), "--after", str(args.after)],
                                 capture_output=True, text=True, check=True).stdout.split()
            print(f"  {engine:8} {label:36} error after {float(out[0]):6.3f} s; CPU afterwards {float(out[1]):5.2f} s")
    stopped, spent, status = served(args.timeout, args.after)
    print(f"  serve    {'guarded endpoint':36} HTTP {status} after {stopped:6.3f} s; Oxigraph CPU afterwards {spent:5.2f} s")


if __name__ == "__main__":
    main()
