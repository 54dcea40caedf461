"""Profiles computed elsewhere (``creatormix profiles build``), kept in the workspace.

An ``import profiles`` replaces the previous imported catalog whole: a catalog rebuilt elsewhere is
a new snapshot of that system's facts, and a creator it dropped must disappear with it. The
import log keeps every import. The workspace's own facts win: a creator that the workspace's
imports describe is computed from them, and the imported profile fills in only the others.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from creatormix.domain.catalog import Interval
from creatormix.domain.profiles import PROFILES_FORMAT
from creatormix.domain.vetting import FollowerAudit
from creatormix.errors import FileFormatProblem
from creatormix.store import catalog as facts
from creatormix.store.planning import VIEW_COLUMNS

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from creatormix.store.core import Store

PROFILES = "imported_profiles"
AUDITS = "imported_audits"
KEY = ["platform", "handle"]
MANIFEST = "_manifest.json"  # as store/profile_job.py writes it
Key = tuple[str, str]


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a finished profiles folder on this machine, or one clear error."""
    if not folder.is_dir():
        raise FileFormatProblem(
            f"{folder}: no such folder (import profiles reads the folder `profiles build --out` "
            "wrote)"
        )
    manifest = folder / MANIFEST
    if not manifest.is_file():
        raise FileFormatProblem(
            f"{folder}: no {MANIFEST}, so not a finished profiles folder (`profiles build` "
            "writes it last, when every table is complete)"
        )
    try:
        data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise FileFormatProblem(f"{manifest}: not JSON ({exc})") from None
    if data.get("format") != PROFILES_FORMAT:
        raise FileFormatProblem(
            f"{manifest}: format {data.get('format')!r}, this creatormix reads {PROFILES_FORMAT!r}"
        )
    return data


def _dataset(store: Store, folder: Path) -> ir.Table | None:
    files = sorted(str(p) for p in folder.rglob("*.parquet") if p.is_file())
    if not files:
        return None
    t = store.con.read_parquet(files, hive_partitioning=True, union_by_name=True)
    return t.mutate(platform=t.platform.cast("string"))


def load(store: Store, folder: Path, import_id: int) -> tuple[int, int]:
    """Replace the imported profiles (with their views per post) and audits; (creators, audits)."""
    import ibis

    profiles = _dataset(store, folder / "profiles")
    if profiles is None:
        raise FileFormatProblem(f"{folder / 'profiles'}: no profile files")
    candidates = _dataset(store, folder / "candidates")
    if candidates is not None:
        views = candidates.select(*KEY, *VIEW_COLUMNS)
        joined = profiles.left_join(views, KEY, rname="{name}__r")
        profiles = joined.drop(*[f"{k}__r" for k in KEY])
    else:
        profiles = profiles.mutate(**{c: ibis.null("float64") for c in VIEW_COLUMNS})
    store.replace_table(PROFILES, profiles.mutate(import_id=ibis.literal(import_id, "int64")))
    audits = _dataset(store, folder / "audits")
    if audits is not None:
        store.replace_table(AUDITS, audits.mutate(import_id=ibis.literal(import_id, "int64")))
    elif store.has_table(AUDITS):
        store.con.drop_table(AUDITS)
    n_audits = int(store.table(AUDITS).count().to_pyarrow().as_py()) if audits is not None else 0
    return int(store.table(PROFILES).count().to_pyarrow().as_py()), n_audits


def imported_count(store: Store) -> int:
    if not store.has_table(PROFILES):
        return 0
    return int(store.table(PROFILES).count().to_pyarrow().as_py())


def latest_import(store: Store) -> int | None:
    if not store.has_table(PROFILES):
        return None
    value = store.table(PROFILES).import_id.max().to_pyarrow().as_py()
    return int(value) if value is not None else None


def with_imported(store: Store, local: ir.Table) -> ir.Table:
    """``local`` metrics plus the imported profiles of creators ``local_keys`` does not name.

    Columns are ``local``'s; one the import lacks is null (a newer metric than the build's).
    """
    import ibis

    if not store.has_table(PROFILES):
        return local
    imported = store.table(PROFILES).anti_join(facts.creators_current(store), KEY)
    schema = local.schema()
    aligned = imported.select(
        **{
            name: (imported[name].cast(dtype) if name in imported.columns else ibis.null(dtype))
            for name, dtype in schema.items()
        }
    )
    return local.union(aligned)


def overridden(store: Store) -> int:
    """Imported creators that the workspace's own imports describe (those are computed locally)."""
    if not store.has_table(PROFILES):
        return 0
    t = store.table(PROFILES).semi_join(facts.creators_current(store), KEY)
    return int(t.count().to_pyarrow().as_py())


def with_imported_views(store: Store, views: ir.Table) -> ir.Table:
    """Measured views per post: the workspace's, and the import's for creators it alone has."""
    if not store.has_table(PROFILES):
        return views
    t = store.table(PROFILES).anti_join(facts.creators_current(store), KEY)
    t = t.filter(t.views_posts.notnull())
    schema = views.schema()
    return views.union(t.select(*[t[c].cast(schema[c]) for c in views.columns]))


def audits(store: Store, keys: Sequence[Key] | None) -> dict[Key, FollowerAudit]:
    """Imported follower audits of ``keys`` (all with None); creators whose sample failed left out."""
    if not store.has_table(AUDITS):
        return {}
    import ibis
    import pyarrow as pa

    t = store.table(AUDITS)
    t = t.filter(t.problem.isnull())
    if keys is not None:
        if not keys:
            return {}
        wanted = ibis.memtable(
            pa.table(
                {
                    "platform": pa.array([k[0] for k in keys], pa.string()),
                    "handle": pa.array([k[1] for k in keys], pa.string()),
                }
            )
        )
        t = t.semi_join(wanted, KEY)
    return {(r["platform"], r["handle"]): _audit(r) for r in t.to_pyarrow().to_pylist()}


def _audit(r: dict[str, object]) -> FollowerAudit:
    def number(name: str) -> float:
        return float(r[name])  # type: ignore[arg-type]

    return FollowerAudit(
        sample_size=int(r["sample_size"]),  # type: ignore[call-overload]
        fake_share=number("fake_share"),
        fake_interval=Interval(number("fake_low"), number("fake_high"), number("level")),
        split=json.loads(str(r["split"])),
        split_counts=json.loads(str(r["split_counts"])),
        low_confidence=bool(r["low_confidence"]),
        missing_fields=json.loads(str(r["missing_fields"])),
        imputed_followers=int(r["imputed_followers"]),  # type: ignore[call-overload]
        model=str(r["model"]),
        effective_size=None if r["effective_size"] is None else number("effective_size"),
        raw_share=None if r["raw_share"] is None else number("raw_share"),
        base_rate=None if r["base_rate"] is None else number("base_rate"),
    )
