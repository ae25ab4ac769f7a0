"""The compiled loop's event heap pops events in their total order (time, phase,
creation time, sequence), whatever the order of pushes and however many ties."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("numba")


def _state(rows: int):  # type: ignore[no-untyped-def]
    from freighthub.sim import terminal_state as S

    arrays = {f: np.zeros((0,) * int(c[2]), dtype=np.dtype(c[:2])) for f, c in S.SPEC.items()}
    arrays["n"] = np.zeros(32, dtype=np.int64)
    arrays["x"] = np.asarray([-math.inf, math.inf, 0.0])
    arrays["hf"] = np.empty((rows, 4))
    arrays["hi"] = np.empty((rows, 3), dtype=np.int64)
    return S.new_state(arrays), arrays


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_heap_pops_in_the_total_order(seed: int) -> None:
    from freighthub.sim import terminal_heap as H
    from freighthub.sim import terminal_state as S

    rng = np.random.default_rng(seed)
    state, a = _state(4096)
    pushed: list[tuple[float, int, float, int, int]] = []
    popped: list[tuple[float, int, float, int, int]] = []
    for step in range(3000):
        if a["n"][S.N_HEAP] == 0 or rng.random() < 0.6:  # push (many ties in every key)
            t, phase, created = float(rng.integers(0, 20)), int(rng.integers(0, 3)), 0.0
            created = float(rng.integers(-1, 2)) if rng.random() < 0.5 else -math.inf
            H.push_raw(state, t, phase, created, 1, step, -step)
            pushed.append((t, phase, created, int(a["n"][S.N_SEQ]), step))
        else:  # pop the root: the least pushed event not yet popped
            hf, hi = a["hf"][0], a["hi"][0]
            least = min(set(pushed) - set(popped))
            popped.append((float(hf[0]), int(hf[1]), float(hf[2]), int(hf[3]), int(hi[1])))
            assert int(hi[2]) == -int(hi[1]) and int(hi[0]) == 1
            assert popped[-1] == least
            H.pop(state)
    assert len(popped) > 500 and a["n"][S.N_HEAP] == len(pushed) - len(popped)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_wakes_due_now_merge_in_the_total_order(seed: int) -> None:
    """Wakes due at the current instant wait beside the heap (``wq``); ``top`` merges
    them with the heap in the same total order as one heap."""
    from freighthub.sim import terminal_heap as H
    from freighthub.sim import terminal_state as S

    rng = np.random.default_rng(seed)
    state, a = _state(4096)
    a_wq = np.zeros((4, 2), dtype=np.int64)  # (small: the FIFO overflows to the heap too)
    arrays = {**a, "wq": a_wq}
    state = S.new_state(arrays)
    a = arrays
    pushed: dict[int, tuple[float, int, float, int]] = {}
    popped: list[tuple[float, int, float, int]] = []
    now = 0.0
    for step in range(4000):
        a["x"][S.X_NOW] = now
        pending = len(pushed) > len(popped)
        if not pending or rng.random() < 0.55:  # push at or after now
            kind = int(rng.choice([H.JOB_DONE, H.DEPART_EVENT, H.WAKE, H.WAKE]))
            t = now + float(rng.integers(0, 3)) * (rng.random() < 0.7)
            H.push(state, t, kind, step, 0)
            pushed[step] = (t, H.phase(kind), now, int(a["n"][S.N_SEQ]))
        else:
            source, t = H.top(state)
            assert source in (H.HEAP, H.WAKES)
            if source == H.WAKES:
                ref = H.pop_wake(state)
            else:
                ref = int(a["hi"][0, 1])
                H.pop(state)
            least = min(set(pushed.values()) - set(popped))
            assert pushed[ref] == least and t == least[0]
            popped.append(pushed[ref])
            now = t
    assert len(popped) > 500
