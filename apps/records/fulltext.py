"""Full-text search over record fields, on the stored `search_vector` (migration records/0007).

Every word of the query must match, analysed as the text was (`loam_words`: English stems,
stop words kept); CJK runs match by their bigrams, as they are indexed. Relevance is
PostgreSQL's `ts_rank` (higher is better).
"""

import re

from django.db.models import BooleanField, Expression, FloatField

# The ranges migration records/0007 indexes as bigrams.
_CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [f"'{run}':*"]  # a lone character: the bigrams it starts
    return [f"'{run[i : i + 2]}'" for i in range(len(run) - 1)]


def tsquery_sql(text: str) -> tuple[str, list] | None:
    """The SQL of `text`'s tsquery and its parameters; None when it holds no words."""
    parts, params = [], []
    rest = _CJK_RUN.sub(" ", text).strip()
    if rest:
        parts.append("plainto_tsquery('loam_words', %s)")
        params.append(rest)
    grams = [gram for run in _CJK_RUN.findall(text) for gram in _bigrams(run)]
    if grams:
        # Only CJK characters go into this literal: nothing to escape.
        parts.append("%s::tsquery")
        params.append(" & ".join(grams))
    if not parts:
        return None
    return " && ".join(parts), params


class _OnRecord(Expression):
    """SQL over the queried record row (`{t}` is its alias): the search vector is not a
    model field, so the ORM cannot name it."""

    def __init__(self, template: str, params: list, output_field):
        super().__init__(output_field=output_field)
        self.template, self.params = template, params

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(t=alias), list(self.params)


def _document(field: str | None) -> tuple[str, list]:
    if field is None:
        return "{t}.search_vector", []
    # One field: the same analysis, of that field alone (checked after the index matched).
    return "loam_search_doc({t}.fields -> %s)", [field]


def matches(text: str, field: str | None = None) -> Expression | None:
    """A filter: the record's text (or `field`'s) holds every word of `text`."""
    query = tsquery_sql(text)
    if query is None:
        return None
    sql, params = query
    condition, condition_params = f"{{t}}.search_vector @@ ({sql})", params
    if field is not None:
        document, document_params = _document(field)
        condition += f" AND {document} @@ ({sql})"
        condition_params = [*params, *document_params, *params]
    return _OnRecord(condition, condition_params, BooleanField())


def rank(text: str, field: str | None = None) -> Expression | None:
    """The relevance of the record to `text`: `ts_rank`, higher is better."""
    query = tsquery_sql(text)
    if query is None:
        return None
    sql, params = query
    document, document_params = _document(field)
    return _OnRecord(f"ts_rank({document}, {sql})", [*document_params, *params], FloatField())
