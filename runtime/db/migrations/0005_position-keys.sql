-- Earlier releases kept these ids without keys: clear the ones that point nowhere first.
UPDATE "positions" SET "department_id" = NULL WHERE "department_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "departments" d WHERE d."id" = "positions"."department_id");--> statement-breakpoint
UPDATE "users" SET "position_id" = NULL WHERE "position_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "positions" p WHERE p."id" = "users"."position_id");--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_position_id_positions_id_fk" FOREIGN KEY ("position_id") REFERENCES "public"."positions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_position_idx" ON "users" USING btree ("position_id");