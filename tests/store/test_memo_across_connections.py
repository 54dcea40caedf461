"""On a server, what one connection remembers between requests (``Store.memo``) is read again as
soon as any other connection commits, and not before."""

from __future__ import annotations

from typing import Any

import pytest

from creatormix.workspace import Workspace


def test_a_remembered_read_lasts_until_another_connection_commits(engine: str, new_db: str) -> None:
    if engine != "postgres":
        pytest.skip("a DuckDB file has one writer: no other connection commits while it is open")
    with Workspace.create(new_db) as a, Workspace.open(new_db) as b:
        reads = 0
        read = b.store._setting_text

        def counted(key: str) -> Any:
            nonlocal reads
            reads += 1
            return read(key)

        b.store._setting_text = counted  # type: ignore[method-assign]
        a.store.set_setting("probe", 1)
        assert [b.store.get_setting("probe") for _ in range(3)] == [1, 1, 1]
        assert reads == 1  # remembered while nothing was committed
        a.store.set_setting("probe", 2)  # another connection commits
        assert b.store.get_setting("probe") == 2 and reads == 2
        with a.store.transaction():  # a transaction still open is not seen: nothing committed
            a.store.set_setting("probe", 3)
            assert b.store.get_setting("probe") == 2 and reads == 2
        assert b.store.get_setting("probe") == 3 and reads == 3  # its commit is
