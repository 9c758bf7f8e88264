"""Writes to the catalogue: import a file as a version, publish it, export it back."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, District
from onelicense.catalogue.codec import Canonical, read_catalogue, write_catalogue
from onelicense.catalogue.models import (
    ApprovalItem,
    CatalogueVersion,
    DistrictOffering,
    Industry,
    IndustryItem,
    InfoElement,
    ItemElement,
    ItemMaterial,
    Material,
    Option,
    Parameter,
    Question,
)
from onelicense.catalogue.search import search_text_for
from onelicense.core.errors import DomainError
from onelicense.core.services import event_record


def catalogue_check(*, text: str, filename: str) -> Canonical:
    """Every check of the import, writing nothing; raises DomainError naming each fault."""
    canonical = read_catalogue(
        text,
        filename=filename,
        department_codes=set(DepartmentKind.objects.values_list("code", flat=True)),
        district_codes=set(District.objects.values_list("code", flat=True)),
    )
    code = canonical["catalogue"]["code"]
    if CatalogueVersion.objects.filter(code=code).exists():
        raise DomainError(
            "catalogue_version_exists",
            f"{filename}：catalogue.code：目录版本“{code}”已存在，请使用新的版本号",
            fields={"catalogue.code": "目录版本已存在"},
            status=409,
        )
    return canonical


@transaction.atomic
def catalogue_import(
    *, text: str, filename: str, publish: bool = False, actor: Any = None
) -> CatalogueVersion:
    """Load a catalogue file as a new version: all of it, or (on any fault) nothing."""
    canonical = catalogue_check(text=text, filename=filename)
    head = canonical["catalogue"]
    version = CatalogueVersion.objects.create(
        code=head["code"],
        title=head["title"],
        valid_from=head["valid_from"],
        valid_until=head["valid_until"],
        source=head["source"],
        steps=canonical["steps"],
        remedies=canonical["remedies"],
        imported_from=filename,
    )
    _load(version, canonical)
    event_record(actor=actor, verb="catalogue_imported", subject=version, data={"file": filename})
    if publish:
        version = catalogue_publish(version=version, actor=actor)
    return version


def _load(version: CatalogueVersion, canonical: Canonical) -> None:
    kinds = {kind.code: kind for kind in DepartmentKind.objects.all()}
    Parameter.objects.bulk_create(
        Parameter(
            version=version,
            code=p["code"],
            label=p["label"],
            value=Decimal(str(p["value"])),
            unit=p["unit"],
            district_values={str(k): str(v) for k, v in p["districts"].items()},
            provenance=p["sources"],
        )
        for p in canonical["parameters"]
    )
    materials = {
        m.code: m
        for m in Material.objects.bulk_create(
            Material(
                version=version,
                code=m["code"],
                name=m["name"],
                form=m["form"],
                note=m["note"],
                provenance=m["sources"],
            )
            for m in canonical["materials"]
        )
    }
    elements = {
        e.code: e
        for e in InfoElement.objects.bulk_create(
            InfoElement(
                version=version,
                code=e["code"],
                label=e["label"],
                type=e["type"],
                section=e["section"],
                unit=e["unit"],
                validation=e["validation"],
                help_text=e["help"],
                provenance=e["sources"],
            )
            for e in canonical["elements"]
        )
    }
    items = {}
    for row in canonical["items"]:
        item = _item_create(version, row, kinds)
        items[item.code] = item
        ItemMaterial.objects.bulk_create(
            ItemMaterial(
                item=item,
                material=materials[link["code"]],
                required=link["required"],
                deferrable=link["deferrable"],
                rule=link["when"],
                condition=link["condition"],
                order=i,
            )
            for i, link in enumerate(row["materials"])
        )
        ItemElement.objects.bulk_create(
            ItemElement(
                item=item,
                element=elements[link["code"]],
                required=link["required"],
                rule=link["when"],
                order=i,
            )
            for i, link in enumerate(row["elements"])
        )
    for order, row in enumerate(canonical["industries"]):
        _industry_create(version, row, order, kinds, items, elements)


def _item_create(
    version: CatalogueVersion, row: dict[str, Any], kinds: dict[str, DepartmentKind]
) -> ApprovalItem:
    permit = row["permit"] or {}
    commitment = row["commitment"]
    return ApprovalItem.objects.create(
        version=version,
        code=row["code"],
        name=row["name"],
        national_code=row["national_code"],
        kind=row["kind"],
        department=kinds[row["department"]],
        level=row["level"],
        legal_basis=row["legal_basis"],
        conditions=row["conditions"],
        statutory_limit_days=row["statutory_limit_days"],
        promised_limit_days=row["promised_limit_days"],
        max_extension_days=row["max_extension_days"],
        fee=row["fee"],
        permit_name=permit.get("name", ""),
        permit_validity_months=permit.get("validity_months"),
        commitment_allowed=commitment is not None,
        commitment_text=commitment["text"] if commitment else "",
        verification_days=commitment["verification_days"] if commitment else None,
        onsite_check=row["onsite_check"],
        review_body=row["review_body"],
        review_body_name=row["review_body_name"],
        provenance=row["sources"],
    )


def _industry_create(
    version: CatalogueVersion,
    row: dict[str, Any],
    order: int,
    kinds: dict[str, DepartmentKind],
    items: dict[str, ApprovalItem],
    elements: dict[str, InfoElement],
) -> Industry:
    industry = Industry.objects.create(
        version=version,
        code=row["code"],
        name=row["name"],
        category=row["category"],
        aliases=row["aliases"],
        keywords=row["keywords"],
        search_text=search_text_for(row["name"], row["aliases"], row["keywords"]),
        lead_department=kinds[row["lead_department"]],
        scope=row["scope"],
        form_mode=row["form_mode"],
        online_depth=row["online_depth"],
        order=order,
        provenance=row["sources"],
    )
    for i, q in enumerate(row["questions"]):
        question = Question.objects.create(
            industry=industry,
            code=q["code"],
            text=q["text"],
            help_text=q["help"],
            type=q["type"],
            unit=q["unit"],
            min_value=None if q["min"] is None else Decimal(str(q["min"])),
            max_value=None if q["max"] is None else Decimal(str(q["max"])),
            show_when=q["show_when"],
            fills=elements.get(q["fills"]) if q["fills"] else None,
            order=i,
        )
        Option.objects.bulk_create(
            Option(question=question, code=o["code"], label=o["label"], order=j)
            for j, o in enumerate(q["options"])
        )
    IndustryItem.objects.bulk_create(
        IndustryItem(
            industry=industry,
            item=items[link["item"]],
            rule=link["when"],
            condition=link["condition"],
            order=i,
        )
        for i, link in enumerate(row["items"])
    )
    return industry


@transaction.atomic
def catalogue_publish(*, version: CatalogueVersion, actor: Any = None) -> CatalogueVersion:
    """Publish a draft: from its valid_from date, new applications are made under it."""
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != CatalogueVersion.Status.DRAFT:
        raise DomainError("catalogue_not_draft", _("只有草稿状态的目录版本可以发布"), status=409)
    version.status = CatalogueVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    event_record(actor=actor, verb="catalogue_published", subject=version)
    return version


def catalogue_export(*, version: CatalogueVersion) -> str:
    """The version as a catalogue file; importing it under a new code recreates the version."""
    return write_catalogue(catalogue_canonical(version=version))


def catalogue_canonical(*, version: CatalogueVersion) -> Canonical:
    """A version in the canonical form that `read_catalogue` produces from its file."""
    items = (
        ApprovalItem.objects.filter(version=version)
        .select_related("department")
        .prefetch_related("material_links__material", "element_links__element")
    )
    industries = (
        Industry.objects.filter(version=version)
        .select_related("lead_department")
        .prefetch_related("questions__options", "questions__fills", "item_links__item")
    )
    return {
        "catalogue": {
            "code": version.code,
            "title": version.title,
            "valid_from": version.valid_from,
            "valid_until": version.valid_until,
            "source": version.source,
        },
        "steps": version.steps,
        "remedies": version.remedies,
        "parameters": [
            {
                "code": p.code,
                "label": p.label,
                "value": p.value,
                "unit": p.unit,
                "districts": {k: Decimal(v) for k, v in p.district_values.items()},
                "sources": p.provenance,
            }
            for p in Parameter.objects.filter(version=version)
        ],
        "materials": [
            {
                "code": m.code,
                "name": m.name,
                "form": m.form,
                "note": m.note,
                "sources": m.provenance,
            }
            for m in Material.objects.filter(version=version)
        ],
        "elements": [
            {
                "code": e.code,
                "label": e.label,
                "type": e.type,
                "section": e.section,
                "unit": e.unit,
                "validation": e.validation,
                "help": e.help_text,
                "sources": e.provenance,
            }
            for e in InfoElement.objects.filter(version=version)
        ],
        "items": [_item_row(item) for item in items],
        "industries": [_industry_row(industry) for industry in industries],
    }


def _item_row(item: ApprovalItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "national_code": item.national_code,
        "kind": item.kind,
        "department": item.department.code,
        "level": item.level,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "statutory_limit_days": item.statutory_limit_days,
        "promised_limit_days": item.promised_limit_days,
        "max_extension_days": item.max_extension_days,
        "fee": item.fee,
        "permit": (
            {"name": item.permit_name, "validity_months": item.permit_validity_months}
            if item.permit_name
            else None
        ),
        "commitment": (
            {"verification_days": item.verification_days, "text": item.commitment_text}
            if item.commitment_allowed
            else None
        ),
        "onsite_check": item.onsite_check,
        "review_body": item.review_body,
        "review_body_name": item.review_body_name,
        "materials": [
            {
                "code": link.material.code,
                "required": link.required,
                "deferrable": link.deferrable,
                "when": link.rule,
                "condition": link.condition,
            }
            for link in item.material_links.all()
        ],
        "elements": [
            {"code": link.element.code, "required": link.required, "when": link.rule}
            for link in item.element_links.all()
        ],
        "sources": item.provenance,
    }


def _industry_row(industry: Industry) -> dict[str, Any]:
    return {
        "code": industry.code,
        "name": industry.name,
        "category": industry.category,
        "aliases": industry.aliases,
        "keywords": industry.keywords,
        "lead_department": industry.lead_department.code,
        "scope": industry.scope,
        "form_mode": industry.form_mode,
        "online_depth": industry.online_depth,
        "questions": [
            {
                "code": q.code,
                "text": q.text,
                "type": q.type,
                "help": q.help_text,
                "unit": q.unit,
                "min": q.min_value,
                "max": q.max_value,
                "options": [{"code": o.code, "label": o.label} for o in q.options.all()],
                "show_when": q.show_when,
                "fills": q.fills.code if q.fills else None,
            }
            for q in industry.questions.all()
        ],
        "items": [
            {"item": link.item.code, "when": link.rule, "condition": link.condition}
            for link in industry.item_links.all()
        ],
        "sources": industry.provenance,
    }


@transaction.atomic
def catalogue_retire(*, version: CatalogueVersion, actor: Any = None) -> CatalogueVersion:
    """Stop offering a published version to new applications; those made under it keep it."""
    version = CatalogueVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != CatalogueVersion.Status.PUBLISHED:
        raise DomainError("catalogue_not_published", _("只有已发布的目录版本可以停用"), status=409)
    version.status = CatalogueVersion.Status.RETIRED
    version.save(update_fields=["status"])
    event_record(actor=actor, verb="catalogue_retired", subject=version)
    return version


def catalogue_copy(
    *, version: CatalogueVersion, code: str | None = None, actor: Any = None
) -> CatalogueVersion:
    """A new draft with the same content, to edit in the admin and publish later."""
    canonical = catalogue_canonical(version=version)
    new_code = code or _next_code(version.code)
    canonical["catalogue"]["code"] = new_code
    return catalogue_import(
        text=write_catalogue(canonical), filename=f"{version.code}（复制）", actor=actor
    )


def _next_code(code: str) -> str:
    existing = set(CatalogueVersion.objects.values_list("code", flat=True))
    n = 2
    while f"{code}-r{n}" in existing:
        n += 1
    return f"{code}-r{n}"


@transaction.atomic
def offerings_open(
    *, districts: Iterable[District], industry_codes: Iterable[str], live_from: datetime.date
) -> int:
    """Put industries live in districts (成熟一批，上线一批) at their catalogue online depth;
    an offering that exists already keeps its own depth and date."""
    depths = dict(
        Industry.objects.filter(code__in=list(industry_codes)).values_list("code", "online_depth")
    )
    districts = list(districts)
    existing = set(
        DistrictOffering.objects.filter(district__in=districts).values_list(
            "district_id", "industry_code"
        )
    )
    new = [
        DistrictOffering(
            district=district, industry_code=code, online_depth=depth, live_from=live_from
        )
        for district in districts
        for code, depth in depths.items()
        if (district.pk, code) not in existing
    ]
    DistrictOffering.objects.bulk_create(new)
    return len(new)
