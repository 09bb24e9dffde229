DROP INDEX "approval_tasks_decided_idx";--> statement-breakpoint
DROP INDEX "record_shares_recipient_department_idx";--> statement-breakpoint
CREATE INDEX "approval_tasks_decided_idx" ON "approval_tasks" USING btree ("decided_by","decided_at" DESC NULLS LAST) WHERE decided_by is not null;--> statement-breakpoint
CREATE INDEX "record_shares_recipient_department_idx" ON "record_shares" USING btree ("department_id","entity") WHERE department_id is not null;