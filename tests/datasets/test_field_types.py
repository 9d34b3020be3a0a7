"""Field type plug-ins: settings schemas and record values (pure functions, no database)."""

import pytest

from apps.core.errors import Loc, ValidationFailed
from apps.datasets import field_types
from apps.datasets.field_types import chat, custom, image, text


def problems_of(clean, *args, **kwargs) -> dict[Loc, str]:
    """Call a clean_* function that must fail; its problems as {loc: message}."""
    with pytest.raises(ValidationFailed) as caught:
        clean(*args, **kwargs)
    return {problem.loc: str(problem.message) for problem in caught.value.problems}


# registry


@pytest.mark.parametrize("module", [text, image, chat, custom])
def test_registry_finds_each_type_by_name(module):
    assert field_types.get(module.TYPE) is module
    assert field_types.REGISTRY[module.TYPE] is module


@pytest.mark.parametrize("type_name", ["rating", "Text", "", None, ["text"]])
def test_registry_has_no_unknown_types(type_name):
    assert field_types.get(type_name) is None


def test_registry_lists_exactly_the_argilla_field_types():
    assert set(field_types.REGISTRY) == {"text", "image", "chat", "custom"}


# settings


@pytest.mark.parametrize(
    "module, given, expected",
    [
        (text, {"type": "text"}, {"type": "text", "use_markdown": False}),
        (text, {"use_markdown": True}, {"type": "text", "use_markdown": True}),
        (text, {"use_markdown": None}, {"type": "text", "use_markdown": False}),
        (
            text,
            {"use_markdown": False, "junk": 1, "id": None},
            {"type": "text", "use_markdown": False},
        ),
        (chat, {"type": "chat"}, {"type": "chat", "use_markdown": True}),
        (chat, {"use_markdown": False}, {"type": "chat", "use_markdown": False}),
        (image, {"type": "image", "use_markdown": True}, {"type": "image"}),
        (
            custom,
            {"template": "<p>{{record.fields.x}}</p>", "junk": []},
            {"type": "custom", "template": "<p>{{record.fields.x}}</p>", "advanced_mode": False},
        ),
        (
            custom,
            {"template": "<div/>", "advanced_mode": True},
            {"type": "custom", "template": "<div/>", "advanced_mode": True},
        ),
    ],
)
def test_settings_are_normalized_with_defaults_and_junk_dropped(module, given, expected):
    assert module.clean_settings(given) == expected


@pytest.mark.parametrize(
    "module, given, loc, shown",
    [
        (text, {"use_markdown": "yes"}, ("use_markdown",), '"yes"'),
        (text, {"use_markdown": 1}, ("use_markdown",), "1"),
        (chat, {"use_markdown": "false"}, ("use_markdown",), '"false"'),
        (custom, {}, ("template",), "required"),
        (custom, {"template": None}, ("template",), "required"),
        (custom, {"template": ""}, ("template",), "empty"),
        (custom, {"template": "   "}, ("template",), "empty"),
        (custom, {"template": 42}, ("template",), "42"),
        (custom, {"template": "<p/>", "advanced_mode": "on"}, ("advanced_mode",), '"on"'),
    ],
)
def test_bad_settings_name_the_key_and_value(module, given, loc, shown):
    problems = problems_of(module.clean_settings, given)
    assert list(problems) == [loc]
    assert shown in problems[loc]


def test_custom_settings_report_every_problem_at_once():
    problems = problems_of(custom.clean_settings, {"template": 1, "advanced_mode": "x"})
    assert set(problems) == {("template",), ("advanced_mode",)}


# text values


@pytest.mark.parametrize("value", ["hello", "", "  ", "# Markdown *ok*"])
def test_text_value_is_any_string(value):
    assert text.clean_value(value, {"type": "text"}) == value


@pytest.mark.parametrize(
    "value, shown",
    [
        (3, "an integer: 3"),
        (None, "null"),
        (["a"], '["a"]'),
        ({"a": 1}, '{"a": 1}'),
        (True, "true"),
    ],
)
def test_text_value_must_be_a_string(value, shown):
    problems = problems_of(text.clean_value, value, {"type": "text"})
    assert list(problems) == [()]
    assert "a string" in problems[()]
    assert shown in problems[()]


# image values


@pytest.mark.parametrize(
    "value",
    [
        "http://example.com/cat.png",
        "https://example.com/a/b.jpg?size=large&x=1#frag",
        "HTTPS://EXAMPLE.COM/CAT.PNG",
        "http://minio:9000/bucket/cat.png",
        "https://example.com/" + "a" * (image.MAX_URL_LENGTH - len("https://example.com/")),
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "data:image/jpeg;name=cat.jpg;base64,/9j/4AAQ",
        "data:image/webp;base64," + "A" * 10_000,
    ],
)
def test_image_value_is_an_http_url_or_image_data_uri(value):
    assert image.clean_value(value, {"type": "image"}) == value


@pytest.mark.parametrize(
    "value, shown",
    [
        ("ftp://example.com/cat.png", '"ftp://example.com/cat.png"'),
        ("example.com/cat.png", '"example.com/cat.png"'),
        ("/static/cat.png", '"/static/cat.png"'),
        ("http://", '"http://"'),
        ("https://exa mple.com/cat.png", '"https://exa mple.com/cat.png"'),
        ("http://[::1/cat.png", '"http://[::1/cat.png"'),
        ("", '""'),
        ("data:text/plain;base64,aGk=", '"data:text/plain;base64,aGk="'),
        ("data:image/png,rawbytes", '"data:image/png,rawbytes"'),
        ("data:image/png;base64,", '"data:image/png;base64,"'),
        ("data:image/png;base64,not base64!", '"data:image/png;base64,not base64!"'),
        ("data:image/;base64,aGk=", '"data:image/;base64,aGk="'),
        (42, "an integer: 42"),
        (None, "null"),
        ({"url": "http://x.org/a.png"}, '{"url": "http://x.org/a.png"}'),
    ],
)
def test_image_value_rejects_other_strings_and_types(value, shown):
    problems = problems_of(image.clean_value, value, {"type": "image"})
    assert list(problems) == [()]
    assert shown in problems[()]


def test_image_url_longer_than_2038_characters_is_rejected():
    value = "https://example.com/" + "a" * (image.MAX_URL_LENGTH - len("https://example.com/") + 1)
    problems = problems_of(image.clean_value, value, {"type": "image"})
    assert list(problems) == [()]
    assert "2038" in problems[()] and str(len(value)) in problems[()]


# chat values


def test_chat_value_keeps_role_and_content_only():
    value = [
        {"role": "user", "content": "Hi", "name": "ann", "id": 3},
        {"role": "assistant", "content": ""},
    ]
    assert chat.clean_value(value, {"type": "chat"}) == [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": ""},
    ]


def test_chat_value_may_be_an_empty_conversation():
    assert chat.clean_value([], {"type": "chat"}) == []


def test_chat_value_allows_500_messages():
    value = [{"role": "user", "content": str(n)} for n in range(chat.MAX_MESSAGES)]
    assert len(chat.clean_value(value, {"type": "chat"})) == 500


@pytest.mark.parametrize(
    "value, loc, shown",
    [
        ("Hi", (), '"Hi"'),
        ({"role": "user", "content": "Hi"}, (), '{"role": "user", "content": "Hi"}'),
        (None, (), "null"),
        ([{"role": "user", "content": "a"}, "Hi"], (1,), '"Hi"'),
        ([{"role": 1, "content": "a"}], (0, "role"), "an integer: 1"),
        ([{"content": "a"}], (0, "role"), "null"),
        ([{"role": "user"}], (0, "content"), "null"),
        ([{"role": "user", "content": ["a"]}], (0, "content"), '["a"]'),
        ([{"role": "user", "content": "a"}] * 501, (), "501"),
    ],
)
def test_chat_value_rejects_bad_messages(value, loc, shown):
    problems = problems_of(chat.clean_value, value, {"type": "chat"})
    assert list(problems) == [loc]
    assert shown in problems[loc]


def test_chat_value_reports_every_bad_message():
    problems = problems_of(chat.clean_value, [{"role": 1, "content": 2}, 3], {"type": "chat"})
    assert set(problems) == {(0, "role"), (0, "content"), (1,)}


# custom values


@pytest.mark.parametrize("value", [{}, {"a": 1, "b": [1, 2], "c": {"d": None}}])
def test_custom_value_is_any_object(value):
    assert custom.clean_value(value, {"type": "custom", "template": "x"}) == value


@pytest.mark.parametrize(
    "value, shown", [([], "[]"), ("{}", '"{}"'), (1, "an integer: 1"), (None, "null")]
)
def test_custom_value_must_be_an_object(value, shown):
    problems = problems_of(custom.clean_value, value, {"type": "custom", "template": "x"})
    assert list(problems) == [()]
    assert "an object" in problems[()] and shown in problems[()]
