"""The advisor error tree.

::

    AdvisorError                 any problem advisor reports as bad input (exit code 2)
    ├── RequirementsError        a requirements file, row or object is invalid
    ├── CatalogueError           a catalogue file is invalid or inconsistent
    └── RuleError                a rule or rule test file is invalid

Every error carries ``problems``: a list of :class:`Problem` (file, line, field, message),
so one exception can report every mistake in a file at once. ``str(error)`` renders one
line per problem in the form ``FILE:LINE: field.path: what is wrong``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AdvisorError", "CatalogueError", "Problem", "RequirementsError", "RuleError"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as we can."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def render(self) -> str:
        """One line: control characters, line breaks and unpaired surrogates from the input are
        shown escaped, so a problem can never forge a second line or reach the terminal raw."""
        where = ""
        if self.file:
            where = f"{printable(self.file)}:{self.line}: " if self.line else f"{printable(self.file)}: "
        field = f"{printable(self.field)}: " if self.field else ""
        return f"{where}{field}{printable(self.message)}"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with control characters, line separators and lone surrogates escaped
    (``\\n``, ``\\x1b``, ``\\ud800``)."""
    def escape(m: re.Match[str]) -> str:
        c = m.group()
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c) or (
            f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
    return _UNPRINTABLE.sub(escape, str(text))


class AdvisorError(Exception):
    """Base class of every error caused by bad input (never by a bug in advisor)."""

    def __init__(self, problems: list[Problem] | str, *, file: str | Path | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, file=str(file) if file else None)]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(p.render() for p in self.problems))

    @property
    def file(self) -> str | None:
        return self.problems[0].file if self.problems else None

    @property
    def line(self) -> int | None:
        return self.problems[0].line if self.problems else None

    @property
    def field(self) -> str | None:
        return self.problems[0].field if self.problems else None


class RequirementsError(AdvisorError):
    """A requirements file, batch row or object does not match schema version 1."""


class CatalogueError(AdvisorError):
    """A catalogue file (model, licence, publisher, hardware, hosting, vocabulary) is invalid."""


class RuleError(AdvisorError):
    """A rule file or a rule's test cases are invalid."""
