"""Errors of the DSL: parse, type and evaluation errors, each with a source position."""
from __future__ import annotations


class DSLError(Exception):
    """Base class; `line`/`column` are 1-based positions in the program text (0 if unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0, hint: str = "") -> None:
        self.line = line
        self.column = column
        self.hint = hint
        self.bare_message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.bare_message}{hint}"


class DSLParseError(DSLError):
    """The text is not a well-formed program."""


class DSLTypeError(DSLError):
    """The program is well-formed but ill-typed (or names an unknown primitive/variable)."""


class EvalError(DSLError):
    """Evaluation failed inside the language's rules: a primitive's precondition or a budget."""
