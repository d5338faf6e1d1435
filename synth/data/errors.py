"""Error types for bad user input; each message names the file, the task and the field."""
from __future__ import annotations


class InputError(Exception):
    """Bad input (file, JSON, task structure or dataset name); the CLI exits with code 2."""

    def __init__(self, reason: str, *, file: str | None = None, task_id: str | None = None,
                 field: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.task_id = task_id
        self.field = field
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One line: `FILE: task ID: FIELD: REASON`, omitting parts that are unknown."""
        parts = [p for p in (self.file, f"task {self.task_id}" if self.task_id else None,
                             self.field) if p]
        text = ": ".join(parts + [self.reason])
        return text.replace("\r", "\\r").replace("\n", "\\n")

    def located(self, *, file: str | None = None, task_id: str | None = None) -> InputError:
        """Return a copy with the file and/or task id filled in where they were unknown."""
        return InputError(self.reason, file=self.file or file, task_id=self.task_id or task_id,
                          field=self.field)
