"""An accepted Beijing restaurant application, built through the services, for review tests."""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from onelicense.accounts.models import User
from onelicense.applications import services as intake
from onelicense.applications.models import Application
from onelicense.applications.samples import sample_form
from onelicense.applications.selectors import application_plan

PDF = b"%PDF-1.4\n% test material\n%%EOF\n"
# 200 ㎡, not a chain, selling alcohol and tobacco, 50 万元 fit-out: the food business licence
# (市场监管), the fire safety check (消防) and the tobacco retail licence (烟草), in parallel.
RESTAURANT = {
    "area": 200,
    "chain": False,
    "investment": 50,
    "alcohol": True,
    "tobacco": True,
    "outdoor_sign": False,
    "prepaid_card": False,
}


def restaurant_submitted(
    applicant: User, *, seed: int = 1, routes: dict[str, str] | None = None
) -> Application:
    application = intake.application_create(
        actor=applicant, industry_code="restaurant", district_code="110105"
    )
    application = intake.application_save(
        application=application, actor=applicant, answers=RESTAURANT
    )
    plan = application_plan(application)
    application = intake.application_save(
        application=application,
        actor=applicant,
        form_data=sample_form(plan, random.Random(seed)),
        routes=routes,
    )
    for merged in plan.materials:
        intake.material_upload(
            application=application,
            actor=applicant,
            material_code=merged.material.code,
            upload=SimpleUploadedFile(f"{merged.material.code}.pdf", PDF),
        )
    for code, route in (routes or {}).items():
        if route == "commitment":
            intake.commitment_sign(
                application=application, actor=applicant, item_code=code, signer_name="张明"
            )
    return intake.application_submit(application=application, actor=applicant)


def restaurant_accepted(applicant: User, clerk: User, **kwargs: object) -> Application:
    application = restaurant_submitted(applicant, **kwargs)  # type: ignore[arg-type]
    return intake.application_accept(application=application, clerk=clerk)
