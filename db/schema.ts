/**
 * The demo schema: the talk's `friend` table, and a health-plan table set that
 * exercises numbers, dates, enums, jsonb, arrays and a foreign key.
 */
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, numeric, pgEnum, serial, text, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";
import { temporalTable } from "@temporal-records/drizzle";
import { staff } from "./auth-schema";
import { ruleChecks } from "./rule-checks";

export * from "./auth-schema";

export const friend = temporalTable(
  "friend",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    location: text("location"),
  },
  { track: ["name", "location"], sortable: ["name", "location"], extraConfig: (t) => ruleChecks("friend", t) },
);

export const specialty = pgEnum("specialty", ["family_medicine", "internal_medicine", "pediatrics", "geriatrics", "cardiology"]);

export const provider = temporalTable(
  "provider",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    specialty: specialty("specialty").notNull(),
    city: text("city").notNull(),
    acceptingNewPatients: boolean("accepting_new_patients").notNull().default(true),
  },
  {
    track: ["name", "specialty", "city", "acceptingNewPatients"],
    sortable: ["name", "specialty", "city", "acceptingNewPatients"],
    extraConfig: (t) => ruleChecks("provider", t),
  },
);

export const planTier = pgEnum("plan_tier", ["bronze", "silver", "gold", "platinum"]);

export type Coverage = { dental: boolean; vision: boolean; deductible: number };

export const member = temporalTable(
  "member",
  {
    id: serial("id").primaryKey(),
    memberNumber: varchar("member_number", { length: 12 }).notNull(),
    fullName: text("full_name").notNull(),
    dateOfBirth: date("date_of_birth", { mode: "string" }).notNull(),
    plan: planTier("plan").notNull(),
    premium: numeric("premium", { precision: 10, scale: 2 }).notNull(),
    primaryCareProviderId: integer("primary_care_provider_id").references(() => provider.id),
    coverage: jsonb("coverage").$type<Coverage>().notNull(),
    tags: text("tags")
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    renewsOn: date("renews_on", { mode: "string" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  {
    track: ["fullName", "dateOfBirth", "plan", "premium", "primaryCareProviderId", "coverage", "tags", "renewsOn"],
    // The columns the table as of a moment sorts by (each a sort index in its history table, one more index
    // write per change of it). Not the primary care provider (shown by name, its id's order means nothing to a
    // reader) nor the programs (a list).
    sortable: ["fullName", "dateOfBirth", "plan", "premium", "renewsOn"],
    extraConfig: (t) => [
      ...ruleChecks("member", t),
      uniqueIndex("member_member_number_idx").on(t.memberNumber),
      index("member_full_name_idx").on(t.fullName),
      index("member_plan_idx").on(t.plan),
    ],
  },
);

/** Every temporal table of the app, in the order screens list them. */
export const temporalTables = [member, provider, friend, staff] as const;
