"""What the timing benchmarks share: one thread per numeric library, a machine and date stamp,
the common command-line options, and printing the table and writing the JSON figures.

Import it before numpy (or anything that loads numpy): importing it pins the OpenMP, numba,
MKL and OpenBLAS thread counts to one, which only takes effect before those libraries load.
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "NUMBA_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402


def machine() -> str:
    """CPU model, core count, OS and Python version of this machine."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (f"{model}, {os.cpu_count()} cpus, {platform.system()} {platform.release()}, "
            f"python {platform.python_version()}, numpy {np.__version__}")


def stamp() -> dict[str, str]:
    """`machine` and `date` (UTC, to the second) entries for a result."""
    return {"machine": machine(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}


def stamp_line(result: dict[str, Any]) -> str:
    """The table's last line: where and when the figures were taken."""
    return f"machine: {result['machine']}; {result['date']}"


def parser(doc: str, limit_help: str) -> argparse.ArgumentParser:
    """An argument parser with the options every benchmark takes: --json, --repeats, --limit."""
    out = argparse.ArgumentParser(description=doc.splitlines()[0])
    out.add_argument("--json", type=Path, help="write the figures to this JSON file")
    out.add_argument("--repeats", type=int, default=5)
    out.add_argument("--limit", type=int, help=limit_help)
    return out


def report(result: dict[str, Any], table: str, json_path: Path | None) -> None:
    """Print the table and, when asked, write the figures as JSON (creating its folder)."""
    print(table)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def selected_tasks(dataset: str, ids_file: str | None, offset: int = 0,
                   limit: int | None = None) -> list[tuple[str, Any]]:
    """(id, task) of a dataset's tasks with their solutions (all, or the ids listed one per
    line in `ids_file`, `#` comments ignored), from `offset`, at most `limit` of them."""
    from synth.data.datasets import load_dataset, read_id_list
    from synth.data.task import Task
    entries = load_dataset(dataset).entries
    ids = list(entries) if ids_file is None else read_id_list(ids_file)
    return [(task_id, entries[task_id]) for task_id in ids[offset:][:limit]
            if isinstance(entries[task_id], Task)]

