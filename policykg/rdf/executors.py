"""Where the build's per-document work runs: this process, worker processes, or a Dask cluster.

An executor maps ``task(path, *context)`` over the documents and yields the results in the
documents' order, whoever finished first, so the build's outputs do not depend on it. ``context``
(the unit registry, the namespace, the compiled shapes) goes to each worker once.

Each worker keeps its own copy of the context for all the documents it builds, as the registry
records the units it resolves: worker processes get theirs when they start (fork); a Dask worker
thread unpickles its own the first time it takes a chunk, so threads never share one.
"""

from __future__ import annotations

import os
import pickle
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterator

from ..errors import DocumentError, InputError

PARALLEL_FROM = 8  # documents; fewer are built in this process
CHUNK = 4  # documents a local worker takes at a time
DASK_CHUNK = 16  # documents one Dask task builds (a task costs the scheduler about a millisecond)
CONNECT_TIMEOUT = "10s"  # to reach the scheduler
DASK_IN_FLIGHT = 4  # chunks queued per Dask worker thread: the parent holds no more results than that

EXECUTORS = ("local", "dask")


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalExecutor:
    """This process for a few documents, else ``workers`` forked processes (one per core)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

    def map(self, task: Callable, paths: list, context: tuple) -> Iterator:
        workers = min(self.workers, -(-len(paths) // CHUNK))  # a process with nothing to do is not started
        if workers <= 1 or len(paths) < PARALLEL_FROM:
            yield from (task(p, *context) for p in paths)
            return
        import multiprocessing

        method = "fork" if os.name == "posix" else "spawn"
        with multiprocessing.get_context(method).Pool(workers, initializer=_local_init,
                                                      initargs=(task, context)) as pool:
            for result in pool.imap(_local_task, paths, chunksize=CHUNK):  # in order: deterministic
                if isinstance(result, BaseException) and not isinstance(result, DocumentError):
                    pool.terminate()
                    raise result
                yield result

    def close(self) -> None:
        pass


_LOCAL: dict = {}  # in a worker process: the task and its context, set when it starts


def _local_init(task, context) -> None:
    _LOCAL.update(task=task, context=context)


def _local_task(path):
    return _LOCAL["task"](path, *_LOCAL["context"])


class DaskExecutor:
    """The documents in chunks on the Dask distributed cluster whose scheduler is at ``scheduler``
    (``tcp://host:8786``), or on ``client``'s. The workers must run this version of policykg and
    read the sources at the paths given here (a shared folder)."""

    def __init__(self, scheduler: str | None = None, client=None) -> None:
        if client is None:
            distributed = _import_distributed()
            try:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as err:
                raise InputError(f"--scheduler {scheduler}: no Dask scheduler answers there ({err})") from None
            self._own_client = True
        else:
            self._own_client = False
        self.client = client

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def map(self, task: Callable, paths: list, context: tuple) -> Iterator:
        if not paths:
            return
        self._check_sources(paths[0])
        token = uuid.uuid4().hex
        [shared] = self.client.scatter([pickle.dumps((task, context))], broadcast=True)
        chunks = [paths[i:i + DASK_CHUNK] for i in range(0, len(paths), DASK_CHUNK)]
        pending: deque = deque()
        queued = iter(chunks)
        window = self.threads() * DASK_IN_FLIGHT
        try:
            for chunk in queued:
                pending.append(self.client.submit(_dask_chunk, token, shared, chunk, pure=False))
                if len(pending) >= window:
                    break
            while pending:
                results = pending.popleft().result()  # in order: deterministic
                for chunk in queued:  # keep the window full
                    pending.append(self.client.submit(_dask_chunk, token, shared, chunk, pure=False))
                    break
                yield from results
        finally:
            for future in pending:
                future.cancel()

    def _check_sources(self, path) -> None:
        """Refuse, in one line, a cluster whose workers do not see the sources."""
        seen = self.client.run(_readable, str(path))
        blind = sorted(worker for worker, ok in seen.items() if not ok)
        if blind:
            raise InputError(f"{path}: the Dask worker {blind[0]} cannot read it; --executor dask needs the sources "
                             "at the same paths on every worker (a shared folder)")

    def close(self) -> None:
        if self._own_client:
            self.client.close()


def _readable(path: str) -> bool:
    return os.access(path, os.R_OK) and os.path.isfile(path)


_DASK_CONTEXT = threading.local()


def _dask_chunk(token: str, shared: bytes, paths: list) -> list:
    """Build ``paths`` on a Dask worker thread with its own copy of the context."""
    if getattr(_DASK_CONTEXT, "token", None) != token:
        _DASK_CONTEXT.task, _DASK_CONTEXT.context = pickle.loads(shared)
        _DASK_CONTEXT.token = token
    return [_DASK_CONTEXT.task(path, *_DASK_CONTEXT.context) for path in paths]


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise InputError("--executor dask needs Dask's distributed scheduler: pip install 'policykg[dask]'") from None
    return distributed


def executor_for(name: str = "local", scheduler: str | None = None, workers: int | None = None):
    """The executor called ``name`` (``local`` or ``dask``)."""
    if name == "local":
        if scheduler:
            raise InputError("--scheduler is for --executor dask")
        return LocalExecutor(workers)
    if name == "dask":
        if not scheduler:
            raise InputError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return DaskExecutor(scheduler)
    raise InputError(f"unknown executor {name!r}; choose from {', '.join(EXECUTORS)}")
