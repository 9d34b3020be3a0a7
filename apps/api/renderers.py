"""orjson in and out: bulk bodies are large, and the standard json module is slow at them."""

import json

import orjson
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        try:
            return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS, default=str)
        except TypeError:
            # orjson stops at 64-bit integers; jsonb gives back a number such as 1e82, stored
            # exactly, as a Python int of 83 digits. The standard module writes any int.
            return json.dumps(data, default=str, ensure_ascii=False).encode()


class ORJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise ParseError(_("The request body is too large."))
        if not raw:
            return {}
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise ParseError(_("Malformed JSON: %(error)s") % {"error": error}) from None
        # PostgreSQL text and jsonb cannot hold NUL; JSON can only spell it \u0000, so the
        # (rare) bodies with that sequence are walked to tell it from an escaped backslash.
        if b"\\u0000" in raw and _has_nul(data):
            raise ParseError(_("Text cannot contain the NUL character (\\u0000)."))
        return data


def _has_nul(data) -> bool:
    pending = [data]  # iterative: orjson nests up to 1024 levels, past Python's recursion limit
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False
