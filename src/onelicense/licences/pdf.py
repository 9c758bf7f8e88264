"""The certificate's face as an A4 PDF: 综合许可凭证, with its QR code and the district's seal.

The red seal is drawn on the page; the digital signature (`seal.py`) is placed over it, so that
the visible stamp and the PAdES signature are one mark, as with a paper seal and a signature.
"""

from io import BytesIO
from typing import Any

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from onelicense.core.fonts import cjk_font
from onelicense.core.pdf import RED, RULE, document_styles
from onelicense.licences.models import Certificate

WIDTH, HEIGHT = A4
MARGIN = 20 * mm
# Where the seal sits; seal.py puts the signature field on the same box.
SEAL_BOX = (WIDTH - MARGIN - 48 * mm, 30 * mm, WIDTH - MARGIN - 6 * mm, 72 * mm)
NOTICE = (
    "本凭证作为市场主体取得相关经营许可的凭证，不替代相关单项审批证件。各单项审批事项由所列实施部门"
    "依法实施并负责；对单项审批决定不服的，可自知道该行政行为之日起六十日内向所列复议机关申请行政复议，"
    "或自知道之日起六个月内向有管辖权的人民法院提起行政诉讼。扫描二维码可查询各单项证件的实时状态。"
    "本凭证在本市范围内互认通用。"
)


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector shapes (sharp at any zoom, decodable from the rendered page): each
    row's runs of dark modules become one rectangle, all in a single path, drawn in units of
    one module so that every coordinate is a small integer."""
    # A fixed mask pattern: segno would otherwise try all eight to score them (~4× slower);
    # any mask decodes, the scoring only tunes contrast. Level M (15% of the code may be
    # lost), as asked: segno would otherwise raise the level while the version allows, and
    # compute the larger error correction (~40% of the encoding).
    code = segno.make(url, error="m", micro=False, mask=2, boost_error=False)
    matrix = [bytes(row) for row in code.matrix]
    side = len(matrix) + 8  # with the quiet zone of four modules
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.translate(x, y)
    canvas.scale(size / side, size / side)
    path = canvas.beginPath()
    for row, line in enumerate(matrix):
        bottom = side - 5 - row
        col, width = 0, len(line)
        while col < width:
            start = line.find(1, col)
            if start < 0:
                break
            end = line.find(0, start)
            col = width if end < 0 else end
            path.rect(start + 4, bottom, col - start, 1)
    canvas.setFillColor(colors.black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()


def _seal(canvas: Canvas, issuer: str) -> None:
    x1, y1, x2, y2 = SEAL_BOX
    cx, cy, r = (x1 + x2) / 2, (y1 + y2) / 2, (x2 - x1) / 2 - 1 * mm
    font = cjk_font()
    canvas.saveState()
    canvas.setStrokeColor(RED)
    canvas.setFillColor(RED)
    canvas.setLineWidth(2.2)
    canvas.circle(cx, cy, r, stroke=1, fill=0)
    canvas.setFont(font, 26)
    canvas.drawCentredString(cx, cy - 9, "★")
    # The issuer's name around the upper arc, one character at a time.
    canvas.setFont(font, 10.5)
    chars = list(issuer)
    span = 220.0
    for i, char in enumerate(chars):
        angle = 90 + span / 2 - span * (i + 0.5) / len(chars)
        canvas.saveState()
        canvas.translate(cx, cy)
        canvas.rotate(angle - 90)
        canvas.drawCentredString(0, r - 13, char)
        canvas.restoreState()
    canvas.setFont(font, 8)
    canvas.drawCentredString(cx, cy - 22, "综合许可专用章")
    canvas.restoreState()


def _table(rows: list[list[Any]], widths: list[float], font: str) -> Table:
    styles = document_styles()
    body = [[Paragraph(str(cell), styles["cell"]) for cell in row] for row in rows]
    table = Table(body, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def certificate_pdf(certificate: Certificate, qr_url: str) -> bytes:
    """One A4 page: title, holder, items with permits, 未许可事项, issuer and date, QR, notice."""
    face = certificate.face
    font = cjk_font()
    styles = document_styles()
    out = BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"综合许可凭证 {face['number']}")
    canvas.setAuthor(face["issuer"])
    canvas.setSubject(certificate.identifier)
    # The QR code's address, also as text: an offline checker reads it without rendering.
    canvas.setKeywords(qr_url)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, WIDTH - 24 * mm, HEIGHT - 24 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(14 * mm, 14 * mm, WIDTH - 28 * mm, HEIGHT - 28 * mm)
    canvas.setFillColor(RED)
    canvas.setFont(font, 28)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 42 * mm, "综合许可凭证")
    canvas.setFillColor(colors.black)
    canvas.setFont(font, 9)
    canvas.drawCentredString(
        WIDTH / 2, HEIGHT - 50 * mm, f"编号：{face['number']}（第 {face['version']} 版）"
    )
    canvas.setFont(font, 7)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - 55 * mm, f"电子证照标识：{certificate.identifier}")

    qr_size = 34 * mm
    _qr(canvas, qr_url, WIDTH - MARGIN - qr_size, HEIGHT - 97 * mm, qr_size)
    canvas.setFont(font, 7)
    canvas.drawCentredString(
        WIDTH - MARGIN - qr_size / 2, HEIGHT - 101 * mm, "扫码查询各证件实时状态"
    )

    identity = [
        ("统一社会信用代码", face["uscc"]),
        ("名称", face["holder"]),
        ("法定代表人（负责人）", face["legal_representative"]),
        ("经营场所", face["premises"]),
        ("行业", face["industry"]),
    ]
    y = HEIGHT - 66 * mm
    for label, value in identity:
        canvas.setFont(font, 10)
        canvas.drawString(MARGIN + 2 * mm, y, f"{label}：")
        para = Paragraph(str(value), styles["body"])
        _, h = para.wrap(WIDTH - 2 * MARGIN - qr_size - 42 * mm, 40 * mm)
        para.drawOn(canvas, MARGIN + 38 * mm, y - h + 10)
        y -= max(h, 12) + 3

    usable = WIDTH - 2 * MARGIN - 4 * mm
    rows = [["许可事项", "单项证件及编号", "实施部门", "有效期"]] + [
        [
            row["item"],
            f"{row['permit']}<br/>{row['number']}",
            row["department"],
            f"{row['valid_from']} 至 {row['valid_until'] or '长期'}",
        ]
        for row in face["licensed"]
    ]
    table = _table(rows, [usable * 0.30, usable * 0.30, usable * 0.20, usable * 0.20], font)
    y = min(y, HEIGHT - 110 * mm) - 4 * mm
    _, h = table.wrap(usable, y)
    table.drawOn(canvas, MARGIN + 2 * mm, y - h)
    y -= h + 6 * mm
    if face["unlicensed"]:
        rows = [["未许可事项", "实施部门"]] + [
            [row["item"], row["department"]] for row in face["unlicensed"]
        ]
        table = _table(rows, [usable * 0.6, usable * 0.4], font)
        _, h = table.wrap(usable, y)
        table.drawOn(canvas, MARGIN + 2 * mm, y - h)
        y -= h + 6 * mm

    notice = Paragraph(NOTICE, styles["small"])
    _, h = notice.wrap(usable - 50 * mm, 60 * mm)
    notice.drawOn(canvas, MARGIN + 2 * mm, 36 * mm)
    canvas.setFont(font, 11)
    canvas.drawRightString(SEAL_BOX[0] - 4 * mm, 62 * mm, f"发证机关：{face['issuer']}")
    canvas.drawRightString(SEAL_BOX[0] - 4 * mm, 55 * mm, f"发证日期：{face['issued_on']}")
    _seal(canvas, face["issuer"])
    canvas.showPage()
    canvas.save()
    return out.getvalue()
