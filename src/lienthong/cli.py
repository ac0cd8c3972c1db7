"""The command line: ``lienthong serve``, ``lienthong rules``, ``lienthong tenants``, ``lienthong sync``, ``lienthong import``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="lienthong: connected business apps and their connector.", no_args_is_help=True)
tenants = typer.Typer(help="Companies (tenants) of this installation.")
sync = typer.Typer(help="The connector: first-sync steps, status.")
app.add_typer(tenants, name="tenants")
app.add_typer(sync, name="sync")
imports = typer.Typer(help="Import records from an Excel workbook (Nhập khẩu).")
app.add_typer(imports, name="import")
console = Console()

DataOpt = Annotated[Path, typer.Option("--data", help="Folder of the SQLite files (embedded default)")]
UrlOpt = Annotated[Optional[str], typer.Option("--database-url", envvar="LIENTHONG_DATABASE_URL", help="PostgreSQL URL instead of SQLite files")]


def _peers(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        name, _, url = item.partition("=")
        if not url:
            raise typer.BadParameter(f"--peer takes APP=URL, got {item!r}")
        out[name.strip()] = url.strip()
    return out


def _open(data: Path, url: str | None, **kwargs):
    from lienthong.bootstrap import Suite

    return Suite.open(data_dir=data, url=url, **kwargs)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    only: Annotated[Optional[str], typer.Option(help="Host only these apps, comma-separated: system,accounting,crm,process,sync")] = None,
    peer: Annotated[list[str], typer.Option(help="Where an app hosted elsewhere is: APP=URL (repeatable)")] = [],
    connector: Annotated[str, typer.Option(help="Run the connector in its own process (default) or in a thread of the server")] = "process",
):
    """Run the server (every app and the connector, unless --only says otherwise)."""
    import uvicorn

    from lienthong.bootstrap import ALL
    from lienthong.web.app import create_app

    hosted = tuple(a.strip() for a in only.split(",")) if only else ALL
    unknown = [a for a in hosted if a not in ALL]
    if unknown:
        raise typer.BadParameter(f"unknown app(s): {', '.join(unknown)}", param_hint="--only")
    remote = _peers(peer)
    worker = None
    if "sync" in hosted and connector == "process":
        from lienthong.sync import worker as connector_worker
        from lienthong.sync.locking import ProcessLock

        wake = connector_worker.new_wake()
        options = {"lock": ProcessLock(connector_worker.lock_path(data)), "wake": wake}
        suite = _open(data, database_url, only=hosted, remote=remote, connector_options=options)
        settings = {"data_dir": str(data), "url": database_url, "only": hosted, "remote": remote, "connector_token": suite.connector_token}
        from lienthong.bootstrap import connector_worker as worker_main

        worker = connector_worker.start(worker_main, settings, wake)
    else:
        suite = _open(data, database_url, only=hosted, remote=remote)
        if suite.connector:
            suite.connector.start()
    if suite.admin_token:
        console.print(f"[bold]Administrator token[/bold] (shown once): {suite.admin_token}")
    console.print(f"lienthong serving {', '.join(hosted)} on http://{host}:{port} (data: {database_url or data.resolve()})")
    try:
        uvicorn.run(create_app(suite), host=host, port=port, log_level=os.environ.get("LIENTHONG_LOG_LEVEL", "warning"))
    finally:
        if worker is not None:
            worker.terminate()
            worker.join(timeout=10)
        suite.close()


@app.command()
def rules(
    family: Annotated[Optional[str], typer.Argument(help="Only this family, e.g. CUS")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
    markdown: Annotated[bool, typer.Option("--markdown", help="Print docs/rulebook.md instead of a table")] = False,
):
    """Print the rulebook as a table."""
    from lienthong.sync.rules import RULEBOOK

    if markdown:
        from lienthong.sync.rules.document import rulebook_markdown

        typer.echo(rulebook_markdown(), nl=False)
        return

    table = Table(title="lienthong rulebook", show_lines=False)
    table.add_column("Rule", style="bold")
    table.add_column("From → to")
    table.add_column("Events")
    table.add_column("Rule text" if lang == "en" else "Quy tắc")
    for rule in RULEBOOK:
        if family and not rule.id.startswith(family.upper()):
            continue
        source = "/".join(rule.source) if isinstance(rule.source, tuple) else (rule.source or "")
        route = f"{source} → {rule.target or ''}" if source else ""
        events = ", ".join(f"{k} {v}" for k in rule.kinds for v in rule.verbs) if rule.kinds else ""
        table.add_row(rule.id, route, events, rule.en if lang == "en" else rule.vi)
    console.print(table)


@tenants.command("create")
def tenants_create(name: str, data: DataOpt = Path("./data"), database_url: UrlOpt = None):
    """Create another company and print its administrator's token (shown once)."""
    suite = _open(data, database_url, only=("system",))
    try:
        tenant_id, token = suite.new_tenant(name)
    finally:
        suite.close()
    console.print(f"Tenant {tenant_id} ({name}); administrator token (shown once): {token}")


@sync.command("step")
def sync_step(
    connection: Annotated[int, typer.Argument(help="Connection id")],
    step: Annotated[int, typer.Argument(help="1, 2 or 3")],
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="An administrator's token")],
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    preview: bool = False,
):
    """Run a first-sync step here, with a progress bar (the server may keep running)."""
    from lienthong.kernel.i18n import current_language
    from lienthong.kernel.problems import Problem
    from lienthong.sync.locking import ProcessLock
    from lienthong.sync.worker import lock_path

    suite = _open(data, database_url, connector_options={"lock": ProcessLock(lock_path(data))})  # takes turns with a running server
    try:
        try:
            result = _run_step(suite, token, connection, step, preview)
        except Problem as problem:
            console.print(f"[red]{problem.detail(current_language())}[/red]")
            raise typer.Exit(1) from None
        summary = result.get("summary") or {}
        console.print(f"[bold]{result['state']}[/bold]: " + ", ".join(f"{k} {summary.get(k, 0)}" for k in ("created", "linked", "updated", "unchanged", "skipped", "failed")))
        for reason in summary.get("reasons", [])[:20]:
            console.print(f"  {reason['kind']} {reason['code']}: {reason['outcome']} — {reason['reason']}")
        if result["state"] == "failed":
            raise typer.Exit(1)
    finally:
        suite.close()


def _run_step(suite, token: str, connection: int, step: int, preview: bool) -> dict:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lienthong.kernel.unit_of_work import UnitOfWork
    from lienthong.sync.connections import start_step

    principal = suite.authenticate(token)
    with Progress(TextColumn(f"Bước {step}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("step", total=None)
        with UnitOfWork(suite.connector.db) as uow:
            return start_step(connector=suite.connector, uow=uow, principal=principal, connection_id=connection, step=step, preview=preview, background=False, progress=lambda done, total: bar.update(task, completed=done, total=total))


@imports.command("customers")
def import_customers(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="The .xlsx workbook")],
    token: Annotated[str, typer.Option(envvar="LIENTHONG_TOKEN", help="An accountant's or administrator's token")],
    mode: Annotated[str, typer.Option(help="insert (Thêm mới), update (Cập nhật) or upsert (Cả hai)")] = "upsert",
    data: DataOpt = Path("./data"),
    database_url: UrlOpt = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
):
    """Import accounting customers with a progress bar (the server may keep running:
    the rows are written in short transactions, and the connector carries them to CRM)."""
    import contextvars

    contextvars.copy_context().run(_import_customers, file, token, mode, data, database_url, lang)  # --lang stays in this command


def _import_customers(file: Path, token: str, mode: str, data: Path, database_url: str | None, lang: str) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from lienthong.accounting.customer_import import import_customers as run_import
    from lienthong.kernel.i18n import set_language, t
    from lienthong.kernel.problems import Problem

    set_language(lang)
    if not database_url and not (data / "system.sqlite3").exists():
        console.print(f"[red]{t('import.no_installation', data=data.resolve())}[/red]")
        raise typer.Exit(1)
    suite = _open(data, database_url, only=("system", "accounting"), first_start=False)
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
            tasks = {"check": bar.add_task(t("import.progress.check"), total=None), "write": bar.add_task(t("import.progress.write"), total=None, start=False)}

            def progress(phase: str, done: int, total: int | None) -> None:
                if phase == "write":
                    bar.start_task(tasks["write"])
                bar.update(tasks[phase], completed=done, total=total)

            with file.open("rb") as workbook:
                result = run_import(db=suite.databases["accounting"], principal=suite.authenticate(token), data=workbook, mode=mode, progress=progress)
    except Problem as problem:
        console.print(f"[red]{problem.detail()}[/red]", soft_wrap=True)
        for error in problem.errors[:50]:
            console.print(f"  {error.render()['message']}", soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        suite.close()
    console.print(t("import.summary", created=result.created, updated=result.updated, unchanged=result.unchanged))
    if result.ignored_columns:
        console.print(t("import.ignored_columns", columns=", ".join(result.ignored_columns)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
