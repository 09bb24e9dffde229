-- Free-text search matches with ILIKE '%text%'; trigram GIN indexes (schema sync derives one per
-- searched text field) make that an index lookup instead of a scan. pg_trgm is a trusted contrib
-- extension: a role with CREATE on the database may create it. Without that right, or without
-- contrib installed, the platform still runs: schema sync plans no trigram index while the
-- operator class is missing (search only scans), and adds them once someone creates the
-- extension. Databases that applied the first version of this file already have the extension.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'pg_trgm is not available (%): search runs without trigram indexes', SQLERRM;
END
$$;
