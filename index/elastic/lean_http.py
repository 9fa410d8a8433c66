"""The client's HTTP to a plain-http cluster: keep-alive sockets and httptools' C parser instead of urllib3.

Every search of the API is one or two HTTP round trips to the cluster, and the client's default
connection (urllib3 over http.client) spent more of the API's CPU on each round trip than the
search's own Python work: a pool checkout, a Retry and a Timeout object, a socket file, the status
line and headers parsed by http.client and the email package, urllib3's response wrapper.
`LeanHttpConnection` is that connection (Urllib3HttpConnection, same arguments, same answers, same
exceptions and logging) with the round trip done on a raw socket: the request written in one send,
the answer parsed by httptools (llhttp, the parser uvicorn already uses; Content-Length, chunked or
until close). What it does not do itself it hands to urllib3 as before: https, compression, HEAD
(whose answer has a length but no body), a path that is not plain ASCII and a body that is not bytes.

As urllib3 does: idle sockets are kept (up to `maxsize`, the last used first) and one found readable
or closed when taken is dropped; a socket that failed or that the answer says not to keep is closed;
an error before an answer is a ConnectionError (a send that times out too: urllib3 makes it a
ProtocolError), a read that times out a ConnectionTimeout (the transport's own retry rules then
apply); the answer is decoded to str (surrogatepass) unless it is a vector tile; a status outside
2xx and not ignored raises the client's error for it.
"""

from __future__ import annotations

import socket
import threading
import time
import weakref
from typing import Any
from urllib.parse import urlencode

import httptools
from elasticsearch.connection import Urllib3HttpConnection
from elasticsearch.exceptions import ConnectionError as EsConnectionError
from elasticsearch.exceptions import ConnectionTimeout
from urllib3.util.wait import wait_for_read

_CHUNK = 65_536
_TILE = "application/vnd.mapbox-vector-tile"


class _Answer:
    """httptools' callbacks: status, headers and body of one response."""

    def __init__(self) -> None:
        self.headers: list[tuple[str, str]] = []
        self.body: list[bytes] = []
        self.done = False
        self.headers_done = False
        self.keep_alive = False
        self.parser: Any = None

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.decode("latin-1").lower(), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.headers_done = True
        self.keep_alive = self.parser.should_keep_alive()  # after the message llhttp no longer says

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.done = True


class _ReadTimeout(Exception):
    """The answer did not come within the timeout (a ConnectionTimeout, as urllib3's ReadTimeoutError)."""


class LeanHttpConnection(Urllib3HttpConnection):  # type: ignore[misc]  # the client's classes are untyped
    """Urllib3HttpConnection whose plain-http GET/POST/PUT/DELETE go over kept sockets parsed by httptools."""

    def __init__(self, host: str = "localhost", port: int | None = None, maxsize: int = 10, **kwargs: Any):
        super().__init__(host=host, port=port, maxsize=maxsize, **kwargs)
        self._lean = not self.use_ssl and not self.http_compress
        self._maxsize = maxsize
        self._idle: list[socket.socket] = []
        self._lock = threading.Lock()
        weakref.finalize(self, _close_all, self._idle, self._lock)  # as urllib3's pool: closed when collected
        host_header = f"[{self.hostname}]" if ":" in self.hostname else self.hostname
        self._host_line = f"Host: {host_header}:{self.port}\r\n"

    def perform_request(self, method: str, url: str, params: Any = None, body: bytes | None = None,
                        timeout: float | None = None, ignore: Any = (), headers: Any = None) -> Any:
        path = self.url_prefix + url
        if params:
            path = f"{path}?{urlencode(params)}"
        if (not self._lean or method not in ("GET", "POST", "PUT", "DELETE") or not _plain(path)
                or not (body is None or isinstance(body, bytes))):  # the transport sends bytes; anything else as before
            return super().perform_request(method, url, params, body, timeout=timeout, ignore=ignore,
                                           headers=headers)
        full_url = self.host + path
        start = time.time()
        try:
            status, answer = self._exchange(method, path, body, headers, timeout or self.timeout)
            raw = b"".join(answer.body)
            response_headers = dict(answer.headers)  # a repeated header: the last (urllib3's items() gave each)
            duration = time.time() - start
            raw_data: Any = raw
            if response_headers.get("content-type", "") != _TILE:
                raw_data = raw.decode("utf-8", "surrogatepass")
        except Exception as e:
            self.log_request_fail(method, full_url, path, body, time.time() - start, exception=e)
            if isinstance(e, _ReadTimeout):
                raise ConnectionTimeout("TIMEOUT", str(e), e) from e
            raise EsConnectionError("N/A", str(e), e) from e
        self._raise_warnings([v for k, v in answer.headers if k == "warning"])
        if not (200 <= status < 300) and status not in ignore:
            self.log_request_fail(method, full_url, path, body, duration, status, raw_data)
            self._raise_error(status, raw_data)
        self.log_request_success(method, full_url, path, body, status, raw_data, duration)
        return status, response_headers, raw_data

    def _exchange(self, method: str, path: str, body: bytes | None, headers: Any, timeout: float | None
                  ) -> tuple[int, _Answer]:
        """Send the request and read its answer on a kept or new socket; the socket is kept after unless
        the answer says otherwise or anything failed."""
        fields = dict(self.headers)
        fields.update({str(k).lower(): str(v) for k, v in (headers or {}).items()})
        head = [f"{method} {path} HTTP/1.1\r\n", self._host_line]
        head += [f"{k}: {v}\r\n" for k, v in fields.items()]
        if body is not None or method in ("POST", "PUT"):
            head.append(f"content-length: {len(body or b'')}\r\n")
        head.append("\r\n")
        request = "".join(head).encode("latin-1") + (body or b"")
        sock = self._take(timeout)
        try:
            sock.settimeout(timeout)
            sock.sendall(request)
            answer = _Answer()
            parser = answer.parser = httptools.HttpResponseParser(answer)
            while not answer.done:
                try:
                    data = sock.recv(_CHUNK)
                except TimeoutError as e:
                    raise _ReadTimeout(f"read timed out ({timeout} s)") from e
                if not data:
                    if answer.headers_done and _until_close(answer.headers):
                        break
                    raise ConnectionResetError("the cluster closed the connection before a whole answer")
                parser.feed_data(data)
            status = parser.get_status_code()
            keep = answer.done and answer.keep_alive
        except BaseException:
            sock.close()
            raise
        if keep:
            self._give_back(sock)
        else:
            sock.close()
        return status, answer

    def _take(self, timeout: float | None) -> socket.socket:
        """An idle socket that is still open (the most recently used), or a new one."""
        while True:
            with self._lock:
                sock = self._idle.pop() if self._idle else None
            if sock is None:
                break
            if not _dropped(sock):
                return sock
            sock.close()
        sock = socket.create_connection((self.hostname, self.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def _give_back(self, sock: socket.socket) -> None:
        with self._lock:
            if len(self._idle) < self._maxsize:
                self._idle.append(sock)
                return
        sock.close()

    def close(self) -> None:
        _close_all(self._idle, self._lock)
        self.pool.close()  # urllib3's, for what went through it


def _close_all(idle: list[socket.socket], lock: threading.Lock) -> None:
    with lock:
        socks = idle[:]
        idle.clear()
    for sock in socks:
        sock.close()


def _plain(path: str) -> bool:
    """A path to send as it is: printable ASCII without spaces (anything else goes through urllib3)."""
    return path.isascii() and path.isprintable() and " " not in path


def _until_close(headers: list[tuple[str, str]]) -> bool:
    """An answer with neither a length nor chunks: its body ends when the connection does."""
    names = {k for k, _ in headers}
    return "content-length" not in names and "transfer-encoding" not in names


def _dropped(sock: socket.socket) -> bool:
    """An idle socket with something to read (the peer closed it, or sent what nobody asked for): urllib3's
    own test (poll where there is one, else select)."""
    try:
        return bool(wait_for_read(sock, timeout=0.0))
    except (OSError, ValueError):
        return True


__all__ = ["LeanHttpConnection"]
