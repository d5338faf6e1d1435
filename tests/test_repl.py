"""Scripted REPL sessions: statements, commands, user definitions, saving and loading."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from synth.data.datasets import load_task_ref
from synth.cli.repl import ReplSession


@pytest.fixture
def session(examples_dir: Path) -> ReplSession:
    return ReplSession(load_task_ref(str(examples_dir / "3c9b0459.json")))


def run(session: ReplSession, *lines: str) -> str:
    return "".join(session.handle(line) for line in lines)


def test_statement_shows_marks_and_diff(session: ReplSession) -> None:
    out = run(session, "x1 = rot90(I)")
    assert "x1: Grid" in out and "✗ train[0]" in out and "0/4 train outputs match" in out
    assert "wrong cells: (0,0): 2→1" in out
    out = run(session, "O = rot90(x1)")
    assert out.count("✓") == 4 and "4/4 train outputs match" in out


def test_non_grid_values_and_type_command(session: ReplSession) -> None:
    assert run(session, ":type rot90").strip() == "(Grid) -> Grid"
    assert run(session, ":type rot90(I)").strip() == "Grid"
    out = run(session, "h = rot90")
    assert "h: (Grid) -> Grid" in out and "train[0]: <function>" in out


def test_errors_do_not_end_the_session(session: ReplSession) -> None:
    out = run(session, "x = nope(I)")
    assert "error: unknown primitive 'nope'" in out
    out = run(session, "y = rot90(3)")
    assert "expected Grid, found Int" in out
    out = run(session, "z = rot90(I")
    assert "error:" in out
    assert "x1: Grid" in run(session, "x1 = rot90(I)")


def test_laws_command_shows_what_z3_inferred(session: ReplSession) -> None:
    out = run(session, ":laws")
    assert "out_h = " in out and "test[0] output shape: 3x3" in out
    assert "non-background cells kept" in out
    assert "no task loaded" in run(ReplSession(), ":laws")


def test_help_and_prims(session: ReplSession) -> None:
    assert "did you mean rot90?" in run(session, ":help rot9")
    out = run(session, ":help rot90")
    assert "rot90(grid: Grid) -> Grid" in out and "(geometry, cost 1)" in out
    assert "geometry: rot90" in run(session, ":prims geometry")
    assert "unknown command" in run(session, ":frobnicate")


def test_define_primitive_use_and_save(session: ReplSession, tmp_path: Path) -> None:
    assert session.prompt == ">>> "
    run(session, "def spin(g: Grid) -> Grid:")
    assert session.prompt == "... "
    out = run(session, "    a = rot90(g)", "    b = rot90(a)", "")
    assert "defined spin(g: Grid) -> Grid" in out
    assert "4/4 train outputs match" in run(session, "O = spin(I)")
    target = tmp_path / "session.dsl"
    run(session, f":save {target}")
    text = target.read_text()
    assert text.startswith("def spin(g: Grid) -> Grid:\n    a = rot90(g)\n")
    assert "solve(I: Grid) -> Grid:\n    O = spin(I)\n" in text
    prims_file = tmp_path / "prims.dsl"
    prims_file.write_text(text.split("\n\n")[0] + "\n")
    fresh = ReplSession(session.state.task, prims_files=[prims_file])
    assert "4/4 train outputs match" in run(fresh, "O = spin(I)")


def test_undo_reset_and_show(session: ReplSession) -> None:
    run(session, "x1 = rot90(I)")
    assert "removed x1" in run(session, ":undo")
    assert "train[0] input" in run(session, ":show")
    assert "I: Grid" in run(session, ":vars")


def test_no_task_loaded() -> None:
    out = run(ReplSession(), "x = rot90(I)")
    assert "no task loaded" in out


def test_repl_subprocess_reads_piped_input(repo: Path, tmp_path: Path) -> None:
    script = "x1 = rot180(I)\n:quit\n"
    proc = subprocess.run([sys.executable, "-m", "synth", "repl", "examples/3c9b0459.json"],
                          input=script, capture_output=True, text=True, cwd=repo, timeout=60,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "4/4 train outputs match" in proc.stdout


def test_help_lists_the_commands_for_users(session: ReplSession) -> None:
    out = run(session, ":help")
    assert ":laws" in out and ":save FILE" in out
    assert "ReplSession" not in out and "readline" not in out
