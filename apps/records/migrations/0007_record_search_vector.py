"""Full-text search: a stored tsvector per record, computed by PostgreSQL from the fields.

A generated column, so every writer (COPY, upserts, the ORM) keeps it right with no code of
its own, and the text is analysed by PostgreSQL's C parser during the write. It holds every
string value of the fields (not their names), analysed by `loam_words`: English stems of
every word, stop words kept, so "to be" is findable and a word of another language, stemmed
the same way in the query and the text, still matches itself. One parse per record: parsing
is most of the cost, and a second analysis ('simple') nearly doubled it at ingest. Plus the
bigrams of CJK runs (the default parser makes a whole run of Chinese or Japanese one token,
so a word inside it would never match). Not a model field: Django would then read it on
every record query.
"""

from django.db import migrations

# Hiragana, katakana, CJK ideographs (with extension A and compatibility), Hangul syllables.
CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"

FUNCTIONS = f"""
CREATE TEXT SEARCH DICTIONARY loam_english_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION loam_words (COPY = english);
ALTER TEXT SEARCH CONFIGURATION loam_words
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
  WITH loam_english_stem;

CREATE FUNCTION loam_cjk_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(m[1], i, 2)), '{{}}')
  FROM regexp_matches(doc, '[{CJK}]+', 'g') AS m,
       generate_series(1, greatest(length(m[1]) - 1, 1)) AS i
$$;

CREATE FUNCTION loam_search_doc(doc jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT jsonb_to_tsvector('loam_words'::regconfig, doc, '["string"]')
      || CASE WHEN doc::text ~ '[{CJK}]'
              THEN array_to_tsvector(loam_cjk_bigrams(doc::text)) ELSE ''::tsvector END
$$;

ALTER TABLE records_record
  ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (loam_search_doc(fields)) STORED;

CREATE INDEX record_search_gin ON records_record USING gin (search_vector);
"""

DROP = """
DROP INDEX IF EXISTS record_search_gin;
ALTER TABLE records_record DROP COLUMN IF EXISTS search_vector;
DROP FUNCTION IF EXISTS loam_search_doc(jsonb);
DROP FUNCTION IF EXISTS loam_cjk_bigrams(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS loam_words;
DROP TEXT SEARCH DICTIONARY IF EXISTS loam_english_stem;
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0006_pgvector_extension")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP, elidable=False)]
