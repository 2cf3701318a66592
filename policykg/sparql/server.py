"""Serve the graph with the real Oxigraph server (``oxigraph serve-read-only``, PyPI ``oxigraph``).

The server opens the build's store (``graph/store/``, :mod:`policykg.rdf.store`) when it was
loaded from the graph files served, whatever their size, in well under a second; otherwise the
files are loaded with ``oxigraph load`` into a temporary store first. The server runs read-only on a private port of 127.0.0.1, behind the guarded
front of :mod:`policykg.sparql.guard` on the public port: the SPARQL 1.1 query endpoint is
``http://127.0.0.1:PORT/query``, policykg's own query page (offline, with the catalog's questions
as examples) ``http://127.0.0.1:PORT/`` and the catalog as URLs ``http://127.0.0.1:PORT/queries/``.
Every query is checked as the command line checks it before Oxigraph sees it; updates are refused.

:class:`OxigraphServer` is a context manager that starts both, waits until they answer and
stops them. The Oxigraph process dies with its parent whatever ends it (``PR_SET_PDEATHSIG``
on Linux); a temporary store left by a parent that was killed outright is removed by the next
server that starts. If Oxigraph dies (out of memory, say), :meth:`OxigraphServer.wait` starts it
again, up to :data:`RESTARTS` times a minute, then raises :class:`ServerError` with the reason.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import ServerError
from .engines import graph_files

TEMP_PREFIX = "policykg-oxigraph-"
RESTARTS = 3  # restarts of a dead Oxigraph allowed within a minute


def oxigraph_binary() -> Path:
    """The ``oxigraph`` executable of the PyPI package, next to the running Python first."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found:
        return Path(found)
    raise ServerError(
        "the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' "
        f"(looked in {beside.parent} and on PATH)"
    )


def remove_stale_stores(directory: str | None = None) -> list[Path]:
    """Remove temporary stores whose server (the pid in their name) is gone; return them."""
    removed = []
    for path in Path(directory or tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        pid = path.name[len(TEMP_PREFIX):].split("-")[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# Runs before oxigraph's exec: asks the kernel to kill it when its parent dies (and exits if
# that happened already). A launcher rather than preexec_fn, which is unsafe with threads.
_LAUNCHER = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit(1)\n"
    "os.execv(sys.argv[2], sys.argv[2:])\n"
)
# Resident memory Oxigraph may hold: past it, wait() kills it (and starts it again), so a query
# that would take the machine's memory stops Oxigraph instead. (An rlimit cannot do this: Linux
# counts the address space reserved for each thread's stack, and Oxigraph then cannot start
# the threads of 200 concurrent requests.)
DEFAULT_MEMORY = 4 * 1024 ** 3


def resident_bytes(pid: int) -> int:
    """Resident memory of process ``pid`` (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def load_store(paths, location: Path) -> None:
    """Load the graph files into the Oxigraph store directory ``location``."""
    files = [str(f) for f in graph_files(paths)]
    cmd = [str(oxigraph_binary()), "load", "--location", str(location), "--file", *files]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise ServerError(f"oxigraph load failed: {proc.stderr.strip() or proc.stdout.strip()}")


class OxigraphServer:
    """``oxigraph serve-read-only`` over a store directory, behind the guarded front, on 127.0.0.1.

    >>> with OxigraphServer.for_graph(["graph/"]) as server:   # doctest: +SKIP
    ...     print(server.query_url)
    """

    def __init__(self, location: Path, port: int | None = None, *, timeout_s: int = 30,
                 cleanup: Path | None = None, max_result_bytes: int | None = None, log=None,
                 max_memory: int | None = DEFAULT_MEMORY, opened=None, paths=None):
        self.location = Path(location)
        self.paths = paths  # the graph files served, for the questions about one plan (?plan=)
        # The build's store (an OpenStore): its default graph is already the union of the plans'
        # graphs, and Oxigraph reads it through the descriptor the store keeps open.
        self.opened = opened
        self.port = port or 0
        self.timeout_s = timeout_s
        self.process: subprocess.Popen | None = None
        self.front = None
        self.max_result_bytes = max_result_bytes
        self.max_memory = max_memory
        self.log = log or (lambda line: None)
        self._cleanup = cleanup
        self._private_port = 0
        self._thread: threading.Thread | None = None
        self._restarts: list[float] = []

    @classmethod
    def for_graph(cls, paths, port: int | None = None, *, store: bool = True, **kwargs) -> "OxigraphServer":
        """A server over the build's store when it matches the graph files ``paths`` (and
        ``store``), else over a fresh temporary store holding them."""
        if store:
            from ..rdf.store import open_store

            opened, why = open_store(graph_files(paths))
            if opened is not None:
                opened.store = None  # the server reads it; this process only keeps it in view
                return cls(Path(opened.location), port, opened=opened, paths=paths, **kwargs)
            if why and kwargs.get("log"):
                kwargs["log"](f"note: {why}; loading the graph files into a temporary store")
        remove_stale_stores()
        tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))
        try:
            load_store(paths, tmp / "store")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return cls(tmp / "store", port, cleanup=tmp, paths=paths, **kwargs)

    def _plan_engines(self):
        """plan -> an engine over that plan's graph (the last few kept: a plan's graph is small)."""
        from functools import lru_cache

        from .engines import load_engine

        paths = self.paths

        @lru_cache(maxsize=16)
        def engine(plan: str):
            return load_engine(paths, plan=plan, notify=lambda message: None)
        return engine

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def queries_url(self) -> str:
        """The catalog as URLs (:mod:`policykg.sparql.canned`)."""
        return f"http://127.0.0.1:{self.port}/queries/"

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/update"

    @property
    def private_url(self) -> str:
        """Oxigraph itself, unguarded (for benchmarks and tests)."""
        return f"http://127.0.0.1:{self._private_port}/query"

    def start(self, wait: float = 15.0) -> "OxigraphServer":
        from .guard import MAX_RESULT_BYTES, GuardedEndpoint

        try:  # the public port first: a port in use is one clear error, before anything starts
            self.front = GuardedEndpoint(
                ("127.0.0.1", self.port), None, timeout=self.timeout_s,
                max_result_bytes=self.max_result_bytes or MAX_RESULT_BYTES, log=self.log,
                plans=self._plan_engines() if self.paths is not None else None)
        except OSError as err:
            self.stop()
            if err.errno == errno.EADDRINUSE:
                raise ServerError(f"port {self.port} on 127.0.0.1 is in use by another program; "
                                  "choose another with --port") from None
            raise ServerError(f"cannot listen on 127.0.0.1:{self.port}: {err.strerror or err}") from None
        self.port = self.front.server_address[1]
        try:
            self._start_oxigraph(wait)
        except BaseException:
            self.stop()
            raise
        self._thread = threading.Thread(target=self.front.serve_forever, name="policykg-guard", daemon=True)
        self._thread.start()
        return self

    def _start_oxigraph(self, wait: float) -> None:
        self._private_port = free_port()
        self.front.upstream = ("127.0.0.1", self._private_port)
        cmd = [
            sys.executable, "-c", _LAUNCHER, str(os.getpid()),
            str(oxigraph_binary()), "serve-read-only", "--location", str(self.location),
            "--bind", f"127.0.0.1:{self._private_port}", "--timeout-s", str(self.timeout_s),
        ]
        if self.opened is None:  # files loaded as they are: named graphs' triples count too
            cmd.append("--union-default-graph")
        # Its own session: Ctrl-C reaches policykg, which then stops the server in order.
        self._log = tempfile.TemporaryFile()  # a pipe could fill up and block the server
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True,
            pass_fds=(self.opened.folder_fd,) if self.opened is not None else (),
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"oxigraph serve-read-only exited: {self._reason()}")
            try:
                with urllib.request.urlopen(self.private_url + "?query=ASK%7B%7D", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise ServerError(f"oxigraph did not answer on 127.0.0.1:{self._private_port} within {wait:g} s")

    def _reason(self) -> str:
        """Why the Oxigraph process ended: its exit status or signal and its last words."""
        code = self.process.poll() if self.process is not None else None
        if code is None:
            how = "still running"
        elif code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exit status {code}"
        self._log.seek(0)
        lines = [line for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        said = next((line.strip() for line in reversed(lines)
                     if not line.startswith(" ") and not line.startswith("Listening for requests")), "")
        return how + (f": {said[:300]}" if said else "")

    def _stop_oxigraph(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(5)
            self._log.close()
            self.process = None

    def stop(self) -> None:
        if self.front is not None:
            if self._thread is not None:
                self.front.shutdown()
                self._thread.join(5)
                self._thread = None
            self.front.server_close()
            self.front = None
        self._stop_oxigraph()
        if self.opened is not None:
            self.opened.close()
            self.opened = None
        if self._cleanup is not None:
            shutil.rmtree(self._cleanup, ignore_errors=True)
            self._cleanup = None

    def wait(self, poll: float = 0.2) -> None:
        """Serve until interrupted; start Oxigraph again if it dies or holds more than
        ``max_memory`` bytes, up to :data:`RESTARTS` times a minute, else raise
        :class:`ServerError` with the reason."""
        while True:
            process = self.process
            if process is None:  # stopped
                return
            try:
                process.wait(poll)
            except subprocess.TimeoutExpired:
                if not self.max_memory or resident_bytes(process.pid) <= self.max_memory:
                    continue
                process.kill()
                process.wait()
                self.log(f"oxigraph held more than {self.max_memory / 1024 ** 2:.0f} MB; stopped it")
            if self.process is not process:  # stopped or restarted meanwhile
                continue
            reason = self._reason()
            now = time.monotonic()
            self._restarts = [t for t in self._restarts if now - t < 60] + [now]
            if len(self._restarts) > RESTARTS:
                raise ServerError(f"oxigraph stopped ({reason}), {RESTARTS} restarts within a minute; "
                                  "giving up")
            self.log(f"oxigraph stopped ({reason}); starting it again")
            self._stop_oxigraph()
            self._start_oxigraph(15.0)

    def __enter__(self) -> "OxigraphServer":
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()
