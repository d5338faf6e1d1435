"""The enumerator's cost hook: cost levels, the PCFG prior (leave-one-out) and weighted search."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from dsl.interp import run_program
from dsl.parser import parse_program
from dsl.registry import default_registry
from dsl.types import GRID
from synth.data.golden import DEFAULT_LIBRARY
from synth.data.task import Challenge, Example, make_grid
from synth.learn.guide import SHIPPED_GUIDE
from synth.proposers.base import Pool, ProgramCandidate
from synth.proposers.enumerative import model_samples
from synth.proposers.guidance import (Guidance, guide_path, library_counts, load_guide,
                                     prior_counts, sample_probabilities, trained_only)
from synth.search.costs import (DEFAULT_GUIDE_COSTS, DEFAULT_GUIDE_WEIGHT, CostLevels,
                                cost_levels, mix_probabilities, parse_cost_levels,
                                pcfg_probabilities)
from synth.search.enumerate import EnumConfig, Enumerator
from synth.search.options import task_default_domains
from synth.search.program import program_text


def test_cost_levels_step_down_from_the_likeliest() -> None:
    costs = cost_levels({"a": 0.5, "b": 0.25, "c": 0.1, "d": 0.001}, CostLevels(step=2.0,
                                                                                max_level=3))
    assert costs == {"a": 1, "b": 1, "c": 2, "d": 3}
    assert cost_levels({}) == {}


def test_pcfg_probabilities_smooth_and_normalise() -> None:
    probs = pcfg_probabilities(Counter(a=3), ["a", "b"], smoothing=1.0)
    assert probs == {"a": 0.8, "b": 0.2}
    assert sum(pcfg_probabilities(Counter(), ["x", "y", "z"]).values()) == pytest.approx(1.0)


def test_mix_is_log_linear() -> None:
    mixed = mix_probabilities({"a": 0.25, "b": 0.5}, {"a": 1.0}, 0.5)
    assert mixed["a"] == pytest.approx(0.5) and mixed["b"] == 0.5
    assert mix_probabilities({"a": 0.3}, {"a": 0.9}, 0.0)["a"] == pytest.approx(0.3)


def test_prior_leaves_the_task_own_program_out() -> None:
    stem, own = library_counts((DEFAULT_LIBRARY,))[0]
    with_own = prior_counts((DEFAULT_LIBRARY,), "not-a-task")
    without = prior_counts((DEFAULT_LIBRARY,), stem)
    assert own and with_own - without == own


def test_sample_probabilities_fit_program_texts_and_skip_bad_ones() -> None:
    probs = sample_probabilities(["solve(I: Grid) -> Grid:\n    O = rot90(I)\n",
                                  "solve(I: Grid) -> Grid:\n    O = rot90(flip_h(I))\n",
                                  "this is not a program"])
    assert probs["rot90"] > probs["flip_h"] > probs["transpose"]


def test_guide_flag_values() -> None:
    assert guide_path(None) is None and guide_path("none") is None
    assert str(guide_path("g.npz")) == "g.npz"
    assert guide_path("shipped") == SHIPPED_GUIDE


TARGET = "solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    O = hconcat(x1, I)\n"


def _task() -> Challenge:
    inputs = [make_grid([[1, 2, 0], [3, 4, 0], [0, 5, 5]]),
              make_grid([[5, 0, 6], [0, 6, 7], [7, 7, 1]])]
    outputs = run_program(parse_program(TARGET), inputs)
    return Challenge("t", tuple(Example(i, o) for i, o in zip(inputs, outputs)),
                     (make_grid([[8, 9, 1], [1, 2, 3], [4, 4, 4]]),))


def _first_solution(enumerator: Enumerator, task: Challenge) -> tuple[int, str] | None:
    n = len(task.train)
    for node in enumerator.run(lambda done: done > 200_000):
        if node.type == GRID and all(np.array_equal(v, ex.output)
                                     for v, ex in zip(node.values[:n], task.train)):
            return enumerator.stats.evaluations, program_text(node.expr)
    return None


def test_weighted_costs_change_the_order_and_keep_programs_exact() -> None:
    task = _task()
    uniform = Enumerator(list(task.inputs), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
                         config=EnumConfig(max_cost=3))
    names = [p.name for p in uniform.prims]
    cheap = {name: 3 for name in names} | {"rot90": 1, "hconcat": 1, "flip_v": 1,
                                           "transpose": 1}
    weighted = Enumerator(list(task.inputs), list(range(10)), config=EnumConfig(max_cost=6),
                          costs=cheap)
    plain = _first_solution(uniform, task)
    guided = _first_solution(weighted, task)
    assert plain is not None and guided is not None
    assert guided[0] < plain[0] / 3, (plain, guided)
    for enumerator in (weighted,):
        for level in enumerator.bank.by_type.values():
            for cost, nodes in level.items():
                for node in nodes[:20]:
                    rerun = run_program(parse_program(program_text(node.expr)),
                                        list(task.inputs)) if node.type == GRID else None
                    if rerun is not None:
                        assert all(np.array_equal(a, b) for a, b in zip(rerun, node.values))
                    assert node.cost == cost


def test_an_expensive_primitive_waits_for_its_level() -> None:
    task = _task()
    enumerator = Enumerator(list(task.inputs), [0, 1], config=EnumConfig(max_cost=2),
                            costs={"rot90": 3})
    nodes = list(enumerator.run(lambda done: False))
    assert any(n.cost == 2 and n.type == GRID for n in nodes)
    assert not any("rot90" in program_text(n.expr) for n in nodes if n.type == GRID)
    assert enumerator.cost_of(next(p for p in enumerator.prims if p.name == "rot90")) == 3


def test_guidance_costs() -> None:
    task = _task()
    assert Guidance(cost_model="uniform").costs(task) is None
    costs = Guidance(cost_model="pcfg").costs(task)
    assert costs is not None and min(costs.values()) == 1 and max(costs.values()) > 1
    assert costs["objects"] <= costs["antitranspose"]


def test_task_background_reaches_defaulted_parameters() -> None:
    inputs = [make_grid([[7, 7, 7, 7], [7, 3, 3, 7], [7, 3, 7, 7], [7, 7, 7, 7]]),
              make_grid([[7, 7, 7], [7, 7, 5], [7, 5, 5]])]
    program = "solve(I: Grid) -> Grid:\n    O = gravity(I, 2, bg=7)\n"
    outputs = run_program(parse_program(program), inputs)
    task = Challenge("t", tuple(Example(i, o) for i, o in zip(inputs, outputs)),
                     (make_grid([[7, 1], [7, 7]]),))
    palette = sorted({int(v) for g in task.inputs for v in g.flat})
    plain = Enumerator(list(task.inputs), palette, config=EnumConfig(max_cost=1))
    assert _first_solution(plain, task) is None
    domains = task_default_domains(7)
    assert domains["bg"] == (7,) and task_default_domains(0).get("bg") is None
    widened = Enumerator(list(task.inputs), palette, config=EnumConfig(max_cost=1),
                         default_domains=domains)
    found = _first_solution(widened, task)
    assert found is not None and "bg=orange" in found[1]
    assert np.array_equal(run_program(parse_program(found[1]), list(task.inputs))[2],
                          run_program(parse_program(program), list(task.inputs))[2])


def test_model_samples_in_the_pool_steer_the_costs() -> None:
    task = _task()
    pool = Pool()
    for text in ("solve(I: Grid) -> Grid:\n    x1 = rot90(I)\n    O = hconcat(x1, I)\n",
                 "solve(I: Grid) -> Grid:\n    O = hconcat(rot90(I), I)\n"):
        pool.add(ProgramCandidate(text, "llm", (), (), weight=1.0))
    pool.add(ProgramCandidate("solve(I: Grid) -> Grid:\n    O = antitranspose(I)\n",
                              "enumerative", (), ()))
    samples = model_samples(pool)
    assert len(samples) == 2
    assert Guidance(cost_model="uniform").costs(task) is None
    steered = Guidance(cost_model="uniform").costs(task, samples)
    assert steered is not None
    assert steered["rot90"] == steered["hconcat"] == 1 and steered["antitranspose"] > 1


@pytest.mark.skipif(not SHIPPED_GUIDE.is_file(), reason="no shipped guide")
def test_the_guide_sets_per_task_costs() -> None:
    mirrored = Challenge("m", tuple(Example(g, np.ascontiguousarray(np.hstack([g, g[:, ::-1]])))
                                    for g in (make_grid([[1, 2], [3, 0]]),
                                              make_grid([[5, 5, 0], [0, 6, 7]]))),
                         (make_grid([[1]]),))
    guided = Guidance(cost_model="uniform", guide=SHIPPED_GUIDE)
    costs_a, costs_b = guided.costs(_task()), guided.costs(mirrored)
    assert costs_a is not None and costs_b is not None and costs_a != costs_b
    assert set(costs_a.values()) == {1, 2, 3}
    assert costs_b["mirror_h"] <= costs_b["gravity"]


@pytest.mark.skipif(not SHIPPED_GUIDE.is_file(), reason="no shipped guide")
def test_primitives_the_guide_was_not_trained_on_keep_the_prior() -> None:
    model = load_guide(SHIPPED_GUIDE)
    untrained = sorted(set(default_registry().names()) - set(model.primitive_names))
    assert untrained, "the registry has primitives newer than the shipped guide"
    train = [(ex.input, ex.output) for ex in _task().train]
    kept = trained_only(model.primitive_probabilities(train), model)
    assert set(kept) == set(model.primitive_names)
    guided = Guidance(cost_model="uniform", guide=SHIPPED_GUIDE)
    probabilities = guided.probabilities(_task())
    uniform = 1.0 / len(default_registry().names())
    assert all(probabilities[name] == pytest.approx(uniform) for name in untrained)
    costs = guided.costs(_task())
    assert costs is not None
    assert max(costs[name] for name in untrained) < max(costs.values()), \
        "a primitive newer than the guide is not sent to the top cost level"


@pytest.mark.skipif(not SHIPPED_GUIDE.is_file(), reason="no shipped guide")
def test_the_guide_weight_flag_reaches_the_costs() -> None:
    from synth.proposers.base import SearchOptions
    from synth.proposers.guidance import guidance
    assert guidance(SearchOptions()).guide_weight == DEFAULT_GUIDE_WEIGHT
    light, heavy = (guidance(SearchOptions(guide_weight=w)) for w in (0.25, 1.0))
    assert light.guide_weight == 0.25
    costs_light, costs_heavy = light.costs(_task()), heavy.costs(_task())
    assert costs_light is not None and costs_heavy is not None
    assert sum(costs_light.values()) < sum(costs_heavy.values()), \
        "a lighter guide spreads the primitives over fewer levels"


def test_guide_costs_values_name_a_ratio_or_a_rank_rule() -> None:
    assert parse_cost_levels(DEFAULT_GUIDE_COSTS) == CostLevels()
    assert parse_cost_levels("1.5,4") == CostLevels(step=1.5, max_level=4)
    assert parse_cost_levels("rank:10,40") == CostLevels(ranks=(10, 40))
    for bad in ("2", "2,3,4", "x,3", "2,0", "-1,3", "inf,3", "rank:", "rank:5,0", "rank:a"):
        with pytest.raises(ValueError):
            parse_cost_levels(bad)


def test_rank_levels_bucket_by_rank_and_keep_ties_together() -> None:
    probs = {"a": 0.5, "b": 0.3, "c": 0.3, "d": 0.1, "e": 0.05, "f": 0.01}
    assert cost_levels(probs, CostLevels(ranks=(2, 2))) == {
        "a": 1, "b": 1, "c": 1, "d": 2, "e": 3, "f": 3}
    assert cost_levels(probs, CostLevels(ranks=(1,))) == {
        "a": 1, "b": 2, "c": 2, "d": 2, "e": 2, "f": 2}
    assert set(cost_levels({"x": 0.2, "y": 0.2}, CostLevels(ranks=(1, 1))).values()) == {1}


def test_a_bad_guide_costs_flag_is_exit_2_naming_the_flag(
        capsys: pytest.CaptureFixture[str]) -> None:
    from synth.cli.main import main
    with pytest.raises(SystemExit) as stopped:
        main(["solve", "task.json", "--guide-costs", "2"])
    assert stopped.value.code == 2
    assert "--guide-costs" in capsys.readouterr().err


@pytest.mark.skipif(not SHIPPED_GUIDE.is_file(), reason="no shipped guide")
def test_the_guide_costs_flag_reaches_the_costs() -> None:
    from synth.proposers.base import SearchOptions
    from synth.proposers.guidance import guidance
    assert guidance(SearchOptions()).levels == CostLevels()
    flat, deep = (guidance(SearchOptions(guide_costs=v)) for v in ("2,2", "1,4"))
    costs_flat, costs_deep = flat.costs(_task()), deep.costs(_task())
    assert costs_flat is not None and costs_deep is not None
    assert max(costs_flat.values()) == 2 and max(costs_deep.values()) == 4
    ranked = guidance(SearchOptions(guide_costs="rank:5,20")).costs(_task())
    assert ranked is not None and sum(1 for c in ranked.values() if c == 1) == 5
