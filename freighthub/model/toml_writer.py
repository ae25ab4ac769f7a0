"""A small TOML writer for validated data: scalars and sourced values inline, sections as
tables and arrays of tables; ``tomllib`` reads the text back equal.

Used to write scenario files (:mod:`freighthub.optimize.export`), hub files imported
from a questionnaire (:mod:`freighthub.questionnaire`) and the bad-input corpus.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from typing import Any

__all__ = ["toml_text"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")
_SOURCED_KEYS = {"value", "source", "confidence", "date"}


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_scalar(v: Any) -> bool:
    return isinstance(v, (bool, int, float, str, datetime.date, datetime.time))


def _inline_ok(v: Any) -> bool:
    if _is_scalar(v):
        return True
    if isinstance(v, dict):
        return (set(v) <= _SOURCED_KEYS and "value" in v) or (
            len(v) <= 2 and all(_is_scalar(x) for x in v.values())
        )
    if isinstance(v, list):
        return all(_inline_ok(x) and not _is_table_list([x]) for x in v) or not v
    return False


def _is_table_list(v: Any) -> bool:
    return (
        isinstance(v, list)
        and bool(v)
        and all(isinstance(x, dict) for x in v)
        and not all(_inline_ok(x) for x in v)
    )


def _inline(v: Any) -> str:
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(_inline(x) for x in v) + "]"
    return _scalar(v)


def _table(data: dict[str, Any], prefix: str, lines: list[str]) -> None:
    later: list[tuple[str, Any]] = []
    for k, v in data.items():
        if _inline_ok(v) and not _is_table_list(v):
            lines.append(f"{_key(k)} = {_inline(v)}")
        else:
            later.append((k, v))
    for k, v in later:
        path = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if isinstance(v, dict):
            lines.append(f"\n[{path}]")
            _table(v, path, lines)
        else:
            for item in v:
                lines.append(f"\n[[{path}]]")
                _table(item, path, lines)


def toml_text(data: dict[str, Any], header: str = "") -> str:
    """``data`` as TOML text (``header`` as comment lines); ``tomllib`` reads it back equal."""
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    _table(data, "", lines)
    return "\n".join(lines) + "\n"
