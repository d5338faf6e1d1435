"""How many training tasks a learned box rule solves straight from the inputs.

    python benchmarks/box_rules_reach.py [--cross-validate] [--json OUT]

For every `arc1:train` task whose train outputs keep their inputs' shapes, learns
`synth.search.box_rules.learn_box_rule` on the inputs themselves (the task's background as
`bg`) and scores the rule on the test outputs: right, wrong, or no rule
(`benchmarks.line_rules_reach.reach_main`). It reads only the training set.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))  # run as a script: `benchmarks.*`

from benchmarks.line_rules_reach import reach_main  # noqa: E402
from synth.search.box_rules import apply_box_rule, learn_box_rule  # noqa: E402

if __name__ == "__main__":
    reach_main(__doc__, learn_box_rule, apply_box_rule, lambda rule: list(rule))
