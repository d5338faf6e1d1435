"""`synth dsl list | check | fmt | verify`: inspect the registry and check DSL program files.

A program that does not parse or type-check is bad input (exit 2, one line on stderr); a
program that runs but does not solve its task, or a library with failing programs, is a failed
check (exit 3)."""
from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from dsl.errors import DSLError
from dsl.registry import default_registry
from synth.data.datasets import load_dataset, load_task_ref
from synth.data.errors import InputError
from synth.data.golden import (DATASET_OF_FOLDER, DEFAULT_LIBRARY, ProgramReport, check_pairs,
                               library_files, verify_program_file)

EXIT_CHECK_FAILED = 3


def primitive_rows() -> list[dict]:
    """One dict per primitive: name, family, signature, type, cost, doc, example, kernel."""
    return [{"name": p.name, "family": p.family, "signature": p.signature, "type": str(p.type),
             "cost": p.cost, "doc": p.doc, "example": p.example, "kernel": p.kernel}
            for p in default_registry()]


def cmd_list(as_json: bool, family: str | None = None) -> int:
    """Print the registry as a table, or as JSON."""
    rows = [r for r in primitive_rows() if family in (None, r["family"])]
    if as_json:
        print(json.dumps(rows, indent=1))
        return 0
    table = Table(title=f"{len(rows)} primitives")
    for column in ("family", "signature", "cost", "doc"):
        table.add_column(column, overflow="fold")
    for r in rows:
        table.add_row(r["family"], r["signature"], str(r["cost"]), r["doc"])
    Console().print(table)
    return 0


def _read_program(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(err.strerror or "cannot read file", file=path) from None


def cmd_check(path: str, task_ref: str | None) -> int:
    """Parse and type-check a program file; with a task, run it on every pair and report."""
    from dsl.parser import parse_program
    from dsl.typecheck import check_program

    text = _read_program(path)
    try:
        checked = check_program(parse_program(text))
    except DSLError as err:
        raise InputError(str(err), file=path) from None
    for name, info in checked.items():
        print(f"{path}: {name}() type-checks; " +
              ", ".join(f"{k}: {v}" for k, v in info.types.items()))
    if task_ref is None:
        return 0
    pairs = check_pairs(text, load_task_ref(task_ref))
    for p in pairs:
        print(f"  {p.split}[{p.index}]: {'ok' if p.ok else p.reason}")
    solved = all(p.ok for p in pairs)
    print(f"{'solves' if solved else 'does not solve'} {task_ref}")
    return 0 if solved else EXIT_CHECK_FAILED


def cmd_fmt(paths: list[str], write: bool) -> int:
    """Print each program in canonical form, or rewrite the files in place."""
    from dsl.parser import parse_program
    from dsl.printer import format_program

    for path in paths:
        try:
            text = format_program(parse_program(_read_program(path)))
        except DSLError as err:
            raise InputError(str(err), file=path) from None
        if write:
            Path(path).write_text(text, encoding="utf-8")
        else:
            print(text, end="")
    return 0


def _report_line(report: ProgramReport) -> str:
    if report.error:
        return f"FAIL {report.task_id}: {report.error}"
    bad = [f"{p.split}[{p.index}] {p.reason}" for p in report.pairs if not p.ok]
    if bad:
        return f"FAIL {report.task_id}: " + "; ".join(bad)
    return f"ok   {report.task_id}" + ("" if report.canonical else " (not in canonical form)")


def cmd_verify(folder: str | None, verbose: bool) -> int:
    """Verify every program of a library folder against its dataset's tasks."""
    root = Path(folder) if folder else DEFAULT_LIBRARY
    spec = DATASET_OF_FOLDER.get(root.name)
    if spec is None:
        raise InputError(f"cannot tell the dataset of this folder (known names: "
                         f"{', '.join(DATASET_OF_FOLDER)})", file=str(root))
    entries = load_dataset(spec).entries
    files = library_files(root)
    reports = []
    for path in files:
        task = entries.get(path.stem)
        if task is None or isinstance(task, InputError):
            raise InputError(f"no valid task '{path.stem}' in {spec}", file=str(path))
        reports.append(verify_program_file(path, task))
    for report in reports:
        if verbose or not report.ok:
            print(_report_line(report))
    n_ok = sum(r.ok for r in reports)
    print(f"{n_ok}/{len(reports)} programs solve their tasks")
    return 0 if n_ok == len(reports) else EXIT_CHECK_FAILED
