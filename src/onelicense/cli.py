"""`onelicense`: the product's command line (demo, serve, worker, catalogue, verify, bench)."""

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogue" / "data" / "beijing.yaml"


def _django(*, migrate: bool = False) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onelicense.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)


def _print_error(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def cmd_demo(args: argparse.Namespace) -> int:
    """Migrate the embedded database, load the catalogue and demo people, then serve."""
    _django(migrate=True)
    from django.core.management import call_command

    from onelicense.demo import demo_prepare

    summary = demo_prepare(catalogue_path=DEFAULT_CATALOGUE)
    base = f"http://127.0.0.1:{args.port}"
    print(f"\nOneLicense 一业一证 演示环境：{base}/")
    print(f"数据目录：{summary.data_dir}")
    print(f"行业目录：{summary.catalogue}（{summary.industries} 个行业）")
    print(f"\n演示账号（密码均为 {summary.logins[0].password}）：")
    for login in summary.logins:
        print(f"  {login.username:<20} {login.description}")
    print(f"\n管理后台：{base}/admin/   接口文档：{base}/api/v1/docs\n", flush=True)
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


def _not_yet(what: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        return _print_error(f"onelicense {what}：此功能尚未提供（将在后续版本中提供）。")

    return run


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="onelicense", description="北京市“一业一证”服务平台")
    sub = root.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="演示环境：内置数据库、行业目录、演示账号，并启动服务")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
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

    for name, text in (
        ("worker", "后台任务：通知、提醒与电子证照库同步"),
        ("verify", "离线核验二维码或综合许可凭证 PDF"),
        ("bench", "性能基准测试"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("args", nargs="*")
        cmd.set_defaults(run=_not_yet(name))
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    result: int = args.run(args)
    return result
