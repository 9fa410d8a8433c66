"""index/elastic/lean_http.py: the client's round trips without urllib3 answer as urllib3's did.

A small HTTP/1.1 server on loopback plays the cluster (offline): each test asks the same thing through
the client's own Urllib3HttpConnection and through LeanHttpConnection where both can answer.
"""

from __future__ import annotations

import gzip
import json
import select
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from elasticsearch.connection import Urllib3HttpConnection
from elasticsearch.exceptions import (
    ConnectionError as EsConnectionError,
)
from elasticsearch.exceptions import (
    ConnectionTimeout,
    ElasticsearchWarning,
    NotFoundError,
)

from index.elastic.connect import EsConfig, make_client
from index.elastic.lean_http import LeanHttpConnection
from index.elastic.serializer import OrjsonSerializer

PRODUCT = {"x-elastic-product": "Elasticsearch"}
SLOW_RELEASED = threading.Event()
INFO = {"version": {"number": "8.14.1", "build_flavor": "default"}, "tagline": "You Know, for Search"}


class Cluster(BaseHTTPRequestHandler):
    """Answers by path; records what it was sent and on which connection."""

    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, str, dict[str, str], bytes, int]] = []
    connections = 0

    def setup(self) -> None:
        type(self).connections += 1
        self.number = type(self).connections
        super().setup()

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None, chunked: bool = False) -> None:
        self.send_response(status)
        for k, v in {**PRODUCT, "content-type": "application/json; charset=UTF-8", **(headers or {})}.items():
            self.send_header(k, v)
        if chunked:
            self.send_header("transfer-encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 7):
                piece = body[i:i + 7]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                self.number))
        path = self.path.split("?")[0]
        if path == "/":
            self._answer(200, json.dumps(INFO).encode())
        elif path == "/chunked/_search":
            self._answer(200, json.dumps({"hits": {"hits": [{"_source": {"t": "工作" * 50}}]}},
                                         ensure_ascii=False).encode(), chunked=True)
        elif path == "/warned/_search":
            self.send_response(200)
            for k, v in PRODUCT.items():
                self.send_header(k, v)
            self.send_header("warning", '299 Elasticsearch-8.14.1 "first"')
            self.send_header("warning", '299 Elasticsearch-8.14.1 "second"')
            self.send_header("x-twice", "a")
            self.send_header("x-twice", "b")
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"{}")
        elif path == "/close/_search":
            self._answer(200, b'{"closed": true}', {"connection": "close"})
            self.close_connection = True
        elif path == "/hangup/_search":  # closes after answering, without saying so (as an idle timeout would)
            self._answer(200, b'{"hangup": true}')
            self.close_connection = True
        elif path == "/slow/_search":  # answers once the test has seen the timeout
            SLOW_RELEASED.wait(30)
            self._answer(200, b"{}")
        elif path == "/cut/_search":
            self.send_response(200)
            self.send_header("content-length", "100")
            self.end_headers()
            self.wfile.write(b'{"half":')
            self.close_connection = True
        elif path == "/missing/_search":
            self._answer(404, json.dumps({"error": {"type": "index_not_found_exception"}, "status": 404}).encode())
        else:
            self._answer(200, json.dumps({"method": self.command, "path": self.path,
                                          "body": body.decode()}, ensure_ascii=False).encode())

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def do_HEAD(self) -> None:
        type(self).seen.append(("HEAD", self.path, {}, b"", self.number))
        self.send_response(200)
        self.send_header("content-length", "42")
        for k, v in PRODUCT.items():
            self.send_header(k, v)
        self.end_headers()


@pytest.fixture
def cluster() -> Iterator[str]:
    Cluster.seen, Cluster.connections = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Cluster)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def client(url: str, lean: bool = True, **kwargs: Any) -> Elasticsearch:
    return Elasticsearch(url, timeout=kwargs.pop("timeout", 5), max_retries=0, serializer=OrjsonSerializer(),
                         connection_class=LeanHttpConnection if lean else Urllib3HttpConnection, **kwargs)


def test_the_backend_client_uses_it() -> None:
    es = make_client(EsConfig(url="http://127.0.0.1:9"))
    assert all(isinstance(c, LeanHttpConnection) for c in es.transport.connection_pool.connections)


def test_answers_are_those_urllib3_gave(cluster: str) -> None:
    for lean in (False, True):
        es = client(cluster, lean)
        assert es.info() == INFO
        body = [{"index": "p"}, {"query": {"match_phrase": {"search": "工作"}}}]
        answer = es.msearch(body=body, params={"max_concurrent_searches": 2})
        assert answer["method"] == "POST" and answer["path"] == "/_msearch?max_concurrent_searches=2"
        assert [json.loads(line) for line in answer["body"].splitlines()] == body
        assert es.search(index="chunked", size=1)["hits"]["hits"][0]["_source"]["t"] == "工作" * 50
        assert es.indices.exists(index="any") is True  # HEAD: urllib3's, both ways
    sent = [(m, p, h.get("content-type"), h.get("user-agent"), b) for m, p, h, b, _ in Cluster.seen]
    half = len(sent) // 2
    assert sent[:half] == sent[half:]  # the same requests, header for header where the cluster reads them


def test_errors_warnings_and_joined_headers_as_urllib3(cluster: str) -> None:
    for lean in (False, True):
        es = client(cluster, lean)
        with pytest.raises(NotFoundError) as raised:
            es.search(index="missing")
        assert raised.value.error == "index_not_found_exception" and raised.value.info["status"] == 404
        assert es.search(index="missing", ignore=404)["status"] == 404
        with pytest.warns(ElasticsearchWarning) as warned:
            es.search(index="warned")
        assert [str(w.message) for w in warned] == ["first", "second"]
        connection = es.transport.connection_pool.connections[0]
        with pytest.warns(ElasticsearchWarning):
            status, headers, data = connection.perform_request("GET", "/warned/_search")
        assert (status, headers["x-twice"], data) == (200, "b", "{}")


def test_one_socket_is_kept_for_the_next_requests(cluster: str) -> None:
    es = client(cluster)
    for _ in range(5):
        es.info()
    assert {n for *_, n in Cluster.seen} == {1}


def test_an_answer_with_connection_close_is_not_kept(cluster: str) -> None:
    es = client(cluster)
    assert es.search(index="close") == {"closed": True}
    es.info()
    assert [n for *_, n in Cluster.seen] == [1, 1, 2]  # product check and close on one socket, then a new one


def test_a_socket_the_cluster_closed_while_idle_is_replaced(cluster: str) -> None:
    es = client(cluster)
    assert es.search(index="hangup") == {"hangup": True}
    idle = es.transport.connection_pool.connections[0]._idle
    assert len(idle) == 1  # kept: the answer did not say close
    assert select.select([idle[0]], [], [], 30)[0]  # the cluster's close has reached it (no fixed sleep)
    assert es.info() == INFO
    assert [n for *_, n in Cluster.seen] == [1, 1, 2]


def test_a_slow_answer_is_a_timeout_and_a_refused_connection_a_connection_error(cluster: str) -> None:
    es = client(cluster)
    es.info()
    SLOW_RELEASED.clear()
    try:
        with pytest.raises(ConnectionTimeout):
            es.search(index="slow", request_timeout=0.2)
    finally:
        SLOW_RELEASED.set()
    assert es.info() == INFO  # the timed-out socket was dropped, a new one answers
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(EsConnectionError) as raised:
        client(f"http://127.0.0.1:{port}").info()
    assert not isinstance(raised.value, ConnectionTimeout)


def test_an_answer_cut_short_is_a_connection_error(cluster: str) -> None:
    es = client(cluster)
    es.info()
    with pytest.raises(EsConnectionError):
        es.search(index="cut")
    assert es.info() == INFO


def test_https_goes_through_urllib3_and_speaks_tls() -> None:
    """An https connection's first bytes are a TLS handshake record (urllib3's), not a plain request line."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        first: list[bytes] = []

        def accept_one() -> None:
            conn, _ = server.accept()
            with conn:
                conn.settimeout(30)
                first.append(conn.recv(16))

        reader = threading.Thread(target=accept_one, daemon=True)
        reader.start()
        connection = LeanHttpConnection("127.0.0.1", server.getsockname()[1], use_ssl=True, verify_certs=False,
                                        ssl_show_warn=False, timeout=30)
        with pytest.raises(EsConnectionError):  # the "server" closes without a handshake
            connection.perform_request("GET", "/")
        reader.join(60)
        assert not reader.is_alive()  # it has read what came first
        connection.close()
    assert first and first[0][:1] == b"\x16"  # TLS record type 22: handshake (ClientHello)


def test_compression_goes_through_urllib3_which_gzips_the_body(cluster: str) -> None:
    port = int(cluster.rsplit(":", 1)[1])
    for compress in (True, False):
        connection = LeanHttpConnection("127.0.0.1", port, http_compress=compress)
        connection.perform_request("POST", "/", body=b'{"q": 1}')  # "/" does not decode what it is sent
        connection.close()
    (_, _, zipped_headers, zipped, _), (_, _, plain_headers, plain, _) = Cluster.seen
    assert zipped_headers.get("content-encoding") == "gzip" and gzip.decompress(zipped) == b'{"q": 1}'
    assert "content-encoding" not in plain_headers and plain == b'{"q": 1}'


def test_a_send_that_times_out_is_a_connection_error_as_with_urllib3() -> None:
    with socket.socket() as server:  # accepts, never reads: a big body fills the buffers and the send waits
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"http://127.0.0.1:{server.getsockname()[1]}"
        big = b"x" * (64 << 20)
        for cls in (Urllib3HttpConnection, LeanHttpConnection):
            connection = cls("127.0.0.1", server.getsockname()[1], timeout=0.3)
            with pytest.raises(EsConnectionError) as raised:
                connection.perform_request("POST", "/_bulk", body=big)
            assert not isinstance(raised.value, ConnectionTimeout), (cls, url)
            connection.close()


def test_a_str_body_goes_through_urllib3_as_before(cluster: str) -> None:
    connection = LeanHttpConnection("127.0.0.1", int(cluster.rsplit(":", 1)[1]))
    status, _, data = connection.perform_request("POST", "/echo/_search", body='{"q": "工作"}')
    assert status == 200 and json.loads(json.loads(data)["body"]) == {"q": "工作"}
    connection.close()
