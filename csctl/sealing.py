"""Customers' phone numbers, masked for the eye and sealed at rest (C1; README, "Trust").

A sale's `customer` column holds the text as every listing shows it, phone numbers masked
(`Wang 138****5678`); when masking changed the text, the full text is also kept, sealed, in
`customer_sealed`: AES-256-GCM (the `cryptography` package) under a key kept outside the
ledger, so that a copy of the ledger file alone does not reveal a phone number. `--reveal`,
for a supervisor who holds the key, unseals it.

A sealed value is text: `1:KEYID:BASE64`, where 1 is this format, KEYID the first 8 hex
digits of the SHA-256 of the key (so a row names the key it needs without revealing it), and
BASE64 the 12-byte nonce followed by the ciphertext and its 16-byte tag. Nonces are random
(os.urandom), drawn for a whole chunk of rows at once.

The key is a file of its own, created owner-only (0600, its folder 0700) on first need: the
policy's `privacy.key_file` when it names one, else KEYS/LEDGERKEY.key in the per-user state
folder (KEYS = STATE/keys, LEDGERKEY the witness's name for the ledger: a digest of its
path). It holds one line of base64 after a comment line. Revealing looks for a row's key by
its id: in the file sealing uses, in every file a policy version ever named, and in every
`.key` file of the per-user keys folder (a ledger moved or restored elsewhere still finds
the keys it was sealed with on this machine).

Importing `cryptography` costs a few milliseconds; it happens only here, and only when a
text is sealed or unsealed. Masking needs nothing but `re`.
"""

from __future__ import annotations

from .i18n import _

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .digest import sha256
from .errors import InputError

FORMAT = "1"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
KEY_ID_DIGITS = 8
KEY_SUFFIX = ".key"

_PHONE = re.compile(r"\+?\d[\d\- ]{5,}\d")
_NOT_DIGIT = re.compile(r"\D")


# ----------------------------------------------------------------------------- masking
def _hide(found: re.Match[str]) -> str:
    text = found.group()
    digits = text if text.isdigit() else _NOT_DIGIT.sub("", text)
    if len(digits) < 7:
        return text
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return "****" + digits[-4:]


def mask_phone(text: str | None) -> str | None:
    """Customers' phone numbers are personal data: 13812345678 shows as 138****5678."""
    if not text:
        return text
    return _PHONE.sub(_hide, text)


def mask_many(texts: Sequence[str]) -> list[str]:
    """mask_phone of each text, a whole column in one pass (an import's chunk)."""
    joined = "\n".join(texts)
    masked = _PHONE.sub(_hide, joined).split("\n")  # a match never spans a line break
    if len(masked) != len(texts):  # some text held a line break itself
        return [mask_phone(t) or "" for t in texts]
    return masked


# ----------------------------------------------------------------------------- the key
def key_id(secret: bytes) -> str:
    return sha256(secret).hexdigest()[:KEY_ID_DIGITS]


def id_of(sealed: str) -> str:
    """The id of the key a sealed value needs."""
    return sealed[len(FORMAT) + 1:len(FORMAT) + 1 + KEY_ID_DIGITS]


def keys_folder() -> Path:
    from .ledger.witness import state_dir

    return state_dir() / "keys"


def default_key_path(ledger: Path) -> Path:
    """Where a ledger's key is kept when the policy names no file: the per-user keys folder."""
    from .ledger.witness import key

    return keys_folder() / f"{key(ledger)}{KEY_SUFFIX}"


def read_key(path: Path) -> bytes | None:
    """The key in the file at `path`, or None when there is no file; a file that is not a key
    is refused, naming it."""
    import binascii

    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("key", _("cannot read the key at {path} ({value})").format(path=path, value=getattr(exc, 'strerror', None) or exc)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    try:
        secret = binascii.a2b_base64(lines[0]) if len(lines) == 1 else b""
    except binascii.Error:
        secret = b""
    if len(secret) != KEY_BYTES:
        raise InputError("key", _("{path} is not a csctl key (one line of base64 holding {key_bytes} bytes)").format(path=path, key_bytes=KEY_BYTES))
    return secret


def create_key(path: Path, ledger: Path, *, make_folder: bool) -> bytes:
    """A new random key in a new owner-only file at `path`; another csctl making it at the same
    moment wins, and its key is used."""
    import binascii

    secret = os.urandom(KEY_BYTES)
    if make_folder:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise InputError("key", _("the folder of the key file privacy.key_file names, {parent}, does not exist (is its disk mounted?); nothing was recorded").format(parent=path.parent))
    where = os.path.realpath(ledger).replace("\n", "\\n")
    text = (f"# csctl key sealing customers' phone numbers in {where}; keep it apart from the ledger and "
            "its backups\n" + binascii.b2a_base64(secret).decode("ascii"))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except FileExistsError:
        found = read_key(path)
        assert found is not None
        return found
    except OSError as exc:
        raise InputError("key", _("cannot create the key at {path} ({strerror}); nothing was recorded").format(path=path, strerror=exc.strerror)) from None
    try:
        os.write(fd, text.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def key_files(also: Iterable[Path] = ()) -> list[Path]:
    """Where a key is looked for by its id: the files given, then the per-user keys folder's."""
    found = list(also)
    try:
        found += sorted(Path(entry.path) for entry in os.scandir(keys_folder()) if entry.name.endswith(KEY_SUFFIX))
    except OSError:  # no folder yet, or one this account may not read
        pass
    return list(dict.fromkeys(found))


# ----------------------------------------------------------------------------- sealing
class Sealer:
    """Seals and unseals texts under one key (AES-256-GCM, a random nonce each)."""

    def __init__(self, secret: bytes):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self.id = key_id(secret)
        self._aead = AESGCM(secret)
        self._prefix = f"{FORMAT}:{self.id}:"

    def seal(self, text: str) -> str:
        return self.seal_many([text])[0]

    def seal_many(self, texts: Sequence[str]) -> list[str]:
        """Each text sealed; one draw of random bytes gives every nonce."""
        from binascii import b2a_base64

        drawn = os.urandom(NONCE_BYTES * len(texts))
        encrypt, prefix = self._aead.encrypt, self._prefix
        nonces = [drawn[i:i + NONCE_BYTES] for i in range(0, len(drawn), NONCE_BYTES)]
        return [prefix + b2a_base64(nonce + encrypt(nonce, text.encode(), None), newline=False).decode("ascii")
                for nonce, text in zip(nonces, texts)]

    def unseal(self, sealed: str) -> str:
        """The text a sealed value holds; ValueError if it was not sealed with this key or was altered."""
        from binascii import Error, a2b_base64

        from cryptography.exceptions import InvalidTag

        if not sealed.startswith(self._prefix):
            raise ValueError(f"sealed with key {id_of(sealed)}, not {self.id}")
        try:
            raw = a2b_base64(sealed[len(self._prefix):])
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
        except (Error, InvalidTag, UnicodeDecodeError):
            raise ValueError("it does not open with its key: the stored value was altered") from None


def sealed_columns(customers: Sequence[str], sealer: Sealer | None) -> tuple[list[str], list[Any]]:
    """An import chunk's customer cells as stored: masked, and sealed where masking changed them
    (None where it did not). Without a sealer (the policy seals nothing) they are kept as given."""
    if sealer is None:
        return list(customers), [None] * len(customers)
    masked = mask_many(customers)
    changed = [i for i, (shown, given) in enumerate(zip(masked, customers)) if shown != given]
    sealed: list[Any] = [None] * len(customers)
    for i, value in zip(changed, sealer.seal_many([customers[i] for i in changed])):
        sealed[i] = value
    return masked, sealed
