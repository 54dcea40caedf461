"""The catalog pipeline's reads and writes on an engine: inputs, parsing, the merged catalog and
the output folder of ``profiles build``.

``Workspace.build_profiles`` (``workspace/profiles.py``) drives a ``ProfileJob`` step by step and
hands it what the pure packages make (the importer's parser, the metrics expressions, the audit
of one sample); every query and every file goes through here and the engine
(``store/engines.py``), so DuckDB and Spark run the same steps.

Output folder (``docs/scale-out.md``)::

    OUT/profiles/platform=…/     every metric of every creator (the workspace's creator_metrics)
    OUT/candidates/platform=…/   the planner's columns, views per post included
    OUT/audits/platform=…/       follower-sample audits (with --follower-samples)
    OUT/rejects/kind=…/          every rejected record: file, record, column, value, reason
    OUT/rejects_summary/         rejected records by kind, column and reason
    OUT/_manifest.json           inputs, settings, counts; written last

The folder is built beside OUT and moved into place when complete, so OUT always holds either the
previous profiles or the new ones, and a folder without ``_manifest.json`` is never read.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from creatormix.domain.imports import ImportKind
from creatormix.domain.profiles import (
    InputFile,
    InputSummary,
    ProfilesBuildReport,
    RejectCount,
)
from creatormix.errors import InvalidOption
from creatormix.store import pipeline
from creatormix.store.engines import FILE, ROW, Engine, GroupFn

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

MANIFEST = "_manifest.json"
OUTPUTS = ("profiles", "candidates", "audits", "rejects", "rejects_summary")
MAX_WARNINGS = 20  # row warnings (per input) the report lists; the count of the rest follows
KEY = ["platform", "handle"]


class Parser(Protocol):
    """What parses one input (``ingest.batches.PieceParser``): per file on its first
    ``sample_rows`` rows (``decide``, gathered by ``use``), then per batch (``parse``)."""

    sample_rows: int
    decision_schema: pa.Schema

    @property
    def schema(self) -> pa.Schema: ...

    def decide(self, sample: pa.Table) -> pa.Table: ...

    def use(self, decisions: pa.Table) -> None: ...

    def parse(self, batch: pa.RecordBatch) -> pa.Table: ...


P = TypeVar("P", bound=Parser)


class ProfileJob:
    """One ``profiles build`` into ``out`` on ``engine``: a context manager that removes its
    unfinished folder when the block fails; ``commit`` puts the finished one in place."""

    def __init__(self, engine: Engine, out: str) -> None:
        self.engine = engine
        self.out = out.rstrip("/")
        self.staging = f"{self.out}.building-{uuid.uuid4().hex[:12]}"
        self.work = f"{self.staging}/_work"
        self.parsed: dict[ImportKind, ir.Table] = {}
        self.records: dict[ImportKind, int] = {}
        self.audited = 0
        self._rejects: list[ir.Table] = []
        self._current: ir.Table | None = None
        self._profiles: ir.Table | None = None
        self._started = False

    def __enter__(self) -> ProfileJob:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None and self._started:
            self.engine.remove(self.staging)

    # --- inputs and an earlier build --------------------------------------------------------

    def list_inputs(self, patterns: Mapping[ImportKind, str]) -> dict[ImportKind, list[InputFile]]:
        """Each input's files; none may lie inside the output folder (it is replaced whole)."""
        inputs = {kind: self.engine.list_files(p) for kind, p in patterns.items()}
        for kind, files in inputs.items():
            inside = [f.display for f in files if f.display.startswith(self.out + "/")]
            if inside:
                raise InvalidOption(
                    f"--{kind.value} names files inside the output folder {self.out} "
                    f"(e.g. {inside[0]}); write the profiles somewhere else"
                )
        return inputs

    def earlier_manifest(self) -> dict[str, Any] | None:
        """The manifest of the profiles ``out`` holds, if it holds finished ones."""
        path = f"{self.out}/{MANIFEST}"
        if not self.engine.exists(path):
            return None
        try:
            data: dict[str, Any] = json.loads(self.engine.read_text(path))
        except (ValueError, OSError) as exc:
            raise InvalidOption(f"{path}: not a profiles manifest ({exc})") from None
        return data

    # --- the steps ----------------------------------------------------------------------------

    def parse(
        self, kind: ImportKind, files: Sequence[InputFile], make: Callable[[list[str]], P]
    ) -> P:
        """Every record of one input through ``make(header)``'s parser: rows, rejects, warnings."""
        self._start()
        raw = self.engine.read_parquet(files)
        parser = make([c for c in raw.columns if c not in (FILE, ROW)])
        name = kind.value
        decisions = self.engine.map_groups(
            raw.filter(raw[ROW] < parser.sample_rows),
            [FILE],
            parser.decide,
            parser.decision_schema,
            f"{self.work}/{name}-decisions",
            step=f"reading {name}: conventions",
        )
        parser.use(self.engine.fetch(decisions))
        self.parsed[kind] = self.engine.map_batches(
            raw, parser.parse, parser.schema, f"{self.work}/{name}-parsed", step=f"reading {name}"
        )
        self.records[kind] = int(self.engine.fetch(raw.count()).as_py())
        self._rejects.append(pipeline.rejects(self.parsed[kind], name))
        return parser

    def catalog(self, observed_at: datetime | None) -> tuple[ir.Table, ir.Table, ir.Table]:
        """The current creators, current posts and follower snapshots, merged as ``import``
        merges the files one after the other (``store/pipeline.py``)."""
        facts = self.engine.materialize(
            pipeline.creator_facts(self.parsed[ImportKind.CREATORS], observed_at),
            f"{self.work}/creator-facts",
            step="merging creators",
        )
        current = self._current = pipeline.creators(facts)
        snapshots = pipeline.snapshots(facts, self.parsed.get(ImportKind.SNAPSHOTS))
        if ImportKind.POSTS in self.parsed:
            post_facts, rejected = pipeline.post_facts(self.parsed[ImportKind.POSTS], current)
            self._rejects.append(rejected)
            posts = pipeline.posts_current(post_facts)
        else:
            posts = self.engine.memtable(pipeline.no_posts())
        return current, posts, snapshots

    def checkpoint(self, table: ir.Table, name: str) -> ir.Table:
        """A table the metrics read twice, computed once where the engine needs it."""
        return self.engine.checkpoint(
            table, f"{self.work}/metrics-{name}", step="computing metrics"
        )

    def write_profiles(self, profiles: ir.Table) -> None:
        path = f"{self.staging}/profiles"
        self.engine.write_parquet(
            profiles, path, partition_by=["platform"], order_by=["handle"], step="computing metrics"
        )
        self._profiles = self.engine.read_dataset(path)

    def write_candidates(self, views: ir.Table) -> None:
        """The planner's columns of the written profiles, with ``views`` (per creator) joined."""
        from creatormix.store.planning import candidates

        assert self._profiles is not None, "write_profiles first"
        self.engine.write_parquet(
            candidates(self._profiles, views),
            f"{self.staging}/candidates",
            partition_by=["platform"],
            order_by=["handle"],
            step="planner candidates",
        )

    def write_audits(self, observed_at: datetime | None, audit: GroupFn, schema: pa.Schema) -> None:
        """``audit`` over each creator's follower sample (of the latest file that has one)."""
        assert self._current is not None, "catalog first"
        kind = ImportKind.FOLLOWERS_SAMPLE
        samples = pipeline.follower_samples(self.parsed[kind], observed_at)
        samples, rejected = pipeline.resolve_platforms(samples, self._current, kind.value)
        self._rejects.append(rejected)
        audits = self.engine.map_groups(
            pipeline.sample_facts(samples),
            KEY,
            audit,
            schema,
            f"{self.work}/audits",
            step="auditing follower samples",
        )
        self.engine.write_parquet(
            audits,
            f"{self.staging}/audits",
            partition_by=["platform"],
            order_by=["handle"],
            step="writing audits",
        )
        self.audited = int(self.engine.fetch(audits.count()).as_py())

    # --- the report and the folder ------------------------------------------------------------

    def report(
        self,
        patterns: Mapping[ImportKind, str],
        inputs: Mapping[ImportKind, Sequence[InputFile]],
        warnings: Sequence[str],
        fingerprint: str,
    ) -> ProfilesBuildReport:
        """Write the rejects and their summary, and report the build (``warnings``: the
        parsers' own, before the rows' warnings this gathers)."""
        engine = self.engine
        rejects = self._write_rejects()
        summary = pipeline.reject_summary(rejects)
        reasons = engine.fetch(summary.order_by([summary.records.desc(), "kind", "reason"]))
        per_record = rejects.select("kind", "_file_no", "record").distinct()
        counts = engine.fetch(per_record.group_by("kind").agg(n=per_record.count()))
        rejected = {r["kind"]: int(r["n"]) for r in counts.to_pylist()}
        assert self._profiles is not None, "write_profiles first"
        t = self._profiles
        tiers = engine.fetch(t.group_by("tier").agg(n=t.count()))
        tier_counts = {str(r["tier"] or "unknown"): int(r["n"]) for r in tiers.to_pylist()}
        return ProfilesBuildReport(
            out=self.out,
            engine=engine.name,
            engine_description=engine.description,
            ui_url=engine.ui_url,
            inputs=tuple(
                InputSummary(
                    kind=k.value,
                    pattern=patterns[k],
                    files=len(inputs[k]),
                    records=self.records[k],
                    accepted=self.records[k] - rejected.get(k.value, 0),
                    rejected=rejected.get(k.value, 0),
                )
                for k in inputs
            ),
            creators=sum(tier_counts.values()),
            tiers=tier_counts,
            audited=self.audited,
            rejected=sum(rejected.values()),
            reject_summary=tuple(RejectCount(**r) for r in reasons.to_pylist()),
            warnings=(*warnings, *self._row_warnings()),
            outputs={n: f"{self.out}/{n}" for n in OUTPUTS if n != "audits" or self.audited},
            seconds=0.0,
            fingerprint=fingerprint,
        )

    def _write_rejects(self) -> ir.Table:
        every = self._rejects[0]
        for more in self._rejects[1:]:
            every = every.union(more)
        every = self.engine.materialize(every, f"{self.work}/rejects", step="collecting rejects")
        self.engine.write_parquet(
            every.select(*pipeline.REJECT_COLUMNS),
            f"{self.staging}/rejects",
            partition_by=["kind"],
            order_by=["file", "record"],
            step="writing rejects",
        )
        self.engine.write_parquet(
            pipeline.reject_summary(every),
            f"{self.staging}/rejects_summary",
            step="writing rejects",
        )
        return every

    def _row_warnings(self) -> list[str]:
        out: list[str] = []
        for kind, table in self.parsed.items():
            w = pipeline.warnings(table)
            n = int(self.engine.fetch(w.count()).as_py())
            rows = self.engine.fetch(w.order_by(["file", "message"]).limit(MAX_WARNINGS))
            out += [f"{kind.value}: {r['file']}: {r['message']}" for r in rows.to_pylist()]
            if n > rows.num_rows:
                out.append(f"{kind.value}: … and {n - rows.num_rows:,} more warning(s)")
        return out

    def commit(self, manifest: Mapping[str, Any]) -> None:
        """Write the manifest last and move the folder to ``out``; the previous profiles are
        removed only once the new ones are in place."""
        engine = self.engine
        engine.remove(self.work)
        engine.write_text(f"{self.staging}/{MANIFEST}", json.dumps(manifest, indent=2, default=str))
        old = None
        if engine.exists(self.out):
            old = f"{self.out}.old-{uuid.uuid4().hex[:12]}"
            engine.rename(self.out, old)
        engine.rename(self.staging, self.out)
        if old is not None:
            engine.remove(old)

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self.engine.spill_to(f"{self.work}/spill")


def report_from_manifest(data: Mapping[str, Any], engine: Engine, out: str) -> ProfilesBuildReport:
    """The report of an earlier build, from its manifest (nothing was recomputed)."""
    return ProfilesBuildReport(
        out=out,
        engine=engine.name,
        engine_description=engine.description,
        ui_url=engine.ui_url,
        inputs=tuple(InputSummary(**i) for i in data["inputs"]),
        creators=int(data["creators"]),
        tiers=data["tiers"],
        audited=int(data["audited"]),
        rejected=int(data["rejected"]),
        reject_summary=tuple(RejectCount(**r) for r in data["reject_summary"]),
        warnings=tuple(data["warnings"]),
        outputs=data["outputs"],
        seconds=float(data["seconds"]),
        fingerprint=data["fingerprint"],
        unchanged=True,
    )
