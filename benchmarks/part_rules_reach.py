"""Reach of the part rules (synth.search.part_rules) over the arc1 training tasks.

For every training task: whether some part-space program reproduces every train output
(background: the task's, then 0), and whether the first such program, run by the reference
interpreter, is right on every test output. Training tasks only.
Usage: python benchmarks/part_rules_reach.py
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from benchmarks.part_combos_reach import reach  # noqa: E402
from synth.search.part_rules import part_rule_programs  # noqa: E402


def main() -> None:
    reach(part_rule_programs, "part-rule", lambda program: program.splitlines()[1:])


if __name__ == "__main__":
    main()
