"""Shared fixtures: fresh workspaces, the demo workspace, and the real public data when present."""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormix.workspace import Workspace
from tests.postgres_server import PostgresServer, postgres_bin

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def subprocess_env() -> dict[str, str]:
    """Environment for child `python -m creatormix` processes: this checkout's sources first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("CREATORMIX_DB", None)
    return env


@pytest.fixture
def python() -> str:
    return sys.executable


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public test data not found at {SHARED_DATA} (see ../shared/data/README.md)")
    return SHARED_DATA


# --- the two engines ------------------------------------------------------------------------------
#
# The store, metrics, planning, vetting and campaigns tests run on DuckDB and on PostgreSQL: any test
# there that asks for a workspace (``ws``, ``demo_ws``, ``demo_copy``, ``new_db`` …) runs twice,
# ``[duckdb]`` and ``[postgres]`` (marker ``postgres``). Elsewhere a workspace is a DuckDB file.
# One PostgreSQL server serves the whole session (tests/postgres_server.py); each test gets a
# database of its own, a copy of the session's demo database when it wants the demo
# (``CREATE DATABASE … TEMPLATE``: a file copy on the server, about as fast as copying the file).

TWO_ENGINE_DIRS = frozenset({"store", "metrics", "planning", "vetting", "campaigns"})


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames:
        return
    parts = Path(str(metafunc.definition.path)).relative_to(ROOT / "tests").parts
    if parts[0] in TWO_ENGINE_DIRS:
        engines = ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)]
        metafunc.parametrize("engine", engines, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.notimpl("postgres", reason=…, raises=…)``: a strict expected failure on that
    engine (it must fail there, with that exception; the day it passes, the marker must go)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        engine = callspec.params.get("engine") if callspec is not None else None
        for mark in item.iter_markers("notimpl"):
            if engine in mark.args:
                item.add_marker(
                    pytest.mark.xfail(
                        strict=True, reason=mark.kwargs["reason"], raises=mark.kwargs.get("raises")
                    )
                )


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """``duckdb`` or ``postgres``: the engine of this test's workspaces."""
    return str(getattr(request, "param", "duckdb"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    if postgres_bin() is None:
        pytest.fail(
            "PostgreSQL is not installed: run scripts/ensure/postgres (./scripts/test does)"
        )
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


class PgDatabases:
    """Databases made for one test on the session's server, dropped after it."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.made: list[str] = []

    def new(self, template: str = "template0") -> str:
        name = f"t_{uuid.uuid4().hex[:12]}"
        url = self.server.create_database(name, template=template)
        self.made.append(name)
        return url

    def drop_all(self) -> None:
        for name in self.made:
            self.server.drop_database(name)


@pytest.fixture
def pg_databases(
    engine: str, request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PgDatabases | None]:
    """This test's databases on the server (None on DuckDB). The click journal and other
    per-machine files of a server's workspace go under the test's own folder."""
    if engine != "postgres":
        yield None
        return
    monkeypatch.setenv("CREATORMIX_STATE_DIR", str(tmp_path / "state"))
    dbs = PgDatabases(request.getfixturevalue("pg_server"))
    try:
        yield dbs
    finally:
        dbs.drop_all()


@pytest.fixture
def new_db(engine: str, pg_databases: PgDatabases | None, tmp_path: Path) -> str:
    """Where a new, empty workspace goes: a file path, or the URL of an empty database."""
    if pg_databases is None:
        return str(tmp_path / "ws.duckdb")
    return pg_databases.new()


@pytest.fixture
def another_db(engine: str, pg_databases: PgDatabases | None, tmp_path: Path) -> str:
    """A second empty workspace location on the same engine."""
    if pg_databases is None:
        return str(tmp_path / "other.duckdb")
    return pg_databases.new()


@pytest.fixture
def ws(new_db: str) -> Iterator[Workspace]:
    with Workspace.create(new_db) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace file, built once per session; copy it (``demo_copy``) before writing."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    Workspace.build_demo(path, seed=7, creators=1500).close()
    return path


@pytest.fixture(scope="session")
def demo_pg_template(pg_server: PostgresServer) -> str:
    """The demo built once per session in a database that tests copy (``TEMPLATE``)."""
    name = "demo_template"
    url = pg_server.create_database(name)
    Workspace.build_demo(url, seed=7, creators=1500).close()
    return name


@pytest.fixture
def demo_copy(
    engine: str,
    pg_databases: PgDatabases | None,
    request: pytest.FixtureRequest,
    tmp_path: Path,
) -> str | Path:
    """This test's own copy of the demo workspace: a file, or a database on the server."""
    if pg_databases is None:
        demo_db = request.getfixturevalue("demo_db")
        target = tmp_path / "demo.duckdb"
        shutil.copy(demo_db, target)
        return target
    return pg_databases.new(template=request.getfixturevalue("demo_pg_template"))


@pytest.fixture
def demo_ws(demo_copy: str | Path) -> Iterator[Workspace]:
    with Workspace.open(demo_copy) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def spark_session() -> Iterator[object]:
    """One local Spark (``local[2]``) for the whole test run, started on first use and stopped at
    the end; every Spark engine a test opens (``--engine spark`` included) joins this session."""
    pytest.importorskip("pyspark", reason="pyspark is not installed: pip install -e '.[spark]'")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.fail("Spark tests need Java 17: run scripts/ensure/java (./scripts/test does)")
    from creatormix.domain.profiles import EngineSettings
    from creatormix.store.engine_choice import open_engine

    engine = open_engine(EngineSettings("spark", master="local[2]", memory="1GB", partitions=2))
    try:
        yield engine
    finally:
        engine.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item (``item.rep_call``): the browser tests take a
    screenshot when their call failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
