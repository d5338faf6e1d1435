"""Rendering grids and tasks: coloured terminal text (rich) in the standard ARC palette."""
from __future__ import annotations

from rich.console import Console
from rich.text import Text

from synth.palette import PALETTE_HEX
from synth.task import Grid, Task, load_task_file


def grid_rich(grid: Grid) -> Text:
    """A grid as rich Text: two-character coloured blocks with the digit, one row per line."""
    text = Text()
    for r, row in enumerate(grid):
        if r:
            text.append("\n")
        for v in row:
            fg = "#000000" if v in (4, 5, 8) else "#FFFFFF"
            text.append(f"{int(v)} ", style=f"{fg} on {PALETTE_HEX[int(v)]}")
    return text


def grid_text(grid: Grid) -> str:
    """A grid as plain digits, one row per line (for logs, pipes and tests)."""
    return "\n".join(" ".join(str(int(v)) for v in row) for row in grid)


def print_task(task: Task, console: Console | None = None) -> None:
    """Print every pair of a task in colour (plain digits when not a terminal)."""
    console = console or Console()
    console.print(f"[bold]task {task.id}[/bold]: {len(task.train)} train, {len(task.test)} test")
    for split, examples in (("train", task.train), ("test", task.test)):
        for i, ex in enumerate(examples):
            console.print(f"\n[bold]{split}[{i}].input[/bold] {ex.input.shape[0]}x{ex.input.shape[1]}")
            console.print(grid_rich(ex.input))
            if ex.output is not None:
                console.print(f"[bold]{split}[{i}].output[/bold] "
                              f"{ex.output.shape[0]}x{ex.output.shape[1]}")
                console.print(grid_rich(ex.output))


def load_task_ref(ref: str) -> Task:
    """Load a task from a file path or from `DATASET:ID` (e.g. `arc1:train:007bbfb7`)."""
    from pathlib import Path

    from synth.datasets import load_dataset
    from synth.errors import InputError

    if Path(ref).exists() or ref.endswith(".json"):
        return load_task_file(ref)
    spec, _, task_id = ref.rpartition(":")
    if not spec:
        raise InputError("expected a task JSON file or DATASET:ID (e.g. arc1:train:007bbfb7)",
                         file=ref)
    entry = load_dataset(spec).entries.get(task_id)
    if entry is None:
        raise InputError(f"no task '{task_id}' in {spec}", field="TASK")
    if isinstance(entry, InputError):
        raise entry
    return entry
