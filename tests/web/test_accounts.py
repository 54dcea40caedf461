"""Accounts in the facade: hashed secrets, one-time passwords, sessions that end, the last admin,
shortlists as plan candidates, and the store's memo never outliving a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormix.domain.imports import ImportOptions
from creatormix.domain.platform import Platform
from creatormix.domain.requests import CatalogQuery
from creatormix.errors import InvalidOption, NotFound
from creatormix.workspace import Workspace

PASSWORD = "a long enough password"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = Workspace.create(tmp_path / "acc.duckdb")
    f = tmp_path / "creators.csv"
    f.write_text(
        "handle,followers,bio\nkim,25000,vegan skincare\nbo,800000,travel\nmia,4000,vegan food\n"
    )
    w.import_file("creators", f, ImportOptions(platform=Platform.INSTAGRAM))
    return w


def test_secrets_are_stored_only_as_hashes(ws: Workspace) -> None:
    made = ws.add_user("Ana@Brand.example", "admin")
    assert made.user.email == "ana@brand.example" and made.user.must_change and made.password
    session = ws.login("ana@brand.example", made.password)
    assert session is not None
    token = ws.create_token("ci", "ana@brand.example")
    dump = str(ws.store.table("users").to_pyarrow().to_pylist())
    dump += str(ws.store.table("sessions").to_pyarrow().to_pylist())
    dump += str(ws.store.table("api_tokens").to_pyarrow().to_pylist())
    for secret in (made.password, session.secret, token.secret):
        assert secret not in dump
    assert "$argon2id$" in dump


def test_a_wrong_password_an_unknown_email_and_a_disabled_account_get_no_session(
    ws: Workspace,
) -> None:
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    ws.add_user("bo@brand.example", "member", PASSWORD)
    assert ws.login("ana@brand.example", "wrong password!") is None
    assert ws.login("nobody@brand.example", PASSWORD) is None
    assert ws.login("not an email", PASSWORD) is None
    live = ws.login("bo@brand.example", PASSWORD)
    assert live is not None and ws.session(live.secret) is not None
    ws.set_active("bo@brand.example", False)
    assert ws.session(live.secret) is None  # disabling ends the sessions at once
    assert ws.login("bo@brand.example", PASSWORD) is None


def test_logout_and_a_password_change_end_sessions(ws: Workspace) -> None:
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    first = ws.login("ana@brand.example", PASSWORD)
    second = ws.login("ana@brand.example", PASSWORD)
    assert first and second
    ws.logout(first.secret)
    assert ws.session(first.secret) is None and ws.session(second.secret) is not None
    new = ws.change_own_password("ana@brand.example", PASSWORD, "another long password")
    assert ws.session(second.secret) is None and ws.session(new.secret) is not None
    with pytest.raises(InvalidOption, match="current password is wrong") as exc:
        ws.change_own_password("ana@brand.example", PASSWORD, "yet another password")
    assert exc.value.field == "current"


def test_the_last_active_admin_keeps_the_role(ws: Workspace) -> None:
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    with pytest.raises(InvalidOption, match="last active admin"):
        ws.set_role("ana@brand.example", "viewer")
    with pytest.raises(InvalidOption, match="last active admin"):
        ws.set_active("ana@brand.example", False)
    ws.add_user("bo@brand.example", "admin", PASSWORD)
    assert ws.set_role("ana@brand.example", "viewer").role.value == "viewer"


def test_bad_account_input_names_its_field(ws: Workspace) -> None:
    with pytest.raises(InvalidOption) as exc:
        ws.add_user("ana@brand.example", "owner")
    assert exc.value.field == "role"
    with pytest.raises(InvalidOption) as exc:
        ws.add_user("ana@brand.example", "admin", "short")
    assert exc.value.field == "password"
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    with pytest.raises(InvalidOption, match="already has an account"):
        ws.add_user("ANA@brand.example", "member")


def test_a_revoked_token_and_a_token_of_a_disabled_user_are_refused(ws: Workspace) -> None:
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    ws.add_user("bo@brand.example", "member", PASSWORD)
    token = ws.create_token("ci", "bo@brand.example")
    assert ws.token_principal(token.secret) is not None
    ws.set_active("bo@brand.example", False)
    assert ws.token_principal(token.secret) is None
    ws.set_active("bo@brand.example", True)
    assert ws.token_principal(token.secret) is not None
    ws.revoke_token(token.token.token_id)
    assert ws.token_principal(token.secret) is None
    with pytest.raises(NotFound):
        ws.revoke_token(99)


def test_changes_are_recorded_as_the_acting_web_user_in_the_audit_log(ws: Workspace) -> None:
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    with ws.acting_as("ana@brand.example"):
        ws.shortlist_add("Spring", ["@kim", "@mia"], "vegan", create=True)
        ws.create_token("ci", "ana@brand.example")
    entries, total = ws.audit_log(limit=50)
    mine = {(e.action, e.subject) for e in entries if e.actor == "ana@brand.example"}
    assert {
        ("shortlist created", "Spring"),
        ("shortlist add", "Spring"),
        ("token created", "token #1 ci"),
    } <= mine
    assert any(e.action == "import" for e in entries)  # from the imports table, not copied
    assert total == len(entries)


def test_a_shortlist_is_the_candidate_set_of_a_plan(ws: Workspace) -> None:
    from creatormix.domain.requests import PlanRequest

    ws.shortlist_add("Two", ["@kim", "@mia"], create=True)
    plan = ws.plan(
        PlanRequest(
            overrides={"goal": "engagement", "budget": "50k", "scenarios": 200},
            shortlist="two",
            time_limit=5,
            save=False,
        )
    )
    assert {s.handle for s in plan.selections} <= {"kim", "mia"}
    assert plan.notes[0] == "candidates: the 2 creators of shortlist 'Two'"
    with pytest.raises(InvalidOption, match="not on shortlist") as exc:
        ws.plan(
            PlanRequest(
                overrides={"goal": "engagement", "budget": "5k", "constraints.must_include": "@bo"},
                shortlist="Two",
                save=False,
            )
        )
    assert exc.value.field == "constraints.must_include"


def test_the_store_forgets_what_it_remembered_at_every_write(ws: Workspace) -> None:
    assert ws.store.get_setting("x.y") is None
    with ws.store.transaction():
        ws.store.set_setting("x.y", 3)
    assert ws.store.get_setting("x.y") == 3
    ws.add_user("ana@brand.example", "admin", PASSWORD)
    session = ws.login("ana@brand.example", PASSWORD)
    assert session is not None and ws.session(session.secret) is not None
    ws.logout(session.secret)
    assert ws.session(session.secret) is None  # the remembered session went with the write


def test_browse_narrows_the_listing_by_relevance_and_authenticity(ws: Workspace) -> None:
    page = ws.browse(CatalogQuery(keywords="vegan"))
    assert {p.creator.handle for p in page.page.creators} == {"kim", "mia"}
    assert page.page.total == 2 and set(page.relevance) == {"instagram:kim", "instagram:mia"}
    scored = ws.browse(CatalogQuery(min_authenticity=0))
    assert scored.page.total == 3 and len(scored.authenticity) == 3
    with pytest.raises(InvalidOption, match="needs the brand's target") as exc:
        ws.browse(CatalogQuery(min_fit=0.5))
    assert exc.value.field == "min_fit"
