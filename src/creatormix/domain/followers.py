"""What importing a follower list did, and the profile fields of a follower sample."""

from __future__ import annotations

from dataclasses import dataclass

# The profile fields of a sampled follower, as imported (``import followers-sample``) and scored
# by the fake-follower model; a sample row needs at least one of the first six.
SAMPLE_COLUMNS = (
    "username",
    "posts",
    "following",
    "followers",
    "has_profile_picture",
    "is_private",
    "username_length",
    "username_digits",
    "username_ends_with_digit",
    "username_non_alpha",
)


@dataclass(frozen=True)
class FollowerListStat:
    """One creator's list in an import: how many followers it names against the profile's count."""

    platform: str
    handle: str
    listed: int
    followers: int | None


@dataclass(frozen=True)
class FollowerImportReport:
    file: str
    file_hash: str
    rows_read: int
    links: int  # distinct (creator, follower) pairs imported
    creators: int
    import_id: int | None = None
    already_imported_as: int | None = None
    lists: tuple[FollowerListStat, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def skipped(self) -> bool:
        return self.already_imported_as is not None
