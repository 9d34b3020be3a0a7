"""Every string Loam marks for translation has a real Simplified Chinese translation."""

from django.utils import translation

from tests.i18n.catalogue import CATALOGUES, catalogue_problems, source_messages


def test_there_is_a_simplified_chinese_catalogue():
    assert [po.parts[-3] for po in CATALOGUES] == ["zh_Hans"]


def test_every_marked_string_is_translated():
    messages = source_messages()
    assert len(messages) > 450  # the extractor found Loam's strings, not an empty set
    for po in CATALOGUES:
        assert catalogue_problems(po, messages) == []


def test_a_string_missing_from_the_catalogue_is_reported(tmp_path):
    template = tmp_path / "new.html"
    template.write_text('{% load i18n %}<p>{% translate "A string nobody translated" %}</p>')
    module = tmp_path / "new.py"
    module.write_text('from django.utils.translation import gettext as _\n_("Submit")\n')
    problems = catalogue_problems(CATALOGUES[0], source_messages([template, module]))
    assert problems == [f"{template}: 'A string nobody translated' is not in django.po"]


def test_placeholders_must_survive_translation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "你好"\n'
    )
    problems = catalogue_problems(po, {(None, "Hello %(name)s"): "x.py"})
    assert problems == ["x.py: 'Hello %(name)s' translation has other placeholders"]


def test_the_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Submit") == "提交"
        assert (
            translation.ngettext("Answered %(n)d record.", "Answered %(n)d records.", 5) % {"n": 5}
            == "已回答 5 条记录。"
        )
