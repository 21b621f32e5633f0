"""``thidua eligibility check|batch``: the case contract on the command line (exit 0 or 2).

Whatever the input, a problem is one clear line on standard error and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from typing import IO, Any

from thidua.rules.case import CaseError, load_case_file
from thidua.rules.engine import evaluate

EXIT_OK, EXIT_INVALID = 0, 2
MAX_WORKERS = 64
_SET_HELP = (
    "đổi một tùy chọn của bộ quy tắc, vd. --set ttldtt_min_ldtt_pct=50 --set require_registration=true"
)


def parse_options(pairs: Sequence[str]) -> dict[str, Any]:
    """``name=value`` pairs; values are JSON (true, 50, \"skip_unrated\") or plain text."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"{pair!r}: cần dạng TÙY_CHỌN=GIÁ_TRỊ")
        try:
            out[name] = json.loads(raw)
        except (json.JSONDecodeError, ValueError, RecursionError):
            out[name] = raw
    return out


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2 (the contract's code for bad input)
        raise _UsageError(f"{self.prog}: lỗi: {message} (xem --help)")


def _workers(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} không phải số nguyên") from None
    if not 0 <= n <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"{n} phải từ 0 đến {MAX_WORKERS} (0: một tiến trình mỗi CPU)")
    return n


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="thidua eligibility", description="Xét điều kiện danh hiệu thi đua, hình thức khen thưởng."
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="xét một hồ sơ JSON, hoặc mọi *.json trong một thư mục")
    c.add_argument("path", help="CASE.json hoặc THƯ_MỤC/")
    c.add_argument("--no-forecast", action="store_true", help="không tính dự báo năm sau")
    c.add_argument("--set", action="append", default=[], metavar="TÙY_CHỌN=GIÁ_TRỊ", help=_SET_HELP)
    b = sub.add_parser("batch", help="xét hàng loạt từ tệp JSON Lines, mỗi dòng một hồ sơ")
    b.add_argument("path", help="CASES.jsonl")
    b.add_argument("-o", "--output", help="tệp kết quả (mặc định: đầu ra chuẩn)")
    b.add_argument("--summary", action="store_true", help="mỗi dòng chỉ gồm id và các kết luận")
    b.add_argument("--set", action="append", default=[], metavar="TÙY_CHỌN=GIÁ_TRỊ", help=_SET_HELP)
    b.add_argument(
        "--workers",
        type=_workers,
        default=0,
        help=f"số tiến trình xử lý song song (0..{MAX_WORKERS}; mặc định 0: một tiến trình mỗi CPU)",
    )
    return p


def _dump(obj: Any, *, pretty: bool) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None)


def case_files(directory: str) -> list[str]:
    """Case files of a directory: every *.json sorted by name (expected-output files excluded)."""
    names = sorted(
        n for n in os.listdir(directory) if n.endswith(".json") and not n.endswith(".expected.json")
    )
    return [os.path.join(directory, n) for n in names]


def _check(path: str, out: IO[str], err: IO[str], forecast: bool, options: dict[str, Any]) -> int:
    try:
        if os.path.isdir(path):
            files, pretty = case_files(path), False
        elif os.path.exists(path):
            files, pretty = [path], True
        else:
            err.write(f"{path}: (gốc): không tìm thấy tệp hoặc thư mục\n")
            return EXIT_INVALID
    except OSError as exc:
        err.write(f"{path}: (gốc): không đọc được thư mục: {exc.strerror}\n")
        return EXIT_INVALID
    code = EXIT_OK
    for f in files:
        try:
            case = load_case_file(f, options)
            result = evaluate(case, options=options, with_forecast=forecast)
        except CaseError as exc:
            for line in exc.lines():
                err.write(line + "\n")
            code = EXIT_INVALID
            continue
        except Exception as exc:  # never a traceback: say which file could not be evaluated
            err.write(f"{f}: (gốc): không xét được hồ sơ: lỗi nội bộ ({type(exc).__name__})\n")
            code = EXIT_INVALID
            continue
        out.write(_dump(result.model_dump(mode="json"), pretty=pretty) + "\n")
    return code


def _batch(
    path: str,
    output: str | None,
    summary: bool,
    out: IO[str],
    err: IO[str],
    options: dict[str, Any],
    workers: int = 0,
) -> int:
    from thidua.rules.batch import run_batch

    try:
        src = open(path, "rb")  # noqa: SIM115 (bytes: a line that is not UTF-8 is that line's problem)
    except OSError as exc:
        err.write(f"{path}: (gốc): không đọc được tệp: {exc.strerror}\n")
        return EXIT_INVALID
    with src:
        target: IO[Any]
        if output:
            try:
                target = open(output, "wb")  # noqa: SIM115
            except OSError as exc:
                err.write(f"{output}: không ghi được tệp kết quả: {exc.strerror}\n")
                return EXIT_INVALID
        else:
            target = out
        try:
            bad = run_batch(
                src, target, err, source=path, summary=summary, options=options, workers=workers or None
            )
        except OSError as exc:
            where = output or "đầu ra chuẩn"
            err.write(f"{where}: lỗi đọc, ghi: {exc.strerror or exc}\n")
            return EXIT_INVALID
        finally:
            if output:
                target.close()
    return EXIT_INVALID if bad else EXIT_OK


def main(argv: Sequence[str] | None = None, *, out: IO[str] | None = None, err: IO[str] | None = None) -> int:
    """Entry point of ``thidua eligibility``; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_INVALID
    try:
        options = parse_options(args.set)
        _validate_options(options)
    except ValueError as exc:
        err.write(f"--set: {exc}\n")
        return EXIT_INVALID
    try:
        if args.command == "check":
            return _check(args.path, out, err, not args.no_forecast, options)
        return _batch(args.path, args.output, args.summary, out, err, options, args.workers)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing more to say
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (silence the interpreter's final flush)
        return EXIT_OK


def _validate_options(options: dict[str, Any]) -> None:
    """Every option must be a setting of some shipped ruleset, with a valid value where it exists."""
    from thidua.rules.ruleset import list_rulesets, load_ruleset

    for info in list_rulesets():
        rs = load_ruleset(info.id)
        rs.with_settings(rs.applicable(options))
