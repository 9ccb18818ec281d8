/**
 * Failed sign-ins, counted per email whether or not an account exists (so a lock
 * reveals nothing): five failures within 15 minutes lock that email for 15
 * minutes. Times come from the database server.
 */
import { sql } from "drizzle-orm";
import type { TemporalDb } from "@/lib/temporal";

export const LOCKOUT = { failures: 5, windowMinutes: 15, lockMinutes: 15 } as const;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

async function first<T>(db: TemporalDb, query: ReturnType<typeof sql>): Promise<T | undefined> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows[0];
}

/** When the email's lock ends, or null when it is not locked. */
export async function lockedUntil(db: TemporalDb, email: string): Promise<Date | null> {
  const row = await first<{ until: string | Date }>(
    db,
    sql`SELECT "locked_until" AS "until" FROM "sign_in_attempt" WHERE "email" = ${normalizeEmail(email)} AND "locked_until" > now()`,
  );
  return row ? new Date(row.until) : null;
}

/** Counts a failure; returns the lock's end when this failure locked the email. */
export async function recordFailure(db: TemporalDb, email: string): Promise<Date | null> {
  const window = sql.raw(`interval '${LOCKOUT.windowMinutes} minutes'`);
  const lock = sql.raw(`interval '${LOCKOUT.lockMinutes} minutes'`);
  const row = await first<{ until: string | Date | null }>(
    db,
    sql`INSERT INTO "sign_in_attempt" AS s ("email", "failures", "last_failure_at")
        VALUES (${normalizeEmail(email)}, 1, now())
        ON CONFLICT ("email") DO UPDATE SET
          "failures" = CASE WHEN s."last_failure_at" < now() - ${window} THEN 1 ELSE s."failures" + 1 END,
          "last_failure_at" = now(),
          "locked_until" = CASE
            WHEN (CASE WHEN s."last_failure_at" < now() - ${window} THEN 1 ELSE s."failures" + 1 END) >= ${LOCKOUT.failures}
            THEN now() + ${lock} ELSE s."locked_until" END
        RETURNING CASE WHEN "locked_until" > now() THEN "locked_until" END AS "until"`,
  );
  return row?.until ? new Date(row.until) : null;
}

/** Forgets the failures after a successful sign-in. */
export async function clearFailures(db: TemporalDb, email: string): Promise<void> {
  await db.execute(sql`DELETE FROM "sign_in_attempt" WHERE "email" = ${normalizeEmail(email)}`);
}
