-- trellis_uuid7() as one expression with no FROM clause, so the planner inlines it into the
-- statement that calls it (a column default included). Written as a query with a FROM (0016),
-- every statement that called it parsed and planned the function's body again: a quarter of
-- a transition's database time went there. Same layout: 48 bits of Unix milliseconds, the
-- version 7 nibble, then gen_random_uuid()'s random bits and variant.
CREATE OR REPLACE FUNCTION trellis_uuid7() RETURNS uuid
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT (lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
    || '7' || substr(gen_random_uuid()::text, 16))::uuid
$$;
