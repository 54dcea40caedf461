"""Small Ibis helpers shared by the metric modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir


def left_join(left: ir.Table, right: ir.Table, keys: list[str]) -> ir.Table:
    """Left join on same-named keys, keeping the left keys only (Ibis keeps both for outer joins)."""
    joined = left.left_join(right, keys, rname="{name}__r")
    return joined.drop(*[f"{k}__r" for k in keys])


def top_n_aggregate(value: ir.Value, key: ir.Value, n: int) -> ir.ArrayValue:
    """The ``value`` of the ``n`` rows with the largest ``key``, largest first, as one array.

    An engine-specific aggregate (DuckDB's ``arg_max(value, key, n)``): use it only where the
    store says the engine has it, next to a portable window form that a test holds it equal to.
    """
    import ibis
    import ibis.expr.datatypes as dt

    fn = ibis.udf.agg.builtin(
        _top_n_signature,
        name="arg_max",
        signature=((value.type(), key.type(), dt.int64), dt.Array(value.type())),
    )
    return fn(value, key, n)


def _top_n_signature(value: object, key: object, n: int) -> object:
    """Stands for the engine's built-in function; Ibis only reads its name and signature."""
    raise NotImplementedError


def ieee_divide(a: ir.FloatingValue, b: ir.FloatingValue) -> ir.FloatingValue:
    """``a / b`` with IEEE results for a zero divisor (inf, -inf, NaN) on every engine.

    DuckDB divides floats as IEEE does; PostgreSQL raises "division by zero". A null stays null.
    """
    import ibis

    by_zero = ibis.cases(
        (a > 0, ibis.literal(float("inf"))),
        (a < 0, ibis.literal(float("-inf"))),
        else_=ibis.literal(float("nan")),
    )
    return ibis.ifelse(b == 0, by_zero, a / b)
