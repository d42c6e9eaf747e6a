"""Free SPARQL under a hard deadline without a fork per query: a few processes forked once, each holding the store.

``EmbeddedEngine.run(text, timeout=...)`` forks a child for every query so
that a runaway one can be killed (pyoxigraph cannot interrupt a query). That
costs about 24 ms of CPU per query here, some 100 times the query itself, and
on a 2-core server it starves the page requests around it. The pool keeps the
same guarantee at the cost of a pipe round trip: a worker runs the query
with the engine (``engine.run(text)``, in its own process), and a worker that
is still busy at the deadline is killed and replaced by a fresh fork.

Workers are forked when the pool starts (before the server's threads exist);
each dies when the server does (its pipe closes).
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time

from peacegraph.errors import PeacegraphError, QueryError
from peacegraph.query.engines import QueryTimeout


def _serve(engine, connection) -> None:
    """A worker's loop: a query text in, ("ok", answer) or ("error", exception) out, until the pipe closes."""
    while True:
        try:
            text = connection.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", engine.run(text))
        except PeacegraphError as err:
            reply = ("error", err)
        except Exception as err:  # report, never leave the server waiting
            reply = ("error", QueryError(f"the query failed: {err}"))
        try:
            connection.send(reply)
        except (EOFError, OSError):
            return


class Worker:
    def __init__(self, engine):
        context = multiprocessing.get_context("fork")
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(engine, child_end), daemon=True)
        self.process.start()
        child_end.close()

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class QueryPool:
    """``size`` worker processes answering free SPARQL; ``run`` waits for an idle one, then for its answer until the deadline.

    >>> from peacegraph.query.engines import EmbeddedEngine
    >>> pool = QueryPool(EmbeddedEngine(), size=1)
    >>> pool.run("ASK { ?s ?p ?o }", timeout=10).boolean
    True
    >>> pool.close()
    """

    def __init__(self, engine, size: int = 2):
        engine.store  # noqa: B018 (load before forking, so every worker shares the loaded store)
        self.engine = engine
        self.size = size
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._idle.put(Worker(engine))

    def run(self, text: str, timeout: float):
        """The engine's answer to ``text``; QueryTimeout when the deadline passes (the worker is then replaced)."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeout(f"the server was busy with other queries for {timeout:g} s; try again") from None
        try:
            worker.connection.send(text)
            if not worker.connection.poll(max(0.0, deadline - time.monotonic())):
                raise QueryTimeout(
                    f"the query ran past its {timeout:g} s time limit and was stopped; narrow it (add LIMIT or more specific patterns)"
                )
            status, payload = worker.connection.recv()
        except (QueryTimeout, EOFError, OSError) as err:
            worker.stop()
            worker = Worker(self.engine)  # the fresh fork takes the killed one's place
            if isinstance(err, QueryTimeout):
                raise
            raise QueryError("the query process died; the query may need more memory than the server has") from None
        finally:
            self._release(worker)
        if status == "error":
            raise payload
        return payload

    def _release(self, worker: Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
            else:
                self._idle.put(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
