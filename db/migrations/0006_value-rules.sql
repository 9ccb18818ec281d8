ALTER TABLE "friend" ADD CONSTRAINT "friend_name_rule" CHECK (btrim("name") <> '');--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_member_number_rule" CHECK (btrim("member_number") <> '');--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_full_name_rule" CHECK (btrim("full_name") <> '');--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_premium_rule" CHECK ("premium" >= 0 AND "premium" <= 100000);--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_date_of_birth_rule" CHECK ("date_of_birth" >= '1900-01-01'::date AND "date_of_birth" <= '2099-12-31'::date);--> statement-breakpoint
ALTER TABLE "member" ADD CONSTRAINT "member_renews_on_rule" CHECK ("renews_on" >= '2000-01-01'::date AND "renews_on" <= '2099-12-31'::date);--> statement-breakpoint
ALTER TABLE "provider" ADD CONSTRAINT "provider_name_rule" CHECK (btrim("name") <> '');--> statement-breakpoint
ALTER TABLE "provider" ADD CONSTRAINT "provider_city_rule" CHECK (btrim("city") <> '');--> statement-breakpoint
ALTER TABLE "staff" ADD CONSTRAINT "staff_name_rule" CHECK (btrim("name") <> '');