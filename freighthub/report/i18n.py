"""Translations and number formatting for the report (English and Chinese).

The translation files ``freighthub/report/i18n/<lang>.toml`` hold every label the
report shows, the unit names and the number format of the language. The ``[units]``
table names exactly the units of :data:`freighthub.units.UNITS` that are shown (all
but the markers ``bool``/``class``/``count`` and ``share``, shown as a percentage),
by their key. They are read and validated like every other data file
(:func:`freighthub.model.files.read_toml`, :func:`freighthub.model.files.validate`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from freighthub.errors import DataFileError, UnknownIdentifierError
from freighthub.model.fields import Frozen
from freighthub.model.files import read_toml, validate
from freighthub.units import UNITS

__all__ = ["LANGUAGES", "TRANSLATED_UNITS", "Translations", "format_number", "translations"]

LANGUAGES = ("en", "zh")
_FOLDER = Path(__file__).resolve().parent / "i18n"


class NumberFormat(Frozen):
    """How a language writes numbers and units."""

    decimal: Annotated[str, Field(min_length=1, max_length=1)]
    group: Annotated[str, Field(max_length=1)]
    unit_space: Annotated[str, Field(max_length=1)]
    percent_space: Annotated[str, Field(max_length=1)]


class Translations(Frozen):
    """One language: its number format, unit names and labels (flattened keys)."""

    lang: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    name: Annotated[str, Field(min_length=1)]
    font_family: Annotated[str, Field(min_length=1)]
    number: NumberFormat
    units: dict[str, str]
    text: dict[str, Any]

    def label(self, key: str) -> str:
        """The text of ``key`` (dotted, such as ``section.summary.title``).

        Raises
        ------
        KeyError
            If the key is missing: a programming error caught by the i18n tests.
        """
        value = _flat(self.text).get(key)
        if value is None:
            raise KeyError(f"translation key {key!r} missing for language {self.lang!r}")
        return value

    def unit(self, unit: str) -> str:
        """The name of ``unit`` in this language."""
        if unit not in self.units:
            raise KeyError(f"unit {unit!r} missing for language {self.lang!r}")
        return self.units[unit]

    def text_keys(self) -> set[str]:
        """Every text key (dotted)."""
        return set(_flat(self.text))


def _flat(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(_flat(value, dotted))
        else:
            out[dotted] = str(value)
    return out


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    """The translations of ``lang`` (``en`` or ``zh``).

    Raises
    ------
    UnknownIdentifierError
        If ``lang`` is not a report language.
    DataFileError
        If the translation file is invalid.
    """
    if lang not in LANGUAGES:
        raise UnknownIdentifierError("report language", lang, LANGUAGES)
    path = _FOLDER / f"{lang}.toml"
    result = validate(Translations, read_toml(path), path)
    if result.lang != lang:
        raise DataFileError(path, f"must equal the file name {lang!r}", "lang", result.lang)
    for key, value in _flat(result.text).items():
        if not isinstance(value, str) or not value:
            raise DataFileError(path, "must be a non-empty text", f"text.{key}", value)
    _check_units(result, path)
    return result


#: Keys of the units the ``[units]`` table of every language names.
TRANSLATED_UNITS = frozenset(u.key for u in UNITS if u.shown and u.key != "share")


def _check_units(tr: Translations, path: Path) -> None:
    missing = sorted(TRANSLATED_UNITS - set(tr.units))
    if missing:
        raise DataFileError(
            path,
            "missing: every shown unit of freighthub.units needs a name",
            f"units.{missing[0]}",
        )
    unknown = sorted(set(tr.units) - TRANSLATED_UNITS)
    if unknown:
        key = unknown[0]
        raise DataFileError(
            path, "not a unit key of freighthub.units.UNITS", f"units.{key}", tr.units[key]
        )


def format_number(number: float, decimals: int, fmt: NumberFormat) -> str:
    """Format a number with grouped thousands and ``decimals`` places for a language.

    Parameters
    ----------
    number
        The number, already rounded or not (it is rounded here) [any unit].
    decimals
        Places after the decimal separator.
    fmt
        The language's separators.
    """
    text = f"{number:,.{decimals}f}"
    if text in {"-0", "-0." + "0" * decimals}:
        text = text[1:]
    return text.replace(",", "\0").replace(".", fmt.decimal).replace("\0", fmt.group)
