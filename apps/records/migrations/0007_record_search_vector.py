"""Full-text search: a stored tsvector per record, computed by PostgreSQL from the fields.

A generated column, so every writer (COPY, upserts, the ORM) keeps it right with no code of
its own, and the text is analysed by PostgreSQL's C parser during the write. It holds every
string value of the fields (not their names) three ways: English stems, words as written
('simple', for other languages and stop words), and bigrams of CJK runs (the default parser
makes a whole run of Chinese or Japanese one token, so a word inside it would never match).
Not a model field: Django would then read it on every record query.
"""

from django.db import migrations

# Hiragana, katakana, CJK ideographs (with extension A and compatibility), Hangul syllables.
CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"

FUNCTIONS = f"""
CREATE FUNCTION loam_cjk_bigrams(doc text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(m[1], i, 2)), '{{}}')
  FROM regexp_matches(doc, '[{CJK}]+', 'g') AS m,
       generate_series(1, greatest(length(m[1]) - 1, 1)) AS i
$$;

CREATE FUNCTION loam_search_doc(doc jsonb) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT jsonb_to_tsvector('english'::regconfig, doc, '["string"]')
      || jsonb_to_tsvector('simple'::regconfig, doc, '["string"]')
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
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0006_pgvector_extension")]
    operations = [migrations.RunSQL(FUNCTIONS, DROP, elidable=False)]
