"""`synth repl [TASK]`: author DSL programs and primitives interactively against a task.

Each statement `x = expr` is type-checked and evaluated on every train input at once; grid
results are shown beside the expected outputs with ✓/✗ per pair and the wrong cells listed.
`def name(p: T, ...) -> R:` (followed by indented statements and a blank line) defines a new
primitive usable at once. Commands: `:load TASK`, `:show`, `:type EXPR`, `:help NAME`,
`:prims [FAMILY]`, `:vars`, `:program`, `:undo`, `:reset`, `:save FILE`, `:laws` (what Z3
infers about the task: size and colour laws, predicted test shapes, invariants), `:quit`.
`ReplSession.handle(line)` is the whole logic (tested with scripted sessions); `run_repl` adds
line editing and history with `readline`.
"""
from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dsl import ast
from dsl.errors import DSLError, EvalError
from dsl.interp import definitions_as_primitives, eval_expr
from dsl.parser import parse_expr, parse_program
from dsl.printer import format_definition, format_program
from dsl.registry import FAMILIES, Registry, default_registry
from synth.analysis.invariants import infer_invariants
from dsl.typecheck import check_program, infer_expr
from dsl.types import GRID, Type
from dsl.values import Object
from synth.data.datasets import load_task_ref
from synth.data.errors import InputError
from synth.data.golden import diff_cells
from synth.cli.render import grid_rich
from synth.data.task import Task

HELP = """Type a statement such as `x1 = objects(I, connect=8)`: it is type-checked and run on
every train input; grids are shown beside the expected outputs, ✓/✗ per pair.
`def name(p: T, ...) -> R:` with indented statements and a blank line defines a primitive.

  :load TASK       load a task file or DATASET:ID (e.g. arc1:train:007bbfb7)
  :show            show the task
  :type EXPR       the type of an expression
  :help NAME       a primitive's signature, doc line and example
  :prims [FAMILY]  list primitives (all families, or one)
  :vars            the variables defined so far
  :program         the statements so far as a program
  :undo / :reset   drop the last statement / everything
  :save FILE       write the program to a file
  :laws            what Z3 infers: size and colour laws, predicted test shapes, invariants
  :quit            leave (Ctrl-D too)"""

DEFAULT_PRIMS_FILE = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config")) \
    / "synth" / "prims.dsl"
HISTORY_FILE = Path.home() / ".synth_history"
PROMPT, CONTINUATION = ">>> ", "... "


@dataclass
class ReplState:
    """Mutable session state: task, statements so far, user definitions, registry."""

    registry: Registry
    task: Task | None = None
    statements: list[ast.Assign] = field(default_factory=list)
    definitions: list[ast.Definition] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def describe_value(value: Any) -> str:
    """A short one-line description of a non-grid value."""
    if isinstance(value, EvalError):
        return f"error: {value.bare_message}"
    if isinstance(value, np.ndarray):
        return f"{value.dtype.name} array {value.shape[0]}x{value.shape[1]}"
    if isinstance(value, Object):
        return repr(value)
    if isinstance(value, tuple):
        inner = ", ".join(describe_value(v) for v in value[:6])
        return f"[{inner}{', ...' if len(value) > 6 else ''}] ({len(value)} items)"
    if callable(value):
        return "<function>"
    return repr(value)


class ReplSession:
    """The REPL's logic: `handle(line)` returns the text to print (rich markup rendered)."""

    def __init__(self, task: Task | None = None, prims_files: Sequence[Path] = (),
                 color: bool = False, width: int = 120) -> None:
        self.state = ReplState(default_registry(), task)
        self.color = color
        self.width = width
        for path in prims_files:
            self.load_prims(path)

    @property
    def prompt(self) -> str:
        """The prompt to show: continuation while a `def` body is being typed."""
        return CONTINUATION if self.state.pending else PROMPT

    def console(self) -> tuple[Console, io.StringIO]:
        buffer = io.StringIO()
        return Console(file=buffer, force_terminal=self.color, color_system="truecolor"
                       if self.color else None, width=self.width, highlight=False), buffer

    def handle(self, line: str) -> str:
        """Process one input line; return the output text."""
        console, buffer = self.console()
        try:
            self.dispatch(line, console)
        except DSLError as err:
            hint = f" ({err.hint})" if err.hint else ""
            where = str(err) if self.state.pending or line.lstrip().startswith("def ") else \
                f"{err.bare_message}{hint}"
            console.print(Text(f"error: {where}", style="red"))
        except InputError as err:
            console.print(Text(f"error: {err.message}", style="red"))
        return buffer.getvalue()

    def dispatch(self, line: str, console: Console) -> None:
        if self.state.pending:
            self.continue_definition(line, console)
        elif not line.strip() or line.strip().startswith("#"):
            return
        elif line.startswith(":"):
            self.command(line[1:].strip(), console)
        elif line.lstrip().startswith("def "):
            self.state.pending = [line]
        else:
            self.statement(line, console)

    def command(self, text: str, console: Console) -> None:
        name, _, arg = text.partition(" ")
        handlers: dict[str, Callable[[str, Console], None]] = {
            "load": self.cmd_load, "show": self.cmd_show, "type": self.cmd_type,
            "help": self.cmd_help, "prims": self.cmd_prims, "vars": self.cmd_vars,
            "program": self.cmd_program, "undo": self.cmd_undo, "reset": self.cmd_reset,
            "save": self.cmd_save, "laws": self.cmd_laws, "quit": lambda a, c: None,
            "q": lambda a, c: None,
        }
        if name not in handlers:
            console.print(f"unknown command :{name} (try :help)")
            return
        handlers[name](arg.strip(), console)

    def types(self) -> dict[str, Type]:
        env: dict[str, Type] = {"I": GRID}
        program = self.session_program()
        if program is not None:
            checked = check_program(program, self.state.registry)
            env.update(checked["solve"].types)
        return env

    def session_program(self, extra: ast.Assign | None = None) -> ast.Program | None:
        body = tuple(self.state.statements) + ((extra,) if extra else ())
        if not body:
            return None
        last_type = infer_last_type(body, self.state.registry)
        return ast.Program((ast.Definition("solve", (("I", GRID),), last_type, body),))

    def inputs(self) -> list[tuple[np.ndarray, np.ndarray | None]]:
        if self.state.task is None:
            raise InputError("no task loaded (use :load TASK)")
        return [(ex.input, ex.output) for ex in self.state.task.train]

    def values(self, expr: ast.Expr) -> list[Any]:
        results = []
        for grid_in, _ in self.inputs():
            env: dict[str, Any] = {"I": grid_in}
            try:
                for stmt in self.state.statements:
                    env[stmt.target] = eval_expr(stmt.expr, env, self.state.registry)
                results.append(eval_expr(expr, env, self.state.registry))
            except EvalError as err:
                results.append(err)
        return results

    def statement(self, line: str, console: Console) -> None:
        target, eq, rest = line.partition("=")
        if not eq or not target.strip().isidentifier():
            expr = parse_expr(line)
            self.show_values(expr, infer_expr(expr, self.types(), self.state.registry), console)
            return
        stmt = ast.Assign(target.strip(), parse_expr(rest))
        program = self.session_program(stmt)
        assert program is not None
        checked = check_program(program, self.state.registry)
        typ = checked["solve"].types[stmt.target]
        self.show_values(stmt.expr, typ, console, name=stmt.target)
        self.state.statements.append(stmt)

    def show_values(self, expr: ast.Expr, typ: Type, console: Console, name: str = "") -> None:
        values = self.values(expr)
        console.print(f"{name + ': ' if name else ''}{typ}")
        if typ != GRID:
            for i, value in enumerate(values):
                console.print(f"  train[{i}]: {describe_value(value)}")
            return
        n_ok = 0
        for i, (value, (_, want)) in enumerate(zip(values, self.inputs())):
            n_ok += self.show_pair(i, value, want, console)
        console.print(f"{n_ok}/{len(values)} train outputs match")

    def show_pair(self, index: int, got: Any, want: np.ndarray | None, console: Console) -> bool:
        if isinstance(got, EvalError):
            console.print(Text(f"✗ train[{index}]: error: {got.bare_message}", style="red"))
            return False
        ok = want is not None and got.shape == want.shape and bool(np.array_equal(got, want))
        mark = Text("✓", style="green") if ok else Text("✗", style="red")
        table = Table(show_header=True, box=None, padding=(0, 2))
        table.add_column(Text.assemble(mark, f" train[{index}] result {got.shape[0]}x{got.shape[1]}"))
        table.add_column(f"expected {want.shape[0]}x{want.shape[1]}" if want is not None else "")
        table.add_row(grid_rich(got), grid_rich(want) if want is not None else "")
        console.print(table)
        if not ok and want is not None:
            console.print(f"  {diff_cells(got, want)}")
        return ok

    def continue_definition(self, line: str, console: Console) -> None:
        if line.strip():
            self.state.pending.append(line)
            return
        text = "\n".join(self.state.pending) + "\n"
        self.state.pending = []
        self.define(text, console)

    def define(self, text: str, console: Console) -> None:
        program = parse_program(text)
        check_program(program, self.state.registry)
        prims = definitions_as_primitives(program, self.state.registry)
        self.state.registry = self.state.registry.extended(prims)
        self.state.definitions.extend(program.definitions)
        for prim in prims:
            console.print(f"defined {prim.signature}")

    def load_prims(self, path: Path) -> None:
        """Load user definitions from a `.dsl` file (each `def` becomes a primitive)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(err.strerror or "cannot read", file=str(path)) from None
        try:
            self.define(text, self.console()[0])
        except DSLError as err:
            raise InputError(str(err), file=str(path)) from None

    def cmd_load(self, arg: str, console: Console) -> None:
        self.state.task = load_task_ref(arg)
        self.state.statements = []
        task = self.state.task
        console.print(f"loaded task {task.id}: {len(task.train)} train, {len(task.test)} test")

    def cmd_show(self, arg: str, console: Console) -> None:
        if self.state.task is None:
            raise InputError("no task loaded (use :load TASK)")
        for i, (grid_in, grid_out) in enumerate(self.inputs()):
            table = Table(box=None, padding=(0, 2))
            table.add_column(f"train[{i}] input")
            table.add_column("output")
            table.add_row(grid_rich(grid_in), grid_rich(grid_out) if grid_out is not None else "")
            console.print(table)

    def cmd_type(self, arg: str, console: Console) -> None:
        console.print(str(infer_expr(parse_expr(arg), self.types(), self.state.registry)))

    def cmd_help(self, arg: str, console: Console) -> None:
        if not arg:
            console.print(HELP, markup=False)
            return
        prim = self.state.registry.get(arg)
        if prim is None:
            suggestion = self.state.registry.suggest(arg)
            console.print(f"no primitive '{arg}'" + (f"; did you mean {suggestion}?"
                                                     if suggestion else ""))
            return
        console.print(f"{prim.signature}   ({prim.family}, cost {prim.cost})", markup=False)
        console.print(f"  {prim.doc}", markup=False)
        if prim.example:
            console.print(f"  e.g. {prim.example}", markup=False)

    def cmd_laws(self, arg: str, console: Console) -> None:
        if self.state.task is None:
            raise InputError("no task loaded (use :load TASK)")
        inv = infer_invariants(self.state.task.challenge())
        for target, text in inv.laws.describe().items():
            console.print(f"{target}: {text}", markup=False)
        for i, shape in enumerate(inv.shapes):
            console.print(f"test[{i}] output shape: " +
                          (f"{shape[0]}x{shape[1]}" if shape else "not predicted (no unique law)"))
        console.print("colours the outputs introduce: " +
                      (", ".join(map(str, sorted(inv.new_colors))) or "none"))
        console.print("non-background cells kept: " +
                      ("yes, on every train pair" if inv.preserves_foreground else "no"))

    def cmd_prims(self, arg: str, console: Console) -> None:
        families = [arg] if arg else [*FAMILIES, "user"]
        for family in families:
            prims = self.state.registry.family(family)
            if prims:
                console.print(f"{family}: " + ", ".join(p.name for p in prims))

    def cmd_vars(self, arg: str, console: Console) -> None:
        for name, typ in self.types().items():
            console.print(f"{name}: {typ}")

    def cmd_program(self, arg: str, console: Console) -> None:
        console.print(self.program_text(), markup=False)

    def cmd_undo(self, arg: str, console: Console) -> None:
        if self.state.statements:
            console.print(f"removed {self.state.statements.pop().target}")

    def cmd_reset(self, arg: str, console: Console) -> None:
        self.state.statements = []
        console.print("statements cleared")

    def program_text(self) -> str:
        """The session as canonical text: user definitions, then `solve` if any statements."""
        parts = [format_definition(d) for d in self.state.definitions]
        program = self.session_program()
        if program is not None:
            parts.append(format_program(program))
        return "\n".join(parts)

    def cmd_save(self, arg: str, console: Console) -> None:
        if not arg:
            raise InputError("usage: :save FILE")
        Path(arg).write_text(self.program_text(), encoding="utf-8")
        console.print(f"wrote {arg}")


def infer_last_type(body: Sequence[ast.Assign], registry: Registry) -> Type:
    """The type of the last statement of a body (used as the session's result type)."""
    env: dict[str, Type] = {"I": GRID}
    for stmt in body:
        env[stmt.target] = infer_expr(stmt.expr, env, registry)
    return env[body[-1].target]


def run_repl(task_ref: str | None, prims_files: Sequence[Path]) -> int:
    """The interactive loop with readline editing and history."""
    import readline

    task = load_task_ref(task_ref) if task_ref else None
    session = ReplSession(task, prims_files, color=True,
                          width=Console().width)
    if HISTORY_FILE.exists():
        readline.read_history_file(HISTORY_FILE)
    print("synth repl — statements like `x1 = objects(I)`; :help for commands, :quit to leave")
    if task is not None:
        print(f"task {task.id}: {len(task.train)} train pairs (:show to see them)")
    try:
        while True:
            try:
                line = input(session.prompt)
            except EOFError:
                break
            if line.strip() in (":quit", ":q"):
                break
            print(session.handle(line), end="")
    finally:
        HISTORY_FILE.parent.mkdir(parents=True, exist_ok=True)
        readline.write_history_file(HISTORY_FILE)
    return 0
