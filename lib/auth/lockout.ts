/**
 * Sign-in limits: an attempt is counted (claimed) in one atomic statement BEFORE its
 * password is checked, so N concurrent guesses check at most `attempts` passwords per
 * window, however they interleave. Keys are `email:<address>` (known or not, so a lock
 * reveals nothing) and `address:<client address>`. Times come from the database server.
 *
 * What a success gives back differs by key, so neither can be used to reopen a window:
 *  - email: a success forgets the attempts numbered up to its own (the person knew the
 *    password), but not those claimed after it, still in flight: a burst of guesses
 *    racing a success keeps its count;
 *  - address: a success gives back only its own attempt, so signing in to one's own
 *    account between guesses at other emails never resets the address's count.
 * A key uses one of the two, never both, so `forgiven` is either a watermark or a tally.
 */
import { sql, type SQL } from "drizzle-orm";
import type { TemporalDb } from "@temporal-records/drizzle";

export type Limit = { attempts: number; windowMinutes: number; lockMinutes: number };

/** Five attempts per email within 15 minutes; the fifth locks the email for 15 minutes. */
export const LOCKOUT: Limit = { attempts: 5, windowMinutes: 15, lockMinutes: 15 };
/** Twenty failed attempts per client address within 15 minutes (an office behind one address has room). */
export const ADDRESS_LIMIT: Limit = { attempts: 20, windowMinutes: 15, lockMinutes: 15 };

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const emailKey = (email: string) => `email:${normalizeEmail(email)}`;
export const addressLimitKey = (address: string) => `address:${address}`;

/** A counted attempt: its number in the window (1 = first), and the lock its count set, if any. */
export type Claim = { key: string; attempt: number; window: string; lockedUntil: Date | null };
export type ClaimResult = { granted: true; claim: Claim } | { granted: false; until: Date };

type Row = Record<string, unknown>;

async function rows(db: TemporalDb, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}

const minutes = (n: number) => sql`make_interval(mins => ${n}::int)`;
const toDate = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string | Date));

/**
 * Counts one attempt for `key`, or refuses it (nothing counted) while the key is locked
 * or its window is full. One INSERT ... ON CONFLICT DO UPDATE: concurrent claims queue
 * on the row's lock, and each sees the count the previous one left.
 */
export async function claimAttempt(db: TemporalDb, key: string, limit: Limit): Promise<ClaimResult> {
  const max = sql`${limit.attempts}::int`;
  const lock = sql`now() + ${minutes(limit.lockMinutes)}`;
  const fresh = sql`s."window_started_at" <= now() - ${minutes(limit.windowMinutes)}`;
  const counted = sql`CASE WHEN ${fresh} THEN 1 ELSE s."attempts" + 1 - s."forgiven" END`;
  const [row] = await rows(
    db,
    sql`INSERT INTO "sign_in_limit" AS s ("key", "attempts", "forgiven", "window_started_at", "locked_until")
        VALUES (${key}, 1, 0, now(), CASE WHEN ${max} <= 1 THEN ${lock} END)
        ON CONFLICT ("key") DO UPDATE SET
          "attempts" = CASE WHEN ${fresh} THEN 1 ELSE s."attempts" + 1 END,
          "forgiven" = CASE WHEN ${fresh} THEN 0 ELSE s."forgiven" END,
          "window_started_at" = CASE WHEN ${fresh} THEN now() ELSE s."window_started_at" END,
          "locked_until" = CASE WHEN ${counted} >= ${max} THEN ${lock} END
        WHERE (s."locked_until" IS NULL OR s."locked_until" <= now()) AND (${fresh} OR s."attempts" - s."forgiven" < ${max})
        RETURNING "attempts", "window_started_at"::text AS "window", "locked_until"`,
  );
  if (!row) return { granted: false, until: await refusedUntil(db, key, limit) };
  return {
    granted: true,
    claim: { key, attempt: Number(row.attempts), window: String(row.window), lockedUntil: toDate(row.locked_until) },
  };
}

/** When a refused key takes attempts again: the lock's end, or its full window's end. */
async function refusedUntil(db: TemporalDb, key: string, limit: Limit): Promise<Date> {
  const [row] = await rows(
    db,
    sql`SELECT GREATEST("locked_until",
                        CASE WHEN "attempts" - "forgiven" >= ${limit.attempts}::int
                             THEN "window_started_at" + ${minutes(limit.windowMinutes)} END,
                        now()) AS "until"
        FROM "sign_in_limit" WHERE "key" = ${key}`,
  );
  return toDate(row?.until) ?? new Date();
}

/** Sets the claim window's new `forgiven` (never another window's) and lifts the lock once the count is below the limit. */
async function forgive(db: TemporalDb, claim: Claim, forgiven: SQL, limit: Limit): Promise<void> {
  await db.execute(
    sql`UPDATE "sign_in_limit" SET
          "forgiven" = ${forgiven},
          "locked_until" = CASE WHEN "attempts" - ${forgiven} >= ${limit.attempts}::int THEN "locked_until" END
        WHERE "key" = ${claim.key} AND "window_started_at" = ${claim.window}::timestamptz`,
  );
}

/**
 * After a success on an email: forgets the attempts numbered up to this one. Those
 * claimed after it stay counted (a watermark, not a reset), so a burst of guesses
 * racing the success cannot start a new window.
 */
export function forgetAttemptsUpTo(db: TemporalDb, claim: Claim, limit: Limit = LOCKOUT): Promise<void> {
  return forgive(db, claim, sql`GREATEST("forgiven", ${claim.attempt}::int)`, limit);
}

/** Gives back this one attempt (an address's success, or an attempt that checked no password after all). */
export function releaseAttempt(db: TemporalDb, claim: Claim, limit: Limit = ADDRESS_LIMIT): Promise<void> {
  return forgive(db, claim, sql`LEAST("forgiven" + 1, "attempts")`, limit);
}

/** When the key's lock ends, or null when it is not locked (for messages and tests; never the gate). */
export async function lockedUntil(db: TemporalDb, key: string): Promise<Date | null> {
  const [row] = await rows(db, sql`SELECT "locked_until" FROM "sign_in_limit" WHERE "key" = ${key} AND "locked_until" > now()`);
  return toDate(row?.locked_until);
}
