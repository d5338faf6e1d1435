"""The kernel warm-up (`synth.run.solvers.compile_kernels`): its extra programs type-check and
reach the kernels no golden program calls."""
from __future__ import annotations

from dsl.compile import run_compiled
from dsl.parser import parse_program
from dsl.typecheck import check_program
from synth.data.task import make_grid
from synth.run.solvers import WARM_UP_PROGRAMS


def test_the_warm_up_programs_type_check_and_run() -> None:
    grid = make_grid([[1, 0, 1], [0, 0, 0], [0, 0, 0]])
    outputs = []
    for text in WARM_UP_PROGRAMS:
        program = parse_program(text)
        check_program(program)
        outputs.append(run_compiled(program, [grid], typecheck=False)[0].tolist())
    assert outputs[0] == [[1, 0, 1], [1, 0, 1], [1, 0, 1]]
