"""A throwaway PostgreSQL server for the tests and the benchmark: ``initdb`` in a temporary folder,
a free port on 127.0.0.1, its unix socket in that folder, stopped and deleted afterwards.

PostgreSQL refuses to run as root, and the tests run as root in CI: the server then runs as
Debian's ``postgres`` user (``runuser``), in a folder that user owns. As anyone else it runs as
that user. The binaries are Debian's (``scripts/ensure/postgres`` installs them when absent).

Clients log in over TCP with a password (scram-sha-256), as the application would: the role
``creatormix`` may create databases but is no superuser; ``admin_url`` is the superuser's.

Not pytest-postgresql: its executor starts ``pg_ctl`` as the current user, which fails as root,
and it has no way to name another user for the server.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

APP_ROLE = "creatormix"
APP_PASSWORD = "s3cret-Test-pw"  # only ever this throwaway server's
ADMIN_ROLE = "pgadmin"
ADMIN_PASSWORD = "admin-Test-pw"


def postgres_bin() -> Path | None:
    """The newest installed ``/usr/lib/postgresql/<n>/bin`` holding ``initdb``, else None."""
    root = Path("/usr/lib/postgresql")
    found = sorted(
        (p for p in root.glob("*/bin") if (p / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """``start()``, ``url(db)``, ``restart()``, ``stop()``; one cluster in a temporary folder."""

    def __init__(self, *, durable: bool = False, settings: dict[str, str] | None = None) -> None:
        bin_dir = postgres_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (run scripts/ensure/postgres)")
        self.bin = bin_dir
        self.durable = durable
        self.settings = dict(settings or {})
        self.root = Path(tempfile.mkdtemp(prefix="creatormix-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as: list[str] = []
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")  # Debian's package creates it
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres", "postgres")
        self.root.chmod(0o700)

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> PostgresServer:
        pwfile = self.root / "pw"
        pwfile.write_text(ADMIN_PASSWORD + "\n")
        if self._as:
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            ADMIN_ROLE,
            f"--pwfile={pwfile}",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        pwfile.unlink()
        self.port = _free_port()
        conf = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            "max_connections": "200",
            "logging_collector": "off",
            "log_min_messages": "warning",
        }
        if not self.durable:
            # The tests kill clients and restart the server, never the machine: without fsync a
            # commit still reaches the operating system before it returns (synchronous_commit
            # stays on), which is all a killed server needs to keep it.
            conf |= {"fsync": "off", "full_page_writes": "off"}
        conf |= self.settings
        with (self.data / "postgresql.conf").open("a") as fh:
            fh.writelines(f"{k} = {v}\n" for k, v in conf.items())
        self._pg_ctl("start")
        self.admin_sql(
            f"CREATE ROLE {APP_ROLE} LOGIN CREATEDB PASSWORD '{APP_PASSWORD}'",
        )
        return self

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._pg_ctl("stop", "-m", "fast")
        shutil.rmtree(self.root, ignore_errors=True)

    def restart(self, *, mode: str = "fast") -> None:
        """Stop (``fast``: clients are disconnected; ``immediate``: as if it crashed) and start."""
        self._pg_ctl("stop", "-m", mode)
        self._pg_ctl("start")

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------------

    def url(self, database: str, *, password: bool = True) -> str:
        auth = f"{APP_ROLE}:{APP_PASSWORD}" if password else APP_ROLE
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://{ADMIN_ROLE}:{ADMIN_PASSWORD}@127.0.0.1:{self.port}/{database}"

    # --- administration --------------------------------------------------------------------------

    def admin_sql(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the superuser, each on its own (CREATE DATABASE cannot be in a
        transaction)."""
        import psycopg

        with psycopg.connect(self.admin_url(database), autocommit=True) as con:
            for sql in statements:
                con.execute(sql)  # type: ignore[arg-type]

    def create_database(self, name: str, *, template: str = "template0") -> str:
        """A new database owned by the application role; returns its URL."""
        self.admin_sql(f'CREATE DATABASE "{name}" OWNER {APP_ROLE} TEMPLATE "{template}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _pg_ctl(self, *args: str) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "server.log"),
            *args,
        )

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            cwd=self.root,
            check=False,
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise subprocess.CalledProcessError(
                done.returncode, [tool, *args], done.stdout, done.stderr + tail
            )
