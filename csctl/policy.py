"""The policy: every number the rules use, shipped as TOML and versioned in the ledger.

`default_policy.toml` beside this module holds the shipped defaults; `default_policy.json`
beside it is the same tree in JSON (numbers exact, read back as Decimal), which every
command reads instead, since JSON is parsed in a tenth of the time and needs no TOML parser
(tests/test_policy_defaults.py holds the two equal and rewrites the JSON). A stored version is a
TOML text that gives some keys; it is laid over the defaults and validated as a whole, so
a malformed file is refused naming the key that is wrong. Nothing here touches the ledger:
services hand in the stored text and get a `Policy` back.
"""

from __future__ import annotations

from .i18n import _

import json
import os
import re
import sys
from datetime import time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NamedTuple

from .digest import sha256
from .errors import InputError
from .models import DEPARTMENTS, LEVELS, RANKS


def _toml() -> Any:
    """The TOML parser, imported only when a policy text is parsed (not to load the defaults)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib

LANGUAGES = ("auto", "en", "zh")  # auto: the language of the locale csctl runs in
PLAN_KEYS = ("sales_rate", "per_order", "floor", "veteran_floor", "veteran_months", "veteran_rank")
PRORATE = ("days", "none")
PLACEMENT_KEYS = ("base", "plan")


class Discipline(NamedTuple):
    """D1-D10."""

    start: Decimal
    late_points: Decimal
    late_absence_minutes: int
    absence_points: Decimal
    awol_points: Decimal
    quota: int
    offline_tiers: tuple[tuple[int, Decimal], ...]
    slow_complaint_tiers: tuple[tuple[int, Decimal], ...]
    attitude_points: Decimal
    attitude_tiers: tuple[tuple[int, Decimal], ...]
    unfinished_points: tuple[Decimal, ...]
    rank_min_days: int = 15


class Outcomes(NamedTuple):
    """O1-O3."""

    warning: Decimal
    punishment: Decimal
    severe_months: int


class Plan(NamedTuple):
    """A commission plan (C2-C4); an absent part is None."""

    name: str
    sales_rate: Decimal | None = None
    per_order: Decimal | None = None
    floor: Decimal | None = None
    veteran_floor: Decimal | None = None
    veteran_months: int | None = None
    veteran_rank: str | None = None  # C4: this rank and above get veteran_floor from the first month


class Placement(NamedTuple):
    """Where a person's pay comes from: a base ("level" or an amount) and a plan name."""

    base: Decimal | str  # Decimal, or "level" for pay.level_base
    plan: str | None


class Shift(NamedTuple):
    """A shift a handover names (H1, H4): the departments of the outgoing (`from_depts`) and
    the incoming person (`to_depts`), and the time of day it is due, if the rules set one."""

    name: str
    at: str | None
    from_depts: tuple[str, ...]
    to_depts: tuple[str, ...]


class Handover(NamedTuple):
    """H1-H5: the handover checklist, the shifts, and when a major incident's report is due."""

    items: tuple[str, ...]
    shifts: dict[str, Shift]
    report_days: int


class Hazmat(NamedTuple):
    """Z1, Z4."""

    decimals: int  # Z1: decimal places a quantity may have
    unit_decimals: dict[str, int]  # Z1: a unit's own places, over `decimals` (pieces: 0)
    cutoff: time | None  # Z4: a draw is due back by this time of its day; None: midnight

    def places(self, unit: str) -> int:
        return self.unit_decimals.get(unit, self.decimals)


class Keys(NamedTuple):
    """K7, K8 and the stock-take."""

    due_minutes: int  # keys.due_time as minutes after the borrowing day's midnight (1440: its end)
    audit_max_days: int
    shift_from: str
    shift_to: str


class Policy(NamedTuple):
    language: str
    discipline: Discipline
    outcomes: Outcomes
    allowance: Decimal
    level_base: dict[str, Decimal]
    plans: dict[str, Plan]
    departments: dict[str, Placement]
    staff: dict[str, Placement]
    data: dict[str, Any]  # the merged, validated tree, for `policy show` and the digest
    handover: Handover
    keys: Keys
    rank_base: dict[str, Decimal] = {}  # C6: customer-service base by rank, over the level's
    prorate: str = "days"  # C6: part months paid by calendar days active ("days") or whole ("none")
    timezone: str = "local"  # L7: the department's zone (an IANA name), or "local": the machine's
    hazmat: Hazmat = Hazmat(3, {}, None)
    witness_path: str = ""  # a folder that keeps a witness of the ledger's head (ledger/witness.py)
    seal_phones: bool = True  # C1: customers' phone numbers sealed at rest (sealing.py)
    key_file: str = ""  # the key that seals them; "": the per-user state folder's

    @property
    def digest(self) -> str:
        return sha256(canonical_json(self.data).encode()).hexdigest()

    def placement(self, staff_id: str, dept: str) -> Placement:
        """The base and plan a person is paid on: their own, else their department's."""
        dept_place = self.departments.get(dept, Placement(Decimal("0.00"), None))
        own = self.staff.get(staff_id)
        if own is None:
            return dept_place
        return Placement(
            own.base if own.base is not None else dept_place.base,
            own.plan if own.plan is not None else dept_place.plan,
        )


def zone_of(name: Any) -> Any:
    """L7: the time zone of an IANA name (zoneinfo, imported only when a policy names one), or
    None when there is no such zone."""
    if not isinstance(name, str) or not name or name == "local":
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, KeyError, OSError, ImportError):  # ZoneInfoNotFoundError is a KeyError
        return None


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _shipped(name: str) -> str:
    """A file shipped beside this module, read through the module's own loader (from a
    directory or a zip alike), as text with universal newlines like
    `importlib.resources.files(...).read_text()`, whose readers import zipfile and more on
    every run that loads the policy, `csctl log late` included."""
    get_data, here = getattr(__loader__, "get_data", None), globals().get("__file__")
    if get_data is None or not here:  # pragma: no cover - a loader without files
        from importlib import resources

        return resources.files("csctl").joinpath(name).read_text(encoding="utf-8")
    data = get_data(os.path.join(os.path.dirname(here), name))
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


@lru_cache(maxsize=1)
def default_text() -> str:
    """default_policy.toml, the shipped defaults as a person reads them."""
    return _shipped("default_policy.toml")


@lru_cache(maxsize=1)
def _default_tree() -> dict[str, Any]:
    """The defaults' tree, from default_policy.json (the TOML's twin)."""
    return json.loads(_shipped("default_policy.json"), parse_float=Decimal)


def exact_json(value: Any, depth: int = 0) -> str:
    """A policy tree as JSON whose numbers are exact: a Decimal is written as the number it
    is (`0.5`, `2.0`), which `json.loads(..., parse_float=Decimal)` reads back as the same
    Decimal; an int stays an int. One key a line, for a readable diff."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        text = str(value)  # "0.5", "1E+3", or plain digits when the exponent is 0:
        return text if "." in text or "E" in text else text + "E0"  # read back as a Decimal, not an int
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(exact_json(v, depth) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pad = "  " * (depth + 1)
        items = ",\n".join(f"{pad}{json.dumps(k, ensure_ascii=False)}: {exact_json(v, depth + 1)}" for k, v in value.items())
        return "{\n" + items + "\n" + "  " * depth + "}"
    raise TypeError(f"a policy holds no {type(value).__name__}")


def defaults_json() -> str:
    """default_policy.json as it must be: the TOML's tree in exact JSON."""
    return exact_json(_toml().loads(default_text(), parse_float=Decimal)) + "\n"


def default_policy() -> Policy:
    return load(None)


def parse_text(text: str) -> dict[str, Any]:
    """Parse a stored or submitted policy file; refuses what is not TOML.

    A text parsed once is kept, as exact JSON, in the per-user cache folder under its SHA-256:
    every command reads the policy versions in force, and JSON is read in a tenth of the time
    TOML takes, without importing a TOML parser. The cache is derived and content-addressed; a
    file that does not read back is parsed again."""
    cached = _cache_file(text)
    if cached is not None:
        try:
            with open(cached, encoding="utf-8") as handle:
                return json.loads(handle.read(), parse_float=Decimal)
        except (OSError, ValueError):
            pass
    tomllib = _toml()
    try:
        tree = tomllib.loads(text, parse_float=Decimal)  # numbers stay exact, never binary floats
    except tomllib.TOMLDecodeError as exc:
        raise InputError("policy", _("not valid TOML: {exc}").format(exc=exc)) from None
    if cached is not None:
        try:
            _keep(cached, exact_json(tree))
        except TypeError:  # a date or a time, which no policy key takes: refused when it is built
            pass
    return tree


def _cache_file(text: str) -> str | None:
    """Where a policy text's parsed tree is kept: $XDG_CACHE_HOME/csctl/policy/<sha256>.json."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    if not os.path.isabs(base):
        return None
    return os.path.join(base, "csctl", "policy", sha256(text.encode()).hexdigest() + ".json")


def _keep(path: str, data: str) -> None:
    """Write a cache file whole (a temporary file renamed over it), owner-only; a cache that
    cannot be written is simply not kept."""
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        pass


def load(text: str | None) -> Policy:
    """The policy a stored version gives: its keys laid over the defaults, validated."""
    tree = _merge(_default_tree(), parse_text(text) if text else {}, "")
    return _build(tree)


@lru_cache(maxsize=16)
def load_cached(text: str | None) -> Policy:
    return load(text)


def _merge(base: dict[str, Any], over: dict[str, Any], where: str) -> dict[str, Any]:
    """Lay `over` on `base`; an unknown key is refused unless its table is an open map."""
    table = where.rstrip(".")
    # Named maps take new names; their entries are checked key by key when the policy is built.
    open_map = (table in ("pay.level_base", "pay.rank_base", "hazmat.unit_decimals")
                or table.split(".")[0] in ("plans", "departments", "staff") or table.startswith("handover.shifts"))
    out = dict(base)
    for key, value in over.items():
        path = f"{where}{key}"
        if key not in base and not open_map:
            raise InputError(f"policy {path}", _("unknown key; `csctl policy show` lists the keys"))
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value, path + ".")
        elif isinstance(value, dict) and key not in base:
            out[key] = value
        elif isinstance(value, dict) != isinstance(base.get(key, value), dict):
            raise InputError(f"policy {path}", _("expected a table") if isinstance(base.get(key), dict) else _("expected a value, not a table"))
        else:
            out[key] = value
    return out


def _number(tree: dict, path: str, *, places: int | None = None, minimum: Decimal = Decimal(0)) -> Decimal:
    return _num(_get(tree, path), path, places=places, minimum=minimum)


def _num(value: Any, path: str, *, places: int | None = None, minimum: Decimal = Decimal(0)) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise InputError(f"policy {path}", _("expected a number, got {value!r}").format(value=value))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InputError(f"policy {path}", _("expected a number, got {value!r}").format(value=value)) from None
    if not number.is_finite() or number < minimum or number > Decimal("1000000000"):
        raise InputError(f"policy {path}", _("expected a number from {minimum} to 1000000000, got {value!r}").format(minimum=minimum, value=value))
    if places is not None:
        if -number.as_tuple().exponent > places:  # type: ignore[operator]
            raise InputError(f"policy {path}", _("at most {places} decimal places, got {value!r}").format(places=places, value=value))
        number = number.quantize(Decimal(1).scaleb(-places))
    return number


def _integer(tree: dict, path: str, minimum: int = 0, maximum: int = 10_000) -> int:
    value = _get(tree, path)
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise InputError(f"policy {path}", _("expected a whole number from {minimum} to {maximum}, got {value!r}").format(minimum=minimum, maximum=maximum, value=value))
    return value


def _get(tree: dict, path: str) -> Any:
    node: Any = tree
    for part in path.split("."):
        node = node[part]
    return node


def _tiers(tree: dict, path: str) -> tuple[tuple[int, Decimal], ...]:
    value = _get(tree, path)
    problem = _("expected a list of [count, points] pairs with rising counts, got {value!r}").format(value=value)
    if not isinstance(value, list):
        raise InputError(f"policy {path}", problem)
    tiers: list[tuple[int, Decimal]] = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], int)
                and not isinstance(pair[0], bool) and pair[0] >= 1):
            raise InputError(f"policy {path}", problem)
        points = _num(pair[1], path)
        if tiers and (pair[0] <= tiers[-1][0] or points < tiers[-1][1]):
            raise InputError(f"policy {path}", problem)
        tiers.append((pair[0], points))
    return tuple(tiers)


def _placement(tree: dict, path: str, plans: dict[str, Plan], *, partial: bool) -> Placement:
    table = _get(tree, path)
    if not isinstance(table, dict):
        raise InputError(f"policy {path}", _("expected a table with base and plan"))
    for key in table:
        if key not in PLACEMENT_KEYS:
            raise InputError(f"policy {path}.{key}", _("unknown key; a placement has base and plan"))
    base: Decimal | str | None = None
    if "base" in table:
        base = "level" if table["base"] == "level" else _number(tree, f"{path}.base", places=2)
    elif not partial:
        base = Decimal("0.00")
    plan = table.get("plan")
    if plan is not None and (not isinstance(plan, str) or plan not in plans):
        raise InputError(f"policy {path}.plan", _("no plan named {plan!r}; plans: {plans}").format(plan=plan, plans=', '.join(sorted(plans))))
    return Placement(base, plan)  # type: ignore[arg-type]


def _build(tree: dict[str, Any]) -> Policy:
    zone = tree.get("timezone")
    if zone != "local" and zone_of(zone) is None:
        raise InputError("policy timezone", _("expected \"local\" or a time zone name such as \"Asia/Shanghai\", got {zone!r}").format(zone=zone))
    language = tree.get("language")
    if language not in LANGUAGES:
        raise InputError("policy language", _("expected one of {languages}, got {language!r}").format(languages=', '.join(LANGUAGES), language=language))
    unfinished = _get(tree, "discipline.unfinished_points")
    if not isinstance(unfinished, list) or not unfinished:
        raise InputError("policy discipline.unfinished_points", _("expected a list of points, got {unfinished!r}").format(unfinished=unfinished))
    discipline = Discipline(
        start=_number(tree, "discipline.start", minimum=Decimal("0.5")),
        late_points=_number(tree, "discipline.late_points"),
        late_absence_minutes=_integer(tree, "discipline.late_absence_minutes", 1, 24 * 60),
        absence_points=_number(tree, "discipline.absence_points"),
        awol_points=_number(tree, "discipline.awol_points"),
        quota=_integer(tree, "discipline.quota", 0, 31),
        offline_tiers=_tiers(tree, "discipline.offline_tiers"),
        slow_complaint_tiers=_tiers(tree, "discipline.slow_complaint_tiers"),
        attitude_points=_number(tree, "discipline.attitude_points"),
        attitude_tiers=_tiers(tree, "discipline.attitude_tiers"),
        unfinished_points=tuple(_num(p, "discipline.unfinished_points") for p in unfinished),
        rank_min_days=_integer(tree, "discipline.rank_min_days", 0, 31),
    )
    outcomes = Outcomes(
        warning=_number(tree, "outcomes.warning"),
        punishment=_number(tree, "outcomes.punishment"),
        severe_months=_integer(tree, "outcomes.severe_months", 1, 24),
    )
    if outcomes.punishment > outcomes.warning:
        raise InputError("policy outcomes.punishment", _("must not be above outcomes.warning"))
    level_base = {}
    for level in _get(tree, "pay.level_base"):
        if level not in LEVELS:
            raise InputError(f"policy pay.level_base.{level}", _("unknown level; levels: {levels}").format(levels=', '.join(LEVELS)))
        level_base[level] = _number(tree, f"pay.level_base.{level}", places=2)
    plans: dict[str, Plan] = {}
    for name, table in _get(tree, "plans").items():
        if not isinstance(table, dict):
            raise InputError(f"policy plans.{name}", _("expected a table"))
        for key in table:
            if key not in PLAN_KEYS:
                raise InputError(f"policy plans.{name}.{key}", _("unknown key; a plan has {plan_keys}").format(plan_keys=', '.join(PLAN_KEYS)))
        def opt(key: str, places: int) -> Decimal | None:
            return _number(tree, f"plans.{name}.{key}", places=places) if key in table else None
        plan = Plan(
            name=name,
            sales_rate=opt("sales_rate", 6),
            per_order=opt("per_order", 2),
            floor=opt("floor", 2),
            veteran_floor=opt("veteran_floor", 2),
            veteran_months=(_integer(tree, f"plans.{name}.veteran_months", 1, 1200)
                            if "veteran_months" in table else None),
            veteran_rank=_rank(tree, f"plans.{name}.veteran_rank") if "veteran_rank" in table else None,
        )
        if plan.veteran_rank is not None and plan.veteran_floor is None:
            raise InputError(f"policy plans.{name}.veteran_rank", _("needs veteran_floor, the floor it gives"))
        if (plan.veteran_floor is None) != (plan.veteran_months is None):
            raise InputError(f"policy plans.{name}", _("veteran_floor and veteran_months go together"))
        plans[name] = plan
    departments = {}
    for dept in _get(tree, "departments"):
        if dept not in DEPARTMENTS:
            raise InputError(f"policy departments.{dept}", _("unknown department; departments: {departments}").format(departments=', '.join(DEPARTMENTS)))
        departments[dept] = _placement(tree, f"departments.{dept}", plans, partial=False)
    staff = {sid: _placement(tree, f"staff.{sid}", plans, partial=True) for sid in _get(tree, "staff")}
    rank_base = {rank: _number(tree, f"pay.rank_base.{rank}", places=2) for rank in _get(tree, "pay.rank_base")}
    for rank in rank_base:
        if rank not in RANKS:
            raise InputError(f"policy pay.rank_base.{rank}", _("unknown rank; ranks: {ranks}").format(ranks=', '.join(RANKS)))
    for key in ("name", "department", "currency"):
        if not isinstance(_get(tree, f"company.{key}"), str):
            raise InputError(f"policy company.{key}", _("expected text, got {get!r}").format(get=_get(tree, f'company.{key}')))
    prorate = _get(tree, "pay.prorate")
    if prorate not in PRORATE:
        raise InputError("policy pay.prorate", _("expected one of {prorate}, got {prorate2!r}").format(prorate=', '.join(PRORATE), prorate2=prorate))
    witness_path = _get(tree, "witness.path")
    if not isinstance(witness_path, str) or "\0" in witness_path or len(witness_path) > 4096:
        raise InputError("policy witness.path", _("expected the path of a folder (or \"\" for none), got {witness_path!r}").format(witness_path=witness_path))
    if witness_path and not os.path.isabs(os.path.expanduser(witness_path)):
        raise InputError("policy witness.path", _("expected an absolute path (a relative one would depend on where csctl runs), got {witness_path!r}").format(witness_path=witness_path))
    seal_phones = _get(tree, "privacy.seal_phones")
    if not isinstance(seal_phones, bool):
        raise InputError("policy privacy.seal_phones", _("expected true or false, got {seal_phones!r}").format(seal_phones=seal_phones))
    key_file = _get(tree, "privacy.key_file")
    if not isinstance(key_file, str) or "\0" in key_file or len(key_file) > 4096:
        raise InputError("policy privacy.key_file", _("expected the path of a key file (or \"\" for the per-user one), got {key_file!r}").format(key_file=key_file))
    if key_file and not os.path.isabs(os.path.expanduser(key_file)):
        raise InputError("policy privacy.key_file", _("expected an absolute path (a relative one would depend on where csctl runs), got {key_file!r}").format(key_file=key_file))
    return Policy(
        language=language,
        discipline=discipline,
        outcomes=outcomes,
        allowance=_number(tree, "pay.allowance", places=2),
        level_base=level_base,
        plans=plans,
        departments=departments,
        staff=staff,
        data=tree,
        rank_base=rank_base,
        prorate=prorate,
        timezone=zone,
        handover=_handover(tree),
        hazmat=_hazmat(tree),
        keys=_keys(tree),
        witness_path=witness_path,
        seal_phones=seal_phones,
        key_file=key_file,
    )


HAZMAT_MAX_DECIMALS = 3  # quantities are stored as integer thousandths of their unit


def _hazmat(tree: dict[str, Any]) -> Hazmat:
    """Z1's decimal places (0 to 3, overall and per unit) and Z4's cut-off time ("HH:MM",
    "24:00" for midnight)."""
    units = _get(tree, "hazmat.unit_decimals")
    if not isinstance(units, dict):
        raise InputError("policy hazmat.unit_decimals", _("expected a table of unit = decimal places"))
    cutoff = _clock_minutes(tree, "hazmat.cutoff")
    return Hazmat(
        decimals=_integer(tree, "hazmat.decimals", 0, HAZMAT_MAX_DECIMALS),
        unit_decimals={unit: _integer(tree, f"hazmat.unit_decimals.{unit}", 0, HAZMAT_MAX_DECIMALS) for unit in units},
        cutoff=None if cutoff == 24 * 60 else time(cutoff // 60, cutoff % 60),
    )


def _rank(tree: dict, path: str) -> str:
    value = _get(tree, path)
    if value not in RANKS:
        raise InputError(f"policy {path}", _("expected a rank ({ranks}), got {value!r}").format(ranks=', '.join(RANKS), value=value))
    return value


SHIFT_KEYS = ("at", "from", "to")
_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}\Z")
_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]\Z")


def _names(tree: dict, path: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """A non-empty list of distinct names (lower case, digits, _), each one of `allowed` if given."""
    value = _get(tree, path)
    if (not isinstance(value, list) or not value or len(set(map(str, value))) != len(value)
            or not all(isinstance(v, str) and _NAME.match(v) for v in value)):
        raise InputError(f"policy {path}", _("expected a list of distinct names such as [\"equipment\", \"keys\"], got {value!r}").format(value=value))
    if allowed is not None:
        for name in value:
            if name not in allowed:
                raise InputError(f"policy {path}", _("{name!r} is not a department; departments: {allowed}").format(name=name, allowed=', '.join(allowed)))
    return tuple(value)


def _handover(tree: dict[str, Any]) -> Handover:
    """H1, H4, H5: the checklist's items, the shifts with their departments, the report's delay."""
    shifts: dict[str, Shift] = {}
    table = _get(tree, "handover.shifts")
    if not isinstance(table, dict) or not table:
        raise InputError("policy handover.shifts", _("expected at least one shift"))
    for name, shift in table.items():
        path = f"handover.shifts.{name}"
        if not _NAME.match(name):
            raise InputError(f"policy {path}", _("a shift's name is lower case letters, digits and _"))
        if not isinstance(shift, dict):
            raise InputError(f"policy {path}", _("expected a table with from, to and optionally at"))
        for key in shift:
            if key not in SHIFT_KEYS:
                raise InputError(f"policy {path}.{key}", _("unknown key; a shift has {shift_keys}").format(shift_keys=', '.join(SHIFT_KEYS)))
        for key in ("from", "to"):
            if key not in shift:
                raise InputError(f"policy {path}.{key}", _("missing: the departments of the ")
                                 + (_("outgoing") if key == "from" else _("incoming")) + _(" person"))
        at = shift.get("at")
        if at is not None and not (isinstance(at, str) and _CLOCK.match(at)):
            raise InputError(f"policy {path}.at", _("expected a time of day HH:MM, e.g. \"08:00\", got {at!r}").format(at=at))
        shifts[name] = Shift(name, at, _names(tree, f"{path}.from", DEPARTMENTS),
                             _names(tree, f"{path}.to", DEPARTMENTS))
    return Handover(items=_names(tree, "handover.items"), shifts=shifts,
                    report_days=_integer(tree, "duty.report_days", 0, 31))


def _clock_minutes(tree: dict, path: str) -> int:
    """A time of day written "HH:MM", from "00:01" to "24:00" (the end of the day), as minutes
    after midnight: a key's due time (K7), a draw's cut-off (Z4)."""
    value = _get(tree, path)
    problem = _("expected a time of day \"HH:MM\" from \"00:01\" to \"24:00\" (midnight), got {value!r}").format(value=value)
    if not (isinstance(value, str) and len(value) == 5 and value[2] == ":" and value.replace(":", "", 1).isascii()
            and value.replace(":", "", 1).isdigit()):
        raise InputError(f"policy {path}", problem)
    hours, minutes = int(value[:2]), int(value[3:])
    total = hours * 60 + minutes
    if minutes > 59 or not 1 <= total <= 24 * 60:
        raise InputError(f"policy {path}", problem)
    return total


def _name(tree: dict, path: str) -> str:
    value = _get(tree, path)
    if not (isinstance(value, str) and 0 < len(value) <= 24 and value.isascii()
            and value.replace("_", "").replace("-", "").isalnum()):
        raise InputError(f"policy {path}", _("expected a short name (letters, digits, - and _), got {value!r}").format(value=value))
    return value


def _keys(tree: dict[str, Any]) -> Keys:
    keys = Keys(
        due_minutes=_clock_minutes(tree, "keys.due_time"),
        audit_max_days=_integer(tree, "keys.audit_max_days", 1, 3660),
        shift_from=_name(tree, "keys.shift_from"),
        shift_to=_name(tree, "keys.shift_to"),
    )
    if keys.shift_from == keys.shift_to:
        raise InputError("policy keys.shift_to", _("must name another shift than keys.shift_from (K8)"))
    return keys
