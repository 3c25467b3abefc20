"""Shut a process off from the network, so that no query it runs can send a request.

Oxigraph executes ``SERVICE`` by opening HTTP connections itself, from Rust, and pyoxigraph offers
no way to turn that off (``Store.query`` takes no service handler); rdflib does the same from
Python (``SERVICE``, remote JSON-LD contexts). A textual check in front of the engine
(:mod:`kg.sparql.query_check`) is one layer, but a check and an engine that read a text differently
leave gaps. So the processes that run queries for others (the endpoint's workers, and ``kg
query`` unless ``--allow-service``) are put where the engine *cannot* reach the network, whatever
the text says.

The means is a seccomp filter (Linux), installed with libseccomp through its ctypes binding
``pyseccomp``: once loaded, ``socket()`` fails with EPERM for every address family but
``AF_UNIX`` (the worker's pipe to its parent is a Unix socket pair, created before), and
``io_uring_setup`` fails too (io_uring can open sockets without calling ``socket()``). System
calls of another ABI (32-bit x86 on x86-64) kill the process: that is libseccomp's default for a
foreign architecture. The filter covers every thread (``TSYNC``), cannot be removed, is inherited
by any program the process starts, and needs no privilege (it sets ``no_new_privs``).

Failing closed: where the filter cannot be installed (not Linux, no libseccomp, a kernel or
container that forbids seccomp), :func:`shut_network` raises :class:`SandboxUnavailable` and the
caller refuses to run queries, unless its user explicitly chose to run without the sandbox.
"""

from __future__ import annotations

import errno
import socket

from ..errors import QueryRefused, SetupError

# What a query that tried to open a connection is told (the sandbox, not the check, stopped it).
NETWORK_REFUSED = ("the query tried to reach the network (SERVICE or a remote graph), which is "
                   "refused: queries run on this graph only")


class SandboxUnavailable(SetupError):
    """The network sandbox could not be installed in this process."""


def shut_network() -> None:
    """From now on no thread of this process, nor any program it starts, can open a network socket.

    Raises SandboxUnavailable where that cannot be done (the caller must then run no query).
    """
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError, OSError) as exc:  # RuntimeError: libseccomp not found
        raise SandboxUnavailable(f"seccomp is not available here ({_reason(exc)}); it needs Linux "
                                 "and libseccomp (Debian: apt-get install libseccomp2)") from None
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, not only the calling one
        denied = seccomp.ERRNO(errno.EPERM)
        rules.add_rule(denied, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(denied, "io_uring_setup")
        rules.load()
    except OSError as exc:
        raise SandboxUnavailable(f"the kernel refused the seccomp filter ({_reason(exc)})") from None
    _prove_shut()


def _prove_shut() -> None:
    """Trust, but verify: a filter that loaded yet lets a TCP socket be made is no sandbox."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return
    probe.close()
    raise SandboxUnavailable("the seccomp filter loaded but sockets can still be opened")


def refused_by_sandbox(exc: BaseException) -> QueryRefused | None:
    """The refusal to report when ``exc`` (an engine's error) comes from the sandbox, else None.

    Oxigraph reports a blocked ``socket()`` as PermissionError; rdflib wraps it in urllib's
    URLError (``reason``) or chains it.
    """
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, PermissionError):
            return QueryRefused(NETWORK_REFUSED)
        reason = getattr(current, "reason", None)
        stack += [current.__cause__, current.__context__,
                  reason if isinstance(reason, BaseException) else None]
    return None


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
