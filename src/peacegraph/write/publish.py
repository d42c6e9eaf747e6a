"""Publishing graph/ to a store through the SPARQL 1.1 Graph Store Protocol.

Success means HTTP 200, 201 or 204 from the URL that was asked. A redirect
is reported with its Location and never followed: urllib would turn the
upload into a body-less GET elsewhere and report that GET's 200. Only
http(s) URLs are accepted, and the whole exchange runs under one deadline.

The file is streamed from disk in blocks (with a progress bar on a
terminal), so publishing 100 times the seeds does not hold its 115 MB of
Turtle in memory; with --user it is read whole, because urllib sends the
body again after the store's authentication challenge.

``chunk_triples`` sends graph/peacegraph.nt in batches instead, for stores
that cap the size of one request: the first batch replaces (PUT, or POST
with --merge), the others are merged (POST). Every triple with a blank node
goes in the first batch, so no blank node is split between two requests
(each request is its own document). Batches are not atomic as one PUT is:
a failure names the batch and says what the store then holds.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from peacegraph import paths
from peacegraph.errors import GraphMissingError
from peacegraph.query.http import USER_AGENT, RemoteError, check_url, send, shown  # noqa: F401 (USER_AGENT re-exported)
from peacegraph.query.limits import in_child

#: The statuses that mean the store took the upload.
STORED = (200, 201, 204)
#: Bytes of the store's answer read (it only ever matters for a message).
ANSWER_BYTES = 65536


@dataclass
class PublishReport:
    url: str
    method: str
    bytes_sent: int
    status: int
    files: list[str]
    chunks: int = 0  # batches sent (0: the whole file in one request)
    triples: int = 0

    def __str__(self) -> str:
        if self.chunks:
            return (
                f"{self.method} {self.url}: HTTP {self.status} for each of {self.chunks} batches; "
                f"sent {self.triples} triples ({self.bytes_sent} bytes of N-Triples) from {', '.join(self.files)}"
            )
        return f"{self.method} {self.url}: HTTP {self.status}; sent {self.bytes_sent} bytes of Turtle from {', '.join(self.files)}"


def store_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL for the default graph or a named one.

    >>> store_url("http://127.0.0.1:7878/store", None)
    'http://127.0.0.1:7878/store?default'
    >>> store_url("http://127.0.0.1:7878/store", "https://w3id.org/peacegraph/graph")
    'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fpeacegraph%2Fgraph'
    """
    joiner = "&" if "?" in endpoint else "?"
    if graph:
        return f"{endpoint}{joiner}graph={urllib.parse.quote(graph, safe='')}"
    return f"{endpoint}{joiner}default"


def publish(
    endpoint: str,
    graph: str | None = None,
    replace: bool = True,
    graph_dir: Path | None = None,
    timeout: float = 60.0,
    user: str | None = None,
    password: str | None = None,
    chunk_triples: int | None = None,
) -> PublishReport:
    """Send graph/peacegraph.ttl to a Graph Store Protocol endpoint (PUT replaces, POST merges).

    With ``chunk_triples``, send graph/peacegraph.nt in batches of that many triples instead.
    """
    check_url(endpoint)
    if chunk_triples is not None:
        return _publish_batches(endpoint, graph, replace, graph_dir, timeout, user, password, chunk_triples)
    path = paths.graph_file(graph_dir)
    if not path.is_file():
        raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    size = path.stat().st_size
    url = store_url(endpoint, graph)
    method = "PUT" if replace else "POST"
    nothing = f"nothing was stored: {size} bytes of {path.name} were not accepted"

    def too_slow() -> RemoteError:
        return RemoteError(
            f"{method} {url} did not finish within {timeout:g} s; the store may or may not hold the upload, check it before retrying"
        )

    try:
        answer = in_child(_upload, (method, url, path, size, timeout, user, password), timeout, too_slow)
    except RemoteError as err:
        if "did not finish within" in str(err):
            raise
        if err.unsent:
            raise RemoteError(f"{err}; {nothing}") from None
        raise RemoteError(f"{method} {url}: {err}; the store may or may not hold the upload, check it before retrying") from None
    status, reason, location, detail = answer
    if 300 <= status < 400:
        raise RemoteError(
            f"{method} {url} answered HTTP {status}, redirecting to {location}; not followed (a redirect turns an upload into a GET "
            f"elsewhere): publish to that URL if you trust it; {nothing}"
        )
    if status in STORED:
        return PublishReport(url, method, size, status, [path.name])
    if 200 <= status < 300:
        raise RemoteError(
            f"{method} {url} answered HTTP {status} {reason}, not 200, 201 or 204: the store did not confirm it stored the upload; check it"
        )
    raise RemoteError(f"{method} {url} answered HTTP {status} {reason}: {detail}; {nothing}")


class _Counted:
    """A file read in blocks by http.client, each block counted on the progress bar."""

    def __init__(self, stream, advance):
        self.stream, self.advance = stream, advance

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(size)
        self.advance(len(block))
        return block


def _upload(
    method: str, url: str, path: Path, size: int, timeout: float, user: str | None, password: str | None
) -> tuple[int, str, str, str]:
    """In the deadline's child: the exchange, as (status, reason, location, detail) strings safe to print."""
    from peacegraph import progress

    handlers: tuple = ()
    headers = {"Content-Type": "text/turtle", "Content-Length": str(size)}
    with open(path, "rb") as stream, progress.bar(f"{method} {path.name}", size) as advance:
        body: object = _Counted(stream, advance)
        if user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, url, user, password or "")
            handlers = (urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager))
            body = stream.read()  # sent again after a 401 challenge: a stream would be spent by then
        answer = send(method, url, body, headers, ANSWER_BYTES, timeout, handlers, truncate=True)  # type: ignore[arg-type]
    return answer.status, shown(answer.reason, 60), shown(answer.headers.get("Location") or "nowhere", 300), answer.detail()


def batches(path: Path, size: int):
    """(first line number, lines) of the N-Triples file in batches of ``size`` lines, read as they are sent.

    The first batch reaches at least the last line with a blank node: a blank
    node's label means the same node only within one request.
    """
    with open(path, "rb") as stream:
        last_blank = 0
        for number, line in enumerate(stream, 1):
            if b"_:" in line:
                last_blank = number
        stream.seek(0)
        batch: list[bytes] = []
        first = 1
        for number, line in enumerate(stream, 1):
            batch.append(line)
            if len(batch) >= size and number >= last_blank:
                yield first, batch
                first, batch = number + 1, []
        if batch or first == 1:
            yield first, batch


def _publish_batches(
    endpoint: str,
    graph: str | None,
    replace: bool,
    graph_dir: Path | None,
    timeout: float,
    user: str | None,
    password: str | None,
    size: int,
) -> PublishReport:
    import time

    from peacegraph import progress

    path = paths.graph_file(graph_dir, paths.FULL_NTRIPLES_FILE_NAME)
    if not path.is_file():
        raise GraphMissingError(f"{path} does not exist; run 'peacegraph build' first")
    url = store_url(endpoint, graph)
    total = path.stat().st_size
    ends = time.monotonic() + timeout
    sent = triples = chunks = 0
    status = 0
    with progress.bar(f"batches of {path.name}", total) as advance:
        for first, lines in batches(path, size):
            chunks += 1
            method = "PUT" if replace and chunks == 1 else "POST"
            body = b"".join(lines)
            where = f"batch {chunks} (lines {first}-{first + len(lines) - 1} of {path.name})"
            held = (
                "the store holds nothing of this upload"
                if chunks == 1
                else f"the store holds batches 1-{chunks - 1} (lines 1-{first - 1}){' in place of what it held' if replace else ''}; publish again"
            )
            remaining = ends - time.monotonic()
            if remaining <= 0:
                raise RemoteError(f"{method} {url}: the upload ran past its {timeout:g} s before {where}; {held}")

            def too_slow(method=method, where=where) -> RemoteError:
                return RemoteError(f"{method} {url}: {where} did not finish within the {timeout:g} s; it may or may not be stored")

            try:
                status, reason, location, detail = in_child(
                    _send_batch, (method, url, body, remaining, user, password), remaining, too_slow
                )
            except RemoteError as err:
                if "did not finish within" in str(err):
                    raise
                raise RemoteError(f"{method} {url}: {where}: {err}; {held}") from None
            if status not in STORED:
                shown_status = f"HTTP {status} {reason}" + (f", redirecting to {location}; not followed" if 300 <= status < 400 else "")
                raise RemoteError(f"{method} {url}: {where} answered {shown_status}: {detail}; {held}")
            sent += len(body)
            triples += len(lines)
            advance(len(body))
    return PublishReport(url, "PUT+POST" if replace else "POST", sent, status, [path.name], chunks, triples)


def _send_batch(method: str, url: str, body: bytes, timeout: float, user: str | None, password: str | None) -> tuple[int, str, str, str]:
    """In the deadline's child: one batch, as (status, reason, location, detail) strings safe to print."""
    handlers: tuple = ()
    if user:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, url, user, password or "")
        handlers = (urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager))
    answer = send(method, url, body, {"Content-Type": "application/n-triples"}, ANSWER_BYTES, timeout, handlers, truncate=True)
    return answer.status, shown(answer.reason, 60), shown(answer.headers.get("Location") or "nowhere", 300), answer.detail()
