"""Reads of the catalogue shared by pages, the API and later the one form and reports."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind, District
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
    Parameter,
    Question,
)
from onelicense.catalogue.search import normalise_query
from onelicense.core.errors import DomainError


def version_current() -> CatalogueVersion:
    """The published version in force today (the latest to take effect)."""
    today = timezone.localdate()
    version = (
        CatalogueVersion.objects.filter(
            status=CatalogueVersion.Status.PUBLISHED, valid_from__lte=today
        )
        .exclude(valid_until__lt=today)
        .order_by("-valid_from", "-id")
        .first()
    )
    if version is None:
        raise DomainError("catalogue_not_published", _("暂无已发布的行业目录"), status=404)
    return version


def industry_list(*, version: CatalogueVersion | None = None, query: str = "") -> list[Industry]:
    """Industries of a version in catalogue order; with a query, the matches, best first."""
    version = version or version_current()
    industries = Industry.objects.filter(version=version).select_related("lead_department")
    needle = normalise_query(query)
    if not needle:
        return list(industries)
    matches = list(industries.filter(search_text__icontains=needle))

    def rank(industry: Industry) -> tuple[int, int]:
        name = normalise_query(industry.name)
        if name == needle:
            return (0, industry.order)
        if needle in name:
            return (1, industry.order)
        return (2, industry.order)

    return sorted(matches, key=rank)


def industry_get(
    *, code: str, version: CatalogueVersion | None = None, questions: bool = True
) -> Industry:
    """One industry; with its questions and options loaded unless `questions` is False (the
    plan holds them in memory already)."""
    version = version or version_current()
    rows = Industry.objects.filter(version=version, code=code).select_related(
        "lead_department", "version"
    )
    if questions:
        rows = rows.prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("fills").prefetch_related("options"),
            )
        )
    industry = rows.first()
    if industry is None:
        raise DomainError("industry_not_found", _("未找到该行业"), status=404)
    return industry


def department_name(kind: DepartmentKind, level: str, district: District | None) -> str:
    """The implementing body's name, in a district or in general (区市场监督管理局)."""
    if level == ApprovalItem.Level.CITY or not kind.district_level:
        return kind.city_name
    if district is None:
        return str(kind)
    return f"{district.name}{kind.name}"


def review_body_name(item: ApprovalItem, district: District | None) -> str:
    """行政复议机关 for an item (行政复议法 §24, §27)."""
    if item.review_body_name:
        return item.review_body_name
    if item.review_body == ApprovalItem.ReviewBody.DISTRICT_GOVERNMENT:
        return f"北京市{district.name}人民政府" if district else "所在区人民政府"
    return str(item.get_review_body_display())


@dataclass(frozen=True)
class GuideMaterial:
    material: Material
    required: bool
    deferrable: bool
    condition: str


@dataclass(frozen=True)
class GuideItem:
    link: IndustryItem
    item: ApprovalItem
    department: str
    review_body: str
    materials: list[GuideMaterial]
    elements: list[InfoElement]

    @property
    def condition(self) -> str:
        return self.link.condition

    @property
    def always(self) -> bool:
        return self.link.rule is None


@dataclass(frozen=True)
class MergedMaterial:
    material: Material
    item_names: list[str]
    conditions: list[str]


@dataclass(frozen=True)
class MergedElement:
    element: InfoElement
    item_names: list[str]


@dataclass(frozen=True)
class ReformFigures:
    """The reform's arithmetic for a set of items: separate handling versus one bundle."""

    items: int
    departments: int
    materials_separate: int
    materials_merged: int
    fields_separate: int
    fields_merged: int
    statutory_days_total: int
    promised_days: int

    @staticmethod
    def _cut(before: int, after: int) -> int:
        return round(100 * (before - after) / before) if before else 0

    @property
    def materials_cut_percent(self) -> int:
        return self._cut(self.materials_separate, self.materials_merged)

    @property
    def fields_cut_percent(self) -> int:
        return self._cut(self.fields_separate, self.fields_merged)

    @property
    def days_cut_percent(self) -> int:
        return self._cut(self.statutory_days_total, self.promised_days)


@dataclass(frozen=True)
class Guide:
    """行业综合办事指南：everything an applicant is told once, for one industry."""

    industry: Industry
    district: District | None
    items: list[GuideItem]
    materials: list[MergedMaterial]
    elements: list[MergedElement]
    figures: ReformFigures
    steps: list[dict[str, str]]
    remedies: dict[str, object]
    parameters: dict[str, Decimal] = field(default_factory=dict)


def _items_of(industry: Industry) -> list[IndustryItem]:
    return list(
        IndustryItem.objects.filter(industry=industry)
        .select_related("item__department")
        .prefetch_related(
            Prefetch(
                "item__material_links",
                queryset=ItemMaterial.objects.select_related("material"),
            ),
            Prefetch(
                "item__element_links",
                queryset=ItemElement.objects.select_related("element"),
            ),
        )
    )


def reform_figures(guide_items: Iterable[GuideItem]) -> ReformFigures:
    """Separate: each item handled alone, its own materials and form, days one after another.
    Merged: materials and elements asked once; items decided in parallel, so the bundle's
    promised time is its slowest item's."""
    guide_items = list(guide_items)
    materials = [m.material.code for gi in guide_items for m in gi.materials]
    elements = [e.code for gi in guide_items for e in gi.elements]
    return ReformFigures(
        items=len(guide_items),
        departments=len({(gi.item.department_id, gi.item.level) for gi in guide_items}),
        materials_separate=len(materials),
        materials_merged=len(set(materials)),
        fields_separate=len(elements),
        fields_merged=len(set(elements)),
        statutory_days_total=sum(gi.item.statutory_limit_days for gi in guide_items),
        promised_days=max((gi.item.promised_limit_days for gi in guide_items), default=0),
    )


def guide_items_build(
    links: Iterable[IndustryItem],
    district: District | None,
    include: Callable[[Any], bool] | None = None,
) -> list[GuideItem]:
    """Guide entries for item links; `include` keeps only the materials and elements whose
    own rule holds (the plan passes it; the guide shows everything)."""
    keep = include or (lambda rule: True)
    result = []
    for link in links:
        item = link.item
        result.append(
            GuideItem(
                link=link,
                item=item,
                department=department_name(item.department, item.level, district),
                review_body=review_body_name(item, district),
                materials=[
                    GuideMaterial(ml.material, ml.required, ml.deferrable, ml.condition)
                    for ml in item.material_links.all()
                    if keep(ml.rule)
                ],
                elements=[el.element for el in item.element_links.all() if keep(el.rule)],
            )
        )
    return result


def merge_materials(guide_items: Iterable[GuideItem]) -> list[MergedMaterial]:
    merged: dict[str, MergedMaterial] = {}
    for gi in guide_items:
        for gm in gi.materials:
            entry = merged.setdefault(gm.material.code, MergedMaterial(gm.material, [], []))
            entry.item_names.append(gi.item.name)
            if gm.condition and gm.condition not in entry.conditions:
                entry.conditions.append(gm.condition)
    return list(merged.values())


def merge_elements(guide_items: Iterable[GuideItem]) -> list[MergedElement]:
    merged: dict[str, MergedElement] = {}
    for gi in guide_items:
        for element in gi.elements:
            merged.setdefault(element.code, MergedElement(element, [])).item_names.append(
                gi.item.name
            )
    return sorted(
        merged.values(),
        key=lambda m: (list(InfoElement.Section.values).index(m.element.section), m.element.id),
    )


def parameter_values(version: CatalogueVersion, district: District | None) -> dict[str, Decimal]:
    """Thresholds of a version as they hold in a district (its own value where it set one)."""
    values = {}
    for parameter in Parameter.objects.filter(version=version):
        override = parameter.district_values.get(district.code) if district else None
        values[parameter.code] = Decimal(str(override)) if override is not None else parameter.value
    return values


def guide_build(*, industry: Industry, district: District | None = None) -> Guide:
    """The integrated guide (一次告知) for an industry, optionally as one district runs it."""
    guide_items = guide_items_build(_items_of(industry), district)
    return Guide(
        industry=industry,
        district=district,
        items=guide_items,
        materials=merge_materials(guide_items),
        elements=merge_elements(guide_items),
        figures=reform_figures(guide_items),
        steps=list(industry.version.steps),
        remedies=dict(industry.version.remedies),
        parameters=parameter_values(industry.version, district),
    )


def districts_all() -> QuerySet[District]:
    return District.objects.all()


def district_get(code: str) -> District:
    district = District.objects.filter(code=code).first()
    if district is None:
        raise DomainError("district_not_found", _("未找到该区"), status=404)
    return district


def offering_get(*, district: District, industry_code: str) -> DistrictOffering | None:
    """The district's offering of an industry, if it has gone live (上线) by today."""
    return DistrictOffering.objects.filter(
        district=district, industry_code=industry_code, live_from__lte=timezone.localdate()
    ).first()


def offerings_of(district: District) -> dict[str, DistrictOffering]:
    """Industry code → the district's live offering."""
    return {
        offering.industry_code: offering
        for offering in DistrictOffering.objects.filter(
            district=district, live_from__lte=timezone.localdate()
        )
    }


def offerings_of_industry(industry_code: str) -> dict[int, DistrictOffering]:
    """District id → its live offering of one industry."""
    return {
        offering.district_id: offering
        for offering in DistrictOffering.objects.filter(
            industry_code=industry_code, live_from__lte=timezone.localdate()
        )
    }


def offerings_every(*, district_id: int | None = None) -> dict[tuple[int, str], DistrictOffering]:
    """(district id, industry code) → the offering, live or planned, of every district or one."""
    offerings = DistrictOffering.objects.all()
    if district_id:
        offerings = offerings.filter(district_id=district_id)
    return {(o.district_id, o.industry_code): o for o in offerings}
