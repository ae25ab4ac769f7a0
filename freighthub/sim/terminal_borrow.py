"""Reference-free access to the compiled loop's state (issue #20: CPU of the event loop).

numba counts references of every array it reads from a StructRef and of the StructRef
itself each time a compiled function receives it, with atomic increments and
decrements (``lock inc``/``lock dec``): in the national year they took over half of
:func:`freighthub.sim.terminal_kernel.run_loop`'s time (measured with ``perf``). Two
things remove them:

- :func:`unowned`: the state's arrays are stored as views that own nothing (no
  meminfo), so reading one counts nothing; the Python side
  (:func:`freighthub.sim.terminal_state.new_state`) keeps the arrays alive;
- :func:`borrow`: the loop runs on a :class:`StatePtr`, a plain pointer to the state's
  fields (no meminfo either), valid while the state lives (for one ``run_loop`` call).

Attribute access on a :class:`StatePtr` reads the same fields as on the StructRef, so
the loop's functions are written once for either. Imported only when a terminal run
starts or the compiled passes over boxes (``freighthub.sim.engine_boxes``) load (numba).
"""

from __future__ import annotations

from typing import Any

import numba.core.cgutils
import numba.core.imputils
import numba.experimental.structref
import numba.extending
from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit
from numba.core import types
from numba.core.datamodel import models
from numba.core.typing.templates import AttributeTemplate

# numba's extension API is untyped: used through Any (mypy strict).
cgutils: Any = numba.core.cgutils
imputils: Any = numba.core.imputils
_Utils: Any = numba.experimental.structref._Utils
_ext: Any = numba.extending
intrinsic, register_model = _ext.intrinsic, _ext.register_model
infer_getattr, lower_getattr_generic = _ext.infer_getattr, _ext.lower_getattr_generic

__all__ = [
    "AHEAD",
    "StatePtr",
    "borrow",
    "fetch_depart",
    "fetch_entry",
    "fetch_trip",
    "prefetch",
    "unowned",
]


class StatePtr(types.Type):
    """A borrowed pointer to the fields of a StructRef of type ``ref`` (not counted)."""

    def __init__(self, ref: Any) -> None:
        self.ref = ref
        super().__init__(name=f"StatePtr({ref})")


@register_model(StatePtr)
class _PtrModel(models.PrimitiveModel):
    def __init__(self, dmm: Any, fe_type: Any) -> None:
        payload = dmm.lookup(fe_type.ref.get_data_type()).get_value_type()
        super().__init__(dmm, fe_type, payload.as_pointer())  # type: ignore[no-untyped-call]


@infer_getattr
class _PtrAttribute(AttributeTemplate):
    key = StatePtr

    def generic_resolve(self, typ: Any, attr: str) -> Any:  # type: ignore[override]
        return typ.ref.field_dict.get(attr)


@lower_getattr_generic(StatePtr)  # type: ignore[untyped-decorator]
def _getattr(context: Any, builder: Any, typ: Any, val: Any, attr: str) -> Any:
    data = cgutils.create_struct_proxy(typ.ref.get_data_type())(context, builder, ref=val)
    return imputils.impl_ret_borrowed(
        context, builder, typ.ref.field_dict[attr], getattr(data, attr)
    )


@intrinsic  # type: ignore[untyped-decorator]
def borrow(typingctx: Any, ref: Any) -> Any:
    """A :class:`StatePtr` to StructRef ``ref``'s fields (valid while ``ref`` lives)."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return _Utils(context, builder, ref).get_data_pointer(args[0])

    return StatePtr(ref)(ref), codegen


@intrinsic  # type: ignore[untyped-decorator]
def unowned(typingctx: Any, arr: Any) -> Any:
    """A view of array ``arr`` that owns nothing (no meminfo): reading it from the state
    counts no references; whoever made the state keeps ``arr`` alive."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        make = context.make_array(arr)
        src = make(context, builder, value=args[0])
        out = make(context, builder)
        context.populate_array(
            out, data=src.data, shape=src.shape, strides=src.strides,
            itemsize=src.itemsize, meminfo=None, parent=None,
        )  # fmt: skip
        return out._getvalue()

    return arr(arr), codegen


@intrinsic  # type: ignore[untyped-decorator]
def prefetch(typingctx: Any, arr: Any, i: Any) -> Any:
    """Ask the CPU to fetch row ``i`` of ``arr`` into its caches (no effect on results).

    The loop reads a box's rows in several per-box arrays at random (a trip's boxes, the
    next hub entries); each read missed the caches in turn. Prefetching a batch of them
    first lets the misses overlap."""

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        intp = context.get_value_type(types.intp)
        ary = context.make_array(arr)(context, builder, value=args[0])
        row = context.cast(builder, args[1], signature.args[1], types.intp)
        stride = cgutils.unpack_tuple(builder, ary.strides, arr.ndim)[0]
        addr = builder.add(builder.ptrtoint(ary.data, intp), builder.mul(row, stride))
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        builder.call(fn, [builder.inttoptr(addr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(arr, i), codegen


AHEAD = 16  # hub entries between a box's prefetch and its entry


@njit(cache=True)
def _fetch_box(s: Any, i: int) -> None:
    """Prefetch box ``i``'s rows that ``terminal_kernel._job`` reads."""
    prefetch(s.route, i)
    prefetch(s.pos, i)
    prefetch(s.teu, i)
    prefetch(s.nvis, i)
    v = s.voff[i]  # visit rows are ragged (engine.Records)
    prefetch(s.handling, v)
    prefetch(s.v_start, v)
    prefetch(s.v_wait, v)


@njit(cache=True)
def fetch_entry(s: Any, k: int) -> None:
    """Prefetch the rows that the hub entry ``AHEAD`` entries after entry ``k`` reads
    (``terminal_kernel._enter`` to ``_job``; entries come in time order, not by box)."""
    if k + AHEAD < s.ent_i.size:
        i = s.ent_i[k + AHEAD]
        _fetch_box(s, i)


@njit(cache=True)
def fetch_depart(s: Any, lo: int, hi: int) -> None:
    """Prefetch the rows that a departure reads for its boxes ``trip_box[lo:hi]``
    (``terminal_kernel.depart``: the leg row ``loff[i] + pos[i]``, TEU, mass, boxes)."""
    for q in range(lo, hi):
        i = s.trip_box[q]
        prefetch(s.loff, i)
        prefetch(s.pos, i)
        prefetch(s.teu, i)
        prefetch(s.mass_t, i)
        prefetch(s.boxes, i)


@njit(cache=True)
def fetch_trip(s: Any, lo: int, hi: int) -> None:
    """Prefetch the rows that the unloads of trip boxes ``trip_box[lo:hi]`` read
    (``terminal_kernel._trip`` to ``_job``)."""
    for q in range(lo, hi):
        i = s.trip_box[q]
        _fetch_box(s, i)
