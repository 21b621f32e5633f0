"""Word-level full-text search of people's names on PostgreSQL.

`name_search`, a STORED generated tsvector derived from `name_folded` by the server (no model field:
Django lists its columns in every INSERT and COPY, so bulk writes and the demo loader never name it,
and pg_dump leaves it to the server), holds every prefix of every word of the name as a key: the
words are split on anything but a-z and 0-9, as the regular expression of SQLite does ("h'hen nie": h, hen, nie) and, apostrophes
dropped, taken again (hhen, nie), so that a name typed without its apostrophe is found too; each
whole word is a key once more with a full stop ('hen.'). A typed word is then one exact key
(`'he' & 'nie'`), found in the GIN index `person_name_search` by intersecting posting lists, and
checked on a row for the price of a comparison; "every typed word is a whole word" of the ranking
is `'hen.' & 'nie.'`. The price: about 110 bytes a row (org_person at 1,000,000 people: 228 MB → 337 MB).

Why prefixes as keys and not `'word':*` prefix queries over the words alone (`to_tsvector`): GIN
answers a prefix query by merging the posting lists of every word that starts so, half the people
for "thi" or "van": 35 to 160 ms a search at 1,000,000 people, where exact keys take a few
milliseconds.

The trigram index of migration 0002 on people's names is dropped: no query uses it any more, and it
slowed imports. The query side is `thidua.org.models.NameSearch`; SQLite keeps the regular
expression of `thidua.lib.text.name_word_pattern`.
"""

from django.db import migrations

# plpgsql: several times faster than the same in one SQL statement (set-returning functions and an
# aggregate per row), about 18 µs a name; the keys are runs of letters and digits (no quoting).
NAME_SEARCH = r"""
CREATE OR REPLACE FUNCTION thidua_name_search(folded text) RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  keys text := '';
  word text;
BEGIN
  -- the words again without apostrophes only where there are some (most names have none)
  FOREACH word IN ARRAY regexp_split_to_array(
      CASE WHEN strpos(folded, '''') > 0 THEN folded || ' ' || replace(folded, '''', '') ELSE folded END,
      '[^a-z0-9]+') LOOP
    CONTINUE WHEN word = '';
    FOR n IN 1..length(word) LOOP
      keys := keys || ' ' || left(word, n);
    END LOOP;
    keys := keys || ' ' || word || '.';
  END LOOP;
  RETURN array_to_tsvector(string_to_array(substr(keys, 2), ' '));
END
$$
"""
FORWARD = [
    NAME_SEARCH,
    "ALTER TABLE org_person ADD COLUMN IF NOT EXISTS name_search tsvector"
    " GENERATED ALWAYS AS (thidua_name_search(name_folded)) STORED",
    # The planner's estimate of a search's matches comes from the most common keys: keep many.
    "ALTER TABLE org_person ALTER COLUMN name_search SET STATISTICS 1000",
    "CREATE INDEX IF NOT EXISTS person_name_search ON org_person USING gin (name_search)",
    "DROP INDEX IF EXISTS person_name_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS person_name_trgm ON org_person USING gin (name_folded gin_trgm_ops)",
    "DROP INDEX IF EXISTS person_name_search",
    "ALTER TABLE org_person DROP COLUMN IF EXISTS name_search",
    "DROP FUNCTION IF EXISTS thidua_name_search(text)",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql, params=None)  # no parameters: the function's % stay as written


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("org", "0008_fold_apostrophes")]
    operations = [migrations.RunPython(forward, backward)]
