"""A small fault-injecting HTTP server of the tests' own, on 127.0.0.1.

It speaks raw bytes over TCP, so it can answer what no well-behaved server
would: a bad status line, 101 headers, a header line over 64 KB, a body cut
short, stalled or trickled one byte at a time, redirects, and malformed
SPARQL JSON of every shape. Each path is one fault; ``FaultServer.script``
maps extra paths to raw answers (the fuzz campaign puts generated ones there)
and ``FaultServer.requests`` records what arrived (method, path, headers, body).
PUT and POST are answered the same way as GET, for publish.
"""

from __future__ import annotations

import json
import socket
import socketserver
import threading
import time
from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

RESULTS = "application/sparql-results+json"


def http(status: str, body: bytes, content_type: str = RESULTS, extra: list[str] | None = None) -> bytes:
    """A complete HTTP/1.1 answer with a Content-Length."""
    head = [f"HTTP/1.1 {status}", f"Content-Type: {content_type}", f"Content-Length: {len(body)}", "Connection: close", *(extra or [])]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def results(variables: list, bindings) -> bytes:
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode()


ROW = {"x": {"type": "literal", "value": "fine"}}

#: path -> raw answer (bytes), for the faults that are one fixed answer.
ANSWERS: dict[str, bytes] = {
    "/error500": http("500 Internal Server Error", b"Internal failure: the store is on fire", "text/plain"),
    "/error400": http("400 Bad Request", b"Parse error: unexpected token near UNION", "text/plain"),
    "/badjson": http("200 OK", b'{"head": {"vars": ["x"]}, "results": {"bindings": [ {'),
    "/wrongjson": http("200 OK", b'{"hello": "world"}'),
    "/html": http("200 OK", b"<!DOCTYPE html><html><body><h1>Welcome to our portal</h1></body></html>", "text/html"),
    "/ok": http("200 OK", results(["x"], [])),
    "/one-row": http("200 OK", results(["x"], [ROW])),
    "/created": http("201 Created", b""),
    "/no-content": http("204 No Content", b""),
    "/accepted": http("202 Accepted", b"queued, maybe"),
    "/deep-json": http("200 OK", b"[" * 200_000 + b"]" * 200_000),
    "/bindings-object": http("200 OK", b'{"head": {"vars": ["x"]}, "results": {"bindings": {"x": 1}}}'),
    "/value-int": http("200 OK", results(["x"], [{"x": {"type": "literal", "value": 123}}])),
    "/value-null": http("200 OK", results(["x"], [{"x": {"type": "literal", "value": None}}])),
    "/value-nan": http("200 OK", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": NaN}}]}}'),
    "/vars-numbers": http("200 OK", results([1, 2], [])),
    "/type-unknown": http("200 OK", results(["x"], [{"x": {"type": "spaceship", "value": "v"}}])),
    "/lone-surrogate": http(
        "200 OK", b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "\\ud800"}}]}}'
    ),
    "/boolean-false-string": http("200 OK", b'{"head": {}, "boolean": "false"}'),
    "/boolean-false": http("200 OK", b'{"head": {}, "boolean": false}'),
    "/terminal-escape": http("200 OK", results(["x"], [{"x": {"type": "literal", "value": "red \x1b[31mALERT\x1b[0m \x07\x9b2J done"}}])),
    "/escape-var": http("200 OK", results(["x\x1b[2J"], [])),
    "/no-entity": http("200 OK", results(["x"], [ROW])),
    "/bad-status-line": b"HELLO THERE\r\n\r\n",
    "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(101)) + b"\r\n",
    "/long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
    "/truncated": b"HTTP/1.1 200 OK\r\nContent-Type: " + RESULTS.encode() + b"\r\nContent-Length: 1000\r\n\r\n" + results(["x"], [])[:20],
    "/turtle": http("200 OK", b"<http://e/a> <http://e/b> <http://e/c> .\n", "text/turtle"),
    "/turtle-bad": http("200 OK", b"<http://e/a> <http://e/b> ", "text/turtle"),
}


class FaultServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: dict[str, bytes] = {}
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.base = f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        sock: socket.socket = self.request
        sock.settimeout(10)
        try:
            method, target, headers, body = _read_request(sock)
        except (OSError, ValueError):
            return
        server: FaultServer = self.server  # type: ignore[assignment]
        server.requests.append((method, target, headers, body))
        path = urlsplit(target).path
        query = parse_qs(urlsplit(target).query)
        try:
            _answer(sock, server, path, query)
        except OSError:
            pass
        finally:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _read_request(sock: socket.socket) -> tuple[str, str, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ValueError("closed")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        key, _, value = line.partition(":")
        headers[key.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return method, target, headers, rest


def _answer(sock: socket.socket, server: FaultServer, path: str, query: dict[str, list[str]]) -> None:
    if path in server.script:
        sock.sendall(server.script[path])
    elif path in ANSWERS:
        sock.sendall(ANSWERS[path])
    elif path.startswith("/redirect"):
        code = path.removeprefix("/redirect") or "302"
        location = query.get("to", [server.base + "/one-row"])[0]
        sock.sendall(http(f"{code} Moved", b"", "text/plain", [f"Location: {location}"]))
    elif path == "/slow":
        time.sleep(5)
        sock.sendall(ANSWERS["/ok"])
    elif path == "/trickle-headers":
        # One byte every half second: each read succeeds, so only a total deadline stops it.
        for byte in ANSWERS["/ok"]:
            sock.sendall(bytes([byte]))
            time.sleep(0.5)
    elif path == "/trickle-body":
        answer = ANSWERS["/ok"]
        head_end = answer.index(b"\r\n\r\n") + 4
        sock.sendall(answer[:head_end])
        for byte in answer[head_end:]:
            sock.sendall(bytes([byte]))
            time.sleep(0.5)
    elif path == "/stalled-body":
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + RESULTS.encode() + b"\r\nContent-Length: 1000\r\n\r\n{")
        time.sleep(30)
    elif path == "/huge":
        # An endless JSON string, as fast as the client reads it.
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + RESULTS.encode() + b"\r\n\r\n" + b'{"head": {"vars": ["x"]}, "x": "')
        block = b"a" * 65536
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sock.sendall(block)
    elif path == "/fail-after":
        # Publish in batches: the first n requests are stored, the ones after fail.
        done = sum(1 for r in server.requests if urlsplit(r[1]).path == path)
        if done <= int(query.get("n", ["1"])[0]):
            sock.sendall(ANSWERS["/created"])
        else:
            sock.sendall(http("500 Internal Server Error", b"disk full", "text/plain"))
    elif path == "/many-rows":
        count = int(query.get("n", ["1000"])[0])
        sock.sendall(http("200 OK", results(["x"], [ROW] * count)))
    else:
        sock.sendall(http("404 Not Found", b"no such path", "text/plain"))


@contextmanager
def fault_server():
    """Yield the base URL of a running fault server."""
    with running_fault_server() as server:
        yield server.base


@contextmanager
def running_fault_server():
    """Yield the running FaultServer (its ``base`` URL, ``script`` and ``requests``)."""
    server = FaultServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


class Listener:
    """A TCP listener that counts connections: proof that nothing called out."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.hits = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.hits += 1
            conn.close()
