"""Columns of an export: a name, an Arrow type, and whether the value is JSON in flat formats.

Every writer reads the same list. JSONL writes values as they are; CSV writes lists and
objects as JSON text; Parquet and Hugging Face folders use the Arrow type, except for
`json` columns (values whose shape varies: metadata, chat and custom fields), which hold
JSON text there.
"""

from dataclasses import dataclass

import pyarrow as pa

STRING = pa.string()
INT = pa.int64()
FLOAT = pa.float64()
STRINGS = pa.list_(pa.string())
FLOATS = pa.list_(pa.float64())
INTEGERS = pa.list_(pa.int64())
RANKING = pa.list_(pa.struct([("value", pa.string()), ("rank", pa.int64())]))
SPANS = pa.list_(pa.struct([("label", pa.string()), ("start", pa.int64()), ("end", pa.int64())]))
MESSAGES = pa.list_(pa.struct([("role", pa.string()), ("content", pa.string())]))

# The Arrow type of one answer to a question of each type.
VALUE_TYPES = {
    "text": STRING,
    "rating": INT,
    "label_selection": STRING,
    "multi_label_selection": STRINGS,
    "ranking": RANKING,
    "span": SPANS,
}
# Questions whose answer is a list carry one score per item in a suggestion.
LIST_VALUED = {"multi_label_selection", "ranking", "span"}
# Field types whose value is text; chat and custom fields vary in shape (JSON).
TEXT_FIELDS = {"text", "image"}


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    json: bool = False  # JSON text in CSV, Parquet and HF; the value itself in JSONL

    @property
    def arrow_type(self) -> pa.DataType:
        return STRING if self.json else self.type


def value_type(question_type: str) -> tuple[pa.DataType, bool]:
    """(Arrow type, is-JSON) of one answer to a question of `question_type`."""
    if question_type in VALUE_TYPES:
        return VALUE_TYPES[question_type], False
    return STRING, True


def arrow_schema(columns: list[Column]) -> pa.Schema:
    return pa.schema([(column.name, column.arrow_type) for column in columns])
