"""Find English words left on a page that should be all Chinese."""

import re
from html.parser import HTMLParser

# Words that stay as they are in a Chinese interface: names, keys, formats, acronyms.
KEPT = set(
    "Loam English Ctrl Cmd Tab Shift Esc Enter API SDK ID Markdown JSONL CSV Parquet Hugging "
    "Face Krippendorff Alpha alpha argilla rg Argilla api_url api_key url key UTC HF trl SFT "
    "DPO".split()
)
KEPT_PHRASES = ["Hugging Face datasets"]
WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "value")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "kbd", "template"):
            self._skip += 1
        attrs = dict(attrs)
        for name in SHOWN_ATTRIBUTES:
            # only a submit input shows its value; a hidden input's or an option's is not shown
            shown = name != "value" or (
                tag == "input" and attrs.get("type") in ("submit", "button")
            )
            if attrs.get(name) and shown:
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "kbd", "template"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_words(text: str, data=()) -> list[str]:
    """English words in `text` once the page's data (names, record values) is taken out."""
    data = [*KEPT_PHRASES, *data]
    for value in sorted({str(v) for v in data if str(v)}, key=len, reverse=True):
        # whole words only: taking out an option "a" must not eat the a's of other words
        text = re.sub(rf"(?<![A-Za-z_]){re.escape(value)}(?![A-Za-z_])", " ", text)
    return sorted({w for w in WORD.findall(text) if w not in KEPT})
