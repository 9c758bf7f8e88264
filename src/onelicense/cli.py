"""`onelicense`: the product's command line (demo, serve, worker, catalogue, verify, bench)."""

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onelicense.catalogue.models import CatalogueVersion

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogue" / "data" / "beijing.yaml"


def _django(*, migrate: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelicense.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        _database_ensure()
        call_command("migrate", interactive=False, verbosity=0)


def _database_ensure() -> None:
    """Create the PostgreSQL database DATABASE_URL names if the server has none of that name."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    import psycopg
    from psycopg import sql

    params = connection.get_connection_params()
    name = params.pop("dbname")
    try:
        psycopg.connect(dbname=name, **params).close()
    except psycopg.OperationalError:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as server:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _print_error(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate the embedded database, load the catalogue and demo people, then serve."""
    # The QR codes open the live pages of this demo, on whatever port it serves.
    os.environ.setdefault("ONELICENSE_PUBLIC_URL", f"http://127.0.0.1:{args.port}")
    _django(migrate=True)
    from django.conf import settings
    from django.core.management import call_command

    from onelicense.demo import demo_prepare

    if args.history < 0:
        return _print_error("--history 不能为负数")
    summary = demo_prepare(catalogue_path=DEFAULT_CATALOGUE, history=args.history)
    base = f"http://127.0.0.1:{args.port}"
    print(f"\nOneLicense 一业一证 演示环境：{base}/")
    print(f"数据目录：{summary.data_dir}")
    print(f"行业目录：{summary.catalogue}（{summary.industries} 个行业）")
    if summary.history:
        print(f"历史数据：近一年 {summary.history:,} 件申请（各区、各状态）")
    print(f"\n演示账号（密码均为 {summary.logins[0].password}）：")
    for login in summary.logins:
        print(f"  {login.username:<24} {login.description}")
    print(f"\n管理后台：{base}/admin/   接口文档：{base}/api/v1/docs")
    print(f"凭证二维码打开：{settings.ONELICENSE_PUBLIC_URL.rstrip('/')}/v/…\n", flush=True)
    if args.no_serve:
        return 0
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve with granian (WSGI): production-style, N workers, stateless."""
    from granian import Granian
    from granian.constants import Interfaces

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelicense.settings")
    # One blocking thread per worker keeps one database connection per worker.
    Granian(
        "onelicense.wsgi:application",
        address=args.host,
        port=args.port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=1,
    ).serve()
    return 0


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    _django(migrate=True)
    from onelicense.catalogue.services import catalogue_check, catalogue_import
    from onelicense.core.errors import DomainError

    path = Path(args.file)
    if not path.is_file():
        return _print_error(f"找不到文件：{path}")
    text = path.read_text("utf-8")
    try:
        if args.check:
            canonical = catalogue_check(text=text, filename=path.name)
            print(
                f"{path.name}：检查通过，{len(canonical['industries'])} 个行业，"
                f"{len(canonical['items'])} 个事项（未导入）"
            )
            return 0
        version = catalogue_import(text=text, filename=path.name, publish=args.publish)
    except DomainError as exc:
        return _print_error(exc.message)
    state = "并已发布" if args.publish else "（草稿，待发布）"
    print(f"已导入目录版本 {version.code}{state}")
    return 0


def cmd_catalogue_export(args: argparse.Namespace) -> int:
    _django()
    from onelicense.catalogue.models import CatalogueVersion
    from onelicense.catalogue.services import catalogue_export

    version = CatalogueVersion.objects.filter(code=args.version).first()
    if version is None:
        return _print_error(f"目录版本“{args.version}”不存在")
    text = catalogue_export(version=version)
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, "utf-8")
        print(f"已导出目录版本 {version.code} 到 {args.file}")
    return 0


def _published_version(code: str | None) -> "CatalogueVersion":
    """The version asked for, or the one in force; DomainError in Chinese when there is none.

    Reads only: a database that was never migrated has no catalogue either."""
    from django.db import connection
    from django.utils.translation import gettext as _

    from onelicense.catalogue import selectors
    from onelicense.catalogue.models import CatalogueVersion
    from onelicense.core.errors import DomainError

    if "catalogue_catalogueversion" not in connection.introspection.table_names():
        raise DomainError("catalogue_not_published", _("暂无已发布的行业目录"))
    if code is None:
        return selectors.version_current()
    version = CatalogueVersion.objects.filter(code=code).first()
    if version is None:
        raise DomainError("catalogue_version_not_found", _("目录版本“%s”不存在") % code)
    return version


def cmd_catalogue_figures(args: argparse.Namespace) -> int:
    """Each industry's reform figures, as its guide shows them: separate → merged."""
    _django()
    from onelicense.benchmarks.table import table
    from onelicense.catalogue import selectors
    from onelicense.core.errors import DomainError

    try:
        version = _published_version(args.version)
    except DomainError as exc:
        hint = "：请先导入并发布目录（onelicense catalogue import 文件 --publish）"
        return _print_error(exc.message + (hint if exc.code == "catalogue_not_published" else ""))
    rows = [["代码", "名称", "事项", "材料 分别→合并", "填报项 分别→合并", "工作日 法定合计→承诺"]]
    totals = [0] * 7
    industries = selectors.industry_list(version=version)
    for industry in industries:
        f = selectors.guide_build(industry=industry).figures
        numbers = [
            f.items,
            f.materials_separate,
            f.materials_merged,
            f.fields_separate,
            f.fields_merged,
            f.statutory_days_total,
            f.promised_days,
        ]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append([industry.code, industry.name, *_figure_cells(numbers)])
    rows.append([f"合计（{len(industries)} 个行业）", "", *_figure_cells(totals)])
    print(f"目录版本 {version.code}（{version.title}）各行业改革成效")
    lines = table(rows, "<<>>>>")
    print("\n".join([*lines[:-1], lines[1], lines[-1]]))
    return 0


def _figure_cells(n: list[int]) -> list[str]:
    return [str(n[0]), f"{n[1]} → {n[2]}", f"{n[3]} → {n[4]}", f"{n[5]} → {n[6]}"]


def cmd_bench(args: argparse.Namespace) -> int:
    """Run one benchmark, or all, on a throwaway SQLite database unless DATABASE_URL is set."""
    from onelicense.benchmarks import BENCHMARKS

    if args.n < 1 or args.warmup < 0:
        return _print_error("--n 须为正整数，--warmup 不能为负数")
    names = [args.name] if args.name else list(BENCHMARKS)
    scratch = None
    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="onelicense-bench-")
        os.environ["ONELICENSE_DATA_DIR"] = scratch
    try:
        _django(migrate=True)
        return _bench_run(names, args)
    finally:
        if scratch:
            from django.db import connections

            connections.close_all()
            shutil.rmtree(scratch, ignore_errors=True)


def _bench_run(names: list[str], args: argparse.Namespace) -> int:
    from onelicense.benchmarks import benchmark_load

    print(_bench_catalogue())
    for name in names:
        benchmark = benchmark_load(name)
        print(f"\n== 基准 {benchmark.TITLE} ==\n", flush=True)
        try:
            benchmark.run(args, sys.stdout)
        except ValueError as exc:
            return _print_error(str(exc))
    return 0


def _bench_catalogue() -> str:
    """Make sure the Beijing catalogue is in the database in use: import and publish it if not."""
    import yaml

    from onelicense.catalogue.models import CatalogueVersion
    from onelicense.catalogue.services import catalogue_import

    text = DEFAULT_CATALOGUE.read_text("utf-8")
    code = yaml.safe_load(text)["catalogue"]["code"]
    if CatalogueVersion.objects.filter(code=code).exists():
        return f"使用数据库中已有的目录版本 {code}"
    catalogue_import(text=text, filename=DEFAULT_CATALOGUE.name, publish=True)
    return f"已将北京市目录（{code}）导入所用数据库并发布"


def cmd_worker(args: argparse.Namespace) -> int:
    """Drain the outbox, send deadline warnings, expire permits: once, or every few seconds."""
    _django()
    from onelicense.core.worker import run_forever, run_once

    if args.once:
        for job, result in run_once().items():
            print(f"{job}: {result}")
        return 0
    print(f"onelicense worker：每 {args.interval} 秒运行一轮，Ctrl-C 停止", flush=True)
    run_forever(interval=args.interval)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Offline: the token's signature against a trust list, or the PDF's seal and its token."""
    _django()
    from onelicense.verification.offline import cli_verify

    return cli_verify(args.args)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="onelicense", description="北京市“一业一证”服务平台")
    sub = root.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="演示环境：内置数据库、行业目录、演示账号，并启动服务")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
    demo.add_argument(
        "--history", type=int, default=3000, help="生成的近一年申请件数（默认 3000；0 为不生成）"
    )
    demo.set_defaults(run=cmd_demo)

    serve = sub.add_parser("serve", help="以 granian 启动服务（生产方式）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(run=cmd_serve)

    catalogue = sub.add_parser("catalogue", help="行业目录的导入与导出")
    csub = catalogue.add_subparsers(dest="action", required=True)
    imp = csub.add_parser("import", help="导入目录文件为新版本")
    imp.add_argument("file")
    imp.add_argument("--publish", action="store_true", help="导入后立即发布")
    imp.add_argument("--check", action="store_true", help="只检查，不导入")
    imp.set_defaults(run=cmd_catalogue_import)
    exp = csub.add_parser("export", help="导出目录版本为文件")
    exp.add_argument("--version", required=True, help="目录版本号")
    exp.add_argument("file", help="输出文件，- 表示标准输出")
    exp.set_defaults(run=cmd_catalogue_export)
    figures = csub.add_parser("figures", help="各行业的改革成效数字（事项、材料、填报项、时限）")
    figures.add_argument("--version", help="目录版本号；不给则为现行目录")
    figures.set_defaults(run=cmd_catalogue_figures)

    worker = sub.add_parser(
        "worker", help="后台任务：通知、时限预警、证件到期、电子证照库同步与电子档案"
    )
    worker.add_argument("--once", action="store_true", help="只运行一轮")
    worker.add_argument("--interval", type=float, default=5.0, help="两轮之间的秒数")
    worker.set_defaults(run=cmd_worker)

    verify = sub.add_parser(
        "verify",
        help="离线核验二维码内容或综合许可凭证 PDF（依据信任列表，不连数据库）",
        add_help=False,
    )
    verify.add_argument("args", nargs=argparse.REMAINDER)
    verify.set_defaults(run=cmd_verify)

    from onelicense.benchmarks import BENCHMARKS

    bench = sub.add_parser(
        "bench",
        help="性能基准测试：只打印数字，不作断言",
        description=(
            "默认在临时目录中的 SQLite 数据库上运行（设置了 DATABASE_URL 时用该数据库），"
            "所用数据库中没有北京市目录时先导入并发布。"
        ),
    )
    bench.add_argument("name", nargs="?", choices=list(BENCHMARKS), help="基准名称；不给则全部运行")
    bench.add_argument("--industries", help="只测这些行业：逗号分隔的行业代码")
    bench.add_argument("--n", type=int, default=200, help="每个行业计时的次数（默认 200）")
    bench.add_argument("--warmup", type=int, default=20, help="每个行业先预热的次数（默认 20）")
    bench.add_argument("--seed", type=int, default=1, help="生成回答的随机种子（默认 1）")
    bench.set_defaults(run=cmd_bench)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["verify"]:
        # `verify` parses its own options (--trust-list, --status-list, --root, --json, --help).
        return cmd_verify(argparse.Namespace(args=arguments[1:]))
    args = parser().parse_args(arguments)
    result: int = args.run(args)
    return result
