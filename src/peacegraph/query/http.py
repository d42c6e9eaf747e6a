"""HTTP for remote endpoints and publish: http(s) only, redirects reported and never followed, answers capped.

A redirect is reported with its Location instead of followed: urllib would
turn a redirected POST or PUT into a body-less GET elsewhere (and report
that GET's success), and a query's rows would silently come from another
server. Every failure of the network or of the HTTP exchange becomes one
``RemoteError`` line; what the server said is cut short and stripped of
control characters before it is shown. Run these calls inside
``limits.in_child`` for a total deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from peacegraph.errors import PeacegraphError
from peacegraph.query.limits import too_many_bytes
from peacegraph.query.sparqltext import printable, shown  # noqa: F401 (shown: re-exported)

if TYPE_CHECKING:  # pragma: no cover
    from email.message import Message

# urllib.request, http.client and ssl are imported inside the functions that talk:
# together they cost ~40 ms, and the embedded query path never needs them.

USER_AGENT = "peacegraph/0.1 (+https://w3id.org/peacegraph)"
#: Bytes of an error answer kept to show in the message.
ERROR_BODY_BYTES = 65536


class RemoteError(PeacegraphError):
    """A remote endpoint could not be reached or gave an unusable answer.

    ``unsent`` is True when the request surely never reached the server
    (refused connection, unknown host), so an upload surely was not stored.
    """

    def __init__(self, message: str, unsent: bool = False):
        super().__init__(message)
        self.unsent = unsent


@dataclass
class Answer:
    """What a server answered: status, headers and the (capped) body."""

    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def detail(self, limit: int = 300) -> str:
        """The body as one printable line of at most ``limit`` characters."""
        return shown(self.body.decode("utf-8", "replace"), limit)


def check_url(url: str, what: str = "endpoint") -> str:
    """The URL if it is http(s) with a host, else RemoteError saying so.

    >>> check_url("data:,hello")
    Traceback (most recent call last):
    ...
    peacegraph.query.http.RemoteError: endpoint 'data:,hello' is not an http(s) URL; give one like http://127.0.0.1:7878/query
    """
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{what} {url!r} is not an http(s) URL; give one like http://127.0.0.1:7878/query")
    if port == 0 or any(ch in url for ch in "\r\n\t ") or printable(url) != url:
        raise RemoteError(f"{what} {url!r} is not a usable URL (bad port, spaces or control characters)")
    return url


def _no_redirect():
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None  # urllib then raises HTTPError for the 3xx, which send() returns as an Answer

    return NoRedirect()


def send(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    max_bytes: int,
    timeout: float,
    handlers: tuple = (),
    truncate: bool = False,
) -> Answer:
    """One HTTP exchange; never follows a redirect; raises RemoteError for anything but an answer.

    A body past ``max_bytes`` raises TooLarge, or is cut there if ``truncate``.
    """
    import socket
    import urllib.error
    import urllib.request

    check_url(url)
    request = urllib.request.Request(url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers})
    opener = urllib.request.build_opener(_no_redirect(), *handlers)
    try:
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as err:
            data = read_capped(err, ERROR_BODY_BYTES, url, truncate=True) if err.fp else b""
            return Answer(err.code, str(err.reason), err.headers, data)
        with response:
            data = read_capped(response, max_bytes, url, truncate)
            return Answer(response.status, str(response.reason), response.headers, data)
    except PeacegraphError:
        raise
    except Exception as err:
        root = err.reason if isinstance(err, urllib.error.URLError) and isinstance(err.reason, BaseException) else err
        raise RemoteError(failure(err, url, timeout), unsent=isinstance(root, (ConnectionRefusedError, socket.gaierror))) from None


def read_capped(response, limit: int, url: str, truncate: bool = False) -> bytes:
    """At most ``limit`` bytes of the body; past it, TooLarge (or the first ``limit`` bytes if ``truncate``)."""
    import http.client

    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(min(65536, limit + 1 - size))
        if not chunk:
            remaining = getattr(response, "length", None)  # http.client counts down Content-Length but does not complain
            if remaining and not truncate:
                raise http.client.IncompleteRead(b"".join(chunks), remaining)
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            if truncate:
                return b"".join(chunks)[:limit]
            raise too_many_bytes(limit, f"the answer of {url}")


def failure(err: BaseException, url: str, timeout: float) -> str:
    """One line saying what went wrong talking to ``url``."""
    import http.client
    import socket
    import ssl
    import urllib.error

    if isinstance(err, urllib.error.URLError) and not isinstance(err, urllib.error.HTTPError):
        reason = err.reason
        err = reason if isinstance(reason, BaseException) else err
    if isinstance(err, (TimeoutError, socket.timeout)):
        return f"{url} did not answer within {timeout:g} s; try again or raise --timeout"
    if isinstance(err, http.client.RemoteDisconnected):
        return f"{url} closed the connection without answering"
    if isinstance(err, http.client.LineTooLong):
        return f"{url} answered a header line longer than 64 KB, which is refused"
    if isinstance(err, http.client.IncompleteRead):
        return f"the answer of {url} was cut off after {len(err.partial)} bytes"
    if isinstance(err, http.client.BadStatusLine):
        return f"{url} answered something that is not HTTP (status line {shown(str(err), 80)!r}); is this the right URL and port?"
    if isinstance(err, http.client.HTTPException) and "more than 100 headers" in str(err):
        return f"{url} answered with more than 100 header lines, which is refused"
    if isinstance(err, http.client.HTTPException):
        return f"{url} broke the HTTP exchange: {shown(str(err) or type(err).__name__, 200)}"
    if isinstance(err, ssl.SSLError):
        return f"TLS with {url} failed: {shown(str(err), 200)}"
    if isinstance(err, socket.gaierror):
        return f"cannot find the host of {url} ({shown(err.strerror or str(err), 100)}); check the URL"
    if isinstance(err, ConnectionRefusedError):
        return f"cannot reach {url}: connection refused; is the server running and the URL right?"
    if isinstance(err, OSError):
        return f"cannot reach {url}: {shown(err.strerror or str(err), 200)}"
    return f"talking to {url} failed: {type(err).__name__}: {shown(str(err), 200)}"
