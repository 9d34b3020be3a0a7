"""Finding the questions and fields a training task reads, with a located problem when the
dataset has none that fits or several to choose from."""

from django.utils.translation import gettext as _

from apps.datasets.schema import DatasetSchema
from apps.exports.options import Options


def names_of(items) -> str:
    return ", ".join(f"{item.name!r} ({item.type})" for item in items) or _("none")


def text_fields(schema: DatasetSchema) -> list[str]:
    return [f.name for f in schema.fields.values() if f.type == "text"]


def questions_of(schema: DatasetSchema, types: tuple) -> list:
    return [q for q in schema.questions.values() if q.type in types]


def _or(types: tuple) -> str:
    return _(" or ").join(types)


def pick_question(schema, options: Options, types: tuple, purpose: str, *, key="question"):
    """The question named by option `key`, or the dataset's only question of `types`."""
    name = options.str(key)
    if name is not None:
        question = schema.questions.get(name)
        if question is None:
            options.error(
                key,
                _("%(name)r is not a question of this dataset; its questions are: %(names)s.")
                % {"name": name, "names": names_of(schema.questions.values())},
            )
        elif question.type not in types:
            options.error(
                key,
                _(
                    "%(name)r is a %(type)s question; %(purpose)s needs a question of type "
                    "%(types)s."
                )
                % {"name": name, "type": question.type, "purpose": purpose, "types": _or(types)},
            )
        else:
            return question
        return None
    candidates = questions_of(schema, types)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        options.error(
            key,
            _(
                "%(purpose)s needs a question of type %(types)s; this dataset's questions "
                "are: %(names)s."
            )
            % {
                "purpose": purpose,
                "types": _or(types),
                "names": names_of(schema.questions.values()),
            },
        )
    else:
        options.error(
            key,
            _(
                "Several questions could be used for %(purpose)s (%(names)s): name one with "
                "`%(key)s`."
            )
            % {"purpose": purpose, "names": names_of(candidates), "key": key},
        )
    return None


def pick_field(schema, options: Options, key: str, preferred: str, purpose: str):
    """The text field named by `key`, else `preferred` if it exists, else the only one."""
    name = options.str(key)
    texts = text_fields(schema)
    if name is not None:
        if name not in schema.fields:
            options.error(
                key,
                _("%(name)r is not a field of this dataset; its fields are: %(names)s.")
                % {"name": name, "names": names_of(schema.fields.values())},
            )
            return None
        return name
    if preferred in schema.fields:
        return preferred
    if len(texts) == 1:
        return texts[0]
    options.error(
        key,
        _(
            "Name the field holding the %(purpose)s with `%(key)s`; this dataset's fields "
            "are: %(names)s."
        )
        % {"purpose": purpose, "key": key, "names": names_of(schema.fields.values())},
    )
    return None
