-- A recipient's shares are keyed by (user, entity, record), not (user, entity): with the record
-- left out, all of an approver's shares of one entity were one key, kept as one posting list on
-- one leaf page, and every transition that started an approval for that approver rewrote it.
-- Lookups by (user, entity) read the same index as before.
DROP INDEX "record_shares_recipient_user_idx";--> statement-breakpoint
CREATE INDEX "record_shares_recipient_user_idx" ON "record_shares" USING btree ("user_id","entity","record_id");