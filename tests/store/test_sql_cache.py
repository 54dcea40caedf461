"""The store's Ibis backends remember the SQL of the expressions they compiled: the same
expression compiles once, a different one gets its own SQL and its own answer, and the cache is
bounded."""

from __future__ import annotations

from creatormix.store import sqlcache
from creatormix.workspace import Workspace


def test_the_same_expression_is_compiled_once_and_a_different_one_again(
    ws: Workspace,
) -> None:
    con = ws.store.con
    t = ws.store.table("creator_facts")
    over = [con.compile(t.filter(t.followers > n).count()) for n in (1000, 1000, 2000)]
    # a fresh compilation is a new string; the remembered one is the very same object
    assert over[0] is over[1] and over[0] != over[2]
    assert len(con.__dict__["_creatormix_sql"]) == 2
    assert con.execute(t.filter(t.followers > 1000).count()) == 0  # a real query, answered
    # rebuilt from scratch, as each request does: equal nodes, the remembered SQL
    again = ws.store.table("creator_facts")
    assert con.compile(again.filter(again.followers > 1000).count()) is over[0]
    for n in range(sqlcache.SIZE + 10):
        con.compile(t.filter(t.followers > n).limit(1))
    assert len(con.__dict__["_creatormix_sql"]) == sqlcache.SIZE
