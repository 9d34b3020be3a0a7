"""An image field: an http(s) URL or a base64 `data:image/...` URI, shown as an image."""

import re
from typing import Any
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed
from apps.datasets._type_checks import show, wrong_type

TYPE = "image"
MAX_URL_LENGTH = 2038
_DATA_URI = re.compile(
    r"data:image/[a-z0-9.+-]+(;[a-z0-9.+-]+=[^;,]*)*;base64,[A-Za-z0-9+/]+={0,2}",
    re.IGNORECASE,
)


def clean_settings(settings: dict) -> dict:
    return {"type": TYPE}


def clean_value(value: Any, settings: dict) -> str:
    if not isinstance(value, str):
        raise ValidationFailed.single((), wrong_type(_("an image URL or data URI"), value))
    if value[:5].lower() == "data:":
        if not _DATA_URI.fullmatch(value):
            raise ValidationFailed.single(
                (),
                _("%(value)s is not a data URI of an image (data:image/<type>;base64,<data>).")
                % {"value": show(value)},
            )
        return value
    if len(value) > MAX_URL_LENGTH:
        raise ValidationFailed.single(
            (),
            _("The image URL allows at most %(max)d characters, got %(count)d.")
            % {"max": MAX_URL_LENGTH, "count": len(value)},
        )
    if not _is_http_url(value):
        raise ValidationFailed.single(
            (),
            _("%(value)s is not an http(s) URL or a data:image URI.") % {"value": show(value)},
        )
    return value


def _is_http_url(value: str) -> bool:
    if re.search(r"\s", value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)
