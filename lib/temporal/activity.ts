import { sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { ACTIVITY_LIMITS, isBlank, type Activity } from "./activity-table";
import { parseTimestamp } from "./columns";
import { transaction } from "./connection";
import { rows, translated, type TemporalDb } from "./db";
import { ACTIVITY_SETTING } from "./ddl";
import { InvalidActivityError, MissingActivityError } from "./errors";
import { ident } from "./names";

/** Who and why for a set of writes. `at` back-dates an import of existing history. */
export type ActivityInput = {
  reason: string;
  actor: string;
  /** How the actor is shown (their name at the time), kept beside the stable id in `actor`. */
  actorName?: string | null;
  source?: string | null;
  kind?: string | null;
  at?: Date;
};

/** The activity in progress inside withActivity. */
export type ActivityContext = Pick<Activity, "id" | "reason" | "actor" | "at" | "backdated">;

const contexts = new WeakMap<object, ActivityContext>();

/** The activity `db` is inside of, if it is a withActivity transaction. */
export function currentActivity(db: TemporalDb): ActivityContext | undefined {
  return contexts.get(db);
}

function text(field: "reason" | "actor" | "actorName" | "source" | "kind", value: unknown, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required)
      throw new InvalidActivityError(
        field,
        `An activity needs a ${field}: say ${field === "reason" ? "why this change is made" : "who makes it"}.`,
      );
    return null;
  }
  if (typeof value !== "string") throw new InvalidActivityError(field, `The activity's ${field} must be text.`);
  if (value.includes("\u0000")) {
    throw new InvalidActivityError(
      field,
      `The activity's ${field} contains a NUL character (U+0000), which Postgres text cannot hold: remove it.`,
    );
  }
  if (required && isBlank(value)) {
    throw new InvalidActivityError(
      field,
      `The activity's ${field} is blank (nothing but spaces or invisible characters): say ${field === "reason" ? "why this change is made" : "who makes it"}.`,
    );
  }
  const limit = ACTIVITY_LIMITS[field];
  if (value.length > limit) {
    throw new InvalidActivityError(field, `The activity's ${field} is ${value.length} characters long; the limit is ${limit}.`);
  }
  return value;
}

export type ValidActivity = {
  reason: string;
  actor: string;
  actorName: string | null;
  source: string | null;
  kind: string | null;
  at: Date | null;
};

/** Checks an activity before any SQL runs (the database checks it again, and that `at` is not in the future). */
export function validateActivity(input: ActivityInput | undefined): ValidActivity {
  if (!input || typeof input !== "object") throw new MissingActivityError();
  const at = input.at ?? null;
  if (at !== null && (!(at instanceof Date) || Number.isNaN(at.getTime()))) {
    throw new InvalidActivityError("at", "The activity's `at` must be a valid Date.");
  }
  return {
    reason: text("reason", input.reason, true)!,
    actor: text("actor", input.actor, true)!,
    actorName: text("actorName", input.actorName, false),
    source: text("source", input.source, false),
    kind: text("kind", input.kind, false),
    at,
  };
}

/**
 * CTEs that insert the activity (once per row of the CTE named `source`, or once) and
 * set it for the transaction (in the INSERT's RETURNING: a data-modifying CTE always
 * runs to completion, referenced or not): `bound` holds its id once set. A write in the same
 * statement that joins `bound` runs with the activity in place, and its after-statement
 * triggers record it: one statement, one round trip.
 */
export function activityCtes(input: ValidActivity, source?: string): SQL {
  // recorded_at, txid (and `at` unless back-dated) are stamped by the table's trigger: not ours to say.
  const from = source === undefined ? sql`` : sql` FROM ${ident(source)}`;
  return sql`inserted AS (
        INSERT INTO "temporal_activity" ("reason", "actor", "actor_name", "source", "kind", "at", "backdated")
        SELECT ${input.reason}, ${input.actor}, ${input.actorName}, ${input.source}, ${input.kind},
               ${input.at?.toISOString() ?? null}::timestamptz, ${input.at !== null}${from}
        RETURNING "id", "at", "backdated", set_config(${ACTIVITY_SETTING}, "id"::text, true) AS "setting"),
      bound AS (SELECT * FROM inserted)`;
}

/**
 * Whether a write on `db` may open its activity in its own statement: not inside an
 * activity (it joins that one) and not inside any transaction (the activity setting
 * must end with the statement, never outlive it in a caller's transaction).
 */
export function ownStatementActivity(db: TemporalDb, activity: ActivityInput | undefined): activity is ActivityInput {
  return activity !== undefined && !contexts.has(db) && !(db instanceof PgTransaction);
}

async function openActivity(tx: TemporalDb, input: ValidActivity): Promise<ActivityContext> {
  const [row] = await rows<{ id: string | number; at: string | Date; backdated: boolean }>(
    tx,
    sql`WITH ${activityCtes(input)} SELECT "id", "at", "backdated", "setting" FROM bound`,
  );
  return {
    id: String(row!.id),
    reason: input.reason,
    actor: input.actor,
    at: parseTimestamp(row!.at),
    backdated: row!.backdated,
  };
}

/**
 * Runs `fn` in a transaction with an activity: every write to a temporal table
 * inside it, by any path, is recorded under this reason and actor. The activity
 * is transaction-local, so it can never leak to another request. Nested calls open
 * a savepoint with their own activity.
 *
 * @example
 * await withActivity(db, { reason: "Moved to SF", actor: "ops@clover" }, async (tx) => {
 *   await tx.update(friend).set({ location: "San Francisco" }).where(eq(friend.id, 2));
 * });
 */
export async function withActivity<T>(
  db: TemporalDb,
  activity: ActivityInput,
  fn: (tx: TemporalDb, activity: ActivityContext) => Promise<T>,
): Promise<T> {
  const input = validateActivity(activity);
  const outer = contexts.get(db);
  return translated(() =>
    transaction(db, async (tx) => {
      const context = await openActivity(tx, input);
      contexts.set(tx, context);
      const result = await fn(tx, context);
      if (outer) await tx.execute(sql`SELECT set_config(${ACTIVITY_SETTING}, ${outer.id}, true)`);
      return result;
    }),
  );
}

/**
 * Runs `fn` inside the activity `db` is already in (as a savepoint, so a failure
 * undoes only this call), or opens one from `activity`.
 */
export async function inActivity<T>(db: TemporalDb, activity: ActivityInput | undefined, fn: (tx: TemporalDb) => Promise<T>): Promise<T> {
  const joined = contexts.get(db);
  if (!joined) {
    if (activity === undefined) throw new MissingActivityError();
    return withActivity(db, activity, (tx) => fn(tx));
  }
  return translated(() =>
    transaction(db, async (savepoint) => {
      contexts.set(savepoint, joined);
      return fn(savepoint);
    }),
  );
}
