"""Container and intermodal-loading-unit codes: ISO 6346 and EN 13044-1 check digits.

A code has 11 characters: a 3-letter owner code, a 4th letter (the ISO 6346
equipment category ``U``/``J``/``Z``, or an EN 13044 ILU-Code letter), a 6-digit
serial number and a check digit computed from the first 10 characters.

The letter values, the position weights and the modulus are definitional numbers
of the standard; they are not written here but passed in as
:class:`ContainerCodeRules` (read from ``standards/identifiers/iso-6346-2022.toml``
by :func:`freighthub.model.methods.load_container_code_rules`).

Limits of the check digit (inherent in ISO 6346, see ``docs/gotchas.md``): a
remainder of 10 and of 0 both give check digit 0, and two letters whose values
differ by 11 (A/K, C/M, ...) are interchangeable without changing the check digit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "CodeCheck",
    "ContainerCodeRules",
    "check_container_code",
    "is_valid_container_code",
    "iso6346_check_digit",
]

_CODE_LENGTH = 11  # 4 letters + 6 digits + 1 check digit (ISO 6346 format)


@dataclass(frozen=True)
class ContainerCodeRules:
    """The tables of ISO 6346 / EN 13044-1 needed to check a code.

    Attributes
    ----------
    letter_values
        Value of each letter A-Z in the check-digit sum.
    position_weight_base
        Character i (0-based) is weighted by ``position_weight_base ** i``.
    modulus
        The weighted sum is taken modulo this number; a remainder of 10 gives 0.
    iso6346_categories
        4th letters of ISO 6346 codes (``U``, ``J``, ``Z``) and their meaning.
    ilu_fourth_letters
        4th letters of EN 13044-1 ILU-Codes.
    """

    letter_values: Mapping[str, int]
    position_weight_base: int
    modulus: int
    iso6346_categories: Mapping[str, str]
    ilu_fourth_letters: tuple[str, ...]


@dataclass(frozen=True)
class CodeCheck:
    """Result of checking one code.

    Attributes
    ----------
    code
        The code as checked (spaces and hyphens removed, upper case).
    valid
        True if the format, the 4th letter and the check digit are right.
    kind
        ``"iso6346"`` (4th letter U/J/Z), ``"en13044"`` (ILU-Code letter) or
        ``None`` if the 4th letter is neither.
    reasons
        Why the code is invalid, one sentence each (empty if valid).
    expected_check_digit
        The check digit computed from the first 10 characters, if they could be read.
    """

    code: str
    valid: bool
    kind: str | None
    reasons: tuple[str, ...]
    expected_check_digit: int | None


def _normalise(code: str) -> str:
    return code.replace(" ", "").replace("-", "").upper()


def iso6346_check_digit(first10: str, rules: ContainerCodeRules) -> int:
    """The ISO 6346 check digit of the first 10 characters of a code.

    Parameters
    ----------
    first10
        Owner code (3 letters) + category or ILU letter + 6-digit serial; spaces,
        hyphens and lower case are accepted.
    rules
        The standard's tables (:class:`ContainerCodeRules`).

    Returns
    -------
    int
        ``(sum_i value(c_i) * base**i) mod modulus``, with 10 mapped to 0.

    Raises
    ------
    ValueError
        If there are not exactly 10 characters of the form 4 letters + 6 digits.

    References
    ----------
    ISO 6346:2022 Freight containers - Coding, identification and marking, Annex A.
    """
    s = _normalise(first10)
    if len(s) != 10 or not (s[:4].isalpha() and s[:4].isascii() and s[4:].isdigit()):
        raise ValueError(
            f"first10 = {first10!r}: must be 4 letters followed by 6 digits (10 characters)"
        )
    total = 0
    for i, c in enumerate(s):
        value = rules.letter_values[c] if c.isalpha() else int(c)
        total += value * rules.position_weight_base**i
    return (total % rules.modulus) % 10


def check_container_code(code: str, rules: ContainerCodeRules) -> CodeCheck:
    """Check an ISO 6346 container code or an EN 13044-1 ILU-Code, with reasons.

    Raises
    ------
    Nothing: an invalid code gives ``valid=False`` and the reasons.

    References
    ----------
    ISO 6346:2022; EN 13044-1:2011 (ILU-Code).
    """
    s = _normalise(code)
    reasons: list[str] = []
    if len(s) != _CODE_LENGTH:
        reasons.append(f"has {len(s)} characters; a code has {_CODE_LENGTH}")
    owner, fourth, serial, check = s[:3], s[3:4], s[4:10], s[10:11]
    if not (len(owner) == 3 and owner.isascii() and owner.isalpha()):
        reasons.append(f"owner code {owner!r} must be 3 letters A-Z")
    kind: str | None = None
    if fourth in rules.iso6346_categories:
        kind = "iso6346"
    elif fourth in rules.ilu_fourth_letters:
        kind = "en13044"
    else:
        valid_letters = ", ".join([*rules.iso6346_categories, *rules.ilu_fourth_letters])
        reasons.append(
            f"4th character {fourth!r} must be an ISO 6346 category letter or an "
            f"EN 13044 ILU letter ({valid_letters})"
        )
    if not (len(serial) == 6 and serial.isascii() and serial.isdigit()):
        reasons.append(f"serial number {serial!r} must be 6 digits")
    if not (len(check) == 1 and check.isdigit()):
        reasons.append(f"check digit {check!r} must be one digit")
    expected: int | None = None
    try:
        expected = iso6346_check_digit(s[:10], rules)
    except (ValueError, KeyError):
        expected = None
    if expected is not None and check.isdigit() and int(check) != expected:
        reasons.append(f"check digit is {check}, expected {expected}")
    return CodeCheck(
        code=s, valid=not reasons, kind=kind, reasons=tuple(reasons), expected_check_digit=expected
    )


def is_valid_container_code(code: str, rules: ContainerCodeRules) -> bool:
    """True if ``code`` is a valid ISO 6346 or EN 13044-1 code; see :func:`check_container_code`."""
    return check_container_code(code, rules).valid
