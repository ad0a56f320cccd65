"""Witnesses: the chain's head, written down outside the ledger file after every write.

The chain proves that the rows still match their links; it cannot prove that the file still
holds every link it once held. A cut at the end (the newest rows deleted with their links) or
a consistent rewrite (a cell edited and every later link recomputed) leaves a chain that
checks. A witness is a file elsewhere to which every write appends the new head, one line:

    LINK_ID HASH RECORDED_AT

and `csctl verify` names the last witnessed link that the ledger no longer holds. The
witnesses of a ledger (README, "Trust"):

- the per-user one, always written: STATE/witness/KEY.witness, where STATE is the per-user
  state folder (platformdirs' user_state_dir("csctl"): $XDG_STATE_HOME/csctl, else
  ~/.local/state/csctl on Linux) and KEY the first 16 hex digits of the SHA-256 of the
  ledger's absolute path, symlinks resolved. Owner-only; each write one O_APPEND line, fsynced;
- the same name in the folder the policy names (`witness.path`), when it names one;
- LEDGER.witness beside a ledger, which `csctl backup` writes beside its copy.

Appending costs one small write and an fsync; nothing here imports more than `os`.
"""

from __future__ import annotations

from ..i18n import _

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from ..digest import sha256

SUFFIX = ".witness"
KEY_DIGITS = 16
FINGERPRINT_DIGITS = 16  # as chain.FINGERPRINT_DIGITS; not imported, to keep a write's imports few


def state_dir() -> Path:
    """platformdirs.user_state_dir("csctl"), worked out here on Linux (platformdirs costs a few
    milliseconds to import, on every write)."""
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_STATE_HOME", "").strip() or os.path.expanduser("~/.local/state")
        return Path(base) / "csctl"
    import platformdirs

    return Path(platformdirs.user_state_dir("csctl"))


def key(ledger: Path) -> str:
    """The name a ledger's witness goes by: a digest of its absolute path, symlinks resolved."""
    return sha256(os.path.realpath(ledger).encode("utf-8", "surrogateescape")).hexdigest()[:KEY_DIGITS]


def in_folder(folder: Path, ledger: Path) -> Path:
    """The witness of `ledger` kept in `folder`."""
    return folder / f"{key(ledger)}{SUFFIX}"


def default_path(ledger: Path) -> Path:
    """The per-user witness of `ledger`, always written."""
    return in_folder(state_dir() / "witness", ledger)


def beside(ledger: Path) -> Path:
    """LEDGER.witness: the witness `csctl backup` leaves beside its copy."""
    return ledger.with_name(ledger.name + SUFFIX)


def _header(ledger: Path) -> bytes:
    where = os.path.realpath(ledger).replace("\n", "\\n")
    return (f"# csctl witness of {where}: the chain's head after each write (link id, hash, "
            "recorded at); `csctl verify` compares the ledger with it\n").encode("utf-8", "surrogateescape")


def line(link: int, link_hash: str, at: str) -> bytes:
    return f"{link} {link_hash} {at}\n".encode()


def append(path: Path, data: bytes, ledger: Path, *, make_folder: bool = False) -> None:
    """Append `data` (whole lines) to the witness at `path`, creating it owner-only with its
    header line if it is missing; fsynced. Raises OSError."""
    flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if make_folder:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
            data = _header(ledger) + data
        except FileExistsError:  # another csctl made it a moment ago
            fd = os.open(path, flags)
    try:
        if os.write(fd, data) != len(data):
            raise OSError(28, "No space left on device")
        os.fsync(fd)
    finally:
        os.close(fd)


class Record(NamedTuple):
    link: int
    hash: str
    at: str


def read(path: Path) -> tuple[list[Record], int]:
    """The records of a witness and how many lines could not be read as one (a torn line).
    Raises OSError (FileNotFoundError when there is none)."""
    records: list[Record] = []
    unreadable = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for text in f:
            if text.startswith("#") or not text.strip():
                continue
            parts = text.split()
            if (len(parts) == 3 and parts[0].isdigit() and len(parts[1]) == 64
                    and all(c in "0123456789abcdef" for c in parts[1])):
                records.append(Record(int(parts[0]), parts[1], parts[2]))
            else:
                unreadable += 1
    return records, unreadable


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def check(links: Mapping[int, str], records: Iterable[Record], path: Path) -> str | None:
    """What the ledger's links (id: hash) lost of a witness's records, as a sentence naming the
    last witnessed link it no longer holds; None when it holds every one."""
    lost = [r for r in records if links.get(r.link) != r.hash]
    if not lost:
        return None
    last = max(lost, key=lambda r: r.link)
    rewritten = sorted((r for r in lost if r.link in links), key=lambda r: r.link)
    held = max(links, default=0)
    said = (_("the ledger no longer holds link {link} (fingerprint {hash}) that the witness at {path} recorded on {at}").format(link=last.link, hash=last.hash[:FINGERPRINT_DIGITS], path=path, at=_when(last.at)))
    if last.link > held:
        how = _("it was cut back to link {held}").format(held=held) if held else _("it was cut back to no link at all")
        if rewritten:
            how += _(", and rewritten: link {link} differs from the witness too").format(link=rewritten[0].link)
        return f"{said}: {how}"
    first = rewritten[0]
    return (_("{said}: its history was rewritten (link {link}, witnessed as {hash}, is now {links})").format(said=said, link=first.link, hash=first.hash[:FINGERPRINT_DIGITS], links=links[first.link][:FINGERPRINT_DIGITS]))
