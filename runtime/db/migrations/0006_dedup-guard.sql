-- The guard of a create under a block de-duplication rule, so that the create is one statement
-- with no explicit transaction. It takes the rules' advisory locks (pairs of keys, in rule order),
-- then runs the duplicate probe (the platform's own SQL text, values passed apart as a text
-- array): a VOLATILE function's queries each take a fresh snapshot under READ COMMITTED, so the
-- probe sees every row an earlier holder of the lock committed, which the calling statement's own
-- snapshot, taken before the lock was granted, cannot. The locks last until the calling
-- transaction ends. Each probe is prepared once per session (planning it on every call cost four
-- times its run): a session setting marks it prepared; a rolled-back transaction undoes the mark
-- but not the PREPARE, hence the duplicate case.
CREATE OR REPLACE FUNCTION trellis_dedup_clear(lock_keys integer[], probe text, args text[])
RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  statement text := 'trellis_dedup_' || md5(probe);
  found_one boolean;
BEGIN
  FOR i IN 1 .. coalesce(array_length(lock_keys, 1), 0) / 2 LOOP
    PERFORM pg_advisory_xact_lock(lock_keys[2 * i - 1], lock_keys[2 * i]);
  END LOOP;
  IF current_setting('trellis.' || statement, true) IS DISTINCT FROM 'prepared' THEN
    BEGIN
      EXECUTE format('PREPARE %I(text[]) AS %s', statement, probe);
    EXCEPTION WHEN duplicate_prepared_statement THEN
      NULL;
    END;
    PERFORM set_config('trellis.' || statement, 'prepared', false);
  END IF;
  EXECUTE format('EXECUTE %I(%L)', statement, args) INTO found_one;
  RETURN NOT coalesce(found_one, false);
END
$$;
