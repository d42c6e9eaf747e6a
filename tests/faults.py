"""A small fault-injecting HTTP server of the tests' own, on 127.0.0.1.

Each path answers with one kind of fault: /slow sleeps past the client's
timeout, /error500 and /error400 answer with a body, /badjson sends broken
JSON, /html sends a web page, /ok sends a valid empty SPARQL result. PUT and
POST are answered the same way, for publish.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RESPONSES = {
    "/error500": (500, "text/plain", b"Internal failure: the store is on fire"),
    "/error400": (400, "text/plain", b"Parse error: unexpected token near UNION"),
    "/badjson": (200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": [ {'),
    "/wrongjson": (200, "application/sparql-results+json", b'{"hello": "world"}'),
    "/html": (200, "text/html", b"<!DOCTYPE html><html><body><h1>Welcome to our portal</h1></body></html>"),
    "/ok": (200, "application/sparql-results+json", b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'),
}


class _Handler(BaseHTTPRequestHandler):
    slow_seconds = 5.0

    def log_message(self, *args):  # keep test output clean
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path.split("?", 1)[0]
        if path == "/slow":
            time.sleep(self.slow_seconds)
            path = "/ok"
        status, content_type, body = RESPONSES.get(path, (404, "text/plain", b"no such path"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = _answer


@contextmanager
def fault_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
