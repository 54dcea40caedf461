"""Follower lists (creator, follower id): reading the file, naming its creators as the catalog
does, the distinct (creator, follower) pairs, and follower ids as the sketches hash them.

A list is rejected whole when a row has no creator or follower, or a creator is not in the
catalog (``FollowerLists``); the column names a list may use are ``ingest.fields``'s
``FOLLOWER_LIST_COLUMNS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from creatormix.domain.query import Progress
from creatormix.errors import ColumnProblem, InvalidOption, RowsRejected
from creatormix.ingest.fields import FOLLOWER_LIST_COLUMNS

_CREATOR_COLUMNS = FOLLOWER_LIST_COLUMNS["creator"]
_FOLLOWER_COLUMNS = FOLLOWER_LIST_COLUMNS["follower"]
_PLATFORM_COLUMNS = FOLLOWER_LIST_COLUMNS["platform"]


@dataclass(frozen=True)
class FollowerLists:
    """A follower file named against the catalog: its creators, and per distinct (creator,
    follower) pair the creator's index in ``keys`` (``codes``) and the follower id text."""

    rows_read: int
    keys: list[tuple[str, str]]
    codes: Any  # numpy int64 array, one per pair
    followers: Any  # pyarrow string array, one per pair


def read_follower_lists(
    source: Any, display: str, known: Any, platform: str | None, progress: Progress
) -> FollowerLists:
    """The file's lists; RowsRejected naming the creators ``known`` (the catalog's platform and
    handle columns) does not have, with their row counts."""
    import pyarrow as pa

    table = read_links(source, display, progress)
    keys, unknown = resolve_creators(table, known, platform)
    if unknown:
        listed = ", ".join(f"{u} ({n:,} row{'' if n == 1 else 's'})" for u, n in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise RowsRejected(
            f"{display}: {len(unknown)} creator(s) are not in the catalog: {listed}{more}; "
            "nothing was imported (import those creators first, or remove their rows)"
        )
    followers = table["follower"]
    creator_codes, creator_keys = keys
    # distinct (creator, follower) pairs
    pairs = pa.table({"c": creator_codes, "f": followers}).group_by(["c", "f"]).aggregate([])
    return FollowerLists(table.num_rows, creator_keys, pairs["c"].to_numpy(), pairs["f"])


def sketch_ids(followers: Any) -> Any:
    """Follower ids as the sketches hash them: numeric ids as integers, others as text, so the
    same follower gets the same hash in every list (``planning.sketches``)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    numeric = pc.match_substring_regex(followers, r"^[0-9]{1,18}$")
    is_num = np.asarray(numeric.to_numpy(zero_copy_only=False), dtype=bool)
    if is_num.all():
        return pc.cast(followers, pa.int64()).to_numpy()
    ids = np.empty(len(followers), dtype=object)
    ids[:] = followers.to_pylist()
    if is_num.any():
        ids[is_num] = pc.cast(pc.filter(followers, numeric), pa.int64()).to_numpy().tolist()
    return ids


def resolve_creators(
    table: Any, known: Any, platform: str | None
) -> tuple[tuple[Any, list[tuple[str, str]]], list[tuple[str, int]]]:
    """Catalog keys for the file's creator column (``known``: the catalog's platform and handle
    columns); unknown or ambiguous creators with row counts."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from creatormix.domain.platform import Platform

    default_platform = None
    if platform:
        try:
            default_platform = Platform.parse(platform).value
        except ValueError as exc:
            raise InvalidOption(str(exc)) from None
    by_handle: dict[str, list[str]] = {}
    for p, h in zip(known["platform"].to_pylist(), known["handle"].to_pylist(), strict=True):
        by_handle.setdefault(h, []).append(p)
    raw = table["creator"]
    plat_col = table["platform"] if "platform" in table.column_names else None
    combo = (
        raw
        if plat_col is None
        else pc.binary_join_element_wise(pc.fill_null(plat_col, ""), raw, "\x1f")
    )
    uniq = pc.unique(combo).to_pylist()
    dict_index = pc.index_in(combo, value_set=pa.array(uniq))
    resolved: list[tuple[str, str] | None] = []
    for value in uniq:
        plat_given, _, ref_text = (
            value.rpartition("\x1f") if plat_col is not None else ("", "", value)
        )
        parsed = _parse_follower_creator(ref_text, plat_given)
        if parsed is None:
            resolved.append(None)
            continue
        plat, handle, _ = parsed
        plat = plat or default_platform
        options = by_handle.get(handle, [])
        if plat is not None:
            resolved.append((plat, handle) if plat in options else None)
        elif len(options) == 1:
            resolved.append((options[0], handle))
        else:
            resolved.append(None)
    idx = dict_index.to_numpy(zero_copy_only=False)
    row_counts = np.bincount(idx, minlength=len(uniq))
    unknown = [
        (_label(v, plat_col is not None, default_platform), int(row_counts[k]))
        for k, v in enumerate(uniq)
        if resolved[k] is None
    ]
    keys = sorted({r for r in resolved if r is not None})
    pos = {k: i for i, k in enumerate(keys)}
    map_arr = np.array([pos[r] if r is not None else -1 for r in resolved], dtype=np.int64)
    codes = map_arr[idx] if len(idx) else np.zeros(0, dtype=np.int64)
    return (pa.array(codes), keys), sorted(unknown, key=lambda u: -u[1])


def _parse_follower_creator(text: str, plat_given: str) -> tuple[str | None, str, bool] | None:
    """A follower file's creator cell: (platform, handle, whether the platform column's value
    named no platform), or None when the cell names no one. The platform is the cell's own
    (``tiktok:@ann``), else the file's platform column; None leaves it to ``--platform``."""
    from creatormix.domain.catalog import CreatorRef
    from creatormix.domain.platform import Platform

    try:
        ref = CreatorRef.parse(text)
    except ValueError:
        return None
    if ref.platform:
        return (ref.platform.value, ref.handle, False)
    if not plat_given:
        return (None, ref.handle, False)
    try:
        return (Platform.parse(plat_given).value, ref.handle, False)
    except ValueError:
        return (None, ref.handle, True)


def _label(value: str, with_platform_column: bool, default_platform: str | None) -> str:
    """A creator of a follower file as the catalog names one: ``platform:@handle`` or ``@handle``."""
    plat_given, _, text = value.rpartition("\x1f") if with_platform_column else ("", "", value)
    parsed = _parse_follower_creator(text, plat_given)
    if parsed is None:
        return text
    plat, handle, unknown_platform = parsed
    # a platform the file names but we do not know is shown as the file wrote it
    plat = plat or (plat_given if unknown_platform else None) or default_platform
    return f"{plat}:@{handle}" if plat else f"@{handle}"


def _find(header: list[str], names: Sequence[str]) -> int | None:
    norm = [h.strip().lower().replace("-", "_") for h in header]
    for name in names:
        key = name.replace(" ", "_")
        if key in norm:
            return norm.index(key)
    return None


def read_links(source: Any, display: str, progress: Progress) -> Any:
    """The file as a table (creator, follower[, platform]) of cleaned strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    header = source.header
    ci = _find(header, _CREATOR_COLUMNS)
    fi = _find(header, _FOLLOWER_COLUMNS)
    pi = _find(header, _PLATFORM_COLUMNS)
    if ci is None or fi is None:
        raise ColumnProblem(
            f"{display}: a follower list needs a creator column ({', '.join(_CREATOR_COLUMNS[:3])}) "
            f"and a follower column ({', '.join(_FOLLOWER_COLUMNS[:4])}); the header is: {', '.join(header)}"
        )
    if fi == ci:
        raise ColumnProblem(
            f"{display}: the creator and follower columns must differ (header: {', '.join(header)})"
        )
    parts: dict[str, list[Any]] = {"creator": [], "follower": [], "platform": []}
    read = 0
    for batch in source.batches():
        cols = {name: batch.column(i) for i, name in ((ci, "creator"), (fi, "follower"))}
        if pi is not None:
            cols["platform"] = batch.column(pi)
        for name, col in cols.items():
            col = col.cast(pa.string()) if col.type != pa.string() else col
            col = pc.utf8_trim_whitespace(col)
            if name == "follower":
                col = pc.utf8_lower(pc.utf8_ltrim(col, characters="@"))
            parts[name].append(col)
        read += batch.num_rows
        progress("reading", read, source.rows_estimate)
    data = {k: pa.chunked_array(v, type=pa.string()) for k, v in parts.items() if v}
    table = pa.table(data)
    blank = pc.or_(pc.equal(table["creator"], ""), pc.equal(table["follower"], ""))
    blank = pc.or_(blank, pc.or_(pc.is_null(table["creator"]), pc.is_null(table["follower"])))
    n_blank = int(pc.sum(blank.cast(pa.int64())).as_py() or 0)
    if n_blank:
        import numpy as np

        rows = np.flatnonzero(np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool))
        records = source.record_numbers(0, table.num_rows)[rows[:10]]
        if source.line_based:
            where = "line(s) " + ", ".join(
                str(line) if (line := source.locate(int(r))) is not None else f"record {r + 1}"
                for r in records
            )
        else:
            where = "row(s) " + ", ".join(str(int(r) + 1) for r in records)
        more = f" and {n_blank - 10:,} more" if n_blank > 10 else ""
        raise RowsRejected(
            f"{display}: {n_blank:,} row(s) have an empty creator or follower ({where}{more}); "
            "nothing was imported"
        )
    if table.num_rows == 0:
        raise RowsRejected(f"{display}: no follower rows")
    return table
