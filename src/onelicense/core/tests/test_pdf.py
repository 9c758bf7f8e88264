from io import BytesIO
from typing import Any

from pypdf import PdfReader

from onelicense.core import pdf
from onelicense.core.fonts import FONT_NAME, cjk_font


def test_document_styles_are_general_and_use_the_embedded_font() -> None:
    styles = pdf.document_styles()
    assert {"title", "heading", "subheading", "body", "small", "cell"} <= set(styles)
    assert {style.fontName for style in styles.values()} == {cjk_font()} == {FONT_NAME}


def test_a_document_embeds_the_font_and_numbers_its_pages() -> None:
    story = [pdf.text("综合许可凭证", "title"), pdf.text("统一社会信用代码：91110000600037341L")]
    content = pdf.document_build(story, title="测试文书", footer="测试页脚")
    reader = PdfReader(BytesIO(content))
    page = reader.pages[0]
    assert "综合许可凭证" in page.extract_text()
    assert "第 1 页，共 1 页" in page.extract_text()
    fonts: Any = page["/Resources"]["/Font"]  # type: ignore[index]
    embedded = [
        font.get_object()
        for font in fonts.values()
        if "WenQuanYi" in str(font.get_object().get("/BaseFont"))
    ]
    assert embedded, "the CJK font is missing"
    assert "/FontFile2" in embedded[0]["/FontDescriptor"].get_object()  # TrueType outlines
