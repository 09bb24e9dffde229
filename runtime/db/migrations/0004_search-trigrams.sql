-- Free-text search matches with ILIKE '%text%'; trigram GIN indexes (schema sync derives one per
-- searched text field) make that an index lookup instead of a scan. pg_trgm is a trusted contrib
-- extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
