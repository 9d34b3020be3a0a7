"""Custom fields (Argilla's `CustomField`): the dataset's own HTML template, rendered with
the record inside a sandboxed iframe.

The frame has scripts but no origin of its own (`sandbox="allow-scripts"`, no
`allow-same-origin`): it cannot read the page around it, its cookies or its storage. Its
Content-Security-Policy allows no network at all (only inline code and data: images), so a
template cannot send the record anywhere either. Like Argilla, a template is rendered with
Handlebars against `{record: {id, external_id, fields, metadata}}`; in `advanced_mode` it is
HTML with its own scripts, and `record` is a global. The frame reports its height to the
page (static/js/custom_fields.js), which sizes it to its content.
"""

import json
from functools import cache

from django.conf import settings

# Handlebars compiles templates to functions ('unsafe-eval'); inside an opaque origin that
# may run scripts anyway, that gives a template nothing more.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; media-src data:; form-action 'none'; base-uri 'none'"
)
_BASE_STYLE = (
    "html,body{margin:0;padding:0;background:transparent}"
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#22231f;"
    "overflow-wrap:anywhere}"
)
# Tell the page how tall the content is, whenever it changes.
_REPORT_HEIGHT = """
const report = () => parent.postMessage(
  {loamCustomField: document.documentElement.dataset.field,
   height: Math.ceil(document.documentElement.getBoundingClientRect().height)}, "*");
new ResizeObserver(report).observe(document.documentElement);
addEventListener("load", report);
// The page's listener may start after this frame's first reports: it then asks again.
addEventListener("message", (event) => {
  if (event.source === parent && event.data && event.data.loamMeasure) report();
});
"""
_RENDER_HANDLEBARS = """
Handlebars.registerHelper("json", (value) => JSON.stringify(value, null, 2));
try {
  document.body.innerHTML = Handlebars.compile(TEMPLATE)({record});
} catch (error) {
  document.body.textContent = String(error);
}
"""


@cache
def _handlebars() -> str:
    path = settings.BASE_DIR / "static" / "vendor" / "handlebars" / "handlebars.min.js"
    return path.read_text()


def _script_json(value) -> str:
    """JSON safe inside a <script> element (no "</script>", no "<!--")."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def frame_document(*, field_name: str, settings_: dict, record_data: dict) -> str:
    """The whole HTML document of one custom field's frame (for its `srcdoc`)."""
    head = (
        f'<!doctype html><html data-field="{field_name}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f"<style>{_BASE_STYLE}</style>"
        f"<script>const record = {_script_json(record_data)};</script></head>"
    )
    template = settings_.get("template") or ""
    if settings_.get("advanced_mode"):
        body = f"<body>{template}<script>{_REPORT_HEIGHT}</script></body>"
    else:
        body = (
            f"<body><script>{_handlebars()}</script>"
            f"<script>const TEMPLATE = {_script_json(template)};{_RENDER_HANDLEBARS}"
            f"{_REPORT_HEIGHT}</script></body>"
        )
    return head + body + "</html>"


def record_data(record, visible_metadata) -> dict:
    """What a template sees: the record's fields and the metadata its reader may see."""
    names = {prop.name for prop in visible_metadata}
    return {
        "id": str(record.pk),
        "external_id": record.external_id,
        "fields": record.fields,
        "metadata": {k: v for k, v in (record.metadata or {}).items() if k in names},
    }
