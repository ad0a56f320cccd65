"""A child process csctl forks (the import's reader, verify's second walker) ends when csctl
does, however csctl ends, a SIGKILL included, so that none is left holding the ledger open.

On Linux the kernel sends the child SIGKILL when its parent goes (`prctl(PR_SET_PDEATHSIG)`),
and the child is named for `ps`; elsewhere, or if that call fails, a daemon thread in the child
polls the parent's pid. A parent that went before either was armed is caught by the pid check.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_NAME, PR_SET_PDEATHSIG = 15, 1
WATCH_SECONDS = 0.2
USE_PDEATHSIG = True  # False: only the watching thread (how a platform without prctl behaves)


def die_with(parent: int, name: bytes) -> None:
    """Make this process (the child of `parent`) end when `parent` does; `name` is what `ps` and
    /proc/PID/comm show for it (Linux, at most 15 bytes)."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
            if USE_PDEATHSIG:
                armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):  # no libc to load: the watcher below does it
            armed = False
    if os.getppid() != parent:  # the parent went before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), name=f"{name.decode()}-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
