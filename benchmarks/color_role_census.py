"""Census of the `color_role` invariant (synth.analysis.invariants) over the arc1 training tasks.

For every training task: whether the invariant is inferred from the train pairs (and with which
roles), and whether the true test outputs obey it (a violation would make the ranking put a
right answer after the consistent ones). Training tasks only.
Usage: python benchmarks/color_role_census.py
"""
from __future__ import annotations

from synth.analysis.invariants import check_outputs, infer_invariants
from synth.analysis.laws import Laws
from synth.data.datasets import load_dataset
from synth.data.task import Task


def main() -> None:
    inferred = violated = 0
    for task in load_dataset("arc1:train").entries.values():
        if not isinstance(task, Task):
            continue
        challenge = task.challenge()
        inv = infer_invariants(challenge, laws=Laws())
        if not inv.color_roles:
            continue
        ok = check_outputs(inv, challenge, [ex.output for ex in task.test])["color_role"]
        inferred, violated = inferred + 1, violated + (not ok)
        print(task.id, ",".join(inv.color_roles), "obeyed" if ok else "VIOLATED by the answer")
    print(f"tasks with a colour-role law: {inferred}; answers violating it: {violated}")


if __name__ == "__main__":
    main()
