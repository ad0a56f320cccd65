"""The ledger: the only package that speaks SQL.

`store` opens the file and runs every write as one transaction that ends with a link of the
hash chain (`chain`, which also verifies it); `queries` holds each domain's reads as plain
functions over an open `Ledger`, reading the `live_*` views of schema.sql for rows that count.
"""

from .chain import GENESIS, VerifyResult, canonical_row, fingerprint, hashed_chunk, json_chunk
from .store import BUSY_TIMEOUT_MS, TRAILER, Ledger, Writer, os_account

__all__ = ["BUSY_TIMEOUT_MS", "GENESIS", "TRAILER", "Ledger", "VerifyResult", "Writer", "canonical_row",
           "fingerprint", "hashed_chunk", "json_chunk", "os_account"]
