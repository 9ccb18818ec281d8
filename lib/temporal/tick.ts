/** tick: one record's change as one tick, in one statement when it has its own activity. */
import { sql, type SQL } from "drizzle-orm";
import { activityCtes, inActivity, ownStatementActivity, validateActivity, type ActivityInput } from "./activity";
import { rows, type TemporalDb } from "./db";
import { NO_MATCH_SETTING } from "./capture-settings";
import { MissingActivityError, NotFoundError, StaleVclockError } from "./errors";
import { col, ident } from "./names";
import { entityRef } from "./sql-parts";
import { metaOf, type AnyTemporalTable, type TemporalMeta } from "./table";
import { checkChanges, keyCondition, normalizeKey, type Key, type KeyInput } from "./values";
import { changedFlags, checkExpectedVclock, currentRow, selectList, tickResult } from "./write-returning";
import type { Changes, Row, TickResult } from "./write-types";

/** One tick's pieces of SQL and what to say when its UPDATE matched nothing. */
type TickPlan = {
  meta: TemporalMeta;
  key: Key;
  expected: number | undefined;
  /** `SET` list: each changed column to its value, cast to the column's type. */
  assignments: SQL;
  /** The updated row `e` is the locked row `prev`. */
  sameRow: SQL;
};

/** Throws why a tick's UPDATE matched no row: the record is not there, or it moved past the expected version. */
async function missingOrStale(tx: TemporalDb, plan: TickPlan): Promise<never> {
  const current = await currentRow(tx, plan.meta, plan.key);
  if (!current) throw new NotFoundError(plan.meta.name, plan.key);
  throw new StaleVclockError(plan.expected!, current.vclock as number, current);
}

/**
 * Its own activity, outside any transaction: one statement, so one round trip. It locks the row
 * (checking the expected version), inserts the activity only if the row is there, sets it for
 * the statement's own transaction, and updates the row; the after-statement trigger records the
 * tick. Nothing matched means nothing was written, not even the activity.
 */
async function tickInOneStatement<T extends AnyTemporalTable>(
  db: TemporalDb,
  plan: TickPlan,
  activity: ActivityInput,
): Promise<TickResult<T>> {
  const { meta, expected } = plan;
  const input = validateActivity(activity);
  const guard = expected === undefined ? sql`` : sql` AND e."vclock" = ${expected}`;
  try {
    const [raw] = await rows(
      db,
      sql`WITH prev AS (SELECT * FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, plan.key, "e")}${guard} FOR UPDATE),
          ${activityCtes(input, "prev")}
          UPDATE ${entityRef(meta)} AS e SET ${plan.assignments}
            FROM prev, bound
           WHERE ${plan.sameRow} AND bound."setting" IS NOT NULL AND (SELECT set_config(${NO_MATCH_SETTING}, 'on', true)) = 'on'
       RETURNING ${selectList(meta, "e")}, ${changedFlags(meta, "e", "prev")}`,
      { prepared: true },
    );
    return raw ? tickResult<T>(meta, raw) : missingOrStale(db, plan);
  } catch (error) {
    // No row matched, so no activity was made: the UPDATE of no rows passes its after-statement trigger (the
    // uncorrelated set_config runs once, before the join). A trigger generated before NO_MATCH_SETTING refuses it
    // for want of an activity instead: either way the statement wrote nothing. Say why nothing matched.
    if (error instanceof MissingActivityError) return missingOrStale(db, plan);
    throw error;
  }
}

/** Inside a transaction's activity (the caller's, or one opened for it): lock, update, return. */
async function tickInTransaction<T extends AnyTemporalTable>(tx: TemporalDb, plan: TickPlan): Promise<TickResult<T>> {
  const { meta, expected } = plan;
  const guard = expected === undefined ? sql`` : sql` AND prev."vclock" = ${expected}`;
  const [raw] = await rows(
    tx,
    sql`WITH prev AS (SELECT * FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, plan.key, "e")} FOR UPDATE)
        UPDATE ${entityRef(meta)} AS e SET ${plan.assignments}
          FROM prev
         WHERE ${plan.sameRow}${guard}
     RETURNING ${selectList(meta, "e")}, ${changedFlags(meta, "e", "prev")}`,
    { prepared: true },
  );
  return raw ? tickResult<T>(meta, raw) : missingOrStale(tx, plan);
}

/** No change given: nothing is written, but the record must be there (at the expected version). */
async function unchangedTick<T extends AnyTemporalTable>(tx: TemporalDb, plan: TickPlan): Promise<TickResult<T>> {
  const current = await currentRow(tx, plan.meta, plan.key);
  if (!current) throw new NotFoundError(plan.meta.name, plan.key);
  if (plan.expected !== undefined && current.vclock !== plan.expected) {
    throw new StaleVclockError(plan.expected, current.vclock as number, current);
  }
  return { vclock: current.vclock as number, changed: [], row: current as Row<T> };
}

/**
 * Changes a record's properties as one tick. With `expectedVclock`, a record that
 * changed since it was read is refused with StaleVclockError and nothing is written.
 * A change that leaves every tracked value as it was does not tick.
 *
 * @example
 * const { vclock, changed } = await tick(db, friend, 2, { location: "San Francisco" },
 *   { reason: "Moved", actor: "joey" }, { expectedVclock: 1 });
 */
export async function tick<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  changes: Changes<T>,
  activity?: ActivityInput,
  options: { expectedVclock?: number } = {},
): Promise<TickResult<T>> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const entries = checkChanges(meta, changes as Record<string, unknown>, "change");
  checkExpectedVclock(options.expectedVclock);
  const plan: TickPlan = {
    meta,
    key: k,
    expected: options.expectedVclock,
    assignments: sql.join(
      entries.map(([column, value]) => sql`${ident(column.name)} = ${sql.param(value, column.column)}::${sql.raw(column.sqlType)}`),
      sql`, `,
    ),
    sameRow: sql.raw(meta.key.map((c) => `${col("e", c.name)} = ${col("prev", c.name)}`).join(" AND ")),
  };
  if (entries.length > 0 && ownStatementActivity(db, activity)) return tickInOneStatement<T>(db, plan, activity);
  return inActivity(db, activity, (tx) => (entries.length === 0 ? unchangedTick<T>(tx, plan) : tickInTransaction<T>(tx, plan)));
}
