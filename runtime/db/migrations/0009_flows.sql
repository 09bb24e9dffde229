CREATE TABLE "approval_cc" (
	"instance_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"step" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "approval_cc_instance_id_user_id_step_pk" PRIMARY KEY("instance_id","user_id","step")
);
--> statement-breakpoint
CREATE TABLE "approval_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"action" text NOT NULL,
	"user_id" uuid NOT NULL,
	"record_version" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "approval_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"task_key" text NOT NULL,
	"entity" text NOT NULL,
	"record_id" uuid NOT NULL,
	"step" text NOT NULL,
	"assignee" uuid NOT NULL,
	"owner" uuid NOT NULL,
	"delegated_from" uuid,
	"status" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" uuid,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "flow_instances" (
	"id" uuid PRIMARY KEY NOT NULL,
	"flow" text NOT NULL,
	"flow_version" integer NOT NULL,
	"transition" text NOT NULL,
	"entity" text NOT NULL,
	"record_id" uuid NOT NULL,
	"submitter" uuid NOT NULL,
	"status" text NOT NULL,
	"data" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "out_of_office" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"substitute_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_cc" ADD CONSTRAINT "approval_cc_instance_id_flow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."flow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_links" ADD CONSTRAINT "approval_links_task_id_approval_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."approval_tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_tasks" ADD CONSTRAINT "approval_tasks_instance_id_flow_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."flow_instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "out_of_office" ADD CONSTRAINT "out_of_office_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "out_of_office" ADD CONSTRAINT "out_of_office_substitute_id_users_id_fk" FOREIGN KEY ("substitute_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_cc_user_idx" ON "approval_cc" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "approval_links_task_idx" ON "approval_links" USING btree ("task_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approval_tasks_instance_key" ON "approval_tasks" USING btree ("instance_id","task_key");--> statement-breakpoint
CREATE INDEX "approval_tasks_assignee_idx" ON "approval_tasks" USING btree ("assignee","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "approval_tasks_decided_idx" ON "approval_tasks" USING btree ("decided_by","decided_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "flow_instances_running_key" ON "flow_instances" USING btree ("entity","record_id") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "flow_instances_record_idx" ON "flow_instances" USING btree ("entity","record_id");--> statement-breakpoint
CREATE INDEX "flow_instances_submitter_idx" ON "flow_instances" USING btree ("submitter","started_at" DESC NULLS LAST);