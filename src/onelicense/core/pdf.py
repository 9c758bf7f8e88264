"""The shell every PDF of the platform is built in: A4, the embedded CJK font, page numbers.

The guide, the acceptance receipt and the certificate all use `document_styles()`, `text()`,
`grid()` and `document_build()`, so that they read the same on any machine.
"""

from collections.abc import Iterable, Sequence
from functools import cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from onelicense.core.fonts import cjk_font

PLATFORM_NAME = "北京市“一业一证”服务平台"
RED = colors.HexColor("#8a1a1a")
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
PANEL = colors.HexColor("#f3f2f1")
MARGIN = 18 * mm
FRAME_PADDING = 6  # points; platypus frames pad their content on each side
CONTENT_WIDTH = A4[0] - 2 * MARGIN - 2 * FRAME_PADDING


# --- Styles and the document shell, reusable by every PDF --------------------------------


@cache
def document_styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in the embedded CJK font, for any document of the platform:
    title, subtitle, heading, subheading, body, small, cell and cell_head (table cells)."""
    font = cjk_font()
    body = ParagraphStyle(
        "body", fontName=font, fontSize=10, leading=15, wordWrap="CJK", spaceAfter=4
    )
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=11,
            leading=16,
            alignment=TA_CENTER,
            textColor=GREY,
            spaceAfter=10,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=14,
            leading=20,
            textColor=RED,
            spaceBefore=12,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "subheading": ParagraphStyle(
            "subheading",
            parent=body,
            fontSize=11.5,
            leading=17,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=11, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=13, spaceAfter=0),
        "cell_head": ParagraphStyle(
            "cell_head", parent=body, fontSize=9, leading=13, spaceAfter=0, textColor=GREY
        ),
    }


def text(value: object, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    markup = escape(str(value)).replace("\n", "<br/>")
    return Paragraph(markup, document_styles()[style])


def grid(
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    *,
    header: bool = False,
    shaded_first_column: bool = False,
) -> Table:
    """A table with thin rules; strings become `cell` paragraphs so that they wrap."""
    cells = [
        [
            text(cell, "cell_head" if header and i == 0 else "cell")
            if isinstance(cell, str)
            else cell
            for cell in row
        ]
        for i, row in enumerate(rows)
    ]
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), PANEL))
    if shaded_first_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), PANEL))
    return Table(
        cells, colWidths=list(widths), repeatRows=1 if header else 0, style=TableStyle(commands)
    )


def _numbered_canvas(footer: str) -> type[Canvas]:
    """A canvas that holds its pages until the end, so each can say 第 n 页 共 m 页."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self._decorate(number, len(self._pages))
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = A4
            left, right = MARGIN + FRAME_PADDING, width - MARGIN - FRAME_PADDING
            self.saveState()
            self.setStrokeColor(RED)
            self.setLineWidth(1.5)
            self.line(left, height - 12 * mm, right, height - 12 * mm)
            self.setFont(cjk_font(), 8)
            self.setFillColor(GREY)
            self.drawString(left, 10 * mm, footer)
            self.drawRightString(
                right, 10 * mm, _("第 %(n)s 页，共 %(m)s 页") % {"n": number, "m": total}
            )
            self.restoreState()

    return NumberedCanvas


def document_build(story: Iterable[Flowable], *, title: str, footer: str) -> bytes:
    """Lay out an A4 document with the platform's footer and page numbers."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        initialFontName=cjk_font(),
        author=PLATFORM_NAME,
        creator=PLATFORM_NAME,
        lang="zh-CN",
    )
    document.build(list(story), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


# --- The guide ---------------------------------------------------------------------------
