-- A user's share has one index, not two: the unique key the upsert checks now leads with the
-- recipient, (user, entity, record), and serves the lookups the recipient index served (the
-- scope predicate's (user, entity), a session's shared entities). Every new share, an approval's
-- included, writes one index entry fewer. The same rows are unique either way.
CREATE UNIQUE INDEX "record_shares_recipient_user_key" ON "record_shares" USING btree ("user_id","entity","record_id") WHERE user_id is not null;--> statement-breakpoint
DROP INDEX "record_shares_user_key";--> statement-breakpoint
DROP INDEX "record_shares_recipient_user_idx";
