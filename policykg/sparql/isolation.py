"""Run a user's query in a forked child process that can be stopped and bounded.

A thread cannot stop pyoxigraph in the middle of a join or a sort (it returns to Python only
between solutions), and an engine that runs out of memory or stack aborts the whole process
(Rust aborts on a failed allocation). So a query typed by a user runs in a child forked from
the process that holds the loaded graph (copy-on-write: nothing is loaded again):

- the child's address space is limited (``RLIMIT_AS``) to what it had plus ``memory`` bytes;
  an engine that aborts there, or Python's ``MemoryError``, becomes :class:`QueryLimitError`;
- on the time limit the parent kills the child (``SIGKILL``): the query stops at once;
- the child dies with its parent (``PR_SET_PDEATHSIG``), so a killed policykg leaves no query
  running;
- the answer comes back pickled through a pipe; an error is sent back with its class and fields.

Where ``os.fork`` is missing (Windows), :func:`run_isolated` falls back to a thread.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import time
from typing import Callable

from ..errors import PolicyKGError, QueryLimitError, QueryTimeoutError

DEFAULT_MEMORY = 2 * 1024 ** 3  # bytes a query may add to the process


def available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


def run_isolated(work: Callable[[], object], timeout: float | None, memory: int = DEFAULT_MEMORY,
                 what: str = "the query"):
    """``work()`` run in a forked child, under ``timeout`` seconds and ``memory`` more bytes."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(work, write_end, memory)
    os.close(write_end)
    try:
        data = _read_all(read_end, pid, timeout)
    finally:
        os.close(read_end)
    if data is None:
        _stop(pid)
        raise QueryTimeoutError(timeout)
    _, status = os.waitpid(pid, 0)
    if not data:
        raise QueryLimitError(_death(status, memory, what))
    try:
        kind, payload = pickle.loads(data)
    except Exception:  # a child killed while writing
        raise QueryLimitError(_death(status, memory, what)) from None
    if kind == "ok":
        return payload
    raise _rebuild(payload)


def _child(work, write_end: int, memory: int) -> None:
    code = 0
    try:
        _die_with_parent()
        _quiet_stderr()  # an engine that aborts prints a Rust backtrace; the parent says why
        _limit_memory(memory)
        try:
            message = ("ok", work())
        except MemoryError:
            message = ("error", (QueryLimitError, (_memory_message(memory),), {}))
        except PolicyKGError as err:
            message = ("error", (type(err), err.args, dict(err.__dict__)))
        except RecursionError:
            message = ("error", (QueryLimitError, ("the query is nested too deeply for the engine",), {}))
        except BaseException as err:  # an engine bug: say what it was, in one line
            message = ("error", (QueryLimitError, (f"the engine failed: {type(err).__name__}: {err}",), {}))
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("error", (QueryLimitError, (_memory_message(memory),), {})))
        view = memoryview(data)
        while view:
            written = os.write(write_end, view)
            view = view[written:]
    except BaseException:
        code = 3
    finally:
        os._exit(code)


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() == 1:  # the parent died before prctl
        os._exit(3)


def _quiet_stderr() -> None:
    import faulthandler

    faulthandler.disable()  # it would print the abort's Python stack on the parent's stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _limit_memory(memory: int) -> None:
    try:
        import resource

        with open("/proc/self/statm") as f:
            size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = size + memory
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, ImportError):  # pragma: no cover - not Linux
        pass


def _read_all(fd: int, pid: int, timeout: float | None) -> bytes | None:
    """Everything the child writes, or None when ``timeout`` passes first."""
    deadline = None if not timeout else time.monotonic() + timeout
    chunks = []
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], wait)
            if not ready:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    except BaseException:  # Ctrl-C or the like: the query must not outlive us
        _stop(pid)
        raise


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _memory_message(memory: int) -> str:
    return (f"the query needed more than {memory / 1024 ** 2:.0f} MB of memory (its limit); "
            "make it more selective or add LIMIT")


def _death(status: int, memory: int, what: str) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS):
            return (f"the engine running {what} stopped ({signal.Signals(sig).name}): it ran out of memory "
                    f"(limit {memory / 1024 ** 2:.0f} MB) or stack; make it more selective, less nested, or add LIMIT")
        return f"the engine running {what} was killed by {signal.Signals(sig).name}"
    return f"the engine running {what} exited with status {os.WEXITSTATUS(status)} without an answer"


def _rebuild(payload) -> BaseException:
    cls, args, fields = payload
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(fields)
    return err
