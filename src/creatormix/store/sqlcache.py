"""SQL remembered per expression, for the Ibis backends the store makes.

Compiling an Ibis expression to SQL is pure Python, and on a long-lived holder of the workspace
(`creatormix serve`) it is most of a catalog search's time, holding the interpreter lock while
other requests wait. The same view asked again is the same expression: its nodes are immutable
and equal trees hash equal, so its SQL can be remembered. Only the text is kept, never a result;
the last ``SIZE`` expressions per connection.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

SIZE = 256


class RemembersSQL:
    """Mixed in before an Ibis SQL backend: ``compile`` answers an expression it compiled
    before with the SQL it made then."""

    def compile(
        self,
        expr: Any,
        /,
        *,
        limit: int | str | None = None,
        params: Any = None,
        pretty: bool = False,
    ) -> str:
        base: Any = super()
        if params:  # bound parameters: their values are not in the expression's key
            return str(base.compile(expr, limit=limit, params=params, pretty=pretty))
        cache: OrderedDict[Any, str] = self.__dict__.setdefault("_creatormix_sql", OrderedDict())
        try:
            key = (expr.op(), limit, pretty)
            sql: str | None = cache.pop(key, None)
        except TypeError:  # a node that cannot be hashed: compiled every time
            return str(base.compile(expr, limit=limit, pretty=pretty))
        if sql is None:
            sql = str(base.compile(expr, limit=limit, pretty=pretty))
        cache[key] = sql
        while len(cache) > SIZE:
            cache.popitem(last=False)
        return sql
