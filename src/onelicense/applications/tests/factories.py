"""Building applications in the states the tests need, through the services themselves."""

from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from onelicense.accounts.models import User
from onelicense.applications import services
from onelicense.applications.models import Application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

# A large 朝阳区 restaurant of the small fixture: the food licence and the fire check.
ANSWERS = {"area": 400, "chain": False, "cuisine": "hot"}
FORM = {
    "enterprise_name": "北京味道餐饮有限公司",
    "uscc": "91110000600037341L",
    "legal_representative": "张明",
    "legal_rep_id_number": "11010519491231002X",
    "contact_phone": "13800138000",
    "premises_address": "北京市朝阳区建国路88号",
    "premises_area": "400",
    "food_categories": ["hot"],
    "fire_facilities": "自动喷水灭火系统、火灾自动报警系统",
}
MATERIALS = [
    "business_licence",
    "premises_proof",
    "floor_plan",
    "food_safety_rules",
    "fire_commitment",
]


def pdf_upload(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def draft(
    actor: User, *, industry: str = "restaurant", district: str = "110105", **kwargs: Any
) -> Application:
    return services.application_create(
        actor=actor, industry_code=industry, district_code=district, **kwargs
    )


def filled(actor: User, *, skip: tuple[str, ...] = (), **kwargs: Any) -> Application:
    """A draft with every answer, field and material of the large restaurant."""
    application = draft(actor, **kwargs)
    application = services.application_save(
        application=application, actor=actor, answers=ANSWERS, form_data=FORM
    )
    for code in MATERIALS:
        if code not in skip:
            services.material_upload(
                application=application, actor=actor, material_code=code, upload=pdf_upload()
            )
    return application


def submitted(actor: User, **kwargs: Any) -> Application:
    return services.application_submit(application=filled(actor, **kwargs), actor=actor)


__all__ = ["PNG", "BytesIO", "draft", "filled", "pdf_upload", "submitted"]
