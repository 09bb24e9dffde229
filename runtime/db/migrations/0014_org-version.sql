CREATE TABLE "org_version" (
	"id" integer PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "platform_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
INSERT INTO "org_version" ("id", "version") VALUES (1, 1) ON CONFLICT DO NOTHING;
--> statement-breakpoint
-- Any change to what approvals read of the organisation bumps the version in the changing
-- transaction, so a process that cached the organisation at the old version reads it again as
-- soon as the change is visible. Users count only when a field the organisation view reads moves
-- (a login or a new password does not).
CREATE OR REPLACE FUNCTION trellis_org_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE org_version SET version = version + 1 WHERE id = 1;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_org_rows AFTER INSERT OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_org_changed();
--> statement-breakpoint
CREATE TRIGGER users_org_fields AFTER UPDATE ON users FOR EACH ROW
  WHEN (OLD.username IS DISTINCT FROM NEW.username
    OR OLD.manager_id IS DISTINCT FROM NEW.manager_id
    OR OLD.department_id IS DISTINCT FROM NEW.department_id
    OR OLD.is_admin IS DISTINCT FROM NEW.is_admin
    OR OLD.disabled IS DISTINCT FROM NEW.disabled)
  EXECUTE FUNCTION trellis_org_changed();
--> statement-breakpoint
CREATE TRIGGER user_roles_org AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON user_roles
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_org_changed();
--> statement-breakpoint
CREATE TRIGGER departments_org AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON departments
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_org_changed();
--> statement-breakpoint
CREATE TRIGGER out_of_office_org AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON out_of_office
  FOR EACH STATEMENT EXECUTE FUNCTION trellis_org_changed();
