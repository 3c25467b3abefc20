"""A read-only SPARQL 1.1 Protocol endpoint with a query editor page.

``/sparql`` answers GET and POST (form-encoded or ``application/sparql-query``) with content
negotiation over the W3C result formats, so Yasgui, SPARQLWrapper, Jena and curl all work.
Queries are checked before they run (:mod:`kg.query_check`: no updates, LOAD, SERVICE or FROM),
run in worker processes with a hard time limit and a row cap (:mod:`kg.query_workers`), and no
request ever leaves the machine. ``/`` is the editor: Yasgui, served from the npm package
installed by the set-up, preloaded with the saved queries.

The server is the standard library's threading HTTP server: the work is in the query workers,
and the stdlib keeps the dependency list short and auditable.
"""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .errors import QueryError, QueryLimitError, QueryRefused
from .query_check import check_query
from .results import GRAPH_FORMATS, SELECT_FORMATS, serialize

# Media types we answer with, by what clients put in Accept.
SELECT_BY_MEDIA = {media: name for name, (_, media) in SELECT_FORMATS.items()}
SELECT_BY_MEDIA.update({"application/json": "json", "text/xml": "xml", "application/xml": "xml"})
GRAPH_BY_MEDIA = {media: name for name, (_, media) in GRAPH_FORMATS.items()}
GRAPH_BY_MEDIA.update({"application/x-turtle": "turtle", "application/json": "jsonld"})

WEB_FILES = {"editor.js": "text/javascript", "editor.css": "text/css"}
YASGUI_FILES = {"yasgui.min.js": "text/javascript", "yasgui.min.css": "text/css"}


@dataclass(frozen=True)
class EndpointConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0  # seconds per query
    max_rows: int = 10_000  # rows per result
    workers: int = 2
    max_body: int = 1_000_000  # bytes of a request body
    max_query: int = 100_000  # characters of a query
    cors: bool = False
    yasgui_dir: Path | None = None


class HttpError(Exception):
    def __init__(self, status: HTTPStatus, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def negotiate(accept: str, form: str, explicit: str | None) -> str:
    """The result format: an explicit ``format`` parameter, else the best Accept match."""
    table = SELECT_BY_MEDIA if form in ("SELECT", "ASK") else GRAPH_BY_MEDIA
    names = set(table.values())
    if explicit:
        if explicit in names:
            return explicit
        raise HttpError(HTTPStatus.NOT_ACCEPTABLE, f"unknown format '{explicit}'; use one of "
                        f"{', '.join(sorted(names))}")
    offers = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        offers.append((-quality, position, media.strip().lower()))
    for _, _, media in sorted(offers):
        if media in table:
            return table[media]
        if media in ("*/*", "application/*", "text/*", ""):
            break
    return "json" if form in ("SELECT", "ASK") else "turtle"


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "ilkg"
    sys_version = ""

    # -- plumbing ----------------------------------------------------------------------------
    def log_message(self, format: str, *args) -> None:
        """Quiet by default: the library never prints; ``kg serve --verbose`` may log."""
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def _send(self, status: HTTPStatus, body: bytes, media: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        if self.server.config.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message.rstrip() + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None:
            if self.headers.get("Transfer-Encoding"):
                raise HttpError(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length")
            return b""
        try:
            size = int(length)
        except ValueError:
            raise HttpError(HTTPStatus.BAD_REQUEST, "bad Content-Length") from None
        if size > self.server.config.max_body:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"request body over {self.server.config.max_body} bytes")
        return self.rfile.read(size)

    def handle_one_request(self) -> None:
        """Any unexpected failure is a bare 500: no traceback or internals reach the client."""
        try:
            super().handle_one_request()
        except Exception:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self._error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error; the query was not answered")
            if self.server.log is not None:
                import traceback

                self.server.log(traceback.format_exc())

    # -- routes ------------------------------------------------------------------------------
    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path == "/sparql":
                params = parse_qs(url.query, keep_blank_values=True)
                self._sparql(params)
            elif url.path in ("/", "/index.html"):
                self._static(files("kg") / "web" / "editor.html", "text/html; charset=utf-8",
                             {"Content-Security-Policy": self.server.csp})
            elif url.path == "/queries.json":
                self._send(HTTPStatus.OK, self.server.queries_json, "application/json")
            elif url.path.startswith("/static/ilkg/") and url.path[13:] in WEB_FILES:
                name = url.path[13:]
                self._static(files("kg") / "web" / name, WEB_FILES[name])
            elif url.path.startswith("/static/yasgui/") and url.path[15:] in YASGUI_FILES:
                name = url.path[15:]
                if self.server.config.yasgui_dir is None:
                    raise HttpError(HTTPStatus.NOT_FOUND, "Yasgui is not installed; run the set-up "
                                    "(npm ci) to serve the editor")
                self._static(self.server.config.yasgui_dir / name, YASGUI_FILES[name])
            else:
                raise HttpError(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql")
        except HttpError as exc:
            self._error(exc.status, exc.message)

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        try:
            if url.path != "/sparql":
                raise HttpError(HTTPStatus.NOT_FOUND, "not found; the SPARQL endpoint is /sparql")
            media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            body = self._body()
            params = parse_qs(url.query, keep_blank_values=True)
            if media == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif media == "application/sparql-query":
                params["query"] = [body.decode("utf-8", "replace")]
            elif media == "application/sparql-update":
                raise HttpError(HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only")
            else:
                raise HttpError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                "send application/sparql-query or application/x-www-form-urlencoded")
            self._sparql(params)
        except HttpError as exc:
            self._error(exc.status, exc.message)

    def do_PUT(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "this endpoint is read-only")

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        extra = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self.server.config.cors:
            extra.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                          "Access-Control-Allow-Headers": "Content-Type, Accept"})
        self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", extra)

    def _static(self, resource, media: str, extra: dict | None = None) -> None:
        try:
            data = resource.read_bytes()
        except OSError:
            raise HttpError(HTTPStatus.NOT_FOUND, "not found") from None
        self._send(HTTPStatus.OK, data, media, extra)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            raise HttpError(HTTPStatus.FORBIDDEN, "updates are refused: this endpoint is read-only")
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise HttpError(HTTPStatus.BAD_REQUEST, "give exactly one 'query' parameter")
        if params.get("default-graph-uri") or params.get("named-graph-uri"):
            raise HttpError(HTTPStatus.BAD_REQUEST, "default-graph-uri and named-graph-uri are not "
                            "supported: the dataset is fixed")
        text = queries[0]
        config = self.server.config
        if len(text) > config.max_query:
            raise HttpError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                            f"query over {config.max_query} characters")
        try:
            checked = check_query(text)
            fmt = negotiate(self.headers.get("Accept", ""), checked.form,
                            (params.get("format") or [None])[0])
            result = self.server.pool.run(checked.text, limit=config.max_rows + 1,
                                          timeout=config.timeout)
        except QueryRefused as exc:
            raise HttpError(HTTPStatus.FORBIDDEN, str(exc)) from None
        except QueryLimitError as exc:
            raise HttpError(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)) from None
        except QueryError as exc:
            raise HttpError(HTTPStatus.BAD_REQUEST, str(exc)) from None
        if len(result.rows) > config.max_rows:
            raise HttpError(HTTPStatus.BAD_REQUEST,
                            f"the result has more than {config.max_rows} rows, the server's row "
                            f"cap; add LIMIT {config.max_rows} or narrow the query")
        table = SELECT_FORMATS if result.form in ("SELECT", "ASK") else GRAPH_FORMATS
        media = table[fmt][1]
        if media.startswith("text/"):
            media += "; charset=utf-8"
        self._send(HTTPStatus.OK, serialize(result, fmt), media, {"Vary": "Accept"})


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
        super().__init__((config.host, config.port), _Handler)


def _queries_json() -> bytes:
    from .saved_queries import saved_queries

    items = [{"name": q.name, "question": q.question, "query": q.text} for q in saved_queries().values()]
    return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")


class Endpoint:
    """A running endpoint: the HTTP server, its worker pool, and where it listens."""

    def __init__(self, config: EndpointConfig, nquads: bytes, log=None):
        from .query_workers import WorkerPool

        self.pool = WorkerPool(nquads, size=config.workers)
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
