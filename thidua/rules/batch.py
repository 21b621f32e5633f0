"""``thidua eligibility batch``: JSON Lines in, one result per line out, same order, streamed.

The input is read in chunks of lines; each chunk is decoded by the fast typed decoder
(``fastcase``: msgspec structs, the contract's checks over the whole chunk, a line it cannot vouch for
handed to the reference parser) and evaluated set-based (``--summary``: the columnar engine) or case by
case (full results: the interpreter, with reasons and forecast). With more than one worker the chunks
go to worker processes, a bounded number at a time, and come back in order: memory stays flat in the
size of the input. A bad line is reported on its line and never stops the others.
"""

from __future__ import annotations

import collections
import functools
import gc
import io
import itertools
import json
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from operator import attrgetter
from typing import IO, Any

import msgspec
import numpy as np

from thidua.rules import vocab
from thidua.rules.columnar import VERDICT_CODES, Columns, evaluate_columns
from thidua.rules.fastcase import Chunk, Decoded, FCase, RulesetTables, decode_lines, ruleset_tables, to_case

CHUNK_LINES = 10_000  # --summary: a chunk's structs and columns stay small (about 50 MB)
CHUNK_LINES_FULL = 1_000  # full results: each line's output is tens of kilobytes
CHUNK_BYTES = 8 * 2**20  # a file is read in blocks of this size (a tenth for full results)
MAX_WORKERS = 64
_ENCODER = msgspec.json.Encoder()
_ENCODE = _ENCODER.encode
_ENCODE_LINES = _ENCODER.encode_lines


def run_batch(
    src: IO[Any],
    dst: IO[Any],
    err: IO[str],
    *,
    source: str,
    summary: bool,
    options: Mapping[str, Any] | None = None,
    workers: int | None = 1,
    chunk_lines: int | None = None,
) -> int:
    """Evaluate every line of ``src`` (bytes or text); return the number of malformed lines.
    ``workers=None`` or 0: one process per CPU."""
    workers = min(workers or os.cpu_count() or 1, MAX_WORKERS)
    opts = dict(options or {})
    if chunk_lines is None and not isinstance(src, io.TextIOBase):
        # whole blocks of bytes cut at a newline: no per-line work in this process
        chunks = _blocks(src, CHUNK_BYTES if summary else CHUNK_BYTES // 10)
    else:
        size = chunk_lines or (CHUNK_LINES if summary else CHUNK_LINES_FULL)
        chunks = _chunks(_byte_lines(src), size)
    head = list(itertools.islice(chunks, 2))
    if len(head) < 2:
        workers = 1  # one chunk: not worth starting processes
    else:
        _tables(json.dumps(opts, sort_keys=True))  # loaded once here, inherited by the workers
    blocks: Iterator[tuple[Block, int]] = itertools.chain(head, chunks)
    path = getattr(src, "name", None)
    if workers > 1 and isinstance(path, str) and not isinstance(src, io.TextIOBase) and os.path.isfile(path):
        blocks = _by_offset(blocks, path)  # workers read their own block: nothing goes through a pipe
    jobs = ((block, first, source, summary, opts) for block, first in blocks)
    write = _writer(dst)
    bad = 0
    if workers == 1:
        for out, errors, n_bad in map(process_chunk, jobs):
            write(out)
            err.write(errors)
            bad += n_bad
        return bad
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: collections.deque[Future[tuple[bytes, str, int]]] = collections.deque()
        for job in jobs:
            pending.append(pool.submit(process_chunk, job))
            if len(pending) >= 2 * workers:  # bounded: never more than this many chunks in memory
                out, errors, n_bad = pending.popleft().result()
                write(out)
                err.write(errors)
                bad += n_bad
        while pending:
            out, errors, n_bad = pending.popleft().result()
            write(out)
            err.write(errors)
            bad += n_bad
    return bad


def _byte_lines(src: IO[Any]) -> Iterator[bytes]:
    if isinstance(src, io.TextIOBase):
        return (line.encode("utf-8", "surrogateescape") for line in src)
    return iter(src)


def _writer(dst: IO[Any]) -> Any:
    if isinstance(dst, io.TextIOBase):
        buffer = getattr(dst, "buffer", None)
        if buffer is None:
            return lambda data: dst.write(data.decode("utf-8"))

        def write(data: bytes) -> None:
            dst.flush()
            buffer.write(data)

        return write
    return dst.write


Block = bytes | tuple[str, int, int]  # the lines themselves, or (file, offset, length) to read them
Job = tuple[Block, int, str, bool, dict[str, Any]]


def _by_offset(blocks: Iterator[tuple[Block, int]], path: str) -> Iterator[tuple[Block, int]]:
    offset = 0
    for block, first in blocks:
        assert isinstance(block, bytes)
        yield (path, offset, len(block)), first
        offset += len(block)


def _read(block: Block) -> bytes:
    if isinstance(block, bytes):
        return block
    path, offset, length = block
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(length)
    if data.endswith(b"\n"):
        return data
    return data + b"\n"  # the file's last line, without its newline


def _blocks(src: IO[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    """Blocks of about ``size`` bytes, each ending at a newline, with the number of their first line."""
    first = 1
    carry = b""
    while True:
        data = src.read(size)
        if not data:
            if carry:
                yield carry + b"\n", first
            return
        data = carry + data
        cut = data.rfind(b"\n") + 1
        if not cut:  # a line longer than the block: read on
            carry = data
            continue
        block, carry = data[:cut], data[cut:]
        yield block, first
        first += block.count(b"\n")


def _chunks(lines: Iterator[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    first = 1
    while True:
        part = list(itertools.islice(lines, size))
        if not part:
            return
        if not part[-1].endswith(b"\n"):  # only the file's last line may lack its newline
            part[-1] += b"\n"
        yield b"".join(part), first
        first += len(part)


@functools.cache
def _tables(options_json: str) -> RulesetTables:
    return ruleset_tables(json.loads(options_json))


def process_chunk(job: Job) -> tuple[bytes, str, int]:
    """One chunk: (output lines, error lines, number of malformed lines)."""
    # Decoding allocates many small objects that all stay alive until the chunk is done: the cyclic
    # GC would rescan them again and again. Nothing here creates cycles worth collecting.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _process_chunk(job)
    finally:
        if enabled:
            gc.enable()


def _process_chunk(job: Job) -> tuple[bytes, str, int]:
    raw, first, source, summary, options = job
    block = _read(raw)
    tables = _tables(json.dumps(options, sort_keys=True))
    decoded = decode_lines(block, first, source, tables, options)
    if summary:
        out = b"".join(_summary_rows(decoded, tables, options))  # already one line per case
    else:
        out = b"".join(r + b"\n" for r in _full_rows(decoded, options))
    errors = [msg for k in sorted(decoded.errors) for msg in decoded.errors[k]]
    return out, "".join(e + "\n" for e in errors), len(decoded.errors)


def _error_row(line: int, errors: list[str]) -> bytes:
    text = "; ".join(msg.split(": ", 1)[1] if ": " in msg else msg for msg in errors)
    return _ENCODE({"line": line, "error": text})


def _internal(decoded: Decoded, k: int, exc: BaseException | str) -> bytes:
    """A line that passed the checks but could not be evaluated: reported on its line, never fatal."""
    why = exc if isinstance(exc, str) else f"lỗi nội bộ ({type(exc).__name__})"
    decoded.errors[k] = [f"(gốc): không xét được hồ sơ: {why}"]
    decoded.cases[k] = None
    return _error_row(decoded.lines[k], decoded.errors[k])


def _full_rows(decoded: Decoded, options: Mapping[str, Any]) -> list[bytes]:
    from thidua.rules.engine import evaluate

    rows = []
    for k, fc in enumerate(decoded.cases):
        if fc is None:
            rows.append(_error_row(decoded.lines[k], decoded.errors[k]))
            continue
        try:
            result = evaluate(to_case(fc), options=options).model_dump(mode="json")
        except Exception as exc:  # one case must never stop the others
            rows.append(_internal(decoded, k, exc))
            continue
        rows.append(json.dumps(result, ensure_ascii=False).encode("utf-8"))
    return rows


def _summary_rows(decoded: Decoded, tables: RulesetTables, options: Mapping[str, Any]) -> list[bytes]:
    chunk = decoded.chunk
    verdicts: list[dict[str, str] | bytes] = []
    if chunk is not None:
        try:
            verdicts = _set_based(chunk, tables, options)
        except Exception:  # never lose the chunk: case by case, each case on its own
            verdicts = [_interpret_one(fc, options) for fc in chunk.cases]
    rows: list[Any] = []
    it = iter(verdicts)
    raw = msgspec.Raw
    for k, fc in enumerate(decoded.cases):
        if fc is None:
            rows.append(raw(_error_row(decoded.lines[k], decoded.errors[k])))
            continue
        v = next(it)
        if isinstance(v, dict):
            if "__error__" in v:
                rows.append(raw(_internal(decoded, k, v["__error__"])))
                continue
            v = _ENCODE(v)
        rows.append({"id": fc.subject.id, "verdicts": raw(v)})
    return [_ENCODE_LINES(rows)]


def _interpret_one(fc: FCase, options: Mapping[str, Any]) -> dict[str, str]:
    from thidua.rules.engine import build_facts, evaluate_facts
    from thidua.rules.ruleset import load_ruleset

    try:
        case = to_case(fc)
        rs = load_ruleset(case.ruleset) if case.ruleset else load_ruleset(on=case.as_of_date)
        rs = rs.with_settings(rs.applicable(options))
        facts = build_facts(case.subject, members=case.subject.members, as_of=case.as_of_date)
        results = evaluate_facts(rs, facts, case.year, case.as_of_date, case.candidates)
        return {r.id: r.verdict for r in results}
    except Exception as exc:
        return {"__error__": f"lỗi nội bộ ({type(exc).__name__})"}


def _set_based(
    chunk: Chunk, tables: RulesetTables, options: Mapping[str, Any]
) -> list[bytes | dict[str, str]]:
    """Verdicts of every accepted case of the chunk, in order, from the columnar engine (per ruleset),
    each as its encoded ``verdicts`` object (rows with the same verdicts share one encoding)."""
    cols = chunk.columns
    assert cols is not None
    n = len(chunk.cases)
    out = np.empty(n, dtype=object)
    kinds = cols.kind[:n] if cols.kind is not None else np.zeros(n, dtype=np.int32)
    cands = list(map(attrgetter("candidates"), chunk.cases))
    explicit = np.fromiter((isinstance(c, list) for c in cands), dtype=np.bool_, count=n)
    for r in np.unique(chunk.ruleset).tolist():
        rs = tables.rulesets[r]
        idx = np.flatnonzero(chunk.ruleset == r)
        sub = cols if idx.size == n else _subset(cols, idx)
        defaults = tables.defaults[r]
        asked = [c for i in np.flatnonzero(explicit[idx]).tolist() for c in cands[idx[i]]]
        wanted = list(dict.fromkeys([*(i for k in defaults.values() for i in k), *asked]))
        try:
            bv = evaluate_columns(sub, ruleset=rs, items=wanted)
        except NotImplementedError:  # e.g. chain_gap_policy skip_unrated: the interpreter
            for i in idx.tolist():
                out[i] = _interpret_one(chunk.cases[i], options)
            continue
        col = {item: j for j, item in enumerate(bv.items)}
        codes = bv.codes[: idx.size].astype(np.int64) + 1  # 0: not evaluated, 1..3: the verdicts
        for kind_code, kind in enumerate(vocab.SUBJECT_KINDS):
            rows = np.flatnonzero((kinds[idx] == kind_code) & ~explicit[idx])
            if rows.size:
                out[idx[rows]] = _encoded(codes[rows], defaults[kind], col)
        for k in np.flatnonzero(explicit[idx]).tolist():
            ids = cands[idx[k]]
            out[idx[k]] = _ENCODE({item: VERDICT_CODES[int(codes[k, col[item]]) - 1] for item in ids})
    return list(out)


def _encoded(codes: np.ndarray, items: list[str], col: Mapping[str, int]) -> np.ndarray:
    """The encoded ``{item: verdict}`` of each row, one encoding per distinct row."""
    if not items:
        return np.full(codes.shape[0], b"{}", dtype=object)
    picked = codes[:, [col[i] for i in items]]
    packed = picked @ (4 ** np.arange(len(items), dtype=np.int64))
    uniq, first, inv = np.unique(packed, return_index=True, return_inverse=True)
    encodings = np.empty(uniq.size, dtype=object)
    for u, row in enumerate(first.tolist()):
        encodings[u] = _ENCODE(
            {item: VERDICT_CODES[int(v) - 1] for item, v in zip(items, picked[row], strict=True)}
        )
    out: np.ndarray = encodings[inv.ravel()]
    return out


def _subset(cols: Columns, cases: np.ndarray) -> Columns:
    """The rows of some cases (and their members), renumbered."""
    member_of = cols.member_of if cols.member_of is not None else np.full(cols.n, -1, dtype=np.int32)
    keep_case = np.zeros(cols.n, dtype=np.bool_)
    keep_case[cases] = True
    keep = keep_case.copy()
    is_member = member_of >= 0
    keep[is_member] = keep_case[member_of[is_member]]
    # cases first (in order), then their members: the caller indexes cases 0..len(cases)-1
    order = np.concatenate([cases, np.flatnonzero(keep & is_member)])
    new_index = np.full(cols.n, -1, dtype=np.int64)
    new_index[order] = np.arange(order.size)
    fields: dict[str, Any] = {}
    for name in Columns.__dataclass_fields__:
        value = getattr(cols, name)
        if name in ("codes",):
            fields[name] = value
        elif name in ("year", "as_of", "recruited_on", "kind"):
            fields[name] = value[order] if value is not None else None
        elif name == "member_of":
            mo = member_of[order]
            fields[name] = np.where(mo >= 0, new_index[np.maximum(mo, 0)], -1).astype(np.int32)
    prefixes = {f.rsplit("_", 1)[0] for f in Columns.__dataclass_fields__ if f.endswith("_subject")}
    for prefix in prefixes:
        subj = getattr(cols, f"{prefix}_subject")
        sel = keep[subj]
        for name in Columns.__dataclass_fields__:
            if name.startswith(prefix + "_"):
                value = getattr(cols, name)
                fields[name] = (new_index[subj[sel]] if name.endswith("_subject") else value[sel]).astype(
                    np.int32
                )
    return Columns(**fields)
