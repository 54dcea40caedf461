"""Where a workspace lives: a DuckDB file, or a PostgreSQL database named by a ``postgresql://`` URL.

``--db`` and ``$CREATORMIX_DB`` take either. A URL may carry a password; a ``Target`` never shows
it: ``str()`` and ``repr()`` are the masked form (``postgresql://brand:***@db.internal/brand``),
and ``scrub`` takes the password out of any text (a driver's error message) before it is shown.
The password may also stay out of the URL altogether: libpq reads ``~/.pgpass`` (or
``$PGPASSFILE``) for it, and ``postgresql:///?service=brand`` names an entry of
``~/.pg_service.conf`` (or ``$PGSERVICEFILE``) that holds host, database, user and the rest.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from creatormix.errors import InvalidOption

__all__ = ["DUCKDB", "POSTGRES", "Target", "mask_url", "scrub"]

DUCKDB = "duckdb"
POSTGRES = "postgres"

_SCHEMES = ("postgresql", "postgres")
_MASK = "***"
_SECRET_PARAMS = {"password", "sslpassword"}


@dataclass(frozen=True, repr=False)
class Target:
    """A workspace's location. ``engine`` is ``duckdb`` or ``postgres``; ``location`` the file path
    or the libpq URL (with its password: never print ``location``, print the target)."""

    engine: str
    location: str = field(compare=True)

    @classmethod
    def parse(cls, value: str | os.PathLike[str] | Target) -> Target:
        """A file path or a ``postgresql://`` URL; other URL schemes are refused with one line."""
        if isinstance(value, Target):
            return value
        if isinstance(value, os.PathLike):
            return cls(DUCKDB, os.fspath(value))
        text = value.strip()
        scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", text)
        if scheme is None:
            return cls(DUCKDB, value)
        if scheme.group(1).lower() not in _SCHEMES:
            raise InvalidOption(
                f"{mask_url(text)}: a workspace is a DuckDB file path or a postgresql:// URL"
            )
        return cls(POSTGRES, text)

    @property
    def is_file(self) -> bool:
        return self.engine == DUCKDB

    @property
    def path(self) -> Path:
        """The DuckDB file (a PostgreSQL target has none)."""
        if self.engine != DUCKDB:
            raise TypeError(f"{self} is a database server, not a file")
        return Path(self.location)

    def __fspath__(self) -> str:
        return str(self.path)

    @property
    def display(self) -> str:
        return self.location if self.engine == DUCKDB else mask_url(self.location)

    def scrub(self, text: str) -> str:
        """``text`` with this target's password (as written and as decoded) masked."""
        return scrub(text, self.location) if self.engine == POSTGRES else text

    def __str__(self) -> str:
        return self.display

    def __repr__(self) -> str:
        return f"Target({self.engine!r}, {self.display!r})"


def _password(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.password:
        return parts.password
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in _SECRET_PARAMS and value:
            return value
    return None


def mask_url(url: str) -> str:
    """The URL with any password (in the authority or a ``password=`` parameter) as ``***``."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            auth, host = netloc.rsplit("@", 1)
            if ":" in auth:
                auth = auth.split(":", 1)[0] + ":" + _MASK
            netloc = f"{auth}@{host}"
        query = parts.query
        if query:
            pairs = [
                (k, _MASK if k in _SECRET_PARAMS else v)
                for k, v in parse_qsl(query, keep_blank_values=True)
            ]
            query = urlencode(pairs, safe="*/:")
        return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:  # not even a URL: show its scheme only
        return url.split("://", 1)[0] + "://" + _MASK


def scrub(text: str, url: str) -> str:
    """``text`` with the URL masked and its password taken out wherever else it appears."""
    out = text.replace(url, mask_url(url))
    secret = _password(url)
    if secret:
        for form in {secret, unquote(secret), quote(unquote(secret), safe="")}:
            if len(form) >= 1:
                out = out.replace(form, _MASK)
    return out
