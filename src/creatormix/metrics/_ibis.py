"""Small Ibis helpers shared by the metric modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir


def left_join(left: ir.Table, right: ir.Table, keys: list[str]) -> ir.Table:
    """Left join on same-named keys, keeping the left keys only (Ibis keeps both for outer joins)."""
    joined = left.left_join(right, keys, rname="{name}__r")
    return joined.drop(*[f"{k}__r" for k in keys])
