"""Expressions found by search -> canonical straight-line programs."""
from __future__ import annotations

from dsl import ast
from dsl.printer import format_program
from dsl.types import GRID


def flatten(expr: ast.Expr) -> ast.Program:
    """A `solve(I: Grid) -> Grid` program computing a nested expression, one call per line.

    Sub-expressions that are calls become statements `x1, x2, ...` in post-order (shared
    sub-expressions once); lambdas and literals stay inline; the result is assigned to `O`.
    """
    statements: list[ast.Assign] = []
    names: dict[ast.Expr, str] = {}

    def visit(node: ast.Expr) -> ast.Expr:
        if not isinstance(node, ast.Call):
            return node
        args = tuple(visit(a) for a in node.args)
        kwargs = tuple((k, visit(v)) for k, v in node.kwargs)
        call = ast.Call(node.func, args, kwargs)
        if call not in names:
            names[call] = f"x{len(statements) + 1}"
            statements.append(ast.Assign(names[call], call))
        return ast.Var(names[call])

    result = visit(expr)
    if statements and isinstance(result, ast.Var) and result.name == statements[-1].target:
        statements[-1] = ast.Assign("O", statements[-1].expr)
    else:
        statements.append(ast.Assign("O", result))
    return ast.Program((ast.Definition("solve", (("I", GRID),), GRID, tuple(statements)),))


def program_text(expr: ast.Expr) -> str:
    """Canonical text of the program computing `expr`."""
    return format_program(flatten(expr))


def expr_size(expr: ast.Expr) -> int:
    """Description length: calls, variables and literals counted (lambdas included)."""
    if isinstance(expr, ast.Call):
        return 1 + sum(expr_size(a) for a in expr.args) + sum(expr_size(v) for _, v in expr.kwargs)
    if isinstance(expr, ast.Lambda):
        return 1 + expr_size(expr.body)
    if isinstance(expr, ast.ListLit):
        return 1 + sum(expr_size(item) for item in expr.items)
    return 1
