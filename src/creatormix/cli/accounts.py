"""Account commands: ``users`` (add, list, set-role, disable, enable, reset-password) and
``tokens`` (create, list, revoke) for the web app and the REST API."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from creatormix.cli.common import JsonOpt, open_workspace
from creatormix.cli.render import console, error_console, print_json
from creatormix.errors import InvalidOption

if TYPE_CHECKING:
    from creatormix.domain.accounts import ApiToken, User
    from creatormix.workspace import Workspace

users_app = typer.Typer(
    help="Accounts of the web app: admin (users, settings), member (everything else), viewer (read-only).",
    no_args_is_help=True,
)
tokens_app = typer.Typer(
    help="API tokens for scripts (Authorization: Bearer <token>); stored hashed, shown once.",
    no_args_is_help=True,
)

Email = Annotated[str, typer.Argument(help="The account's email address.")]


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")


def _user_json(u: User) -> dict[str, object]:
    return {
        "user_id": u.user_id,
        "email": u.email,
        "role": u.role.value,
        "active": u.active,
        "must_change_password": u.must_change,
        "created_at": u.created_at.isoformat(),
    }


def _read_password(from_stdin: bool) -> str | None:
    if not from_stdin:
        return None
    line = sys.stdin.readline().rstrip("\r\n")
    if not line:
        raise InvalidOption("--password-stdin: no password on standard input")
    return line


@users_app.command("add")
def users_add(
    email: Email,
    role: Annotated[str, typer.Option("--role", "-r", help="admin, member or viewer.")] = "member",
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the password from standard input (else a one-time password is printed, "
            "to be changed at the first login).",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add an account and print its one-time password (or set one with --password-stdin)."""
    password = _read_password(password_stdin)
    with open_workspace() as ws:
        made = ws.add_user(email, role, password)
    if as_json:
        print_json({"user": _user_json(made.user), "one_time_password": made.password})
        return
    out = console()
    out.print(f"Added [bold]{made.user.email}[/] ({made.user.role.value})")
    if made.password:
        out.print(f"one-time password: [bold]{made.password}[/]", highlight=False)
        out.print("  (shown once; it must be changed at the first login)")


@users_app.command("list")
def users_list(as_json: JsonOpt = False) -> None:
    """Every account: email, role, active, created."""
    from rich.table import Table

    with open_workspace() as ws:
        users = ws.users()
    if as_json:
        print_json({"users": [_user_json(u) for u in users]})
        return
    table = Table(title=f"{len(users)} account(s)", title_justify="left")
    for col in ("email", "role", "active", "created", "changed by"):
        table.add_column(col)
    for u in users:
        table.add_row(
            u.email,
            u.role.value,
            "yes" if u.active else "no",
            u.created_at.strftime("%Y-%m-%d %H:%M"),
            u.changed_by,
        )
    console().print(table)


@users_app.command("set-role")
def users_set_role(
    email: Email,
    role: Annotated[str, typer.Argument(help="admin, member or viewer.")],
) -> None:
    """Change an account's role."""
    with open_workspace() as ws:
        user = ws.set_role(email, role)
    console().print(f"{user.email} is now {user.role.value}")


@users_app.command("disable")
def users_disable(email: Email) -> None:
    """Disable an account: its sessions end and its tokens stop working."""
    with open_workspace() as ws:
        user = ws.set_active(email, False)
    console().print(f"{user.email} disabled")


@users_app.command("enable")
def users_enable(email: Email) -> None:
    """Enable a disabled account again."""
    with open_workspace() as ws:
        user = ws.set_active(email, True)
    console().print(f"{user.email} enabled")


@users_app.command("reset-password")
def users_reset_password(
    email: Email,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from standard input.")
    ] = False,
) -> None:
    """Give an account a new one-time password (or the one read with --password-stdin)."""
    import secrets

    password = _read_password(password_stdin)
    one_time = password is None
    secret = password or secrets.token_urlsafe(12)
    with open_workspace() as ws:
        user = ws.set_password(email, secret, one_time=one_time)
    console().print(f"{user.email}: password changed; every session of the account ended")
    if one_time:
        console().print(f"one-time password: [bold]{secret}[/]", highlight=False)


def _token_json(t: ApiToken) -> dict[str, object]:
    return {
        "token_id": t.token_id,
        "name": t.name,
        "user": t.user_email,
        "prefix": t.prefix,
        "created_at": t.created_at.isoformat(),
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    }


def _token_user(ws: Workspace, user: str | None) -> str:
    if user:
        return user
    from creatormix.domain.accounts import Role

    admins = [u.email for u in ws.users() if u.active and u.role is Role.ADMIN]
    if len(admins) == 1:
        return admins[0]
    if not admins:
        raise InvalidOption(
            "no account to act as: add one first (creatormix users add EMAIL --role admin)"
        )
    raise InvalidOption(f"say which account the token acts as: --user ({', '.join(admins)})")


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Option("--name", "-n", help="What the token is for, e.g. ci.")],
    user: Annotated[
        str | None,
        typer.Option(
            "--user", "-u", help="The account it acts as, with its role (default: the only admin)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Make an API token and print it once (it is stored only as a hash)."""
    with open_workspace() as ws:
        made = ws.create_token(name, _token_user(ws, user))
    if as_json:
        print_json({"token": _token_json(made.token), "secret": made.secret})
        return
    sys.stdout.write(made.secret + "\n")  # alone on stdout: TOKEN=$(creatormix tokens create …)
    error_console().print(
        f"token #{made.token.token_id} {made.token.name!r} acts as {made.token.user_email}; "
        "shown once: send it as 'Authorization: Bearer <token>'"
    )


@tokens_app.command("list")
def tokens_list(as_json: JsonOpt = False) -> None:
    """Every token: id, name, account, first characters, created, revoked."""
    from rich.table import Table

    with open_workspace() as ws:
        tokens = ws.tokens()
    if as_json:
        print_json({"tokens": [_token_json(t) for t in tokens]})
        return
    table = Table(title=f"{len(tokens)} token(s)", title_justify="left")
    for col in ("#", "name", "acts as", "starts", "created", "revoked"):
        table.add_column(col)
    for t in tokens:
        table.add_row(
            str(t.token_id),
            t.name,
            t.user_email,
            t.prefix + "…",
            t.created_at.strftime("%Y-%m-%d %H:%M"),
            t.revoked_at.strftime("%Y-%m-%d %H:%M") if t.revoked_at else "—",
        )
    console().print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="The token's number.")]) -> None:
    """Revoke a token: requests with it are refused from now on."""
    with open_workspace() as ws:
        token = ws.revoke_token(token_id)
    console().print(f"token #{token.token_id} {token.name!r} revoked")
