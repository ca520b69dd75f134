"""Text with headings and bullets whose wrapped lines hang under the first (Rich renderables)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text


class Prose:
    """Build a page line by line: ``heading()``, ``line()``, ``bullet()``; ``render()`` gives a Group."""

    def __init__(self) -> None:
        self.parts: list[RenderableType] = []

    def heading(self, text: str, *, gap: bool = True) -> Prose:
        self.parts.append(Text(("\n" if gap and self.parts else "") + text, style="bold underline"))
        return self

    def line(self, text: str | Text, style: str = "") -> Prose:
        self.parts.append(text if isinstance(text, Text) else Text(text, style=style))
        return self

    def bullet(self, text: str | Text, *, mark: str = "•", indent: int = 2, style: str = "") -> Prose:
        grid = Table.grid(padding=0)
        grid.add_column(width=indent + len(mark) + 1, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(" " * indent + mark, text if isinstance(text, Text) else Text(text, style=style))
        self.parts.append(grid)
        return self

    def render(self) -> Group:
        return Group(*self.parts)

    def plain(self) -> str:
        """The text without layout (for tests and searching)."""
        out = []
        for part in self.parts:
            if isinstance(part, Text):
                out.append(part.plain)
            elif isinstance(part, Table):
                cells = [c for col in part.columns for c in col._cells]
                out.append(" ".join(c.plain if isinstance(c, Text) else str(c) for c in cells))
        return "\n".join(out)


from textual.widgets import Static


class ProseView(Static):
    """A Static showing a Prose page (or plain text), remembering its plain text."""

    plain_text: str = ""

    def show(self, content: Prose | str | Text | RenderableType, plain: str | None = None) -> None:
        if plain is not None:
            self.plain_text = plain
            self.update(content)
        elif isinstance(content, Prose):
            self.plain_text = content.plain()
            self.update(content.render())
        else:
            self.plain_text = content.plain if isinstance(content, Text) else content
            self.update(content)
