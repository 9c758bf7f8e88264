"""Plain-text tables that stay aligned with Chinese text (a CJK character is two columns)."""

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    """`text` padded to `width` terminal columns, on the right ("<") or the left (">")."""
    gap = " " * max(0, width - display_width(text))
    return text + gap if align == "<" else gap + text


class Layout:
    """Fixed columns, so that rows can be printed one by one as they are measured."""

    def __init__(self, widths: Sequence[int], aligns: str, gap: str = "  ") -> None:
        self.widths = list(widths)
        self.aligns = aligns
        self.gap = gap

    @classmethod
    def fit(cls, rows: Sequence[Sequence[str]], aligns: str, gap: str = "  ") -> "Layout":
        widths = [max(display_width(row[i]) for row in rows) for i in range(len(aligns))]
        return cls(widths, aligns, gap)

    def line(self, cells: Sequence[str]) -> str:
        padded = (pad(c, w, a) for c, w, a in zip(cells, self.widths, self.aligns, strict=True))
        return self.gap.join(padded).rstrip()

    def group(self, spans: Sequence[tuple[int, str]]) -> str:
        """A heading over groups of columns: (how many columns, title), centred."""
        cells, start = [], 0
        for count, title in spans:
            width = sum(self.widths[start : start + count]) + len(self.gap) * (count - 1)
            left = (width - display_width(title)) // 2
            cells.append(pad(" " * max(0, left) + title, width))
            start += count
        return self.gap.join(cells).rstrip()

    def rule(self) -> str:
        return "-" * (sum(self.widths) + len(self.gap) * (len(self.widths) - 1))


def table(rows: Sequence[Sequence[str]], aligns: str) -> list[str]:
    """The rows aligned; the first is the header, underlined."""
    layout = Layout.fit(rows, aligns)
    return [layout.line(rows[0]), layout.rule(), *(layout.line(row) for row in rows[1:])]
