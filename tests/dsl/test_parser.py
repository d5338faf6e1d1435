"""Parser, printer and type checker: round trips, friendly errors, and fuzzing."""
from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.errors import DSLParseError, DSLTypeError
from dsl.generate import random_program
from dsl.parser import parse_expr, parse_program
from dsl.printer import format_program
from dsl.registry import default_registry
from dsl.typecheck import check_program
from dsl.types import GRID, OBJECTS, parse_type

EXAMPLE = """\
# keep the largest object
solve(I: Grid) -> Grid:
    x1 = rot90(I)   # a comment
    O = flip_h(x1)
"""


def test_parse_example_positions() -> None:
    program = parse_program(EXAMPLE)
    defn = program.entry
    assert defn.name == "solve" and defn.params == (("I", GRID),) and defn.returns == GRID
    assert [s.target for s in defn.body] == ["x1", "O"]
    assert defn.body[0].pos == ast.Pos(3, 5)
    assert defn.body[1].expr == ast.Call("flip_h", (ast.Var("x1"),))


def test_literals_keywords_lambdas_and_defs() -> None:
    text = ("def helper(g: Grid, c: Color) -> Objects:\n    x = f(g, -1, true, c=red, d=3)\n\n"
            "solve(I: Grid) -> Grid:\n    y = map(x, lambda o, p: g(o, blue))\n")
    program = parse_program(text)
    helper = program.get("helper")
    assert helper is not None and helper.returns == OBJECTS
    call = helper.body[0].expr
    assert isinstance(call, ast.Call)
    assert call.args == (ast.Var("g"), ast.Literal(-1, "int"), ast.Literal(True, "bool"))
    assert call.kwargs == (("c", ast.Literal(2, "color")), ("d", ast.Literal(3, "int")))
    lam = program.entry.body[0].expr.args[1]
    assert lam == ast.Lambda(("o", "p"), ast.Call("g", (ast.Var("o"), ast.Literal(1, "color"))))
    assert parse_program(format_program(program)) == program


def test_parse_expr() -> None:
    assert parse_expr("rot90(I)") == ast.Call("rot90", (ast.Var("I"),))


@pytest.mark.parametrize("text, line, fragment", [
    ("solve(I: Grid) -> Grid:\n    x1 = rot90(I,\n", 2, "unexpected"),
    ("solve(I: Grd) -> Grid:\n    x = rot90(I)\n", 1, "did you mean Grid?"),
    ("solve(I: Grid) -> Grid:\n    x = rot90(I) $\n", 2, "unexpected character '$'"),
    ("solve(I: Grid) -> Grid:\nx = rot90(I)\n", 2, "expected"),
    ("solve(I: Grid) -> Grid:\n    red = rot90(I)\n", 2, "colour name"),
    ("solve(I: Grid) -> Grid:\n    x = f(a=1, I)\n", 2, "positional argument after keyword"),
])
def test_parse_errors_are_positioned(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DSLParseError) as info:
        parse_program(text)
    assert info.value.line == line
    assert fragment in str(info.value)


HEADER = "solve(I: Grid) -> Grid:\n"


@pytest.mark.parametrize("body, line, column, message", [
    ("    x1 = objects(I, connect=8\n    O = crop(I, bbox(x1))\n", 2, 30,
     "missing ')' to close '(' opened at column 17 (unexpected 'O' on line 3)"),
    ("    x1 = rot90(I", 2, 17,
     "missing ')' to close '(' opened at column 15 (unexpected end of program)"),
    ("    x1 = f(g(h(I)\n    O = x1\n", 2, 18,
     "missing ')' to close '(' opened at column 13 (unexpected 'O' on line 3)"),
    ("    x1 = f(I,  # a (comment\n           g(I)\n    O = x1\n", 3, 16,
     "missing ')' to close '(' opened at line 2, column 11 (unexpected 'O' on line 4)"),
    ("    x1 = stack_h([I, I\n    O = x1\n", 2, 23,
     "missing ']' to close '[' opened at column 18 (unexpected 'O' on line 3)"),
    ("    x1 = stack_h([I, I)\n", 2, 23,
     "missing ']' to close '[' opened at column 18 (unexpected ')')"),
    ("    x1 = rot90(I]\n", 2, 17, "missing ')' to close '(' opened at column 15 "
                                  "(unexpected ']')"),
    ("    x1 = rot90(I))\n", 2, 18, "unmatched ')' (no '(' is open here)"),
    ("    x1 = rot90(I)]\n", 2, 18, "unmatched ']' (no '[' is open here)"),
])
def test_bracket_errors_point_where_the_bracket_is_missing(body: str, line: int, column: int,
                                                           message: str) -> None:
    with pytest.raises(DSLParseError) as info:
        parse_program(HEADER + body)
    assert str(info.value) == f"line {line}, column {column}: {message}"
    assert (info.value.line, info.value.column) == (line, column)


def test_bracket_errors_in_headers_and_other_errors_inside_brackets() -> None:
    with pytest.raises(DSLParseError, match=r"^line 1, column 19: missing '\]' to close '\['"
                                            r" opened at column 14 \(unexpected '\)'\)$"):
        parse_program("solve(I: List[Grid) -> Grid:\n    O = rot90(I)\n")
    with pytest.raises(DSLParseError) as info:   # not a missing ')': an argument is wrong
        parse_program(HEADER + "    x1 = hconcat(I,\n                 = 3)\n")
    assert (info.value.line, info.value.column) == (3, 18)
    assert str(info.value).startswith("line 3, column 18: unexpected '='")


def test_brackets_may_span_lines() -> None:
    program = parse_program(HEADER + "    x1 = hconcat(I,  # (\n        rot90(I))\n"
                            "    O = stack_h([x1,\n                 x1])\n")
    check_program(program)
    assert [s.target for s in program.entry.body] == ["x1", "O"]


@pytest.mark.parametrize("text, fragment", [
    ("solve(I: Grid) -> Grid:\n    x = rot9(I)\n", "unknown primitive 'rot9' (did you mean rot90?)"),
    ("solve(I: Grid) -> Grid:\n    x = rot90(I, I)\n", "takes 1 argument(s), got 2"),
    ("solve(I: Grid) -> Grid:\n    x = rot90(3)\n", "rot90() argument 'grid': expected Grid, found Int"),
    ("solve(I: Grid) -> Grid:\n    x = rot90(y)\n", "unknown variable 'y'"),
    ("solve(I: Grid) -> Grid:\n    x = rot90(I)\n    x = rot90(x)\n", "assigned twice"),
    ("solve(I: Grid) -> Color:\n    x = rot90(I)\n", "expected Color, found Grid"),
])
def test_type_errors_name_line_primitive_and_types(text: str, fragment: str) -> None:
    with pytest.raises(DSLTypeError) as info:
        check_program(parse_program(text))
    assert info.value.line >= 2
    assert fragment in str(info.value)


def test_parse_type_strings() -> None:
    assert str(parse_type("(List[T], (T) -> Int) -> T")) == "(List[T], (T) -> Int) -> T"
    assert parse_type("Objects") == parse_type("List[Object]")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(1, 6))
def test_round_trip_generated_programs(seed: int, length: int) -> None:
    program = random_program(random.Random(seed), default_registry(), length)
    check_program(program)
    text = format_program(program)
    assert parse_program(text) == program
    assert format_program(parse_program(text)) == text


def _mutate(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(3)
        i = rng.randrange(len(chars) + 1)
        if op == 0 and chars:
            del chars[min(i, len(chars) - 1)]
        elif op == 1:
            chars.insert(i, rng.choice("()=,:_ \n\tax1-9#[]>\\\"'"))
        elif chars:
            j = rng.randrange(len(chars))
            chars[min(i, len(chars) - 1)], chars[j] = chars[j], chars[min(i, len(chars) - 1)]
    return "".join(chars)


def _parse_and_check(text: str) -> None:
    try:
        check_program(parse_program(text))
    except (DSLParseError, DSLTypeError) as err:
        assert err.line >= 1 and err.column >= 1, f"error without position: {err!r}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_fuzz_mutated_programs_raise_only_positioned_dsl_errors(seed: int) -> None:
    rng = random.Random(seed)
    text = format_program(random_program(rng, default_registry(), rng.randint(1, 5)))
    _parse_and_check(_mutate(text, rng))


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("solve(I: Grid)->:\n x=rot90,_#1 lambda")),
                    max_size=80))
def test_fuzz_random_text_raises_only_positioned_dsl_errors(text: str) -> None:
    _parse_and_check(text)


# --- Color is a subtype of Int (widened in covariant positions when unification fails) -----

def _run_one(text: str, grid: list[list[int]]):
    import numpy as np

    from dsl.interp import run_program
    program = parse_program(text)
    check_program(program)
    [out] = run_program(program, [np.array(grid, dtype=np.uint8)])
    return out


def test_color_function_accepted_where_int_function_expected() -> None:
    grid = [[1, 0, 5], [0, 0, 0], [3, 0, 3]]
    for key in ("lambda o: obj_color(o)", "obj_color"):
        text = f"solve(I: Grid) -> Object:\n    x1 = objects(I)\n    O = argmax(x1, {key})\n"
        assert _run_one(text, grid).colors.max() == 5
        text = f"solve(I: Grid) -> Objects:\n    x1 = objects(I)\n    O = sort_by(x1, {key})\n"
        assert [o.colors.max() for o in _run_one(text, grid)] == [1, 3, 3, 5]


@pytest.mark.parametrize("call", ["eq(3, c)", "eq(c, 3)", "gt(c, 2)", "eq(add(c, 0), c)"])
def test_color_value_accepted_where_int_expected(call: str) -> None:
    text = f"solve(I: Grid) -> Bool:\n    c = most_common_color(I)\n    O = {call}\n"
    types = check_program(parse_program(text))["solve"].types
    assert str(types["c"]) == "Color" and str(types["O"]) == "Bool"
    assert _run_one(text, [[3, 3, 1]]) is True
    assert _run_one(text, [[1, 1, 3]]) is (call == "eq(add(c, 0), c)")


def test_color_widening_keeps_inferred_types() -> None:
    text = ("solve(I: Grid) -> Int:\n    x1 = colors_of(I)\n    x2 = [3, red]\n"
            "    x3 = [red, 3]\n    x4 = count(x1)\n    O = bg_color(I)\n")
    types = check_program(parse_program(text))["solve"].types
    assert {k: str(v) for k, v in types.items() if k != "I"} == {
        "x1": "List[Color]", "x2": "List[Int]", "x3": "List[Color]", "x4": "Int", "O": "Color"}
    assert _run_one(text, [[0, 4, 4]]) == 4


@pytest.mark.parametrize("body, fragment", [
    ("x = rot90(3)", "rot90() argument 'grid': expected Grid, found Int"),
    ("x = rot90(red)", "rot90() argument 'grid': expected Grid, found Color"),
    ("x = replace(I, 1, count(objects(I)))", "replace() argument 'target': expected Color, "
                                             "found Int"),  # Int is not a Color
    ("x = map(range(3), lambda c: replace(I, c, 1))", "expected Color, found Int"),
    ("x = filter(objects(I), obj_color)", "expected (Object) -> Bool, found (Object) -> Color"),
    ("x = map_colors(I, range(3), colors_of(I))", "expected List[Color], found List[Int]"),
])
def test_color_widening_is_one_way_and_covariant(body: str, fragment: str) -> None:
    with pytest.raises(DSLTypeError) as info:
        check_program(parse_program(f"solve(I: Grid) -> Grid:\n    {body}\n"))
    assert info.value.line == 2 and fragment in str(info.value)


def test_generic_primitive_assigned_as_a_value() -> None:
    program = parse_program("solve(I: Grid) -> Grid:\n    f = identity\n    O = apply(f, I)\n")
    types = check_program(program)["solve"].types
    assert str(types["f"]).startswith("(") and types["O"] == GRID
