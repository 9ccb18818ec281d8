CREATE TYPE "public"."plan_tier" AS ENUM('bronze', 'silver', 'gold', 'platinum');--> statement-breakpoint
CREATE TYPE "public"."specialty" AS ENUM('family_medicine', 'internal_medicine', 'pediatrics', 'geriatrics', 'cardiology');--> statement-breakpoint
CREATE TABLE "friend" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"location" text,
	"vclock" integer DEFAULT 1 NOT NULL,
	"retired" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "member" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_number" varchar(12) NOT NULL,
	"full_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"plan" "plan_tier" NOT NULL,
	"premium" numeric(10, 2) NOT NULL,
	"primary_care_provider_id" integer,
	"coverage" jsonb NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"renews_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"vclock" integer DEFAULT 1 NOT NULL,
	"retired" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"specialty" "specialty" NOT NULL,
	"city" text NOT NULL,
	"accepting_new_patients" boolean DEFAULT true NOT NULL,
	"vclock" integer DEFAULT 1 NOT NULL,
	"retired" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_primary_care_provider_id_provider_id_fk" FOREIGN KEY ("primary_care_provider_id") REFERENCES "public"."provider"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "member_member_number_idx" ON "member" USING btree ("member_number");--> statement-breakpoint
CREATE INDEX "member_full_name_idx" ON "member" USING btree ("full_name");--> statement-breakpoint
CREATE INDEX "member_plan_idx" ON "member" USING btree ("plan");