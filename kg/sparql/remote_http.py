"""HTTP with a store kg does not control: bounded in time and size, and to the URL named only.

A store is whatever answers at the URL the user gave, and it may be broken or hostile. Whatever it
sends, every exchange keeps three promises (SECURITY.md names the test that keeps each):

- **The URL named, and no other.** No redirect is followed: a 3xx answer is an error that says
  where it points. requests would follow a 307 to any host with the same method and body, and its
  Digest hook would answer the new host's challenge with the user's password. SPARQL stores have
  no need to redirect a client, so naming the right URL is the fix, and no option loosens this.
- **A deadline, not a per-read timeout.** requests' timeout bounds each socket read, so a store
  that sends a byte every few seconds holds a connection for ever, and nothing bounds the wait for
  a host name. Here each exchange runs on a worker thread and the caller waits until the deadline
  only; a worker left behind stops at its next read. Reading the answer into terms runs on the
  same thread, under the same deadline (see :meth:`StoreSession.within`).
- **A size limit.** An answer is read in chunks, after decompression (a gzip bomb counts at its
  inflated size), up to a limit, and refused beyond it; an error page or a challenge is cut to a
  message's length (:data:`MESSAGE_BYTES`).

One worker thread serves a session for its whole life: requests' Digest authentication keeps its
nonce per thread, and a thread per request would make the store challenge, and kg re-send, every
upload.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin

import requests
import urllib3
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ..errors import KgError, RemoteError

T = TypeVar("T")
MB = 1_000_000
# An error page or an authentication challenge is read this far and no further: it only ever
# feeds a one-line message (Virtuoso's error pages are a few KB).
MESSAGE_BYTES = 1 * MB
CHUNK_BYTES = 64 * 1024
# C0 and C1 control characters, and the bidirectional overrides: text from a store that reaches a
# terminal in an error message must not move the cursor, retitle the window or reorder the line.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str, width: int = 500) -> str:
    """Text from a store as an error message may show it: one line, no control characters, cut."""
    text = _UNPRINTABLE.sub("\ufffd", " ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True)
class Answer:
    status: int
    reason: str
    headers: Mapping[str, str]  # case-insensitive, as requests gives them
    body: bytes  # the whole answer, or the first MESSAGE_BYTES of an error page

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def message(self) -> str:
        """The store's explanation, as text: Virtuoso wraps it in an HTML page, Oxigraph does not."""
        import html

        text = self.body.decode("utf-8", errors="replace")
        if "<" in text and re.search(r"</(?:html|body|xmp|pre|p)>", text, re.IGNORECASE):
            # Each step scans the text once: a page of a million "<pre>" or "<" must not take
            # the time a backtracking pattern would (quadratic in the page's length).
            opening = re.search(r"<(xmp|pre)>", text, re.IGNORECASE)
            tag = opening and re.compile(f"</{opening.group(1)}>", re.IGNORECASE)
            closing = tag and tag.search(text, opening.end())
            text = text[opening.end():closing.start()] if closing else re.sub(r"<[^<>]*>", " ", text)
            text = html.unescape(text)
        return shown(text)


class _Job:
    """A piece of work for the session's thread, and what became of it."""

    def __init__(self, work: Callable[[], Any]):
        self.work = work
        self.done = threading.Event()
        self.abandoned = threading.Event()  # the caller stopped waiting: stop reading
        self.value: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as exc:  # handed to the caller, whatever it is
            if isinstance(exc, KgError):
                # The caller needs the message only. The traceback's frames hold the parser's
                # objects, which pyoxigraph forbids to be dropped on another thread.
                exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            self.error = exc
        finally:
            self.done.set()


class StoreSession:
    """Exchanges with the store at ``url``, each within a deadline and a size limit.

    ``timeout`` is what a deadline is reported as (the user's ``--timeout``); the deadlines
    themselves are given per call, so that one deadline can span several exchanges.
    """

    def __init__(self, url: str, *, timeout: float):
        self.url = url
        self.timeout = timeout
        self._http = requests.Session()
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._current: _Job | None = None
        threading.Thread(target=self._serve, name="kg-store-session", daemon=True).start()

    def __enter__(self) -> StoreSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """End the worker after its current job (at once unless a store holds it)."""
        self._jobs.put(None)

    def deadline(self) -> float:
        return time.monotonic() + self.timeout

    def within(self, work: Callable[[], T], deadline: float, late: Callable[[], RemoteError]) -> T:
        """``work()``, run on the session's thread, or ``late()`` raised when ``deadline`` passes."""
        job = _Job(work)
        self._jobs.put(job)
        if not job.done.wait(max(0.0, deadline - time.monotonic())):
            job.abandoned.set()
            raise late()
        if job.error is not None:
            raise job.error
        return job.value

    def exchange(self, method: str, what: str, *, deadline: float, limit: int | None = None,
                 auth: AuthBase | None = None, **request: Any) -> Answer:
        """One request to the store's URL and its answer, by ``deadline``.

        A successful answer is refused beyond ``limit`` bytes; without a limit (a push, whose
        answer says only that it worked) it is cut to MESSAGE_BYTES, as an error page always is.
        """
        return self.within(lambda: self._exchange(method, what, deadline, limit, auth, request),
                           deadline, lambda: self.late(what))

    def late(self, what: str) -> RemoteError:
        return RemoteError(f"{self.url} did not finish answering {what} within {self.timeout:g} s "
                           "(raise --timeout if the store is slow)")

    def credentials(self, scheme: str, user: str, password: str) -> AuthBase:
        """HTTP authentication in ``scheme`` ('digest' or 'basic') for this session's requests."""
        if scheme == "digest":
            return _BoundedDigestAuth(user, password, self._drain)
        return HTTPBasicAuth(user, password)

    # --- on the session's thread -----------------------------------------------------------------

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            self._current = job
            job.run()
        self._http.close()

    def _exchange(self, method: str, what: str, deadline: float, limit: int | None,
                  auth: AuthBase | None, request: dict) -> Answer:
        seconds = max(deadline - time.monotonic(), 0.001)  # per read too: a stray worker ends
        with self._send(method, what, seconds, auth=auth, **request) as response:
            status = response.status_code
            if 300 <= status < 400:
                location = response.headers.get("Location")
                target = shown(urljoin(self.url, location)) if location else "nowhere"
                raise RemoteError(f"{self.url} redirects {what} to {target} (HTTP {status}); kg "
                                  "follows no redirects, so that credentials and data go to the URL "
                                  "given and nowhere else: if the store is there, give that URL")
            whole = limit is not None and status < 300
            body = self._read(response, what, limit if whole else MESSAGE_BYTES, cut=not whole)
            return Answer(status, response.reason or "", response.headers, body)

    def _send(self, method: str, what: str, seconds: float, **request: Any) -> requests.Response:
        try:
            return self._http.request(method, self.url, timeout=seconds, stream=True,
                                      allow_redirects=False, **request)
        except requests.exceptions.Timeout:
            raise self.late(what) from None
        except requests.exceptions.ConnectionError as exc:
            detail = str(exc).lower()
            reason = ("connection refused" if "refused" in detail
                      else "the host name is not known" if "resolve" in detail or "name or service" in detail
                      else shown(str(exc)))
            raise RemoteError(f"cannot connect to {self.url}: {reason}; is the store running and "
                              "the URL right?") from None
        except requests.exceptions.RequestException as exc:
            raise RemoteError(f"request to {self.url} failed: {shown(str(exc))}") from None

    def _read(self, response: requests.Response, what: str, limit: int, *, cut: bool) -> bytes:
        """The body, decompressed, chunk by chunk: at most one socket read between checks."""
        body = bytearray()
        job = self._current
        try:
            while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
                if job is not None and job.abandoned.is_set():
                    raise RemoteError("abandoned")  # nobody waits for this answer any more
                if len(body) + len(chunk) > limit:
                    if cut:
                        body += chunk[: limit - len(body)]
                        break
                    raise RemoteError(f"{self.url} sent an answer larger than {limit / MB:g} MB "
                                      "(--max-answer): narrow the query (LIMIT, --param) or raise "
                                      "--max-answer")
                body += chunk
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError):
            raise self.late(what) from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise RemoteError(f"{self.url} broke off its answer to {what}: {shown(str(exc))}") from None
        return bytes(body)

    def _drain(self, response: requests.Response) -> None:
        """Read a challenge's body up to MESSAGE_BYTES and drop the rest with the connection."""
        if len(self._read(response, "the challenge", MESSAGE_BYTES, cut=True)) == MESSAGE_BYTES:
            response.raw.close()


class _BoundedDigestAuth(HTTPDigestAuth):
    """requests' Digest authentication, reading at most MESSAGE_BYTES of a challenge's body.

    requests reads the whole body of a 401 before it answers the challenge; here the session's
    reader goes first, and what it leaves unread is dropped with the connection, so requests finds
    the body already consumed.
    """

    def __init__(self, username: str, password: str, drain: Callable[[requests.Response], None]):
        super().__init__(username, password)
        self._drain = drain

    def handle_401(self, r: requests.Response, **kwargs: Any) -> requests.Response:
        if 400 <= r.status_code < 500:
            self._drain(r)
        return super().handle_401(r, **kwargs)
