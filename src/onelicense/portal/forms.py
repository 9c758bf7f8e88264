"""Forms of the applicant's tracking pages: the answer to a correction request (补正).

As in `applications.forms`, the services check every value and every file; the form here only
narrows the one form to the corrected item, parses what was posted into what the services
take (the values that changed, the files, the note), and describes each field for the
templates with its message in its place. The two checks it makes itself are the ones the
services cannot: a value that was filled in may not be emptied (an amendment only changes
values), and a response must change, add or say something.
"""

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from onelicense.applications import forms as intake_forms
from onelicense.applications.models import MaterialFile
from onelicense.catalogue.elements import is_blank
from onelicense.catalogue.plan import FormSection, Plan
from onelicense.core.errors import DomainError

NOTE_MAX_LENGTH = 1000
NOTHING_GIVEN = "__all__"
SHOWN = "shown"
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def item_plan(plan: Plan, item_id: int) -> Plan:
    """The plan narrowed to one item: its own elements (with the rules applied) and materials."""
    guide_item = next((gi for gi in plan.items if gi.item.pk == item_id), None)
    if guide_item is None:
        return dataclasses.replace(plan, items=[], materials=[], sections=[])
    own = {element.code for element in guide_item.elements}
    sections = [
        FormSection(section.code, section.label, fields)
        for section in plan.sections
        if (fields := [f for f in section.fields if f.element.code in own])
    ]
    return dataclasses.replace(plan, items=[guide_item], sections=sections)


def _named(name: str, missing: Sequence[str]) -> bool:
    """Whether the reviewer's list names this field or material: the reviewer's form says
    申请表“座位数” for a field and the material's own name for a material."""
    return any(entry == name or f"“{name}”" in entry or name in entry for entry in missing)


@dataclass(frozen=True)
class MaterialInput:
    """One material of the item, with its files so far and a file input for more."""

    code: str
    name: str
    required: bool
    named: bool
    files: list[MaterialFile]
    error: str = ""

    @property
    def input_name(self) -> str:
        return f"material-{self.code}"

    @property
    def id(self) -> str:
        return f"m-{self.code}-file"


class CorrectionForm:
    """The corrected item's form fields, prefilled, its materials, and a note."""

    def __init__(
        self,
        *,
        plan: Plan,
        form_data: Mapping[str, Any],
        missing: Sequence[str],
        files: Mapping[str, list[MaterialFile]],
        data: QueryDict | None = None,
        uploads: MultiValueDict[str, UploadedFile] | None = None,
    ) -> None:
        self.plan = plan
        self.missing = list(missing)
        self.files = files
        self.data = data
        self.uploads = uploads
        self.current = intake_forms.form_values(plan, form_data)
        self.values: Mapping[str, Any] = self.current
        if data is not None:
            # A field counts as sent when its name is in the post, or the page listed it as
            # shown (an unticked group of checkboxes sends nothing); a field not sent keeps
            # its value.
            sent = set(data) | set(data.getlist(SHOWN))
            posted = intake_forms.form_posted(plan, data)
            self.values = {
                code: posted[code] if code in sent else value
                for code, value in self.current.items()
            }
        self.errors: dict[str, str] = {}

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    # --- Parsing -----------------------------------------------------------------------------

    @property
    def note(self) -> str:
        return (self.data.get("correction_note", "") if self.data else "").strip()

    def changes(self) -> dict[str, Any]:
        """The values the applicant changed; the rest are not sent, so not checked again."""
        return {
            code: value
            for code, value in self.values.items()
            if value != self.current.get(code) and not is_blank(value)
        }

    def files_posted(self) -> list[tuple[str, UploadedFile]]:
        """(material code, file) for every file chosen, in the order of the materials."""
        if self.uploads is None:
            return []
        return [
            (material.code, upload)
            for material in self._materials()
            for upload in self.uploads.getlist(f"material-{material.code}")
        ]

    def is_valid(self) -> bool:
        for field in self.plan.fields:
            code = field.element.code
            if is_blank(self.values.get(code)) and not is_blank(self.current.get(code)):
                self.errors[code] = str(
                    _("此项必填")
                    if field.required
                    else _("补正时不能清空已填写的内容；如需删除，请在补正说明中写明")
                )
        if len(self.note) > NOTE_MAX_LENGTH:
            self.errors["correction_note"] = str(
                _("补正说明不能超过 %(n)s 个字") % {"n": NOTE_MAX_LENGTH}
            )
        if not (self.changes() or self.files_posted() or self.note or self.errors):
            self.errors[NOTHING_GIVEN] = str(
                _("请修改需补正的信息、上传补正材料，或在补正说明中说明情况")
            )
        return not self.errors

    def add_domain_error(self, error: DomainError) -> None:
        """Each of a service's messages in its place: an element's by its code, a file's by
        `material-<code>` (as `correction_respond` names them)."""
        self.errors |= dict(error.fields) or {NOTHING_GIVEN: error.message}

    # --- Describing --------------------------------------------------------------------------

    def _materials(self) -> list[MaterialInput]:
        guide_items = self.plan.items
        if not guide_items:
            return []
        return [
            MaterialInput(
                code=gm.material.code,
                name=gm.material.name,
                required=gm.required,
                named=_named(gm.material.name, self.missing),
                files=self.files.get(gm.material.code, []),
                error=self.errors.get(f"material-{gm.material.code}", ""),
            )
            for gm in guide_items[0].materials
        ]

    def _fields(self) -> list[tuple[intake_forms.Field, bool]]:
        sections = intake_forms.form_sections(self.plan, self.values, self.errors)
        return [
            (field, _named(field.label, self.missing))
            for _section, fields in sections
            for field in fields
        ]

    def layout(self) -> dict[str, Any]:
        """What the page draws: the fields and materials the reviewer named first, the rest
        of the item's behind a disclosure (open when one of them has an error)."""
        fields = self._fields()
        materials = self._materials()
        named_fields = [field for field, named in fields if named]
        named_materials = [material for material in materials if material.named]
        split = bool(named_fields or named_materials)
        other_fields = [field for field, named in fields if split and not named]
        other_materials = [material for material in materials if split and not material.named]
        return {
            "named_fields": named_fields if split else [field for field, _named in fields],
            "named_materials": named_materials if split else materials,
            "other_fields": other_fields,
            "other_materials": other_materials,
            "others_open": any(f.error for f in other_fields)
            or any(m.error for m in other_materials),
            "split": split,
            "accept": ACCEPT,
            "note": self.note,
            "note_error": self.errors.get("correction_note", ""),
            "shown": [field.name for field, _named in fields],
            # A browser does not keep chosen files across a failed post: say so.
            "reselect": bool(self.errors) and bool(self.files_posted()),
            "nothing_error": self.errors.get(NOTHING_GIVEN, ""),
        }

    def summary(self) -> list[tuple[str, str]]:
        """The error summary: each message linking to its field, file input or the note."""
        entries = [
            (f"#{field.anchor}", intake_forms.labelled(field.label, field.error))
            for field, _named in self._fields()
            if field.error
        ]
        entries += [
            (f"#{m.id}", intake_forms.labelled(m.name, m.error))
            for m in self._materials()
            if m.error
        ]
        if self.errors.get("correction_note"):
            entries.append(("#correction-note", self.errors["correction_note"]))
        known = {field.name for field, _named in self._fields()}
        known |= {m.input_name for m in self._materials()} | {"correction_note"}
        entries += [
            ("#correction-what", message)
            for key, message in self.errors.items()
            if key not in known and key != NOTHING_GIVEN
        ]
        if self.errors.get(NOTHING_GIVEN):
            entries.append(("#correction-what", self.errors[NOTHING_GIVEN]))
        return entries
