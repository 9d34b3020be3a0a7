"""The option list of a label, multi-label, ranking or span question as a form input.

Rows of two inputs (value, text) instead of JSON; blank rows are ignored, so the widget
offers two spare rows (and admin_dataset.js an "Add option" button). Once the dataset is
published the values are fixed (answers refer to them): their inputs become read-only and
only the texts stay editable, as in the API.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

SPARE_ROWS = 2


def _pairs(options) -> list[dict]:
    return [
        {"value": option.get("value") or "", "text": option.get("text") or ""}
        for option in options or []
        if isinstance(option, dict)
    ]


class OptionsWidget(forms.Widget):
    fixed_values = False

    def value_from_datadict(self, data, files, name):
        values = data.getlist(f"{name}-value") if hasattr(data, "getlist") else []
        texts = data.getlist(f"{name}-text") if hasattr(data, "getlist") else []
        texts = texts + [""] * (len(values) - len(texts))
        rows = [
            {"value": value.strip(), "text": text.strip()}
            for value, text in zip(values, texts, strict=False)
        ]
        return [row for row in rows if row["value"] or row["text"]]

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-value" not in data

    @staticmethod
    def post_data(name: str, value) -> dict:
        """What a browser posts for `value` (tests post a page's forms back)."""
        rows = _pairs(value) if isinstance(value, list) else []
        return {
            f"{name}-value": [row["value"] for row in rows],
            f"{name}-text": [row["text"] for row in rows],
        }

    def render(self, name, value, attrs=None, renderer=None):
        rows = _pairs(value) if isinstance(value, list) else []
        if not self.fixed_values:
            rows += [{"value": "", "text": ""}] * SPARE_ROWS
        readonly = mark_safe(" readonly") if self.fixed_values else ""
        body = format_html_join(
            "",
            '<tr class="option-row"><td><input type="text" name="{}-value" value="{}"'
            ' aria-label="{}" maxlength="200"{}></td>'
            '<td><input type="text" name="{}-text" value="{}" aria-label="{}"'
            ' maxlength="500"></td></tr>',
            (
                (name, row["value"], _("value"), readonly, name, row["text"], _("text"))
                for row in rows
            ),
        )
        add = (
            ""
            if self.fixed_values
            else format_html(
                '<button type="button" class="button add-option">{}</button>', _("Add option")
            )
        )
        return format_html(
            '<div class="options-editor" id="{}"><table><thead><tr><th>{}</th><th>{}</th>'
            "</tr></thead><tbody>{}</tbody></table>{}</div>",
            (attrs or {}).get("id", ""),
            _("Value (stored)"),
            _("Text (shown to annotators)"),
            body,
            add,
        )


class OptionsField(forms.Field):
    """A list of {"value", "text"}; the question type's validator checks it."""

    widget = OptionsWidget

    def to_python(self, value):
        return value if isinstance(value, list) else []

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return _pairs(initial) != _pairs(data)
