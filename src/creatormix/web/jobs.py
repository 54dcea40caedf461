"""Imports started from the browser run in a thread of their own; the page polls their progress.

A job belongs to the session that started it: the progress fragment checks the job's owner (the
session cookie's hash) without touching the workspace, which the import itself holds meanwhile.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Job:
    job_id: int
    owner: str  # sha256 of the session secret that started it
    what: str  # "creators from spring.csv"
    stage: str = "queued"
    done: int = 0
    total: int | None = None
    finished: bool = False
    result: Any = None  # what the work returned
    error: str | None = None  # one line when it failed (nothing was applied)
    started: float = field(default_factory=time.monotonic)

    @property
    def percent(self) -> int | None:
        if self.finished:
            return 100
        if not self.total:
            return None
        return min(99, int(100 * self.done / self.total))


def owner_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Jobs:
    def __init__(self, keep: int = 200) -> None:
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()

    def start(
        self,
        owner_secret: str,
        what: str,
        work: Callable[[Callable[[str, int, int | None], None]], Any],
        describe_error: Callable[[BaseException], str | None],
    ) -> Job:
        """Run ``work(progress)`` in a thread; ``describe_error`` turns an expected error into its
        one line (None: a bug, kept as "internal error" and re-raised in the thread's log)."""
        with self._lock:
            job = Job(next(self._ids), owner_of(owner_secret), what)
            self._jobs[job.job_id] = job
            for old in sorted(self._jobs)[: max(0, len(self._jobs) - self._keep)]:
                if self._jobs[old].finished:
                    del self._jobs[old]

        def progress(stage: str, done: int, total: int | None) -> None:
            job.stage, job.done, job.total = stage, done, total

        def run() -> None:
            try:
                job.result = work(progress)
            except BaseException as exc:
                line = describe_error(exc)
                job.error = line or "internal error (see the server's log)"
                if line is None:
                    raise
            finally:
                job.finished = True

        threading.Thread(target=run, name=f"import-job-{job.job_id}", daemon=True).start()
        return job

    def get(self, job_id: int, owner_secret: str) -> Job | None:
        """The job, if the caller's session started it."""
        job = self._jobs.get(job_id)
        if job is None or not hmac.compare_digest(job.owner, owner_of(owner_secret)):
            return None
        return job
