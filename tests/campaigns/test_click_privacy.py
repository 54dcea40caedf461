"""What the redirect keeps about a visitor: a rotating hash, a browser family, a bare referrer."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.campaigns.visitors import clean_referrer, ua_family, visitor_hash
from creatormix.store.clicks import complete_lines, journal_dir, parse
from creatormix.workspace.redirects import RedirectService


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605 Instagram 312.0.0",
            "instagram-app",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537 Chrome/120 Mobile Safari/537 musical_ly_2023",
            "tiktok-app",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537 Chrome/120.0 Safari/537.36 Edg/120.0",
            "edge",
        ),
        ("Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15", "safari"),
        ("facebookexternalhit/1.1", "bot"),
        ("", "none"),
    ],
)
def test_user_agents_are_reduced_to_a_family(agent: str, family: str) -> None:
    assert ua_family(agent) == family


def test_the_visitor_hash_depends_on_the_salt_and_never_contains_the_ip() -> None:
    a = visitor_hash(b"s" * 32, "203.0.113.7", "UA")
    assert a == visitor_hash(b"s" * 32, "203.0.113.7", "UA")
    assert a != visitor_hash(b"t" * 32, "203.0.113.7", "UA")
    assert "203" not in a and len(a) == 16


def test_referrers_lose_their_query_and_control_characters() -> None:
    assert (
        clean_referrer("https://l.instagram.com/path?u=secret#x") == "https://l.instagram.com/path"
    )
    assert "\t" not in clean_referrer("https://a.example/x\ty")


def test_todays_salt_is_shared_by_servers_and_older_salts_are_deleted(new_db: str) -> None:
    db = new_db
    folder = journal_dir(db)
    folder.mkdir(parents=True)
    (folder / "salt-1").write_bytes(b"x" * 32)
    one, two = RedirectService(db), RedirectService(db)
    line_one = one.click_line("abc", "203.0.113.7", "UA", "")
    line_two = two.click_line("abc", "203.0.113.7", "UA", "")
    assert line_one.split(b"\t")[2] == line_two.split(b"\t")[2]
    assert not (folder / "salt-1").exists()
    assert b"203.0.113.7" not in line_one


def test_a_torn_last_line_and_the_zeroed_tail_are_never_read() -> None:
    data = b"1000\tabc\tv\tchrome\t\n2000\tabc\tv\tchr" + bytes(100)
    assert complete_lines(data) == b"1000\tabc\tv\tchrome\t\n"
    table = parse(complete_lines(data), "seg", 7)
    assert table.to_pylist()[0]["line"] == 7 and table.num_rows == 1


def test_a_link_code_is_found_in_either_case_and_recorded_as_registered(tmp_path: Path) -> None:
    from creatormix.workspace.redirects import LinkTargets

    service = RedirectService(tmp_path / "w.duckdb")
    service.targets = LinkTargets({"jb72v4vk": b"https://shop.example/?utm_content=a"})
    assert service.targets.get("JB72V4VK") == service.targets.get("jb72v4vk") is not None
    assert service.targets.get("Jb72V4vk") is not None and service.targets.get("nope") is None
    assert len(service.targets) == 1
    line = service.click_line("JB72V4VK", "203.0.113.7", "UA", "")
    assert line.split(b"\t")[1] == b"jb72v4vk"  # the fold matches it to the deal's link code
