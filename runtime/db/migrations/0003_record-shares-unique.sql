-- Earlier releases could write two shares of one record to one recipient (a race between two
-- writers); keep the newest of each before the unique indexes make that impossible.
DELETE FROM "record_shares" a USING "record_shares" b
WHERE a."entity" = b."entity" AND a."record_id" = b."record_id" AND a."user_id" = b."user_id"
  AND (a."created_at", a."id") < (b."created_at", b."id");--> statement-breakpoint
DELETE FROM "record_shares" a USING "record_shares" b
WHERE a."entity" = b."entity" AND a."record_id" = b."record_id" AND a."department_id" = b."department_id"
  AND (a."created_at", a."id") < (b."created_at", b."id");--> statement-breakpoint
DROP INDEX "record_shares_user_idx";--> statement-breakpoint
DROP INDEX "record_shares_department_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "record_shares_user_key" ON "record_shares" USING btree ("entity","record_id","user_id") WHERE user_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "record_shares_department_key" ON "record_shares" USING btree ("entity","record_id","department_id") WHERE department_id is not null;--> statement-breakpoint
CREATE INDEX "record_shares_recipient_user_idx" ON "record_shares" USING btree ("user_id","entity");--> statement-breakpoint
CREATE INDEX "record_shares_recipient_department_idx" ON "record_shares" USING btree ("department_id","entity");