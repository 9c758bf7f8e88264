"""The CJK TrueType font that every PDF embeds.

ReportLab embeds (and subsets) TrueType outlines only; Noto CJK ships CFF outlines, so the
platform uses WenQuanYi Zen Hei (Debian `fonts-wqy-zenhei`) or AR PL UMing. The built-in
`STSong-Light` CID font is the last resort: it is not embedded, so the page then depends
on the reader's fonts, and a warning says so.
"""

import logging
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

logger = logging.getLogger(__name__)

FONT_NAME = "OneLicenseCJK"
CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def font_path() -> Path | None:
    configured = getattr(settings, "CJK_FONT_PATH", "")
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            return path
    return None


@cache
def cjk_font() -> str:
    """Register the CJK font with ReportLab once per process and return its name."""
    path = font_path()
    if path is None:
        logger.warning("No TrueType CJK font found; PDFs fall back to the unembedded STSong-Light")
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    font = TTFont(FONT_NAME, str(path), subfontIndex=0)
    # ReportLab copies a table out of the font file on every read, and each PDF's font subsets
    # read the glyph table, ~10 MB in a CJK font: the file never changes, so each table is
    # copied once.
    font.face.get_table = cache(font.face.get_table)
    pdfmetrics.registerFont(font)
    return FONT_NAME


def is_embedded() -> bool:
    return cjk_font() == FONT_NAME
