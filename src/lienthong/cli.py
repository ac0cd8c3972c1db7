"""The command line: ``lienthong serve``, ``lienthong rules``, ``lienthong tenants``, ``lienthong sync``, ``lienthong import``.

It speaks Vietnamese unless ``--lang en`` (or ``LIENTHONG_LANG=en``) asks for English.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="lienthong: connected business apps and their connector.", no_args_is_help=True)
tenants = typer.Typer(help="Companies (tenants) of this installation.")
sync = typer.Typer(help="The connector: first-sync steps, manual sync (push, pull), status.", no_args_is_help=True)
app.add_typer(tenants, name="tenants")
app.add_typer(sync, name="sync")
imports = typer.Typer(help="Import records from an Excel workbook (Nhập khẩu).")
app.add_typer(imports, name="import")
console = Console()
errors = Console(stderr=True, soft_wrap=True)


def _say(key: str, **params: object) -> str:
    from lienthong.kernel.i18n import t

    return t(key, **params)


def _fail(code: int, key: str, **params: object) -> typer.Exit:
    """Print a message in the chosen language on stderr; the caller raises the exit."""
    errors.print(_say(key, **params), style="red", markup=False, highlight=False)
    return typer.Exit(code)


def _language(ctx: typer.Context, value: str) -> str:
    from lienthong.kernel.i18n import DEFAULT_LANG, LANGS, set_language

    if value not in LANGS:
        raise _fail(2, "cli.bad_lang", choices=", ".join(LANGS))
    set_language(value)
    ctx.call_on_close(lambda: set_language(DEFAULT_LANG))  # a command's language ends with it
    return value


def _shown_once(label: str, token: str) -> None:
    """The label, then the token alone on its own line: never wrapped or cut, so it copies whole."""
    console.print(label, markup=False, highlight=False, soft_wrap=True)
    typer.echo(token)


def _refused(problem, code: int, out: Console | None = None) -> typer.Exit:
    """Print a refused command's reason (stderr unless ``out`` says otherwise); the caller raises the exit."""
    (out or errors).print(problem.detail(), style="red", markup=False, highlight=False)
    return typer.Exit(code)


def _require_installation(data: Path, url: str | None) -> None:
    from lienthong.bootstrap import installed

    if not installed(data_dir=data, url=url):
        raise _fail(1, "cli.no_installation", data=url or data)

DataOpt = Annotated[Path, typer.Option("--data", help="Folder of the SQLite files (embedded default)")]
UrlOpt = Annotated[Optional[str], typer.Option("--database-url", envvar="LIENTHONG_DATABASE_URL", help="PostgreSQL URL instead of SQLite files")]
LangOpt = Annotated[str, typer.Option("--lang", envvar="LIENTHONG_LANG", callback=_language, is_eager=True, help="Language of the output: vi (default) or en")]


def _peers(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        name, _, url = item.partition("=")
        if not url:
            raise _fail(2, "cli.bad_peer", value=item)
        out[name.strip()] = url.strip()
    return out


def _listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound before anything else happens, so a busy port
    fails at once: no installation is made and no token is printed."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise _fail(1, "cli.port_busy", host=host, port=port, reason=exc.strerror or exc) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        reason = _say("cli.port_in_use") if exc.errno in (98, 48, 10048) else (exc.strerror or exc)  # EADDRINUSE (Linux, macOS, Windows)
        raise _fail(1, "cli.port_busy", host=host, port=port, reason=reason) from None
    return sock


def _open(data: Path, url: str | None, **kwargs):
    """The suite on ``data`` (or ``url``); a refused start-up setting ends the command with its reason."""
    from lienthong.bootstrap import Suite
    from lienthong.kernel.problems import Problem

    try:
        return Suite.open(data_dir=data, url=url, **kwargs)
    except Problem as problem:
        raise _refused(problem, 2, console) from None


def _check_settings() -> None:
    """Refuse a setting from the environment that is not of its type, or an administrator
    token that is too short, with its reason."""
    from lienthong.kernel.problems import Problem
    from lienthong.kernel.settings import settings
    from lienthong.system.tenants import check_admin_token

    try:
        token = settings().admin_token
        if token:
            check_admin_token(token)
    except Problem as problem:
        raise _refused(problem, 2, console) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    only: Annotated[Optional[str], typer.Option(help="Host only these apps, comma-separated: system,accounting,crm,process,sync")] = None,
    peer: Annotated[list[str], typer.Option(help="Where an app hosted elsewhere is: APP=URL (repeatable)")] = [],
    connector: Annotated[str, typer.Option(help="Run the connector in its own process (default) or in a thread of the server")] = "process",
    lang: LangOpt = "vi",
):
    """Run the server (every app and the connector, unless --only says otherwise)."""
    import uvicorn

    from lienthong.bootstrap import ALL
    from lienthong.kernel.settings import settings
    from lienthong.web.app import create_app

    hosted = tuple(a.strip() for a in only.split(",")) if only else ALL
    unknown = [a for a in hosted if a not in ALL]
    if unknown:
        raise _fail(2, "cli.unknown_apps", apps=", ".join(unknown), choices=", ".join(ALL))
    remote = _peers(peer)
    _check_settings()  # a refused setting is said before the port is taken
    listening = _listen(host, port)
    worker = None
    if "sync" in hosted and connector == "process":
        from lienthong.sync import worker as connector_worker
        from lienthong.sync.locking import ProcessLock

        wake = connector_worker.new_wake()
        options = {"lock": ProcessLock(connector_worker.lock_path(data)), "wake": wake}
        suite = _open(data, database_url, only=hosted, remote=remote, connector_options=options)
        worker_settings = {"data_dir": str(data), "url": database_url, "only": hosted, "remote": remote, "connector_token": suite.connector_token}
        from lienthong.bootstrap import connector_worker as worker_main

        worker = connector_worker.start(worker_main, worker_settings, wake)
    else:
        suite = _open(data, database_url, only=hosted, remote=remote)
        if suite.connector:
            suite.connector.start()
    if suite.admin_token:
        _shown_once(_say("cli.admin_token"), suite.admin_token)
    console.print(_say("cli.serving", apps=", ".join(hosted), url=f"http://{host}:{port}", data=database_url or data.resolve()), markup=False, highlight=False)
    try:
        server = uvicorn.Server(uvicorn.Config(create_app(suite), host=host, port=port, log_level=settings().log_level))
        server.run(sockets=[listening])
    finally:
        listening.close()
        if worker is not None:
            worker.terminate()
            worker.join(timeout=10)
        suite.close()


@app.command()
def rules(
    family: Annotated[Optional[str], typer.Argument(help="Only this family, e.g. CUS")] = None,
    lang: LangOpt = "vi",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rulebook.md instead of a table")] = False,
):
    """Print the rulebook as a table."""
    from lienthong.sync.rules import RULEBOOK

    families = sorted({rule.family for rule in RULEBOOK})
    if family and family.upper() not in families:
        raise _fail(2, "cli.bad_family", family=family, choices=", ".join(families))
    if markdown:
        from lienthong.sync.rules.document import rulebook_markdown

        typer.echo(rulebook_markdown(), nl=False)
        return

    table = Table(title=_say("cli.rules.title"), show_lines=False)
    table.add_column(_say("cli.rules.rule"), style="bold")
    table.add_column(_say("cli.rules.route"))
    table.add_column(_say("cli.rules.events"))
    table.add_column(_say("cli.rules.text"))
    for rule in RULEBOOK:
        if family and rule.family != family.upper():
            continue
        source = "/".join(rule.source) if isinstance(rule.source, tuple) else (rule.source or "")
        route = f"{source} → {rule.target or ''}" if source else ""
        events = ", ".join(f"{k} {v}" for k in rule.kinds for v in rule.verbs) + f" → {rule.action}" if rule.on else ""
        table.add_row(rule.id, route, events, rule.en if lang == "en" else rule.vi)
    console.print(table)


@tenants.command("create")
def tenants_create(name: str, data: DataOpt = Path("./data"), database_url: UrlOpt = None, lang: LangOpt = "vi"):
    """Create another company and print its administrator's token (shown once)."""
    from lienthong.kernel.problems import Problem

    _require_installation(data, database_url)
    suite = _open(data, database_url, only=("system",), first_start=False)
    try:
        tenant_id, token = suite.new_tenant(name)
    except Problem as problem:
        raise _refused(problem, 1) from None
    finally:
        suite.close()
    _shown_once(_say("cli.tenant_created", id=tenant_id, name=name.strip()), token)


@sync.command("step")
def sync_step(
    connection: Annotated[int, typer.Argument(help="Connection id")],
    step: Annotated[int, typer.Argument(help="1, 2 or 3")],
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="An administrator's token")],
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    preview: bool = False,
    lang: LangOpt = "vi",
):
    """Run a first-sync step here, with a progress bar (the server may keep running)."""
    from lienthong.kernel.i18n import term
    from lienthong.kernel.problems import Problem
    from lienthong.sync.locking import ProcessLock
    from lienthong.sync.worker import lock_path

    _require_installation(data, database_url)
    suite = _open(data, database_url, first_start=False, connector_options={"lock": ProcessLock(lock_path(data))})  # takes turns with a running server
    try:
        try:
            result = _run_step(suite, token, connection, step, preview)
        except Problem as problem:
            raise _refused(problem, 1) from None
        summary, state = result.get("summary") or {}, result["state"]
        counts = ", ".join(f"{_say(f'how.{k}')} {summary.get(k, 0)}" for k in ("created", "linked", "updated", "unchanged", "skipped", "failed"))
        console.print(f"{_say(f'cli.step.state.{state}')}: {counts}", markup=False, highlight=False)
        for reason in summary.get("reasons", [])[:20]:
            what = _say("cli.reason", kind=term(f"kind.{reason['kind']}"), code=reason["code"], outcome=term(f"how.{reason['outcome']}"), reason=reason["reason"])
            console.print(f"  {what}", markup=False, highlight=False)
        if result["state"] == "failed":
            raise typer.Exit(1)
    finally:
        suite.close()


def _run_step(suite, token: str, connection: int, step: int, preview: bool) -> dict:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lienthong.kernel.unit_of_work import UnitOfWork
    from lienthong.sync.connections import start_step

    principal = suite.authenticate(token)
    with Progress(TextColumn(_say("cli.step", step=step)), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("step", total=None)
        with UnitOfWork(suite.connector.db) as uow:
            return start_step(connector=suite.connector, uow=uow, principal=principal, connection_id=connection, step=step, preview=preview, background=False, progress=lambda done, total: bar.update(task, completed=done, total=total))


def _manual(direction: str, kind: str, source: str, ids: str | None, everything: bool, preview: bool, token: str, data: Path, database_url: str | None) -> None:
    """Push or pull here, with a progress bar and a table of each record's outcome."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lienthong.kernel.i18n import term
    from lienthong.kernel.problems import Problem
    from lienthong.sync.locking import ProcessLock
    from lienthong.sync.manual import sync_records
    from lienthong.sync.worker import lock_path

    chosen = None
    if ids is not None:
        try:
            chosen = [int(part) for part in ids.split(",") if part.strip()]
        except ValueError:
            raise _fail(2, "cli.manual.bad_ids", value=ids) from None
    _require_installation(data, database_url)
    suite = _open(data, database_url, first_start=False, connector_options={"lock": ProcessLock(lock_path(data))})  # takes turns with a running server
    try:
        try:
            principal = suite.authenticate(token)
            with Progress(TextColumn(_say(f"cli.manual.{direction}", kind=term(f"kind.{kind}"))), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
                task = bar.add_task(direction, total=None)
                result = sync_records(suite.connector, principal, direction=direction, kind=kind, source=source, ids=chosen, everything=everything, preview=preview, progress=lambda done, total: bar.update(task, completed=done, total=total))
        except Problem as problem:
            for error in problem.errors:
                errors.print(f"{error.field}: {error.render()['message']}", style="red", markup=False, highlight=False)
            raise _refused(problem, 1) from None
        table = Table(title=_say("cli.manual.preview" if preview else "cli.manual.done"))
        for column in ("cli.manual.id", "cli.manual.code", "cli.manual.outcome", "cli.manual.reason"):
            table.add_column(_say(column))
        for item in result["items"]:
            table.add_row(str(item["id"]), item["code"], _say(f"how.{item['outcome']}"), item["reason"])
        console.print(table)
        console.print(", ".join(f"{_say(f'how.{k}')} {n}" for k, n in result["counts"].items()), markup=False, highlight=False)
        if result["counts"]["failed"]:
            raise typer.Exit(1)
    finally:
        suite.close()


KindOpt = Annotated[str, typer.Option("--kind", help="customers, customer-groups, products, product-groups or price-policies (these from accounting only)")]
FromOpt = Annotated[str, typer.Option("--from", help="The app the records come from: accounting or crm")]
IdsOpt = Annotated[Optional[str], typer.Option("--ids", help="Record ids in the --from app, comma-separated: 1,2")]
AllOpt = Annotated[bool, typer.Option("--all", help="Every record of the kind (a pull: those never synced)")]
PreviewOpt = Annotated[bool, typer.Option("--preview", help="Show what the run will do; write nothing")]
TokenOpt = Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="A token of the user: it names the company (tenant) and the role")]


@sync.command("push")
def sync_push(kind: KindOpt, source: FromOpt, token: TokenOpt, ids: IdsOpt = None, everything: AllOpt = False, preview: PreviewOpt = False, data: DataOpt = Path("./data"), database_url: UrlOpt = None, lang: LangOpt = "vi"):
    """Manual sync: carry records from --from to the other app now (administrator)."""
    _manual("push", kind, source, ids, everything, preview, token, data, database_url)


@sync.command("pull")
def sync_pull(kind: KindOpt, source: FromOpt, token: TokenOpt, ids: IdsOpt = None, everything: AllOpt = False, preview: PreviewOpt = False, data: DataOpt = Path("./data"), database_url: UrlOpt = None, lang: LangOpt = "vi"):
    """Pull ("Lấy về") records from --from into the other app; --all takes those never synced (normalisation)."""
    _manual("pull", kind, source, ids, everything, preview, token, data, database_url)


@sync.command("status")
def sync_status(
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="A token of the tenant")],
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    lang: LangOpt = "vi",
):
    """The connector's status for the token's tenant: changes pending, parked, held, and the apps it reaches."""
    from lienthong.kernel.problems import Problem

    _require_installation(data, database_url)
    suite = _open(data, database_url, first_start=False)
    try:
        try:
            tenant = suite.authenticate(token).tenant_id
        except Problem as problem:
            raise _refused(problem, 1) from None
        connector = suite.connector
        if connector is None:
            raise _fail(1, "cli.status.no_connector")
        for line in (_say("cli.status.pending", n=connector.pending(tenant)), _say("cli.status.parked", n=connector.parked(tenant)), _say("cli.status.held", n=connector.held(tenant))):
            console.print(line, markup=False, highlight=False)
        for name in connector.peers:
            seen = connector.reachable.get(name, {})
            state = _say("cli.status.reachable") if seen.get("reachable", True) else _say("cli.status.unreachable", error=seen.get("error"))
            console.print(_say("cli.status.app", app=_say(f"app.{name}"), state=state), markup=False, highlight=False)
    finally:
        suite.close()


def _import_with_progress(file: Path, token: str, data: Path, database_url: str | None, app_name: str, run) -> None:
    """Run an import with a progress bar (checking, then writing) and print its summary;
    ``run(db, principal, workbook, progress)`` is the app's import use case."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lienthong.kernel.problems import Problem

    _require_installation(data, database_url)
    suite = _open(data, database_url, only=("system", app_name), first_start=False)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
            tasks = {"check": bar.add_task(_say("import.progress.check"), total=None), "write": bar.add_task(_say("import.progress.write"), total=None, start=False)}

            def progress(phase: str, done: int, total: int | None) -> None:
                if phase == "write":
                    bar.start_task(tasks["write"])
                bar.update(tasks[phase], completed=done, total=total)

            with file.open("rb") as workbook:
                result = run(suite.databases[app_name], suite.authenticate(token), workbook, progress)
    except Problem as problem:
        errors.print(problem.detail(), style="red", markup=False, highlight=False)
        for error in problem.errors[:50]:
            errors.print(f"  {error.render()['message']}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    finally:
        suite.close()
    console.print(_say("import.summary", created=result.created, updated=result.updated, unchanged=result.unchanged), markup=False, highlight=False)
    if result.ignored_columns:
        console.print(_say("import.ignored_columns", columns=", ".join(result.ignored_columns)), markup=False, highlight=False)


FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The .xlsx workbook")]
ModeOpt = Annotated[str, typer.Option(help="insert (Thêm mới), update (Cập nhật) or upsert (Cả hai)")]


@imports.command("customers")
def import_customers(
    file: FileArg,
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="An accountant's or administrator's token")],
    mode: ModeOpt = "upsert",
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    lang: LangOpt = "vi",
):
    """Import accounting customers with a progress bar (the server may keep running:
    the rows are written in short transactions, and the connector carries them to CRM)."""
    from lienthong.accounting.customer_import import import_customers as run_import

    _import_with_progress(file, token, data, database_url, "accounting", lambda db, who, workbook, progress: run_import(db=db, principal=who, data=workbook, mode=mode, progress=progress))


@imports.command("crm-customers")
def import_crm_customers(
    file: FileArg,
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="A sales user's, manager's or administrator's token")],
    mode: ModeOpt = "upsert",
    owner_from: Annotated[str, typer.Option(help="file (the Chủ sở hữu column) or user (--owner-code for every row)")] = "file",
    owner_code: Annotated[Optional[str], typer.Option(help="The owner of every row, with --owner-from user")] = None,
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    lang: LangOpt = "vi",
):
    """Import CRM customers with a progress bar, the title rows of an export left in place."""
    from lienthong.crm.customer_excel import import_customers as run_import

    _import_with_progress(
        file, token, data, database_url, "crm",
        lambda db, who, workbook, progress: run_import(db=db, principal=who, data=workbook, mode=mode, owner_from=owner_from, owner_code=owner_code, progress=progress),
    )


@imports.command("products")
def import_products(
    file: FileArg,
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="A token of a user who may change the app's products")],
    mode: ModeOpt = "upsert",
    app_name: Annotated[str, typer.Option("--app", help="accounting (default) or crm")] = "accounting",
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    lang: LangOpt = "vi",
):
    """Import products (Hàng hóa) with a progress bar, into accounting or CRM; the
    connector carries them to the other app."""
    if app_name not in ("accounting", "crm"):
        raise _fail(2, "cli.bad_app", choices="accounting, crm")
    from importlib import import_module

    run_import = import_module(f"lienthong.{app_name}.product_import").import_products
    _import_with_progress(file, token, data, database_url, app_name, lambda db, who, workbook, progress: run_import(db=db, principal=who, data=workbook, mode=mode, progress=progress))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
