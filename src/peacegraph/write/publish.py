"""Publishing graph/ to a store through the SPARQL 1.1 Graph Store Protocol.

Success means HTTP 200, 201 or 204 from the URL that was asked. A redirect
is reported with its Location and never followed: urllib would turn the
upload into a body-less GET elsewhere and report that GET's 200. Only
http(s) URLs are accepted, and the whole exchange runs under one deadline.

The file is streamed from disk in blocks (with a progress bar on a
terminal), so publishing 100 times the seeds does not hold its 115 MB of
Turtle in memory; with --user it is read whole, because urllib sends the
body again after the store's authentication challenge.
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

    def __str__(self) -> str:
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
) -> PublishReport:
    """Send graph/peacegraph.ttl to a Graph Store Protocol endpoint (PUT replaces, POST merges)."""
    check_url(endpoint)
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
