"""SHA-256 for the chain, the witness and the policy: the same digest from either of two
implementations, chosen by how much is hashed.

A write of a row or two, a link, a file name or a policy text hashes a few hundred bytes: the
interpreter's own module loads in microseconds. Bulk data (an import of a million rows, a
verify of the whole ledger) goes through hashlib's OpenSSL, which takes about 3 ms to load,
a tenth of a one-line command's own work, and hashes several times faster.
"""

from __future__ import annotations

from typing import Any


def sha256(data: bytes = b"", *, bulk: bool = False) -> Any:
    """A SHA-256 hash object holding `data`; `bulk` for megabytes."""
    if not bulk:
        try:
            from _sha256 import sha256 as small  # CPython 3.10, 3.11
        except ImportError:
            try:
                from _sha2 import sha256 as small  # type: ignore[no-redef]  # CPython 3.12 and later
            except ImportError:
                small = None
        if small is not None:
            return small(data)
    import hashlib

    return hashlib.sha256(data)
