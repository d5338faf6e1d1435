"""The canonical printer: AST -> program text, with `parse(print(ast)) == ast`."""
from __future__ import annotations

from dsl import ast
from dsl.parser import COLOR_NAMES

INDENT = "    "


def format_expr(expr: ast.Expr) -> str:
    """One expression in canonical form (colours by name, `name=value` keywords)."""
    if isinstance(expr, ast.Var):
        return expr.name
    if isinstance(expr, ast.Literal):
        if expr.kind == "bool":
            return "true" if expr.value else "false"
        if expr.kind == "color":
            return COLOR_NAMES[int(expr.value)]
        return str(int(expr.value))
    if isinstance(expr, ast.Call):
        args = [format_expr(a) for a in expr.args]
        args += [f"{name}={format_expr(value)}" for name, value in expr.kwargs]
        return f"{expr.func}({', '.join(args)})"
    if isinstance(expr, ast.ListLit):
        return f"[{', '.join(format_expr(item) for item in expr.items)}]"
    if isinstance(expr, ast.Lambda):
        return f"lambda {', '.join(expr.params)}: {format_expr(expr.body)}"
    raise TypeError(f"not an expression node: {expr!r}")


def format_definition(defn: ast.Definition) -> str:
    """A definition: header line then one indented statement per line."""
    params = ", ".join(f"{name}: {typ}" for name, typ in defn.params)
    prefix = "" if defn.name == "solve" else "def "
    lines = [f"{prefix}{defn.name}({params}) -> {defn.returns}:"]
    lines += [f"{INDENT}{stmt.target} = {format_expr(stmt.expr)}" for stmt in defn.body]
    return "\n".join(lines) + "\n"


def format_program(program: ast.Program) -> str:
    """A whole program; definitions separated by a blank line."""
    return "\n".join(format_definition(d) for d in program.definitions)
