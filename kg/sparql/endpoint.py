"""A read-only SPARQL 1.1 Protocol endpoint with a query editor page.

``/sparql`` answers GET and POST (form-encoded or ``application/sparql-query``) with content
negotiation over the W3C result formats, so Yasgui, SPARQLWrapper, Jena and curl all work.
``/`` is the editor: Yasgui, served from the npm package `make editor` installs, preloaded with
the saved queries. A GET on ``/sparql`` with no query describes the service (a SPARQL 1.1 Service
Description, or for a browser a page on how to use it: :mod:`kg.sparql.service_description`), and
``/prefixes.json`` lists the prefixes a query may use undeclared (:data:`kg.graph.namespaces.QUERY_PREFIXES`).

Safety. Every query runs in a worker process (:mod:`kg.sparql.query_workers`) that cannot open a network
socket (:mod:`kg.sparql.sandbox`; the endpoint does not start where that cannot be arranged, unless
``sandbox=False``), so no request ever leaves the machine whatever a query says. The worker also
checks the query first (:mod:`kg.sparql.query_check`: no updates, ``LOAD``, ``SERVICE`` or ``FROM``) to
refuse such queries with a message, is killed at the time limit, caps its own memory and makes
the answer's bytes, which it sends in chunks after checking the row cap (``max_rows``) and the
answer's size (``max_answer_mb``): the HTTP process holds one chunk per answer, never a whole
answer. The HTTP side bounds everything a client controls: the request body (``max_body``,
413), the query text (``max_query``, 400), the request line and headers (the standard library's
65,536-byte line limit, 414 / 431), the number of open connections (``max_connections``, 503;
the listen backlog is at least as long, so a burst of connections is queued, not reset) and
time: a client has ``client_timeout`` seconds to send a whole request (line, headers and body,
however it trickles them in) and as long again to read an answer, so slow clients cannot hold
connections for ever. The Host header is parsed strictly (``host[:port]``, an IPv6 address only
in brackets). Updates are also refused by media type (``application/sparql-update``) and by
parameter (``update=``), before any parsing. CORS headers are sent only with ``cors=True``.

Errors. There is no standard SPARQL error document: Oxigraph and Fuseki answer ``text/plain``
with the message, QLever a JSON object whose ``exception`` member holds the message and whose
``status`` is ``"ERROR"``. We do both, by content negotiation:

* when the client's most preferred media type is ``application/json``, the body is
  ``application/json``::

      {"status": "ERROR", "kind": "timeout", "exception": "the query exceeded the time limit ..."}

* otherwise it is ``text/plain; charset=utf-8``: the message and a newline.

A client that asks for a results format (``application/sparql-results+json`` first, as Yasgui and
SPARQLWrapper do) gets the text: neither shape is a results document, and Yasgui shows an error
body as it comes, where a syntax error's caret line reads well as text and not as a JSON string.
A program that wants to branch on errors asks for ``application/json`` first (results still come
in the W3C formats: ``application/json`` means SPARQL JSON results, or JSON-LD for a graph).

``kind`` is a stable code a program can branch on; the HTTP status says the same in broader
terms: ``bad-request``, ``syntax``, ``query-too-long``, ``too-many-rows`` and
``answer-too-large`` (400), ``refused``
(403), ``not-found`` (404), ``method-not-allowed`` (405), ``not-acceptable`` (406),
``length-required`` (411), ``too-large`` (413), ``uri-too-long`` (414),
``unsupported-media-type`` (415), ``headers-too-large`` (431), ``internal`` (500),
``host`` (421: a Host name the server does not answer to, against DNS rebinding),
``not-implemented`` (501), ``timeout``, ``memory``, ``busy`` and ``too-many-connections`` (503).
Messages are written for people and never carry a traceback, a file path or a Python class
name; with ``log`` set, the server logs the details of internal failures instead.

The server is the standard library's threading HTTP server: the work is in the query workers,
and the stdlib keeps the dependency list short and auditable.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import QueryError, QueryLimitError, QueryRefused, SetupError
from ..graph.namespaces import QUERY_PREFIXES
from ..graph.pipeline import DEFAULT_CORPUS
from ..resources import YASGUI_MISSING, packaged
from .query_workers import (
    Answer,
    AnswerSpec,
    AnswerTooLarge,
    NotAcceptable,
    PoolBusy,
    QueryMemoryError,
    QueryTimeout,
    TooManyRows,
    WorkerFailed,
)
from .results import GRAPH_FORMATS, SELECT_FORMATS

# Media types we answer with, by what clients put in Accept.
SELECT_BY_MEDIA = {media: name for name, (_, media) in SELECT_FORMATS.items()}
SELECT_BY_MEDIA.update({"application/json": "json", "text/xml": "xml", "application/xml": "xml"})
GRAPH_BY_MEDIA = {media: name for name, (_, media) in GRAPH_FORMATS.items()}
GRAPH_BY_MEDIA.update({"application/x-turtle": "turtle", "application/json": "jsonld"})
FORMAT_NAMES = frozenset(SELECT_BY_MEDIA.values()) | frozenset(GRAPH_BY_MEDIA.values())


WEB_FILES = {"editor.js": "text/javascript", "editor.css": "text/css"}
YASGUI_FILES = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}
ALLOW = "GET, HEAD, POST, OPTIONS"

# What the standard library's parser rejects on its own (send_error), as kind and a better message.
_PROTOCOL_ERRORS = {
    HTTPStatus.BAD_REQUEST: ("bad-request", "malformed HTTP request"),
    HTTPStatus.REQUEST_URI_TOO_LONG: ("uri-too-long", "the request line is over 65,536 bytes; send "
                                      "long queries with POST (application/sparql-query)"),
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: ("headers-too-large", "too many or too long headers"),
    HTTPStatus.NOT_IMPLEMENTED: ("not-implemented", f"unsupported method; this server answers {ALLOW}"),
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: ("bad-request", "unsupported HTTP version; use HTTP/1.1"),
    HTTPStatus.REQUEST_TIMEOUT: ("bad-request", "the request was not sent in time"),
}


LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

# A Host header (RFC 9110 7.2, RFC 3986 3.2.2): a name or an IPv4 address, or an IPv6 address in
# brackets, then at most a port. Nothing else: no user info, path, second address or space.
_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?")
FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
LINGER_SECONDS = 2.0  # reading what a refused client still sends, so it reads our answer


@dataclass(frozen=True)
class EndpointConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0  # seconds per query
    max_rows: int = 10_000  # rows (or triples) per result
    workers: int = 2
    max_body: int = 1_000_000  # bytes of a request body
    max_query: int = 100_000  # characters of a query
    cors: bool = False
    yasgui_dir: Path | None = None
    query_memory_mb: int | None = 1024  # memory a worker may add while answering; None: no cap
    queue_wait: float | None = None  # seconds a request may wait for a free worker; None: timeout + 15
    max_connections: int = 64  # open connections; more are answered 503 at once
    client_timeout: float = 30.0  # seconds to send a whole request, and to read an answer
    allowed_hosts: tuple[str, ...] = ()  # Host names accepted besides 127.0.0.1/localhost (proxy)
    max_answer_mb: float = 64.0  # size of an answer's body, in MB (2**20 bytes)
    sandbox: bool = True  # run the query workers where they cannot reach the network

    @property
    def max_answer(self) -> int:
        return int(self.max_answer_mb * 2**20)

    @property
    def wait(self) -> float:
        """How long a query may wait for a worker: by default long enough for a busy worker to hit
        the time limit and be replaced, so a burst of slow queries delays others but never fails them."""
        return self.queue_wait if self.queue_wait is not None else self.timeout + 15.0


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, kind: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers or {}


def _ranked(accept: str) -> list[str]:
    """The media types of an Accept header, most preferred first (ties in the order given)."""
    offers = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            offers.append((-quality, position, media.strip().lower()))
    return [media for _, _, media in sorted(offers)]


def negotiate(accept: str, form: str, explicit: str | None) -> str:
    """The result format: an explicit ``format`` parameter, else the best Accept match."""
    table = SELECT_BY_MEDIA if form in ("SELECT", "ASK") else GRAPH_BY_MEDIA
    names = set(table.values())
    if explicit:
        if explicit in names:
            return explicit
        raise HttpError(HTTPStatus.NOT_ACCEPTABLE, "not-acceptable",
                        f"format '{explicit}' does not fit a {form} query; use one of "
                        f"{', '.join(sorted(names))}")
    for media in _ranked(accept):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*", ""):
            break
    return "json" if form in ("SELECT", "ASK") else "turtle"


def description_format(accept: str) -> str:
    """How to answer a GET with no query: ``html`` for a browser, else an RDF format (Turtle by default)."""
    for media in _ranked(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return "html"
        if media in GRAPH_BY_MEDIA:
            return GRAPH_BY_MEDIA[media]
        if media in ("*/*", "application/*", "text/*", ""):
            break
    return "turtle"


def wants_json(accept: str) -> bool:
    """True when the client's most preferred media type is application/json (see the module docstring)."""
    ranked = _ranked(accept)
    return bool(ranked) and ranked[0] == "application/json"


def error_body(kind: str, message: str, as_json: bool) -> tuple[bytes, str]:
    """(body, media type) of an error, in the shape the module docstring documents."""
    if as_json:
        data = {"status": "ERROR", "kind": kind, "exception": message}
        return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n", "application/json"
    return (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "ilkg"
    sys_version = ""

    # -- plumbing ----------------------------------------------------------------------------
    def setup(self) -> None:
        self.timeout = self.server.config.client_timeout  # read by StreamRequestHandler.setup
        super().setup()
        # Every read of a request (line, headers, body) stops at one deadline for the whole
        # request, not a timeout per read: a client trickling a byte a second is cut all the same.
        self.rfile.close()
        self.rfile = io.BufferedReader(_DeadlineReader(self))
        self._deadline = time.monotonic() + self.server.config.client_timeout
        self._linger = False

    def _arm(self) -> None:
        """Let the next read or write on the socket take what is left of the deadline, no more."""
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the client took longer than the deadline")
        self.connection.settimeout(min(left, self.server.config.client_timeout))

    def finish(self) -> None:
        super().finish()
        if self._linger:
            self._drain()

    def _drain(self) -> None:
        """Read and drop what a refused client still sends (a body we did not read), briefly.

        Closing a socket with unread data makes the kernel reset the connection, and a client
        still sending its body then sees "connection reset" instead of our answer. So we stop
        writing and read for a moment (a bounded time and amount) before the socket is closed.
        """
        budget = 2 * self.server.config.max_body + 65536
        until = time.monotonic() + LINGER_SECONDS
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            while budget > 0 and (left := until - time.monotonic()) > 0:
                self.connection.settimeout(left)
                data = self.connection.recv(65536)
                if not data:
                    break
                budget -= len(data)

    def log_message(self, format: str, *args) -> None:
        """Quiet by default: the library never prints; ``kg serve --verbose`` may log."""
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _send(self, status: HTTPStatus, body: bytes, media: str, extra: dict | None = None) -> None:
        self._head(status, media, len(body), extra)
        self._write(body)

    def _head(self, status: HTTPStatus, media: str, length: int, extra: dict | None = None) -> None:
        """The status line and headers; the client has ``client_timeout`` seconds to read the answer."""
        self._deadline = time.monotonic() + self.server.config.client_timeout
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(length))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if self.server.config.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self._arm()
        self.end_headers()

    def _write(self, data: bytes) -> None:
        if self.command != "HEAD" and data:
            self._arm()
            self.wfile.write(data)

    def _error(self, status: HTTPStatus, kind: str, message: str, extra: dict | None = None) -> None:
        headers = getattr(self, "headers", None)
        accept = headers.get("Accept", "") if headers is not None else ""
        body, media = error_body(kind, message, wants_json(accept))
        self._send(status, body, media, extra)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol errors found by the standard library, in our error shape (never its HTML page)."""
        status = HTTPStatus(code)
        kind, text = _PROTOCOL_ERRORS.get(status, ("bad-request", status.phrase.lower()))
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # a request line we could not read: answer with a status line
        self._error(status, kind, text)

    def parse_request(self) -> bool:
        """Refuse a Host this server does not answer to (421), before any route runs.

        A web page can point a name it controls at 127.0.0.1 (DNS rebinding) and then read a local
        endpoint as a "same-origin" site; the browser still sends that name as Host. Only the
        loopback names, the address listened on (any IP address when listening on all
        interfaces) and the ``allowed_hosts`` of a reverse proxy are answered.
        """
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            self._drop_unread_body()
            self.close_connection = True
            self._error(HTTPStatus.BAD_REQUEST, "bad-request", "more than one Host header")
            return False
        target = urlsplit(self.path)  # an absolute-form target names the host itself (RFC 9112 3.2.2)
        names = [target.netloc] if target.scheme and not self.path.startswith("/") else hosts
        if all(self.server.answers_to(name) for name in names):
            return True
        self._drop_unread_body()
        self.close_connection = True
        self._error(HTTPStatus.MISDIRECTED_REQUEST, "host",
                    "this server does not answer to that Host name; start kg serve with "
                    "--allow-host NAME to serve it behind a proxy under that name")
        return False

    def handle_one_request(self) -> None:
        """Any unexpected failure is a bare 500: no traceback or internals reach the client."""
        self._deadline = time.monotonic() + self.server.config.client_timeout  # for the whole request
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError):
            self.close_connection = True  # the client went away; nobody to answer
        except Exception:
            self.close_connection = True
            self._internal_error()

    def _internal_error(self, detail: str | None = None) -> None:
        with contextlib.suppress(OSError):
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal",
                        "internal error; the query was not answered")
        if self.server.log is not None:
            import traceback

            self.server.log(detail or traceback.format_exc())

    def _drop_unread_body(self) -> None:
        """A body we will not read would be taken for the next request: close the connection."""
        if self.headers.get("Content-Length", "0").strip() not in ("", "0") or \
                self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            self._linger = True

    # -- routes ------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        self._drop_unread_body()
        try:
            if url.path == "/sparql":
                params = parse_qs(url.query, keep_blank_values=True)
                self._sparql(params)
            elif url.path in ("/", "/index.html"):
                self._static(packaged("sparql", "web", "editor.html"), "text/html; charset=utf-8",
                             {"Content-Security-Policy": self.server.csp})
            elif url.path == "/queries.json":
                self._send(HTTPStatus.OK, self.server.queries_json, "application/json")
            elif url.path == "/prefixes.json":
                self._send(HTTPStatus.OK, json.dumps(QUERY_PREFIXES).encode("utf-8"), "application/json")
            elif url.path.startswith("/static/ilkg/") and url.path[13:] in WEB_FILES:
                name = url.path[13:]
                self._static(packaged("sparql", "web", name), WEB_FILES[name])
            elif url.path.startswith("/static/yasgui/") and url.path[15:] in YASGUI_FILES:
                name = url.path[15:]
                if self.server.config.yasgui_dir is None:
                    raise HttpError(HTTPStatus.NOT_FOUND, "not-found", YASGUI_MISSING)
                self._static(self.server.config.yasgui_dir / name, YASGUI_FILES[name])
            else:
                raise HttpError(HTTPStatus.NOT_FOUND, "not-found",
                                "not found; the SPARQL endpoint is /sparql")
        except HttpError as exc:
            self._error(exc.status, exc.kind, exc.message, exc.headers)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path != "/sparql":
                self._drop_unread_body()
                raise HttpError(HTTPStatus.NOT_FOUND, "not-found",
                                "not found; the SPARQL endpoint is /sparql")
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if media == "application/sparql-update":
                self._drop_unread_body()
                raise HttpError(HTTPStatus.FORBIDDEN, "refused",
                                "updates are refused: this endpoint is read-only")
            body = self._body()
            params = parse_qs(url.query, keep_blank_values=True)
            if media == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                params["query"] = [*params.get("query", []), body.decode("utf-8", "replace")]
            else:
                raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                                "send application/sparql-query or application/x-www-form-urlencoded")
            self._sparql(params)
        except HttpError as exc:
            self._error(exc.status, exc.kind, exc.message, exc.headers)

    def _refuse_method(self) -> None:
        self._drop_unread_body()
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    f"method {self.command} not allowed: this endpoint is read-only; use {ALLOW}",
                    {"Allow": ALLOW})

    do_PUT = do_DELETE = do_PATCH = _refuse_method

    def do_OPTIONS(self) -> None:
        """Preflight: the CORS grants only with ``cors``; without them a browser stops there."""
        self._drop_unread_body()
        extra = {"Allow": ALLOW}
        if self.server.config.cors:
            extra.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                          "Access-Control-Allow-Headers": "Content-Type, Accept",
                          "Access-Control-Max-Age": "600"})
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", extra)

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HttpError(HTTPStatus.LENGTH_REQUIRED, "length-required",
                            "send the body with a Content-Length (no chunked encoding)")
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            self.close_connection = True
            self._linger = True
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad-request", "bad Content-Length")
        limit = self.server.config.max_body
        if size > limit:
            self.close_connection = True
            self._linger = True
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too-large",
                            f"the request body is {size} bytes, over this server's limit of {limit}")
        return self.rfile.read(size)

    def _static(self, resource, media: str, extra: dict | None = None) -> None:
        try:
            data = resource.read_bytes()
        except OSError:
            raise HttpError(HTTPStatus.NOT_FOUND, "not-found", "not found") from None
        self._send(HTTPStatus.OK, data, media, extra)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise HttpError(HTTPStatus.FORBIDDEN, "refused", "updates are refused: this endpoint is "
                            "read-only")
        if "query" not in params and self.command in ("GET", "HEAD"):
            self._describe()
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad-request", "give exactly one 'query' parameter")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad-request", "default-graph-uri and "
                            "named-graph-uri are not supported: the dataset is fixed")
        text = queries[0]
        config = self.server.config
        if len(text) > config.max_query:
            raise HttpError(HTTPStatus.BAD_REQUEST, "query-too-long",
                            f"the query is {len(text)} characters long, over this server's limit "
                            f"of {config.max_query}")
        explicit = (params.get("format") or [None])[0]
        if explicit is not None and explicit not in FORMAT_NAMES:
            raise HttpError(HTTPStatus.NOT_ACCEPTABLE, "not-acceptable", f"unknown format "
                            f"'{explicit}'; use one of {', '.join(sorted(FORMAT_NAMES))}")
        accept = self.headers.get("Accept", "")
        formats = {}
        for form in FORMS:
            with contextlib.suppress(HttpError):  # an explicit format that fits only other forms
                formats[form] = negotiate(accept, form, explicit)
        spec = AnswerSpec(formats, config.max_rows, config.max_answer)
        try:
            answer = self._answer(text, spec)
        except NotAcceptable as exc:
            negotiate(accept, exc.form, explicit)  # raises the 406 that says which formats fit
            raise
        with answer:
            table = SELECT_FORMATS if answer.form in ("SELECT", "ASK") else GRAPH_FORMATS
            media = table[answer.fmt][1]
            if media.startswith("text/"):
                media += "; charset=utf-8"
            self._head(HTTPStatus.OK, media, answer.size, {"Vary": "Accept"})
            try:
                for chunk in answer.chunks():
                    self._write(chunk)
            except QueryError as exc:  # the status line has gone: all we can do is stop
                self.close_connection = True
                if self.server.log is not None:
                    self.server.log(f"answer cut short: {exc}")

    def _describe(self) -> None:
        """GET /sparql with no query: the Service Description, or for a browser how to use it."""
        from .service_description import service_description, service_page

        scheme = self.headers.get("X-Forwarded-Proto", "http").strip().lower()
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        endpoint = f"{scheme if scheme in ('http', 'https') else 'http'}://{host}/sparql"
        fmt = description_format(self.headers.get("Accept", ""))
        extra = {"Vary": "Accept"}
        if fmt == "html":
            config = self.server.config
            body = service_page(endpoint, timeout=config.timeout, max_rows=config.max_rows).encode("utf-8")
            media = "text/html; charset=utf-8"
            extra["Content-Security-Policy"] = self.server.csp
        else:
            body = service_description(endpoint).serialize(format=GRAPH_FORMATS[fmt][0], encoding="utf-8")
            media = GRAPH_FORMATS[fmt][1] + ("; charset=utf-8" if fmt == "turtle" else "")
        self._send(HTTPStatus.OK, body, media, extra)

    def _answer(self, text: str, spec: AnswerSpec) -> Answer:
        """The query's answer from a worker; its failures as HTTP errors."""
        config = self.server.config
        try:
            return self.server.pool.answer(text, spec, timeout=config.timeout, wait=config.wait)
        except NotAcceptable:
            raise
        except QueryRefused as exc:
            raise HttpError(HTTPStatus.FORBIDDEN, "refused", str(exc)) from None
        except TooManyRows as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, "too-many-rows", str(exc)) from None
        except AnswerTooLarge as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, "answer-too-large", str(exc)) from None
        except QueryTimeout as exc:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "timeout", str(exc)) from None
        except QueryMemoryError as exc:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "memory", str(exc)) from None
        except PoolBusy as exc:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "busy", str(exc),
                            {"Retry-After": "5"}) from None
        except QueryLimitError as exc:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, "timeout", str(exc)) from None
        except WorkerFailed as exc:
            if self.server.log is not None:
                self.server.log(f"query worker failure: {exc.detail}")
            raise HttpError(HTTPStatus.INTERNAL_SERVER_ERROR, "internal", str(exc)) from None
        except QueryError as exc:
            kind = "syntax" if str(exc).startswith("SPARQL syntax error") else "bad-request"
            raise HttpError(HTTPStatus.BAD_REQUEST, kind, str(exc)) from None


class _DeadlineReader(io.RawIOBase):
    """A connection's bytes, each read bounded by what is left of its handler's deadline."""

    def __init__(self, handler: _Handler):
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self._handler._arm()
        return self._handler.connection.recv_into(buffer)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, config: EndpointConfig, pool, queries_json: bytes, log=None):
        self.config = config
        self.pool = pool
        self.queries_json = queries_json
        self.log = log
        self.csp = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
                    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
        self._slots = threading.BoundedSemaphore(config.max_connections)
        # The listen backlog: connections the kernel holds until we accept them. The standard
        # library's 5 made a burst of a few dozen clients see resets well under max_connections.
        self.request_queue_size = max(128, 2 * config.max_connections)
        super().__init__((config.host, config.port), _Handler)

    def answers_to(self, host: str) -> bool:
        """Whether a Host header (or an absolute target's authority) names this server.

        Parsed strictly as ``host[:port]`` (see ``_HOST``): ``[::1].evil.example``,
        ``localhost:80@evil.example`` and the like are no loopback names.
        """
        match = _HOST.fullmatch(host.strip(" \t"))
        if match is None or (match["port"] is not None and int(match["port"]) > 65535):
            return False
        if match["ipv6"] is not None:
            try:
                name = str(ipaddress.IPv6Address(match["ipv6"]))
            except ValueError:
                return False
        else:
            name = match["name"].lower()
        if name in LOOPBACK_NAMES or name in {h.lower() for h in self.config.allowed_hosts}:
            return True
        if name == self.config.host.lower():
            return True
        if self.config.host in ("0.0.0.0", "::", ""):  # noqa: S104 - comparing, not binding
            with contextlib.suppress(ValueError):
                ipaddress.ip_address(name)
                return True
        return False

    def process_request(self, request, client_address) -> None:
        """One thread per connection, up to ``max_connections``; past that a 503 and close."""
        if not self._slots.acquire(blocking=False):
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _turn_away(self, request: socket.socket) -> None:
        body, media = error_body("too-many-connections", f"too many open connections (over "
                                 f"{self.config.max_connections}); try again shortly", False)
        head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: {media}\r\n"
                f"Content-Length: {len(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n")
        with contextlib.suppress(OSError):
            request.settimeout(1.0)
            request.sendall(head.encode("ascii") + body)
            # Drop what the client has sent already, without waiting for more (this is the thread
            # that accepts connections): closing over unread bytes resets the connection, and the
            # client would see that instead of the 503.
            for _ in range(16):
                if not request.recv(65536, socket.MSG_DONTWAIT):
                    break
        self.shutdown_request(request)


def _queries_json() -> bytes:
    from .saved_queries import saved_queries

    items = [{"name": q.name, "question": q.question, "query": q.text} for q in saved_queries().values()]
    return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")


class Endpoint:
    """A running endpoint: the HTTP server, its worker pool, and where it listens."""

    def __init__(self, config: EndpointConfig, nquads: bytes, log=None):
        from .query_workers import WorkerPool

        self.pool = WorkerPool(nquads, size=config.workers, memory_mb=config.query_memory_mb,
                               sandbox=config.sandbox)
        try:
            self.server = _Server(config, self.pool, _queries_json(), log)
        except OSError:
            self.pool.close()
            raise
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def serve_forever(self) -> None:
        try:
            self.server.serve_forever()
        finally:
            self.close()

    def start(self) -> Endpoint:
        """Serve from a background thread (for tests and notebooks); ``close`` stops it."""
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.server.shutdown()
            self._thread.join(10)
            self._thread = None
        self.server.server_close()
        self.pool.close()


def open_endpoint(config, *, corpus_dir: Path | str = DEFAULT_CORPUS, data: Path | str | None = None,
                  log=None):
    """An :class:`Endpoint` over the corpus (built in memory) or a built file: ``kg serve``."""
    import dataclasses

    from ..resources import yasgui_dir
    from .engines import nquads_of_corpus, nquads_of_file
    from .sandbox import SandboxUnavailable

    nquads = nquads_of_file(data) if data is not None else nquads_of_corpus(corpus_dir)
    if config.yasgui_dir is None:
        config = dataclasses.replace(config, yasgui_dir=yasgui_dir())
    try:
        return Endpoint(config, nquads, log)
    except SandboxUnavailable as exc:
        raise SandboxUnavailable(f"{exc}; kg serve --no-network-sandbox runs without it, relying on "
                                 "the query check alone (not for an endpoint others can reach)") from None
    except OSError as exc:
        raise SetupError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") from exc
