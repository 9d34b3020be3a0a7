"""Find Loam's translatable strings the way makemessages does, in pure Python (babel).

Templates go through Django's own `templatize` (what makemessages feeds xgettext), then
babel's Python extractor reads both them and the apps' modules.
"""

import io
import re
from pathlib import Path

from babel.messages.extract import extract_python
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "apps", ROOT / "config", ROOT / "templates"]
CATALOGUES = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[sdrfi]|%[sdrf]")


def _messages_in(code: str) -> set[tuple[str | None, str]]:
    found = set()
    for _line, funcname, message, _comments in extract_python(
        io.BytesIO(code.encode()), list(KEYWORDS), [], {}
    ):
        spec = KEYWORDS[funcname]
        parts = message if isinstance(message, tuple) else (message,)
        context = None
        if spec and isinstance(spec[0], tuple):  # pgettext-style: the context comes first
            context, parts = parts[0], parts[1:]
        if parts and parts[0]:
            found.add((context, parts[0]))
    return found


def source_messages(paths=SOURCES) -> dict[tuple[str | None, str], str]:
    """(context, msgid) -> the first file using it, for every marked string."""
    found = {}
    for base in paths:
        files = [base] if base.is_file() else sorted(base.rglob("*"))
        for path in files:
            if path.suffix == ".html":
                # xgettext forgives templatize's ragged indentation; Python's tokenizer does not.
                code = templatize(path.read_text(), origin=str(path))
                code = "\n".join(line.lstrip() for line in code.splitlines())
            elif path.suffix == ".py" and "migrations" not in path.parts:
                code = path.read_text()
            else:
                continue
            for key in _messages_in(code):
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                found.setdefault(key, str(where))
    return found


def catalogue_problems(po_path: Path, messages: dict) -> list[str]:
    """Every marked string missing, untranslated, fuzzy or with other placeholders."""
    with open(po_path, "rb") as fh:
        catalogue = read_po(fh)
    problems = []
    for (context, msgid), where in sorted(messages.items(), key=lambda kv: kv[1]):
        entry = catalogue.get(msgid, context=context)
        if entry is None:
            problems.append(f"{where}: {msgid!r} is not in {po_path.name}")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            problems.append(f"{where}: {msgid!r} has no translation")
        elif entry.fuzzy:
            problems.append(f"{where}: {msgid!r} is fuzzy")
        else:
            source = entry.id[-1] if isinstance(entry.id, tuple) else entry.id
            wanted = sorted(set(PLACEHOLDER.findall(source)))
            for string in strings:
                if sorted(set(PLACEHOLDER.findall(string))) != wanted:
                    problems.append(f"{where}: {msgid!r} translation has other placeholders")
    return problems
