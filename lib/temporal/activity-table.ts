import { sql } from "drizzle-orm";
import { bigint, boolean, check, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Limits enforced both before any SQL runs and by CHECKs in the table. */
export const ACTIVITY_LIMITS = { reason: 2000, actor: 200, actorName: 200, source: 200, kind: 64 } as const;

/**
 * One row per activity: the who and why shared by every tick it covers. Append-only.
 * `at` is the moment the activity is about (server time, or a back-dated moment for
 * imports); `recordedAt` is always when it was really written.
 */
export const temporalActivity = pgTable(
  "temporal_activity",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    source: text("source"),
    kind: text("kind"),
    at: timestamp("at", { withTimezone: true }).notNull(),
    backdated: boolean("backdated").notNull().default(false),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    txid: bigint("txid", { mode: "bigint" }).notNull(),
  },
  (t) => [
    check(
      "temporal_activity_reason_check",
      sql`${t.reason} ~ '[^[:space:]]' and length(${t.reason}) <= ${sql.raw(String(ACTIVITY_LIMITS.reason))}`,
    ),
    check(
      "temporal_activity_actor_check",
      sql`${t.actor} ~ '[^[:space:]]' and length(${t.actor}) <= ${sql.raw(String(ACTIVITY_LIMITS.actor))}`,
    ),
    check("temporal_activity_at_check", sql`${t.at} <= ${t.recordedAt}`),
  ],
);

export type Activity = {
  id: string;
  reason: string;
  actor: string;
  actorName: string | null;
  source: string | null;
  kind: string | null;
  at: Date;
  backdated: boolean;
  recordedAt: Date;
};
