"""A small HTTP server on 127.0.0.1 for tests of outbound fetches: plain files, redirects,
raw answers (any headers, e.g. a gzip bomb), and slow servers that drip their answer."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalWeb:
    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.drips: dict[str, tuple[float, bool, bytes]] = {}
        self.hits: list[str] = []
        self.stopping = threading.Event()
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                web.hits.append(self.path)
                if self.path in web.drips:
                    self.drip(*web.drips[self.path])
                    return
                status, headers, body = web.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the fetcher stopped reading (over its cap)
                    self.wfile.write(body)

            def drip(self, every: float, headers_too: bool, body: bytes):
                """One byte every `every` seconds: of the body, or from the status line on."""
                head = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                )
                if not headers_too:
                    self.wfile.write(head)
                    self.wfile.flush()
                slow = (head if headers_too else b"") + body
                try:
                    for byte in slow:
                        if web.stopping.wait(every):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                except OSError:
                    return  # the client gave up: that is the point

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def serve(self, path: str, body: bytes, content_type: str = "image/png") -> str:
        self.routes[path] = (200, {"Content-Type": content_type}, body)
        return self.url + path

    def serve_raw(self, path: str, status: int, headers: dict, body: bytes) -> str:
        self.routes[path] = (status, headers, body)
        return self.url + path

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = (302, {"Location": location}, b"")
        return self.url + path

    def drip(self, path: str, *, every: float = 1.0, headers_too: bool = False, size=100) -> str:
        """A page that arrives one byte every `every` seconds, never faster."""
        self.drips[path] = (every, headers_too, b"<title>slow</title>".ljust(size, b" "))
        return self.url + path

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


def start_web_server() -> LocalWeb:
    web = LocalWeb()
    web.thread.start()
    return web


def wait_for(condition, timeout: float = 10.0, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
