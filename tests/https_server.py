"""A real HTTPS server on 127.0.0.1 for tests and the benchmark.

TLS uses a throwaway CA from ``trustme``; a client trusts it through
``SSL_CERT_FILE=<write_ca(...)>``. The OS picks the port (no fixed ports), every
request is recorded, and each path has a *responder*: a callable that receives the
request handler and writes the response. Factories for the usual responders
(a file with ETag, a status, a redirect, a server that hangs, trickles, breaks
off or streams a huge body) are below.

    with HTTPSServer() as server:
        server.route("/a.pdf", serve_file(pdf_bytes(1000), etag='"v1"'))
        ca_file = server.write_ca(tmp_path / "ca.pem")
        ...  # request server.url("/a.pdf") with SSL_CERT_FILE=ca_file
"""

from __future__ import annotations

import hashlib
import ssl
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import trustme

Responder = Callable[["Handler"], None]
# What a write raises when the client went away (closed, killed, timed out).
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLError, TimeoutError)
SEND_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names


class HTTPSServer:
    def __init__(self) -> None:
        self.ca = trustme.CA()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.routes: dict[str, Responder] = {}
        self.requests: list[Request] = []
        self.bytes_sent: dict[str, int] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(self, context)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="https-test-server", daemon=True)

    # -- lifecycle
    def start(self) -> "HTTPSServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # releases responders that hang or stall
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "HTTPSServer":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- configuration
    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def write_ca(self, path: Path) -> Path:
        """Write the CA certificate (PEM) that clients must trust."""
        self.ca.cert_pem.write_to_path(str(path))
        return path

    def route(self, path: str, responder: Responder) -> None:
        self.routes[path] = responder

    # -- observations
    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [request for request in self.requests if request.path.split("?", 1)[0] == path]

    def sent(self, path: str) -> int:
        """Body bytes the server managed to hand to the kernel for this path."""
        with self._lock:
            return self.bytes_sent.get(path, 0)

    def _record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def _count_sent(self, path: str, count: int) -> None:
        with self._lock:
            self.bytes_sent[path] = self.bytes_sent.get(path, 0) + count


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stalled handler threads must not block stop()

    def __init__(self, owner: HTTPSServer, context: ssl.SSLContext):
        self.owner = owner
        self.context = context
        super().__init__(("127.0.0.1", 0), Handler)

    def get_request(self):
        sock, address = super().get_request()
        # Handshake later, in the handler thread, so a slow client cannot block accept().
        return self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), address

    def handle_error(self, request, client_address) -> None:
        pass  # clients that vanish mid-handshake or mid-body are what the tests provoke


class Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"  # one request per connection; a body may end at connection close
    timeout = 30  # server-side limit per socket operation, so no handler thread lives forever

    def setup(self) -> None:
        self.request.settimeout(self.timeout)
        self.request.do_handshake()
        super().setup()

    @property
    def owner(self) -> HTTPSServer:
        return self.server.owner

    @property
    def route_path(self) -> str:
        return self.path.split("?", 1)[0]

    def do_GET(self) -> None:
        self.owner._record(Request("GET", self.path, {name.lower(): value for name, value in self.headers.items()}))
        responder = self.owner.routes.get(self.route_path, respond_status(404))
        try:
            responder(self)
        except CLIENT_GONE:
            self.close_connection = True

    def send_head(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def send_body(self, data: bytes) -> None:
        """Write body bytes and count them as sent (only once the write returned)."""
        view = memoryview(data)
        for start in range(0, len(view), SEND_CHUNK):
            piece = view[start:start + SEND_CHUNK]
            self.wfile.write(piece)
            self.owner._count_sent(self.route_path, len(piece))

    def wait(self, seconds: float | None = None) -> bool:
        """Sleep; returns True early when the server stops."""
        return self.owner.stopping.wait(seconds)

    def log_message(self, format: str, *args) -> None:
        pass  # keep test output clean


# --- bodies -------------------------------------------------------------------------------------


def pdf_parts(total: int, seed: str = "", pages: int = 1, created: str | None = None,
              objects: list[bytes] | None = None) -> tuple[bytes, int, bytes]:
    """A real PDF of exactly ``total`` bytes as (head, filler length, tail).

    The document has ``pages`` empty A4 pages (or the given ``objects``, numbered from 1,
    object 1 the catalog), an optional ``/CreationDate`` (``created``: "20190226120000"),
    and one unreferenced stream object whose filler bytes (derived from ``seed``) make up
    the size; head + filler + tail is the file, with a correct xref table and %%EOF.
    """
    if objects is None:
        kids = " ".join(f"{3 + number} 0 R" for number in range(pages))
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
                   f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
                   *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages]
    objects = list(objects)
    info = ""
    if created:
        objects.append(f"<< /CreationDate (D:{created}) /Producer (tests) >>".encode())
        info = f" /Info {len(objects)} 0 R"
    filler_number = len(objects) + 1
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n%" + seed.encode() + b"\n"
    body = bytearray(header)
    offsets = []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    offsets.append(len(body))

    def layout(filler: int) -> tuple[bytes, bytes]:
        head = bytes(body) + f"{filler_number} 0 obj\n<< /Length {filler} >>\nstream\n".encode()
        end_of_stream = b"\nendstream\nendobj\n"
        xref_offset = len(head) + filler + len(end_of_stream)
        xref = (f"xref\n0 {filler_number + 1}\n0000000000 65535 f \n"
                + "".join(f"{offset:010d} 00000 n \n" for offset in offsets))
        trailer = f"trailer\n<< /Size {filler_number + 1} /Root 1 0 R{info} >>\nstartxref\n{xref_offset}\n%%EOF\n"
        return head, end_of_stream + (xref + trailer).encode()

    filler = 0
    for _ in range(8):  # the lengths' digit counts settle after two or three rounds
        head, tail = layout(filler)
        needed = total - len(head) - len(tail)
        if needed < 0:
            raise ValueError(f"a PDF with this content needs more than {total} bytes")
        if needed == filler:
            return head, filler, tail
        filler = needed
    raise ValueError(f"no PDF layout of exactly {total} bytes")


def _filler(seed: str, length: int):
    block = (hashlib.sha256(seed.encode()).digest() * 8192)[:SEND_CHUNK * 4]
    while length > 0:
        piece = block[:length]
        length -= len(piece)
        yield piece


def pdf_bytes(size: int, seed: str = "", pages: int = 1, created: str | None = None,
              objects: list[bytes] | None = None) -> bytes:
    """A deterministic, valid PDF of exactly ``size`` bytes (see pdf_parts)."""
    head, filler, tail = pdf_parts(size, seed, pages, created, objects)
    return head + b"".join(_filler(seed, filler)) + tail


def pdf_stream(total: int, seed: str = "", pages: int = 1):
    """The same PDF generated piece by piece, for bodies too big to hold in memory."""
    head, filler, tail = pdf_parts(total, seed, pages)
    yield head
    yield from _filler(seed, filler)
    yield tail


# --- responders ---------------------------------------------------------------------------------


def serve_file(body: bytes, *, etag: str | None = None, last_modified: str | None = None,
               content_type: str = "application/pdf") -> Responder:
    """A file that honours If-None-Match / If-Modified-Since with 304 Not Modified."""
    def respond(handler: Handler) -> None:
        validators = {name: value for name, value in (("ETag", etag), ("Last-Modified", last_modified)) if value}
        if_none_match = handler.headers.get("If-None-Match")
        if_modified_since = handler.headers.get("If-Modified-Since")
        if (etag and if_none_match == etag) or (not if_none_match and last_modified
                                                and if_modified_since == last_modified):
            handler.send_head(304, validators)
            return
        handler.send_head(200, {"Content-Type": content_type, "Content-Length": str(len(body)), **validators})
        handler.send_body(body)
    return respond


def respond_status(status: int, body: bytes = b"<!DOCTYPE html><html><body>Fehler</body></html>",
                   content_type: str = "text/html") -> Responder:
    def respond(handler: Handler) -> None:
        handler.send_head(status, {"Content-Type": content_type, "Content-Length": str(len(body))})
        handler.send_body(body)
    return respond


def redirect(location: str, status: int = 302) -> Responder:
    def respond(handler: Handler) -> None:
        handler.send_head(status, {"Location": location, "Content-Length": "0"})
    return respond


def hang() -> Responder:
    """Read the request, never answer (until the server stops)."""
    def respond(handler: Handler) -> None:
        handler.wait()
    return respond


def trickle(first: bytes, declared_length: int, interval: float = 0.1) -> Responder:
    """Send ``first`` at once, then one byte per interval: each read is quick, the whole never ends."""
    def respond(handler: Handler) -> None:
        handler.send_head(200, {"Content-Type": "application/pdf", "Content-Length": str(declared_length)})
        handler.send_body(first)
        for _ in range(declared_length - len(first)):
            if handler.wait(interval):
                return
            handler.send_body(b"x")
    return respond


def truncated(body: bytes, declared_length: int) -> Responder:
    """Announce more bytes than are sent, then close the connection."""
    def respond(handler: Handler) -> None:
        handler.send_head(200, {"Content-Type": "application/pdf", "Content-Length": str(declared_length)})
        handler.send_body(body)
    return respond


def stall_after(body: bytes, sent_part: int) -> Responder:
    """Announce the full body, send ``sent_part`` bytes of it, then stall until the server stops."""
    def respond(handler: Handler) -> None:
        handler.send_head(200, {"Content-Type": "application/pdf", "Content-Length": str(len(body))})
        handler.send_body(body[:sent_part])
        handler.wait()
    return respond


def stream_pdf(total: int, *, declare_length: bool = True, seed: str = "") -> Responder:
    """A huge PDF-like body generated on the fly (never held in memory)."""
    def respond(handler: Handler) -> None:
        headers = {"Content-Type": "application/pdf"}
        if declare_length:
            headers["Content-Length"] = str(total)
        handler.send_head(200, headers)
        for piece in pdf_stream(total, seed):
            if handler.owner.stopping.is_set():
                return
            handler.send_body(piece)
    return respond


def respond_with(body: bytes, headers: dict[str, str] | list[tuple[str, str]], status: int = 200) -> Responder:
    """Exactly these headers (a list allows repeated names) and this body, then close the connection."""
    def respond(handler: Handler) -> None:
        handler.send_response(status)
        for name, value in (headers.items() if isinstance(headers, dict) else headers):
            handler.send_header(name, value)
        handler.end_headers()
        handler.send_body(body)
    return respond


def close_early(body: bytes, sent_part: int) -> Responder:
    """No Content-Length: send the first ``sent_part`` bytes, then close as if the body had ended."""
    return respond_with(body[:sent_part], {"Content-Type": "application/pdf"})


def chunked_cut_off(body: bytes, sent_part: int) -> Responder:
    """Transfer-Encoding: chunked, but the connection closes before the last (empty) chunk."""
    def respond(handler: Handler) -> None:
        handler.send_head(200, {"Content-Type": "application/pdf", "Transfer-Encoding": "chunked"})
        for start in range(0, sent_part, 4096):
            piece = body[start:min(start + 4096, sent_part)]
            handler.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    return respond


def keep_open_after(body: bytes) -> Responder:
    """A correct Content-Length response, but the server keeps the connection open afterwards."""
    def respond(handler: Handler) -> None:
        handler.send_head(200, {"Content-Type": "application/pdf", "Content-Length": str(len(body))})
        handler.send_body(body)
        handler.wfile.flush()
        handler.wait(5)
    return respond


def header_value(text: str) -> str:
    """A header value that goes over the wire as the UTF-8 bytes of ``text`` (send_header encodes Latin-1)."""
    return text.encode("utf-8").decode("latin-1")
