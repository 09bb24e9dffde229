-- Time-ordered ids (the layout of UUID version 7: 48 bits of Unix milliseconds, then random
-- bits): new rows land at the right edge of the primary key and of every (column, id) index
-- instead of on a random page of each, which keeps bulk writes to large tables in memory.
CREATE OR REPLACE FUNCTION trellis_uuid7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
      || set_byte(rest, 0, (get_byte(rest, 0) & 15) | 112),
    'hex')::uuid
  FROM (SELECT substring(uuid_send(gen_random_uuid()) FROM 7) AS rest) AS random_part
$$;--> statement-breakpoint
ALTER TABLE "api_tokens" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "approval_tasks" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "departments" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "import_jobs" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "notifications" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "positions" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "record_shares" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "id" SET DEFAULT trellis_uuid7();--> statement-breakpoint
-- The entity tables made before this migration (new ones are created with this default).
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT table_name FROM information_schema.columns
    WHERE table_schema = 'app' AND column_name = 'id' AND column_default = 'gen_random_uuid()'
  LOOP
    EXECUTE format('ALTER TABLE app.%I ALTER COLUMN id SET DEFAULT trellis_uuid7()', t.table_name);
  END LOOP;
END $$;
