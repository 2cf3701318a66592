"""A corpus read for its views in shards: runs of plans, each read into its own in-memory store.

Drawing every unit of a corpus reads nearly the whole graph, and reading it is one parser on one
core (1,000 plans: about 3 s of the views' 10). The build's TriG holds each plan's graph whole,
with the units it names (:mod:`policykg.rdf.store` knows where each is), so the plans can be read
as two or more runs side by side, each into a store of its own: pyoxigraph lets go of the GIL while
it parses. Every view query then runs on every shard, and the rows are merged.

That gives the rows one store would give because each row of a view query comes from one plan's
graph: it starts from something of that plan (a measure, a task, a discrepancy, the plan itself),
and what it joins to hangs off it in the same graph. A unit several plans name is in each of their
graphs, so it comes out of every shard that holds one of them: the queries that list units say
DISTINCT, and so does the merge. The merged rows are sorted by the query's ORDER BY, as SPARQL
sorts them (unbound first, numbers by value, text by code point). Only the views' own queries are
read this way; a query folder of one's own is read from one store.
"""

from __future__ import annotations

import heapq
import operator
import os
import re
import threading
from dataclasses import dataclass

from ..errors import ViewQueryError

# Below this much TriG (about a hundred plans; 1,000 are 77 MB) the plans are read into one store:
# that takes well under a second, and shards would add the merge of their rows.
SHARD_FROM_BYTES = 8 << 20
MAX_SHARDS = 4

_ORDER_BY = re.compile(r"^ORDER\s+BY((?:\s+\?\w+)+)$", re.I)
_SELECT = re.compile(r"^\s*SELECT\s+(DISTINCT\b)?", re.I)


@dataclass
class Shards:
    """In-memory engines, each over a run of the corpus's plans (and the vocabulary)."""

    engines: list  # OxigraphEngine

    @property
    def timeout(self) -> float | None:
        return self.engines[0].timeout

    def close(self) -> None:
        for engine in self.engines:
            engine.close()

    def __len__(self) -> int:
        return len(self.engines)


def shard_count(opened) -> int:
    """How many shards to read the store's plans in: one a core, at most :data:`MAX_SHARDS`, one
    for a small corpus (or none to read: no TriG beside the store)."""
    index = opened.index
    if index is None or not index.plans:
        return 0
    size = sum(length for _, length in index.plans.values())
    if size < SHARD_FROM_BYTES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_SHARDS, cores, len(index.plans)))


def runs(opened, count: int) -> list[list[str]]:
    """The store's plans in ``count`` runs of about equal bytes, in the TriG's order."""
    spans = sorted((span, iri) for iri, span in opened.index.plans.items())
    total = sum(length for (_, length), _ in spans) or 1
    out: list[list[str]] = [[] for _ in range(count)]
    done = 0
    for (_, length), iri in spans:
        out[min(count - 1, done * count // total)].append(iri)
        done += length
    return [run for run in out if run]


def load_shards(opened, count: int, *, timeout: float | None = None) -> Shards:
    """The plans of the open store ``opened`` read from its TriG in ``count`` shards, side by side."""
    import pyoxigraph as ox

    from ..errors import GraphLoadError
    from ..sparql.engines import OxigraphEngine

    try:
        texts = [opened.plans_turtle(run) for run in runs(opened, count)]
    except (OSError, ValueError) as err:
        raise GraphLoadError(f"cannot read the plans' graphs: {err}") from None
    stores: list = [None] * len(texts)
    failures: list[str] = []

    def read(i: int) -> None:
        try:
            store = ox.Store()
            # the build's own output, its IRIs and language tags checked when it was written
            store.load(texts[i], format=ox.RdfFormat.TURTLE, lenient=True)
            stores[i] = store
        except Exception as err:  # noqa: BLE001 - reported below, from the calling thread
            failures.append(f"{opened.folder / opened.index.file}: cannot read the graph: "
                            f"{type(err).__name__}: {err}")
        texts[i] = b""

    threads = [threading.Thread(target=read, args=(i,), daemon=True) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise GraphLoadError(sorted(failures)[0])
    engines = [OxigraphEngine(store) for store in stores]
    for engine in engines:
        engine.timeout = timeout
    return Shards(engines)


def merge_rows(name: str, text: str, parts: list[list[dict]]) -> list[dict]:
    """The rows of query ``name`` (``text``) over the whole corpus, from its rows on each shard."""
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    order = _ORDER_BY.match(lines[-1]) if lines else None
    select = next((m for m in map(_SELECT.match, lines) if m), None)
    if order is None or select is None:
        raise ViewQueryError(f"{name}: cannot be read in shards: it must be a SELECT that ends with "
                             "ORDER BY and variables")
    keys = [v.lstrip("?") for v in order.group(1).split()]
    # each shard's rows are in that order already: merged, not sorted again
    rows = heapq.merge(*parts, key=_order_key(name, keys, parts))
    if not select.group(1):
        return list(rows)
    seen: set = set()
    unique = []
    for row in rows:
        key = tuple(row.values())
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def _order_key(name: str, keys: list[str], parts: list[list[dict]]):
    """A key function giving the rows SPARQL's order on ``keys``. A column that holds only text,
    or only numbers, is compared as it is (most are; the merge of 1,000 plans' rows takes half
    the time so); the others through :func:`_sort_key`."""
    columns = next((part[0].keys() for part in parts if part), keys)
    if not set(keys) <= set(columns):
        missing = " ".join("?" + k for k in keys if k not in columns)
        raise ViewQueryError(f"{name}: cannot merge the rows of the shards: ORDER BY {missing} is not selected")
    plain = []
    for k in keys:
        types = {type(row[k]) for part in parts for row in part}
        plain.append(types <= {int, float} or types == {str})
    if all(plain):
        return operator.itemgetter(*keys) if len(keys) > 1 else (lambda row, k=keys[0]: (row[k],))
    getters = [operator.itemgetter(k) if ok else (lambda row, k=k: _sort_key(row[k])) for k, ok in zip(keys, plain)]
    return lambda row: tuple(get(row) for get in getters)


def _sort_key(value: object) -> tuple:
    """SPARQL's order for the values the views' rows hold: unbound, then numbers, then text."""
    if value is None:
        return (0, 0)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, value)
    if isinstance(value, bool):
        return (2, value)
    return (3, str(value))
