"""One creator's follower audit as an Arrow row: the catalog pipeline's map over creators
(``profiles build --follower-samples``), which an engine runs on its workers.

The row has ``domain.profiles.AUDIT_COLUMNS``; the audit is ``vetting.audience.audit_sample``'s,
the same the workspace computes from an imported sample.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from creatormix.domain.followers import SAMPLE_COLUMNS
from creatormix.domain.profiles import AUDIT_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa


def sample_from_rows(rows: pa.Table) -> dict[str, list[Any] | None]:
    """A sample's rows (``SAMPLE_COLUMNS``) as ``audit_sample`` reads them: booleans as numbers,
    and a column without a single value absent (None), as the workspace's samples are read."""
    out: dict[str, list[Any] | None] = {}
    for c in SAMPLE_COLUMNS:
        values = [float(v) if isinstance(v, bool) else v for v in rows[c].to_pylist()]
        out[c] = None if all(v is None for v in values) else values
    return out


def audit_rows(rows: pa.Table) -> pa.Table:
    """The audit of one creator's follower sample (its rows in record order: ``fact_seq``).

    A sample that cannot be scored gives a row with only ``problem`` set: one creator's odd
    sample never stops the job.
    """
    import pyarrow as pa

    from creatormix.vetting.audience import audit_sample

    row: dict[str, Any] = dict.fromkeys(AUDIT_COLUMNS)
    row["platform"] = rows["platform"][0].as_py()
    row["handle"] = rows["handle"][0].as_py()
    try:
        a = audit_sample(sample_from_rows(rows.sort_by("fact_seq")))
    except (ValueError, ArithmeticError) as exc:
        row["problem"] = str(exc)
    else:
        row |= {
            "sample_size": a.sample_size,
            "fake_share": a.fake_share,
            "fake_low": a.fake_interval.low,
            "fake_high": a.fake_interval.high,
            "level": a.fake_interval.level,
            "effective_size": a.effective_size,
            "raw_share": a.raw_share,
            "base_rate": a.base_rate,
            "low_confidence": a.low_confidence,
            "imputed_followers": a.imputed_followers,
            "model": a.model,
            "split": json.dumps(dict(a.split)),
            "split_counts": json.dumps(dict(a.split_counts)),
            "missing_fields": json.dumps(dict(a.missing_fields)),
        }
    return pa.Table.from_pylist([row], schema=audit_schema())


def audit_schema() -> pa.Schema:
    """``AUDIT_COLUMNS`` as an Arrow schema."""
    import pyarrow as pa

    types = {
        "string": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
    }
    return pa.schema([(name, types[kind]) for name, kind in AUDIT_COLUMNS.items()])
