"""Each response carries its record's dataset, kept by the database (not a model field, as
records' `search_vector`): a trigger fills it on insert, whoever inserts (COPY, upserts, the
ORM), and a record never changes dataset. With the index below, the number of a dataset's
records with a response of some status is counted from the responses alone: counting it
from the records probed every record of the dataset (120-200 ms at a million records,
bench/search.py) where the dataset's responses are a tenth of that (apps/records/search.py,
`_response_status_count`).
"""

from django.db import migrations

FORWARD = """
ALTER TABLE responses_response ADD COLUMN dataset_id uuid;
UPDATE responses_response r SET dataset_id = rec.dataset_id
  FROM records_record rec WHERE rec.id = r.record_id;
ALTER TABLE responses_response ALTER COLUMN dataset_id SET NOT NULL;

CREATE FUNCTION loam_response_dataset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT dataset_id INTO NEW.dataset_id FROM records_record WHERE id = NEW.record_id;
  RETURN NEW;
END $$;
CREATE TRIGGER response_dataset BEFORE INSERT ON responses_response
  FOR EACH ROW EXECUTE FUNCTION loam_response_dataset();

CREATE INDEX response_dataset_status ON responses_response (dataset_id, status, record_id);
"""

BACKWARD = """
DROP INDEX IF EXISTS response_dataset_status;
DROP TRIGGER IF EXISTS response_dataset ON responses_response;
DROP FUNCTION IF EXISTS loam_response_dataset();
ALTER TABLE responses_response DROP COLUMN IF EXISTS dataset_id;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("responses", "0002_response_active_seconds"),
        ("records", "0009_drop_metadata_gin_index"),
    ]
    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
