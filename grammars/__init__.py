"""Package data: the DSL grammar files (*.lark). Syntax lives only here."""
from importlib import resources


def grammar_text(name: str = "dsl.lark") -> str:
    """Return the text of a grammar file shipped in this package."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
