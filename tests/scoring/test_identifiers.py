"""ISO 6346 / EN 13044-1 check digits."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freighthub.model.methods import load_container_code_rules
from freighthub.scoring.identifiers import (
    check_container_code,
    is_valid_container_code,
    iso6346_check_digit,
)

RULES = load_container_code_rules()
# Known valid numbers (research/standards.md sect. 4b, checked there against several
# public implementations).
KNOWN_VALID = ("CSQU3054383", "MSKU9070323")


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_valid_codes(code: str) -> None:
    assert is_valid_container_code(code, RULES)
    assert iso6346_check_digit(code[:10], RULES) == int(code[10])
    check = check_container_code(code, RULES)
    assert check.kind == "iso6346" and check.reasons == ()


def test_spaces_and_lower_case_accepted() -> None:
    assert is_valid_container_code("csqu 305438-3", RULES)


def _letter_swap_undetectable(original: str, position: int, new: str) -> bool:
    """ISO 6346's blind spot: two letters whose values differ by a multiple of the
    modulus (A/K, C/M, ...) give the same check digit (see docs/gotchas.md)."""
    old = original[position]
    if not (old.isalpha() and new.isalpha()):
        return False
    diff = RULES.letter_values[old] - RULES.letter_values[new]
    return diff % RULES.modulus == 0


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_every_single_character_corruption_fails(code: str) -> None:
    alphabet = string.ascii_uppercase + string.digits
    blind = []
    for i, old in enumerate(code):
        for new in alphabet:
            if new == old:
                continue
            corrupted = code[:i] + new + code[i + 1 :]
            if _letter_swap_undetectable(code, i, new):
                blind.append(corrupted)
                continue
            assert not is_valid_container_code(corrupted, RULES), corrupted
    # the blind spot is real and only ever a letter-for-letter swap in the first four
    # characters (e.g. CSQU -> MSQU, or U -> A/K turning the code into a valid ILU-Code)
    assert blind and all(c[4:] == code[4:] for c in blind)


def test_reasons_are_specific() -> None:
    assert check_container_code("CSQU3054384", RULES).reasons == ("check digit is 4, expected 3",)
    reasons = check_container_code("CSQX3054383", RULES).reasons
    assert any("4th character 'X'" in r for r in reasons)
    assert (
        check_container_code("CSQU305438", RULES).reasons[0] == "has 10 characters; a code has 11"
    )
    assert any("serial number" in r for r in check_container_code("CSQU30543A3", RULES).reasons)
    assert any("owner code" in r for r in check_container_code("C5QU3054383", RULES).reasons)
    assert any("check digit 'X'" in r for r in check_container_code("CSQU305438X", RULES).reasons)


def test_ilu_code_fourth_letter() -> None:
    """EN 13044-1 ILU-Code: owner key with 4th letter A, B, D, E or K and the same
    check digit as ISO 6346."""
    first10 = "ABCA123456"
    code = first10 + str(iso6346_check_digit(first10, RULES))
    check = check_container_code(code, RULES)
    assert check.valid and check.kind == "en13044"
    assert not is_valid_container_code("ABCC123456" + code[-1], RULES)


def test_check_digit_input_errors() -> None:
    with pytest.raises(ValueError, match="must be 4 letters followed by 6 digits"):
        iso6346_check_digit("CSQU30543", RULES)
    with pytest.raises(ValueError, match="must be 4 letters followed by 6 digits"):
        iso6346_check_digit("CSQ13054383", RULES)


@given(st.text(max_size=20))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    result = check_container_code(text, RULES)
    assert result.valid == (not result.reasons)
