"""Run a producer of chunks in a second process, so that reading and writing a long file
share the machine's cores.

A producer is a module-level function returning an iterator of (progress, chunk), a chunk
being what `marshal` carries (lists and tuples of text, numbers and None): both ends run the
same interpreter, and marshal is the quickest way across for such plain data. `relay` runs it in a child process and yields what it
sends; a CsctlError raised in the child is
raised again here, in the parent, with its field or rule intact. The pipe between them
holds a few chunks at most, so memory stays flat; if the parent stops early (an error, a
Ctrl-C), the child is stopped too.

The child dies with its parent, whatever kills the parent (a SIGKILL included; see
csctl/children.py). The child also closes
its inherited copy of the pipe's reading end, so that a parent gone leaves the child's next
write with a broken pipe rather than blocked forever (issue 15, item 1).
"""

from __future__ import annotations

from ... import i18n
from ...i18n import _

import gc
import json
import marshal
import multiprocessing
import os
import struct
import sys
from collections.abc import Callable, Iterator
from typing import Any

from ...children import die_with
from ...errors import CsctlError, InputError, RuleViolation

Producer = Callable[..., Iterator[tuple[int, Any]]]
_DATA, _DONE, _ERROR = b"D", b"F", b"E"


def _error_to_json(exc: BaseException) -> bytes:
    if isinstance(exc, RuleViolation):
        data = {"kind": "rule", "rule": exc.rule, "message": exc.message}
    elif isinstance(exc, InputError):
        data = {"kind": "input", "field": exc.field, "message": exc.message}
    elif isinstance(exc, CsctlError):
        data = {"kind": "csctl", "message": exc.message}
    else:
        data = {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}
    return json.dumps(data).encode()


def _error_from_json(raw: bytes) -> BaseException:
    data = json.loads(raw)
    if data["kind"] == "rule":
        return RuleViolation(data["rule"], data["message"])
    if data["kind"] == "input":
        return InputError(data["field"], data["message"])
    if data["kind"] == "csctl":
        return CsctlError(data["message"])
    return RuntimeError(data["message"])


CHILD_NAME = b"csctl-reader"  # what `ps` and /proc/PID/comm show for the child (Linux)


def _child(conn: Any, producer: Producer, args: tuple, parent: int, parent_end: Any = None,
           lang: str = "en") -> None:
    die_with(parent, CHILD_NAME)
    i18n.use(lang)  # a spawned child starts in English: its messages in the parent's language
    if parent_end is not None:  # forked: our copy of the reading end would keep the pipe open
        parent_end.close()
    # The producer makes plain lists and tuples, freed as they go; the collector would only
    # walk the heap inherited from the parent, copying its pages on the way.
    gc.disable()
    try:
        for progress, data in producer(*args):
            conn.send_bytes(_DATA + struct.pack("<Q", progress) + marshal.dumps(data))
        conn.send_bytes(_DONE)
    except BaseException as exc:  # sent to the parent, which decides
        conn.send_bytes(_ERROR + _error_to_json(exc))
    finally:
        conn.close()


PIPE_BYTES = 1 << 20


def _widen(fd: int) -> None:
    """Let the pipe hold a few chunks (Linux's default is 64 KiB), so that the reader does not
    wait for the writer to take each chunk before starting the next. Best effort: where the
    size cannot be set, the relay still works, only in closer step."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def relay(producer: Producer, args: tuple, *, in_process: bool = False) -> Iterator[tuple[int, Any]]:
    """The producer's chunks, produced in a child process (or here, when `in_process`)."""
    if in_process:
        yield from producer(*args)
        return
    # fork is cheap and safe on Linux for a child that never touches the parent's ledger;
    # elsewhere a fresh interpreter is started.
    forked = sys.platform.startswith("linux")
    ctx = multiprocessing.get_context("fork" if forked else "spawn")
    receive, send = ctx.Pipe(duplex=False)
    _widen(send.fileno())
    child = ctx.Process(target=_child, args=(send, producer, args, os.getpid(), receive if forked else None,
                                                     i18n.language()),
                        name=CHILD_NAME.decode(), daemon=True)
    gc.freeze()  # what exists now is shared with the child: keep the collector's hands off it
    try:
        child.start()
    finally:
        gc.unfreeze()
    send.close()
    try:
        while True:
            try:
                message = receive.recv_bytes()
            except EOFError:
                raise CsctlError(_("the process reading the file stopped unexpectedly; nothing was recorded")) from None
            tag = message[:1]
            if tag == _DATA:
                yield struct.unpack("<Q", message[1:9])[0], marshal.loads(message[9:])
            elif tag == _DONE:
                return
            else:
                raise _error_from_json(message[1:])
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        receive.close()
