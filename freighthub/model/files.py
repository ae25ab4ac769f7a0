"""Reading TOML data files and turning validation failures into one-line errors.

Every loader in :mod:`freighthub.model` goes through :func:`read_toml` and
:func:`validate`, so a hub file, a standard, a factor pack or a scenario all fail
the same way: ``path: field = value: rule``.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import tomllib
import types
import typing
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.fields import PATTERN_RULES, FieldRule, first_repeat

__all__ = [
    "MAX_MAGNITUDE",
    "check_magnitudes",
    "data_file_by_id",
    "field_rule_error",
    "files_by_id",
    "files_in",
    "id_is_file_name",
    "read_toml",
    "sha256_of",
    "toml_files_in",
    "unique_ids",
    "unknown_in_file",
    "unknown_value",
    "validate",
]

M = TypeVar("M", bound=BaseModel)


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file into a dict.

    Raises
    ------
    DataFileError
        If the path does not exist, is a folder, is empty, is not UTF-8 or is not
        valid TOML.
    """
    p = Path(path)
    if not p.exists():
        raise DataFileError(p, "does not exist")
    if p.is_dir():
        raise DataFileError(p, "is a folder, expected a .toml file")
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(p, f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise DataFileError(p, "file is empty")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(p, f"TOML syntax error: {exc}") from None
    if not data:
        raise DataFileError(p, "file holds no fields (only comments)")
    return data


def unknown_in_file(exc: UnknownIdentifierError, path: str | Path, field: str) -> DataFileError:
    """The one-line error for an unknown id that ``field`` of the file ``path`` names.

    ``path: field = 'id': unknown <kind>; valid: ...``
    """
    return unknown_value(path, field, exc.identifier, exc.kind, exc.valid)


def unknown_value(
    path: str | Path, field: str, value: str, kind: str, valid: Iterable[str]
) -> DataFileError:
    """``path: field = 'value': unknown <kind>; valid: a, b`` (sorted; ``(none)`` if empty)."""
    shown = ", ".join(sorted(valid)) or "(none)"
    return DataFileError(path, f"unknown {kind}; valid: {shown}", field, value)


def unique_ids(
    path: str | Path, items: Iterable[tuple[str, str]], what: str = "", *, rule: str = ""
) -> None:
    """Check that no id repeats among ``items`` (field, id) of the file ``path``.

    Raises
    ------
    DataFileError
        ``path: field = 'id': <rule>`` on the first repeat; the rule defaults to
        ``duplicate <what> id``.
    """
    pairs = list(items)
    repeat = first_repeat(value for _, value in pairs)
    if repeat is not None:
        i, value = repeat
        rule = rule or (f"duplicate {what} id" if what else "duplicate id")
        raise DataFileError(path, rule, pairs[i][0], value)


def id_is_file_name(path: Path, value: str, field: str = "id") -> None:
    """Check that the id ``value`` (at ``field``) equals the file name without ``.toml``.

    Raises
    ------
    DataFileError
        ``path: field = 'value': must equal the file name '<name>'``.
    """
    if value != path.stem:
        raise DataFileError(path, f"must equal the file name {path.stem!r}", field, value)


def data_file_by_id(id_or_path: str | Path, known: dict[str, Path], kind: str) -> Path:
    """The file of an id among ``known`` (id -> file), or ``id_or_path`` itself if it is
    a path (ends in ``.toml`` or has a folder separator).

    Raises
    ------
    UnknownIdentifierError
        If the id is not known (the message lists the valid ids).
    """
    text = str(id_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(id_or_path)
    if text not in known:
        raise UnknownIdentifierError(kind, text, known)
    return known[text]


def sha256_of(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes (for reproducibility manifests)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def toml_files_in(folder: str | Path, what: str) -> list[Path]:
    """The ``*.toml`` files directly in ``folder``, sorted by name.

    Parameters
    ----------
    what
        What the files hold, for the error message (``"hub"``, ``"standard"``).

    Raises
    ------
    DataFileError
        If the folder does not exist or holds no TOML file.
    """
    d = Path(folder)
    if not d.exists():
        raise DataFileError(d, "does not exist")
    if not d.is_dir():
        raise DataFileError(d, "is not a folder")
    files = sorted(f for f in d.glob("*.toml") if f.is_file())
    if not files:
        raise DataFileError(d, f"folder holds no {what} files (*.toml)")
    return files


def files_by_id(folder: Path) -> dict[str, Path]:
    """The ``*.toml`` files directly in ``folder`` by id (file name without ``.toml``),
    sorted; empty if there is no such folder."""
    if not folder.is_dir():
        return {}
    return {f.stem: f for f in sorted(folder.glob("*.toml")) if f.is_file()}


def files_in(
    paths: Iterable[str | Path],
    folder_files: Callable[[Path], list[Path]],
    errors: list[DataFileError],
) -> list[Path]:
    """The files of ``paths`` in order: a file as given, a folder as ``folder_files`` lists
    it. A folder that cannot be listed (missing, empty) adds its error to ``errors`` and
    no files, so that a check can report every problem at once."""
    files: list[Path] = []
    for item in paths:
        p = Path(item)
        if not p.is_dir():
            files.append(p)
            continue
        try:
            files.extend(folder_files(p))
        except DataFileError as exc:
            errors.append(exc)
    return files


# The largest magnitude of a number in a data file. Not a physical limit: beyond it
# float64 sums of many values lose whole units (2**53 is about 9e15) and products such
# as TEU x km x g/tkm overflow towards inf, so a larger value is a typo, not data.
MAX_MAGNITUDE = 1e15


def _first_huge(data: Any, loc: list[int | str]) -> tuple[list[int | str], float] | None:
    if isinstance(data, dict):
        items: Iterable[tuple[int | str, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        if isinstance(data, float) and math.isfinite(data) and abs(data) > MAX_MAGNITUDE:
            return loc, data
        return None
    for key, value in items:
        found = _first_huge(value, [*loc, key])
        if found is not None:
            return found
    return None


def check_magnitudes(data: dict[str, Any], path: str | Path) -> None:
    """Refuse a number larger than :data:`MAX_MAGNITUDE` in magnitude anywhere in ``data``.

    Raises
    ------
    DataFileError
        Naming the first such field and its value.
    """
    huge = _first_huge(data, [])
    if huge is not None:
        loc, value = huge
        while len(loc) > 1 and loc[-1] == "value":
            loc = loc[:-1]
        raise DataFileError(
            path, f"must be at most {MAX_MAGNITUDE:.0e} in magnitude", _dotted(loc), value
        )


def validate(model: type[M], data: dict[str, Any], path: str | Path) -> M:
    """Validate ``data`` read from ``path`` into ``model``.

    Every number must be at most :data:`MAX_MAGNITUDE` in magnitude, whatever the
    field.

    Raises
    ------
    DataFileError
        Naming the first invalid field, its value and the rule it breaks.
    """
    check_magnitudes(data, path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        errors.sort(key=lambda e: e["type"] != "extra_forbidden")
        rule_error = field_rule_error(errors[0], path)
        if rule_error is not None:
            raise rule_error from None
        raise _to_data_file_error(exc, model, data, Path(path)) from None


def field_rule_error(error: Any, path: str | Path) -> DataFileError | None:
    """The one-line error of a :class:`~freighthub.model.fields.FieldRule` raised by a
    model validator, reported on the field it names (``path: section[i].field = value:
    rule``); None if ``error`` (one item of ``ValidationError.errors()``) is not one."""
    rule = (error.get("ctx") or {}).get("error")
    if not isinstance(rule, FieldRule):
        return None
    where = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error["loc"]
    ).lstrip(".")
    field = f"{where}.{rule.field}" if where else rule.field
    if rule.value is FieldRule.NO_VALUE:
        return DataFileError(path, rule.rule, field)
    return DataFileError(path, rule.rule, field, rule.value)


def _to_data_file_error(
    exc: ValidationError, model: type[BaseModel], data: dict[str, Any], path: Path
) -> DataFileError:
    errors = exc.errors(include_url=False)
    # A misspelt field shows up twice: as an unknown field and as a missing one.
    # Name the unknown field first: its "did you mean" points at the typo.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    first = errors[0]
    loc = [part for part in first["loc"] if not _is_internal(part)]
    while loc and loc[-1] == "value" and len(loc) > 1:
        loc.pop()  # the ``value`` of a Sourced: name the field itself
    field = _dotted(loc) or "(top level)"
    rule = _rule(first, model, loc)
    more = len(errors) - 1
    if more:
        rule += f" (and {more} more error{'s' if more > 1 else ''})"
    if first["type"] in {"missing"}:
        return DataFileError(path, rule, field)
    return DataFileError(path, rule, field, first.get("input"))


def _is_internal(part: int | str) -> bool:
    # pydantic adds tags such as 'function-before[...]' or 'constrained-float' to locs
    return isinstance(part, str) and ("[" in part or part.startswith(("function-", "constrained-")))


def _dotted(loc: list[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


_RULES = {
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "missing": "required field is missing",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a text string",
    "string_too_short": "must not be empty",
    "too_short": "must have at least {min_length} item(s)",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "finite_number": "must be a finite number",
    "string_pattern_mismatch": "must match the pattern {pattern}",
}


def _rule(error: Any, model: type[BaseModel], loc: list[int | str]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        names = _field_names_at(model, loc[:-1])
        rule = "unknown field"
        if names:
            close = difflib.get_close_matches(str(loc[-1]), names, n=1)
            if close:
                rule += f"; did you mean {close[0]!r}?"
            else:
                rule += "; valid fields: " + ", ".join(sorted(names))
        return rule
    if kind == "enum":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}".replace("'", "")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_RULES:
        return f"must match the pattern {ctx['pattern']} ({PATTERN_RULES[ctx['pattern']]})"
    if kind in _RULES:
        try:
            return _RULES[kind].format(**{k: _number(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            pass
    msg = str(error.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg[:1].lower() + msg[1:]


def _number(value: Any) -> Any:
    """Show 90.0 as 90 in messages; leave other values alone."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _field_names_at(model: type[BaseModel], loc: list[int | str]) -> list[str]:
    """Field names of the model reached by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return []
        current = info.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [info.alias or name for name, info in current.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    """Strip Optional / Annotated wrappers around a model or list type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp
