"""The catalogue: industries, approval items, materials, information elements, questions.

Everything a rule of the reform needs is data here, held per catalogue version so that an
application stays pinned to the version it was made under.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onelicense.accounts.models import DepartmentKind


class CatalogueVersion(models.Model):
    """目录版本：one edition of the whole catalogue, draft until published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        RETIRED = "retired", _("已停用")

    code = models.SlugField(_("版本号"), max_length=40, unique=True)
    title = models.CharField(_("标题"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    valid_from = models.DateField(_("生效日期"))
    valid_until = models.DateField(_("失效日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=500, blank=True)
    steps = models.JSONField(_("办理流程"), default=list, blank=True)
    remedies = models.JSONField(_("救济途径"), default=dict, blank=True)
    imported_from = models.CharField(_("导入文件"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目录版本")
        verbose_name_plural = _("目录版本")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="catalogue_version_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        today = day or timezone.localdate()
        return (
            self.status == self.Status.PUBLISHED
            and self.valid_from <= today
            and (self.valid_until is None or today <= self.valid_until)
        )


class VersionedModel(models.Model):
    """A row of one catalogue version, known by a code unique within that version."""

    version = models.ForeignKey(
        CatalogueVersion, verbose_name=_("目录版本"), on_delete=models.CASCADE
    )
    code = models.SlugField(_("代码"), max_length=60)
    provenance = models.JSONField(_("来源"), default=dict, blank=True)

    class Meta:
        abstract = True

    def source_of(self, field: str) -> str:
        """Where a fact comes from: the field's own source, else the entry's, else 'assumed'."""
        return str(self.provenance.get(field) or self.provenance.get("*") or "assumed")


class Parameter(VersionedModel):
    """阈值参数：a threshold used by applicability rules, which a district may set otherwise."""

    label = models.CharField(_("名称"), max_length=80)
    value = models.DecimalField(_("取值"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    district_values = models.JSONField(_("各区取值"), default=dict, blank=True)

    class Meta:
        verbose_name = _("阈值参数")
        verbose_name_plural = _("阈值参数")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="parameter_code_per_version")
        ]

    def __str__(self) -> str:
        return self.label


class Material(VersionedModel):
    """申请材料：a document asked for, defined once and shared by the items that need it."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("原件")
        COPY = "copy", _("复印件")
        ORIGINAL_AND_COPY = "original_and_copy", _("原件及复印件")
        ELECTRONIC = "electronic", _("电子文件")

    name = models.CharField(_("名称"), max_length=120)
    form = models.CharField(_("形式"), max_length=20, choices=Form.choices, default=Form.COPY)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="material_code_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class InfoElement(VersionedModel):
    """信息要素：one fact of the smallest grain that a form asks, defined once."""

    class Type(models.TextChoices):
        TEXT = "text", _("文本")
        TEXTAREA = "textarea", _("多行文本")
        INTEGER = "integer", _("整数")
        DECIMAL = "decimal", _("数值")
        DATE = "date", _("日期")
        CHOICE = "choice", _("单选")
        MULTICHOICE = "multichoice", _("多选")
        BOOLEAN = "boolean", _("是/否")
        PHONE = "phone", _("手机号码")
        USCC = "uscc", _("统一社会信用代码")
        ID_NUMBER = "id_number", _("居民身份证号码")
        ADDRESS = "address", _("地址")

    class Section(models.TextChoices):
        ENTERPRISE = "enterprise", _("主体信息")
        PREMISES = "premises", _("经营场所")
        OPERATIONS = "operations", _("经营项目")
        PERSONNEL = "personnel", _("人员")
        FACILITIES = "facilities", _("设施设备")
        MANAGEMENT = "management", _("管理制度")

    label = models.CharField(_("名称"), max_length=80)
    type = models.CharField(_("类型"), max_length=12, choices=Type.choices, default=Type.TEXT)
    section = models.CharField(_("分组"), max_length=12, choices=Section.choices)
    validation = models.JSONField(_("校验规则"), default=dict, blank=True)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("信息要素")
        verbose_name_plural = _("信息要素")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="element_code_per_version")
        ]

    def __str__(self) -> str:
        return self.label


class ApprovalItem(VersionedModel):
    """行政审批事项：one approval of one department, with its law, limits and remedies."""

    class Kind(models.TextChoices):
        LICENCE = "licence", _("行政许可")
        FILING = "filing", _("备案")

    class Level(models.TextChoices):
        DISTRICT = "district", _("区级")
        CITY = "city", _("市级")

    class ReviewBody(models.TextChoices):
        # 行政复议法 (2023) §24: a district department's act is reviewed by the district
        # government, a city department's by the city government; §27: vertical bodies by
        # the body one level up.
        DISTRICT_GOVERNMENT = "district_government", _("所在区人民政府")
        CITY_GOVERNMENT = "city_government", _("北京市人民政府")
        SUPERIOR_AUTHORITY = "superior_authority", _("上一级主管部门")

    name = models.CharField(_("名称"), max_length=120)
    national_code = models.CharField(_("国家基本编码"), max_length=20, blank=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices, default=Kind.LICENCE)
    department = models.ForeignKey(
        DepartmentKind, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(
        _("实施层级"), max_length=10, choices=Level.choices, default=Level.DISTRICT
    )
    legal_basis = models.TextField(_("设定依据"))
    conditions = models.TextField(_("受理条件"), blank=True)
    statutory_limit_days = models.PositiveSmallIntegerField(_("法定时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    max_extension_days = models.PositiveSmallIntegerField(_("可延长（工作日）"), default=0)
    fee = models.CharField(_("收费"), max_length=120, default="不收费")
    permit_name = models.CharField(_("证件名称"), max_length=120, blank=True)
    permit_validity_months = models.PositiveSmallIntegerField(
        _("证件有效期（月）"), null=True, blank=True, help_text=_("为空表示长期有效")
    )
    commitment_allowed = models.BooleanField(_("可告知承诺"), default=False)
    commitment_text = models.TextField(_("承诺书内容"), blank=True)
    verification_days = models.PositiveSmallIntegerField(
        _("核查期限（工作日）"), null=True, blank=True
    )
    onsite_check = models.BooleanField(_("需现场核查"), default=False)
    review_body = models.CharField(
        _("行政复议机关"),
        max_length=24,
        choices=ReviewBody.choices,
        default=ReviewBody.DISTRICT_GOVERNMENT,
    )
    review_body_name = models.CharField(_("复议机关名称"), max_length=80, blank=True)
    materials: "models.ManyToManyField[Material, ItemMaterial]" = models.ManyToManyField(
        Material, through="ItemMaterial", related_name="items"
    )
    elements: "models.ManyToManyField[InfoElement, ItemElement]" = models.ManyToManyField(
        InfoElement, through="ItemElement", related_name="items"
    )

    class Meta:
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="item_code_per_version"),
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=models.F("statutory_limit_days")),
                name="item_promised_within_statutory",
            ),
            # 告知承诺 needs a verification deadline; without the route there is none.
            models.CheckConstraint(
                condition=Q(commitment_allowed=True, verification_days__isnull=False)
                | Q(commitment_allowed=False, verification_days__isnull=True),
                name="item_commitment_has_verification",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ItemMaterial(models.Model):
    """事项所需材料：a material one item needs, possibly only when a rule holds."""

    item = models.ForeignKey(ApprovalItem, on_delete=models.CASCADE, related_name="material_links")
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="item_links")
    required = models.BooleanField(_("必需"), default=True)
    deferrable = models.BooleanField(_("可容缺"), default=False)
    rule = models.JSONField(_("适用条件"), null=True, blank=True)
    condition = models.CharField(_("适用情形说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("事项材料")
        verbose_name_plural = _("事项材料")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "material"], name="item_material_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.material}"


class ItemElement(models.Model):
    """事项所需信息要素：an element one item's own form would ask."""

    item = models.ForeignKey(ApprovalItem, on_delete=models.CASCADE, related_name="element_links")
    element = models.ForeignKey(InfoElement, on_delete=models.CASCADE, related_name="item_links")
    required = models.BooleanField(_("必填"), default=True)
    rule = models.JSONField(_("适用条件"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("事项信息要素")
        verbose_name_plural = _("事项信息要素")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "element"], name="item_element_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.element}"


class Industry(VersionedModel):
    """行业：one industry of the reform, the unit of one guide, one form, one certificate."""

    class FormMode(models.TextChoices):
        ONE_FORM = "one_form", _("一表申请")
        JOINT_SUBMISSION = "joint_submission", _("多个事项、一次申报")

    class OnlineDepth(models.TextChoices):
        FULL = "full_online", _("全程网办")
        PARTIAL = "partly_online", _("部分网办")
        WINDOW = "window_only", _("窗口办理")

    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("门类"), max_length=20)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    lead_department = models.ForeignKey(
        DepartmentKind, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    scope = models.TextField(_("适用范围"))
    form_mode = models.CharField(
        _("申请方式"), max_length=20, choices=FormMode.choices, default=FormMode.ONE_FORM
    )
    online_depth = models.CharField(
        _("网办深度"), max_length=16, choices=OnlineDepth.choices, default=OnlineDepth.FULL
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    items: "models.ManyToManyField[ApprovalItem, IndustryItem]" = models.ManyToManyField(
        ApprovalItem, through="IndustryItem", related_name="industries"
    )

    class Meta:
        verbose_name = _("行业")
        verbose_name_plural = _("行业")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="industry_code_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class IndustryItem(models.Model):
    """行业所含事项：an item of an industry, applying always or when its rule holds."""

    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="item_links")
    item = models.ForeignKey(ApprovalItem, on_delete=models.CASCADE, related_name="industry_links")
    rule = models.JSONField(_("适用条件"), null=True, blank=True)
    condition = models.CharField(_("适用情形说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("行业事项")
        verbose_name_plural = _("行业事项")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "item"], name="industry_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.industry} · {self.item}"


class Question(models.Model):
    """情形问题：a scenario question; follow-ups show only when their rule holds."""

    class Type(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        NUMBER = "number", _("数值")
        BOOLEAN = "boolean", _("是/否")

    industry = models.ForeignKey(Industry, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("代码"), max_length=60)
    text = models.CharField(_("问题"), max_length=200)
    help_text = models.CharField(_("说明"), max_length=255, blank=True)
    type = models.CharField(_("类型"), max_length=10, choices=Type.choices)
    unit = models.CharField(_("单位"), max_length=12, blank=True)
    min_value = models.DecimalField(
        _("最小值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("最大值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    show_when = models.JSONField(_("显示条件"), null=True, blank=True)
    fills = models.ForeignKey(
        InfoElement,
        verbose_name=_("预填信息要素"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("情形问题")
        verbose_name_plural = _("情形问题")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "code"], name="question_code_per_industry")
        ]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    """选项：one answer a single- or multiple-choice question offers."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("代码"), max_length=60)
    label = models.CharField(_("选项"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="option_code_per_question")
        ]

    def __str__(self) -> str:
        return self.label


class DistrictOffering(models.Model):
    """区开通行业：an industry a district offers under 一业一证, and how far online it goes.

    Keyed by the industry's code, so that it holds across catalogue versions (成熟一批，上线一批).
    """

    district = models.ForeignKey(
        "accounts.District",
        verbose_name=_("区"),
        on_delete=models.CASCADE,
        related_name="offerings",
    )
    industry_code = models.SlugField(_("行业代码"), max_length=60)
    online_depth = models.CharField(
        _("网办深度"), max_length=16, choices=Industry.OnlineDepth.choices
    )
    live_from = models.DateField(_("上线日期"))

    class Meta:
        verbose_name = _("区开通行业")
        verbose_name_plural = _("区开通行业")
        ordering = ["district__order", "industry_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "industry_code"], name="offering_once_per_district"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district} · {self.industry_code}"
