"""What the redirect server needs from a workspace, without holding the workspace open.

DuckDB lets one process write a file. The server therefore reads the link registry once at start,
then only appends clicks to its own journal segments; a child process opens the workspace for a
moment every ``fold_interval`` seconds to fold the journal in and send back the links (skipping the
round if a command holds the file). It also folds when the server closes its end of the pipe, on a
clean stop or when the server is killed. CLI commands that read clicks fold the journal themselves.

On an engine with concurrent writers (PostgreSQL) the child keeps its connection between rounds
and reconnects when it lost it (the server restarted): nothing waits for a command to finish, and
a round that failed is simply the next round's work, since a fold is idempotent.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING

from creatormix.campaigns.visitors import clean_referrer, new_salt, ua_family, visitor_hash
from creatormix.errors import WorkspaceProblem
from creatormix.store.clicks import JournalWriter, encode, journal_dir
from creatormix.store.core import dialect_for
from creatormix.store.targets import Target

if TYPE_CHECKING:
    from creatormix.workspace._core import Workspace

_DAY_US = 86_400_000_000


class LinkTargets(dict[str, bytes]):
    """link code -> redirect target; ``get`` also finds a code typed in another case.

    Link codes are generated in lower case, and people retype them from a screen (``/r/JB72V4VK``).
    An exact hit is one plain dict lookup; only a miss tries the code's lower-case form.
    """

    def __init__(self, targets: dict[str, bytes] | None = None) -> None:
        super().__init__(targets or {})
        self._folded = {code.lower(): code for code in self}

    def get(self, code: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        hit = dict.get(self, code)
        if hit is None:
            canonical = self._folded.get(code.lower())
            hit = dict.get(self, canonical) if canonical is not None else None
        return default if hit is None else hit

    def canonical(self, code: str) -> str:
        """The code as registered (what a click is recorded under), or ``code`` when unknown."""
        return code if code in self else self._folded.get(code.lower(), code)


class RedirectService:
    """Link lookups, click lines and durable journal writes for one server process."""

    def __init__(
        self, db: str | os.PathLike[str] | Target, *, fold_interval: float = 5.0, lanes: int = 2
    ) -> None:
        self.target = Target.parse(db)
        self.concurrent_writers = dialect_for(self.target).concurrent_writers
        self.folder = journal_dir(self.target)
        self.fold_interval = fold_interval
        self.targets: LinkTargets = LinkTargets()
        self.lanes = lanes
        self.writers: list[JournalWriter] = []
        self._salt = b""
        self._salt_day = -1
        self._child: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self.folds = 0
        self.fold_skips = 0
        self.keep_open = False  # the folder child keeps its connection where the engine allows
        self._kept: Workspace | None = None  # that open Workspace

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Fold what earlier servers left, load the links, open the journal, start the folder."""
        if not self.fold_once(lock_wait=None):
            raise WorkspaceProblem(f"cannot read the links of {self.target}")
        self.writers = [JournalWriter(self.folder) for _ in range(self.lanes)]
        if self.fold_interval > 0:
            self._start_folder()

    def _start_folder(self) -> None:
        """The periodic fold runs in a child process: Ibis and DuckDB work beside the event loop
        in one process held the GIL long enough to triple the redirect's p99 latency."""
        # The workspace travels in the environment, not the arguments: a URL's password would
        # show in every `ps` listing.
        env = dict(os.environ, CREATORMIX_DB=self.target.location)
        self._child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(self.fold_interval)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._thread = threading.Thread(target=self._listen, name="click-fold", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        """Adopt each link registry the folder sends (one JSON line per fold)."""
        assert self._child is not None and self._child.stdout is not None
        for line in self._child.stdout:
            message = json.loads(line)
            if "targets" in message:
                self.targets = LinkTargets({k: v.encode() for k, v in message["targets"].items()})
            self.folds = int(message.get("folds", self.folds))
            self.fold_skips = int(message.get("skips", self.fold_skips))

    def stop(self) -> None:
        """Close the journal, then let the folder fold it one last time and exit."""
        for writer in self.writers:
            writer.close()
        self.writers = []
        if self._child is not None:
            assert self._child.stdin is not None
            self._child.stdin.close()  # EOF: the child folds once more and exits
            try:
                self._child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self._child.kill()
            if self._thread is not None:
                self._thread.join(timeout=10)
            self._child = None
        else:
            with contextlib.suppress(WorkspaceProblem):
                self.fold_once(lock_wait=2.0)

    def fold_once(self, *, lock_wait: float | None) -> bool:
        """Fold the journal and reload the links; False when the workspace was busy (or, on a
        server, unreachable: the next round folds what this one could not)."""
        from creatormix.workspace._core import Workspace, explain_error

        ws = self._kept
        try:
            if ws is None:
                ws = Workspace.open(self.target, lock_wait=lock_wait)
            with ws.store.transaction(lock_wait=lock_wait):
                ws.fold_clicks()
            targets = LinkTargets(
                {code: url.encode() for code, url in ws.redirect_targets().items()}
            )
        except Exception as exc:
            problem = exc if isinstance(exc, WorkspaceProblem) else explain_error(exc, self.target)
            self._drop(ws)
            if problem is None:
                raise
            if lock_wait is None:
                raise problem from None
            self.fold_skips += 1
            return False
        if self.keep_open and self.concurrent_writers:
            self._kept = ws
        else:
            self._drop(ws)
        self.targets = targets  # one assignment: readers see the old or the new dict, whole
        self.folds += 1
        return True

    def _drop(self, ws: Workspace | None) -> None:
        self._kept = None
        if ws is not None:
            with contextlib.suppress(Exception):  # a connection the server already cut
                ws.close()

    # --- the request path --------------------------------------------------------------------

    def click_line(self, code: str, ip: str, user_agent: str, referrer: str) -> bytes:
        now_us = time.time_ns() // 1000
        if now_us // _DAY_US != self._salt_day:
            self._rotate_salt(now_us // _DAY_US)
        return encode(
            now_us,
            self.targets.canonical(code),
            visitor_hash(self._salt, ip, user_agent),
            ua_family(user_agent),
            clean_referrer(referrer),
        )

    def write(self, data: bytes, lane: int = 0) -> None:
        """Append to lane ``lane``'s segment and fdatasync: returns once the clicks are durable.
        Calls for one lane must not overlap; different lanes may run at once."""
        self.writers[lane].write(data)

    def _rotate_salt(self, day: int) -> None:
        """Today's salt from its file (shared by every server of this workspace), older ones deleted."""
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"salt-{day}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            salt = path.read_bytes()
        else:
            salt = new_salt()
            os.write(fd, salt)
            os.fsync(fd)
            os.close(fd)
        if len(salt) != 32:  # a server killed between create and write: make the day's salt anew
            salt = new_salt()
            tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
            tmp.write_bytes(salt)
            tmp.replace(path)
        for old in self.folder.glob("salt-*"):
            if old.name != path.name and not old.name.endswith(".tmp"):
                old.unlink(missing_ok=True)
        self._salt, self._salt_day = salt, day


_CHILD = "from creatormix.workspace.redirects import fold_forever; fold_forever()"


def fold_forever() -> None:
    """The folder process: ``python -c _CHILD <interval>``, the workspace in ``$CREATORMIX_DB``.
    Folds every interval, reports the links as JSON lines on stdout, and folds a last time and
    exits when stdin reaches EOF."""
    interval = float(sys.argv[1])
    service = RedirectService(os.environ["CREATORMIX_DB"], fold_interval=0)
    service.keep_open = True
    last: dict[str, bytes] | None = None
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], interval)
        closing = bool(ready) and not os.read(sys.stdin.fileno(), 4096)
        with contextlib.suppress(WorkspaceProblem):
            # DuckDB: skip the round at once if a command holds the file. A server's write lock
            # is held for one transaction at a time: worth a short wait.
            wait = 10.0 if closing else (2.0 if service.concurrent_writers else 0.0)
            service.fold_once(lock_wait=wait)
        message: dict[str, object] = {"folds": service.folds, "skips": service.fold_skips}
        if service.targets != last:
            last = service.targets
            message["targets"] = {k: v.decode() for k, v in last.items()}
        if closing:
            return
        with contextlib.suppress(BrokenPipeError):
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()
