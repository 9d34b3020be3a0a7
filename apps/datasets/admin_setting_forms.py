"""The dataset admin's setting rows: a form per type instead of a `settings` JSON box.

Each row has a type select and the inputs of every type; admin_dataset.js shows only those of
the chosen type (`data-parts` on the select says which). The form builds the `settings` the
API would receive from those inputs and runs the same validator the services run
(`settings_validation`), so each problem shows under the input it concerns. What the API never
changes stays fixed here: a setting's name and type once created, a metadata property's
settings, a vector setting's dimensions, and on a published dataset the `required` flag and
the questions' option values (`services.update_setting` refuses the rest of the same rules).
"""

import json

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.admin import add_problems
from apps.core.errors import Problem, ValidationFailed
from apps.datasets import services
from apps.datasets import settings_validation as sv
from apps.datasets.admin_options import OptionsField, OptionsWidget
from apps.datasets.models import Field

# The inputs each type shows, by the form field's name.
FIELD_PARTS = {
    "text": ("use_markdown",),
    "chat": ("use_markdown",),
    "image": (),
    "custom": ("template", "advanced_mode"),
}
QUESTION_PARTS = {
    "text": ("use_markdown",),
    "rating": ("rating_values",),
    "label_selection": ("options", "visible_options"),
    "multi_label_selection": ("options", "visible_options", "options_order"),
    "ranking": ("options",),
    "span": (
        "span_field",
        "options",
        "visible_options",
        "allow_overlapping",
        "allow_character_annotation",
    ),
}
METADATA_PARTS = {"terms": ("terms",), "integer": ("min", "max"), "float": ("min", "max")}

FIELD_TYPES = (
    ("text", _("Text")),
    ("chat", _("Chat")),
    ("image", _("Image")),
    ("custom", _("Custom (HTML template)")),
)
QUESTION_TYPES = (
    ("rating", _("Rating")),
    ("label_selection", _("Label (pick one)")),
    ("multi_label_selection", _("Multi-label (pick several)")),
    ("ranking", _("Ranking")),
    ("span", _("Span (mark text)")),
    ("text", _("Text answer")),
)
METADATA_TYPES = (
    ("terms", _("Terms")),
    ("integer", _("Integer range")),
    ("float", _("Decimal range")),
)

# A settings key as the validators name it → the form input that shows its problems.
_INPUT_OF_KEY = {
    "type": "type",
    "use_markdown": "use_markdown",
    "template": "template",
    "advanced_mode": "advanced_mode",
    "options": "options",
    "visible_options": "visible_options",
    "options_order": "options_order",
    "field": "span_field",
    "allow_overlapping": "allow_overlapping",
    "allow_character_annotation": "allow_character_annotation",
    "values": "terms",
    "min": "min",
    "max": "max",
}


def _type_select(choices, parts: dict) -> forms.ChoiceField:
    every = sorted({name for names in parts.values() for name in names})
    attrs = {
        "class": "setting-type",
        "data-parts": json.dumps({kind: list(names) for kind, names in parts.items()}),
        "data-all-parts": json.dumps(every),
    }
    return forms.ChoiceField(
        label=capfirst(_("type")),
        choices=choices,
        initial=choices[0][0],
        widget=forms.Select(attrs=attrs),
    )


def _describe(loc: tuple) -> str:
    """A problem's place inside a list input, in words: "Option 2, value"."""
    words = []
    for part in loc:
        if isinstance(part, int):
            words.append(gettext("Option %(number)d") % {"number": part + 1})
        else:
            words.append(str(part))
    return ", ".join(words)


class SettingForm(forms.ModelForm):
    """The shared part: name, title, validation ahead of the service, values for the service."""

    parts: dict[str, tuple] = {}
    # Columns the API never changes once the setting exists (shown, not editable).
    fixed_once_created: tuple[str, ...] = ("name",)
    # What `services.update_setting` may change on an existing row.
    editable_later: tuple[str, ...] = ("title",)

    def __init__(self, *args, dataset=None, dataset_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = not self.instance._state.adding  # (a new row has its UUID already)
        self.published = self.existing and dataset is not None and dataset.is_published
        self.dataset_fields = dataset_fields
        if "title" in self.fields:
            self.fields["title"].required = False  # defaults to the name, as in the API
        if "description" in self.fields:
            self.fields["description"].widget.attrs["rows"] = 2
        if self.existing:
            self._show_stored_settings()
            for name in self.fixed_once_created:
                if name in self.fields:
                    self.fields[name].disabled = True

    def _show_stored_settings(self) -> None:
        """The stored `settings` spread over the type's inputs."""

    def build_settings(self, cleaned: dict) -> dict | None:
        """The `settings` object the API would receive, from the type's inputs."""
        return None

    def validate(self, data: dict) -> dict:
        raise NotImplementedError

    def service_data(self) -> dict:
        data = {
            key: self.cleaned_data.get(key)
            for key in ("name", "title", "description", "required", "visible_for_annotators")
            if key in self.fields
        }
        if "dimensions" in self.fields:
            data["dimensions"] = self.cleaned_data.get("dimensions")
        if self.parts:
            data["settings"] = self.cleaned_data.get("settings")
        return data

    def changes_to(self, stored) -> dict:
        """What differs from the stored row, among what may change after creation."""
        data = self.service_data()
        return {
            key: data[key]
            for key in self.editable_later
            if key in data and data[key] != getattr(stored, key)
        }

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        settings = self.build_settings(cleaned) if self.parts else None
        if self.errors:
            return cleaned
        data = self.service_data()
        if self.parts:
            data["settings"] = settings
        try:
            normalized = self.validate(data)
        except ValidationFailed as error:
            self.add_validation_problems(error.problems)
            return cleaned
        cleaned.update(
            {key: value for key, value in normalized.items() if key in data or key == "settings"}
        )
        if self.existing and not cleaned.get("title"):
            cleaned["title"] = self.instance.title or self.instance.name
        if not self.existing and self._name_taken(cleaned["name"]):
            self.add_error("name", _("This name is already used by another setting."))
        return cleaned

    def add_validation_problems(self, problems: list[Problem]) -> None:
        """Problems under `settings` go under the input of their key; the rest by name."""
        others = []
        for problem in problems:
            loc = problem.loc
            key = _INPUT_OF_KEY.get(loc[1]) if len(loc) >= 2 and loc[0] == "settings" else None
            if key == "options" and "rating_values" in self.type_parts():
                key = "rating_values"
            if key in self.fields and key not in self.errors:
                where = _describe(loc[2:])
                self.add_error(key, f"{where}: {problem.message}" if where else problem.message)
            else:
                others.append(problem)
        add_problems(self, others)

    def type_parts(self) -> tuple:
        kind = self.cleaned_data.get("type") if hasattr(self, "cleaned_data") else None
        return self.parts.get(kind, ())

    def _name_taken(self, name: str) -> bool:
        dataset_id = self.instance.dataset_id
        if dataset_id is None:  # a new dataset: the formset's own rows cannot clash in the DB
            return False
        return services.name_in_use(dataset_id, name, exclude=self.instance)


def _bool(settings: dict, key: str, default: bool) -> bool:
    value = settings.get(key)
    return default if value is None else bool(value)


class _FieldOrQuestionForm(SettingForm):
    editable_later = ("title", "description", "required", "settings")

    use_markdown = forms.BooleanField(label=capfirst(_("render Markdown")), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.published and "required" in self.fields:
            self.fields["required"].disabled = True  # the API refuses it once published

    def _show_stored_settings(self) -> None:
        settings = self.instance.settings or {}
        self.initial["type"] = settings.get("type")
        self.fields["type"].disabled = True  # the API refuses a new type
        self.initial["use_markdown"] = _bool(settings, "use_markdown", False)


class FieldForm(_FieldOrQuestionForm):
    parts = FIELD_PARTS
    type = _type_select(FIELD_TYPES, FIELD_PARTS)
    template = forms.CharField(
        label=capfirst(_("HTML template")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Handlebars HTML, e.g. {{record.fields.text}}; in advanced mode, HTML with its own"
            " scripts (record is a global)."
        ),
    )
    advanced_mode = forms.BooleanField(label=capfirst(_("advanced mode")), required=False)

    def _show_stored_settings(self) -> None:
        super()._show_stored_settings()
        settings = self.instance.settings or {}
        self.initial["template"] = settings.get("template") or ""
        self.initial["advanced_mode"] = _bool(settings, "advanced_mode", False)

    def build_settings(self, cleaned):
        kind = cleaned.get("type")
        settings = {"type": kind}
        if kind in ("text", "chat"):
            settings["use_markdown"] = cleaned.get("use_markdown", False)
        if kind == "custom":
            settings["template"] = cleaned.get("template") or None
            settings["advanced_mode"] = cleaned.get("advanced_mode", False)
        return settings

    def validate(self, data):
        return sv.clean_field(data)


class QuestionForm(_FieldOrQuestionForm):
    parts = QUESTION_PARTS
    type = _type_select(QUESTION_TYPES, QUESTION_PARTS)
    rating_values = forms.CharField(
        label=capfirst(_("rating values")),
        required=False,
        initial="1, 2, 3, 4, 5",
        help_text=_("Whole numbers from 0 to 10, separated by commas, e.g. 1, 2, 3, 4, 5."),
    )
    options = OptionsField(
        label=capfirst(_("options")),
        required=False,
        help_text=_("Each option's value is what the answers store; its text is what people see."),
    )
    visible_options = forms.IntegerField(
        label=capfirst(_("options shown before “more”")),
        required=False,
        help_text=_("Empty shows every option."),
    )
    options_order = forms.ChoiceField(
        label=capfirst(_("order of the options")),
        choices=(("natural", _("as listed")), ("suggestion", _("suggested first"))),
        initial="natural",
        required=False,
    )
    span_field = forms.ChoiceField(
        label=capfirst(_("text field to mark")), required=False, choices=()
    )
    allow_overlapping = forms.BooleanField(label=capfirst(_("spans may overlap")), required=False)
    allow_character_annotation = forms.BooleanField(
        label=capfirst(_("spans may start or end inside a word")), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.dataset_fields is None:  # a form on its own: no formset read them for every row
            stored = Field.objects.filter(dataset_id=self.instance.dataset_id)
            self.dataset_fields = dict(stored.values_list("name", "settings"))
        text_fields = [name for name, s in self.dataset_fields.items() if s.get("type") == "text"]
        self.fields["span_field"].choices = [("", "---------")] + [(n, n) for n in text_fields]
        if self.published:
            self.fields["rating_values"].disabled = True
            self.fields["options"].widget = OptionsWidget()
            self.fields["options"].widget.fixed_values = True

    def _show_stored_settings(self) -> None:
        super()._show_stored_settings()
        settings = self.instance.settings or {}
        options = settings.get("options") or []
        if settings.get("type") == "rating":
            values = ", ".join(str(option.get("value")) for option in options)
            self.initial["rating_values"] = values
        else:
            self.initial["options"] = options
        self.initial["visible_options"] = settings.get("visible_options")
        self.initial["options_order"] = settings.get("options_order") or "natural"
        self.initial["span_field"] = settings.get("field") or ""
        self.initial["allow_overlapping"] = _bool(settings, "allow_overlapping", False)
        self.initial["allow_character_annotation"] = _bool(
            settings, "allow_character_annotation", True
        )

    def build_settings(self, cleaned):
        kind = cleaned.get("type")
        settings = {"type": kind}
        if kind == "text":
            settings["use_markdown"] = cleaned.get("use_markdown", False)
        elif kind == "rating":
            settings["options"] = self._rating_options(cleaned.get("rating_values") or "")
        else:
            settings["options"] = self._options(cleaned.get("options") or [])
        if kind in ("label_selection", "multi_label_selection", "span"):
            settings["visible_options"] = cleaned.get("visible_options")
        if kind == "multi_label_selection":
            settings["options_order"] = cleaned.get("options_order") or "natural"
        if kind == "span":
            settings["field"] = cleaned.get("span_field") or None
            settings["allow_overlapping"] = cleaned.get("allow_overlapping", False)
            settings["allow_character_annotation"] = cleaned.get("allow_character_annotation")
        return settings

    def _rating_options(self, text: str) -> list[dict] | None:
        values = []
        for token in text.replace(",", " ").split():
            try:
                values.append(int(token))
            except ValueError:
                self.add_error(
                    "rating_values",
                    _("%(value)s is not a whole number.") % {"value": repr(token)},
                )
                return None
        return [{"value": value} for value in values]

    def _options(self, rows: list[dict]) -> list[dict]:
        """The rows as the API's options; a stored option's description is kept."""
        stored = {
            option.get("value"): option.get("description")
            for option in (self.instance.settings or {}).get("options") or []
            if isinstance(option, dict)
        }
        options = []
        for row in rows:
            option = {"value": row["value"] or None, "text": row["text"] or None}
            if stored.get(row["value"]):
                option["description"] = stored[row["value"]]
            options.append(option)
        return options

    def validate(self, data):
        cleaned = sv.clean_question(data, fields=self.dataset_fields)
        if self.instance.dataset_id is not None:  # excluding itself when it is edited
            services.check_span_field_free(
                self.instance.dataset_id, cleaned["settings"], exclude=self.instance
            )
        return cleaned


class MetadataPropertyForm(SettingForm):
    parts = METADATA_PARTS
    fixed_once_created = ("name", "type", "terms", "min", "max")
    editable_later = ("title", "visible_for_annotators")

    type = _type_select(METADATA_TYPES, METADATA_PARTS)
    terms = forms.CharField(
        label=capfirst(_("terms")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One term per line; empty allows any term."),
    )
    min = forms.CharField(
        label=capfirst(_("minimum")), required=False, help_text=_("Empty: no minimum.")
    )
    max = forms.CharField(
        label=capfirst(_("maximum")), required=False, help_text=_("Empty: no maximum.")
    )

    def _show_stored_settings(self) -> None:
        settings = self.instance.settings or {}
        self.initial["type"] = settings.get("type")
        self.initial["terms"] = "\n".join(settings.get("values") or [])
        for key in ("min", "max"):
            bound = settings.get(key)
            self.initial[key] = "" if bound is None else str(bound)

    def build_settings(self, cleaned):
        kind = cleaned.get("type")
        if kind == "terms":
            lines = [line.strip() for line in (cleaned.get("terms") or "").splitlines()]
            terms = [line for line in lines if line]
            return {"type": kind, "values": terms or None}
        settings = {"type": kind}
        for key in ("min", "max"):
            settings[key] = self._bound(key, cleaned.get(key) or "", integer=kind == "integer")
        return settings

    def _bound(self, key: str, text: str, *, integer: bool):
        text = text.strip()
        if not text:
            return None
        try:
            return int(text) if integer else float(text)
        except ValueError:
            message = (
                _("%(value)s is not a whole number.")
                if integer
                else _("%(value)s is not a number.")
            )
            self.add_error(key, message % {"value": repr(text)})
            return None

    def validate(self, data):
        return sv.clean_metadata_property(data)


class VectorSettingsForm(SettingForm):
    fixed_once_created = ("name", "dimensions")

    def validate(self, data):
        return sv.clean_vector_settings(data)


class SettingFormSet(forms.BaseInlineFormSet):
    """Gives each row its dataset (published or not) and, for questions, the dataset's stored
    fields (a span question names one): read once, not once per row."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["dataset"] = self.instance
        if issubclass(self.form, QuestionForm):
            if not hasattr(self, "_dataset_fields"):
                # By id: on the add page the dataset is not saved yet (no fields stored).
                stored = Field.objects.filter(dataset_id=self.instance.pk)
                self._dataset_fields = dict(stored.values_list("name", "settings"))
            kwargs["dataset_fields"] = self._dataset_fields
        return kwargs
