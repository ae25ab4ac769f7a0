"""Property test: malformed hub files only ever raise the clear DataFileError."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freighthub.errors import DataFileError
from freighthub.model.hub import Hub, load_hub

VALID = (Path(__file__).parent / "test_hub_loading.py").read_text(encoding="utf-8")
VALID = VALID.split('VALID = """\\\n', 1)[1].split('"""', 1)[0].format(id="prop-port")
LINES = VALID.splitlines()

KEYS = [
    "id", "country", "lon_deg", "lat_deg", "hub_types", "modes", "names", "rail", "en",
    "handling_track_length_m", "electrified", "ecmt_class", "count", "type", "value",
    "confidence", "source", "moves_per_h", "bogus_field", "",
]  # fmt: skip

toml_scalars = st.one_of(
    st.integers(-(10**6), 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda f: str(f).replace("inf", "inf")),
    st.text(max_size=20).map(json.dumps),
    st.sampled_from(
        ["true", "false", "[]", "{}", '["road"]', "{ value = -1 }", "nan", "1979-05-27"]
    ),
)


def _load(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prop-port.toml"
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            hub = load_hub(path)
        except DataFileError as exc:
            message = str(exc)
            assert message.startswith(str(path)), message
            assert "\n" not in message
        else:
            assert isinstance(hub, Hub)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.integers(0, len(LINES) - 1), st.sampled_from(KEYS), toml_scalars)
def test_a_line_replaced_by_any_key_and_value(index: int, key: str, value: str) -> None:
    lines = list(LINES)
    lines[index] = f"{key} = {value}"
    _load("\n".join(lines))


@SETTINGS
@given(st.integers(0, len(VALID)))
def test_any_truncation(cut: int) -> None:
    _load(VALID[:cut])


@SETTINGS
@given(
    st.integers(0, len(VALID) - 1),
    st.text(min_size=1, max_size=5).filter(lambda s: "\x00" not in s),
)
def test_any_insertion(position: int, junk: str) -> None:
    _load(VALID[:position] + junk + VALID[position:])


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes(data: bytes) -> None:
    _load(data)
