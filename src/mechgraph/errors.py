"""The one user-facing error, and the diagnostics it carries.

Every problem mechgraph reports to a person is a :class:`Diagnostic`: a place
(``path:line``), a message that names the bad value and what is allowed, and a
severity. A :class:`MechgraphError` carries one or more of them, so that a loader
can report every problem of every file in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. Sorts by path, then line."""

    path: str | None
    line: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        message = _one_line(self.message)
        if self.path is None:  # not about a file: a name on the command line, a missing tool
            return f"{prefix or 'error: '}{message}"
        where = shown_path(self.path)
        where = where if self.line is None else f"{where}:{self.line}"
        return f"{where}: {prefix}{message}"


def shown_path(path: str) -> str:
    """A file name as a message shows it: quoted, with escapes, when it holds a control or
    formatting character, so that a newline in a name cannot forge a second ``file:line:``."""
    return path if path.isprintable() else repr(path)


def _one_line(text: str) -> str:
    """A message is one line of visible text: a newline or control character taken from a
    file name or value is shown escaped (as repr shows it), never obeyed."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class MechgraphError(Exception):
    """A problem a user can fix: bad input, a missing tool, an unwritable folder.

    ``str(error)`` is ``path:line: message`` for each diagnostic, one per line.
    """

    def __init__(
        self,
        message: str = "",
        *,
        path: str | None = None,
        line: int | None = None,
        diagnostics: Iterable[Diagnostic] = (),
    ) -> None:
        diags = tuple(diagnostics)
        if message:
            diags = (Diagnostic(path, line, message),) + diags
        if not diags:
            raise ValueError("MechgraphError needs a message or diagnostics")
        self.diagnostics: tuple[Diagnostic, ...] = diags
        self.message = diags[0].message
        self.path = diags[0].path
        self.line = diags[0].line
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)
