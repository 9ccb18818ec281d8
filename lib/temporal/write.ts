/**
 * The write helpers: create, createMany, retire and restore here; tick (tick.ts) and tickMany (tick-many.ts), whose
 * statements are larger, in their own files. Every write goes through the capture triggers inside an activity.
 */
import { sql } from "drizzle-orm";
import { activityCtes, inActivity, ownStatementActivity, validateActivity, type ActivityInput } from "./activity";
import { rows, translated, type TemporalDb } from "./db";
import { AlreadyRetiredError, InvalidArgumentError, NotFoundError, NotRetiredError, StaleVclockError } from "./errors";
import { entityRef } from "./sql-parts";
import { metaOf, type AnyTemporalTable } from "./table";
import { checkChanges, decodeRow, keyCondition, normalizeKey, type KeyInput } from "./values";
import { currentRow, selectList } from "./write-returning";
import type { NewRow, Row } from "./write-types";

export type { Row, NewRow, Changes, TrackedOf, TickResult, TickManyEntry } from "./write-types";
export { tick } from "./tick";
export { tickMany, tickManyWith } from "./tick-many";

/** Postgres allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

/**
 * Creates a record inside an activity (its own, or the one `db` is in) and returns
 * it with `vclock: 1`.
 *
 * @example
 * const rachel = await create(db, friend, { name: "Rachel", location: "New York" }, { reason: "New friend", actor: "joey" });
 */
export async function create<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  values: NewRow<T>,
  activity?: ActivityInput,
): Promise<Row<T>> {
  const [row] = await createMany(db, table, [values], activity);
  return row!;
}

/**
 * Creates many records in one activity with as few INSERT statements as the
 * parameter limit allows; returns them in input order.
 *
 * @example
 * await createMany(db, friend, [{ name: "Dave" }, { name: "Will" }], { reason: "Import", actor: "etl" });
 */
export async function createMany<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  values: NewRow<T>[],
  activity?: ActivityInput,
): Promise<Row<T>[]> {
  const meta = metaOf(table);
  if (!Array.isArray(values)) throw new InvalidArgumentError("createMany expects an array of records.");
  for (const value of values) checkChanges(meta, value as Record<string, unknown>, "create");
  if (values.length === 0) return [];
  const perRow = Math.max(1, Object.keys(values[0] as object).length);
  const chunk = Math.max(1, Math.floor(MAX_PARAMS / perRow));
  // One INSERT with its own activity, outside any transaction: one statement. The activity's CTE
  // runs to completion before the INSERT's after-statement trigger records the rows.
  if (values.length <= chunk && ownStatementActivity(db, activity)) {
    const input = validateActivity(activity);
    const insert = db
      .insert(table)
      .values(values as never)
      .returning();
    const created = await rows(db, sql`WITH ${activityCtes(input)} ${insert.getSQL()}`, { prepared: values.length === 1 });
    return created.map((raw) => decodeRow(meta, raw) as Row<T>);
  }
  return inActivity(db, activity, async (tx) => {
    const created: Row<T>[] = [];
    for (let i = 0; i < values.length; i += chunk) {
      const inserted = await translated(() =>
        tx
          .insert(table)
          .values(values.slice(i, i + chunk) as never)
          .returning(),
      );
      created.push(...(inserted as Row<T>[]));
    }
    return created;
  });
}

async function setRetired<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  retired: boolean,
  activity: ActivityInput | undefined,
  expectedVclock: number | undefined,
): Promise<{ vclock: number; row: Row<T> }> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  return inActivity(db, activity, async (tx) => {
    const guard = expectedVclock === undefined ? sql`` : sql` AND e."vclock" = ${expectedVclock}`;
    const [raw] = await rows(
      tx,
      sql`UPDATE ${entityRef(meta)} AS e SET "retired" = ${retired}
           WHERE ${keyCondition(meta, k, "e")} AND e."retired" = ${!retired}${guard}
       RETURNING ${selectList(meta, "e")}`,
    );
    if (!raw) {
      const current = await currentRow(tx, meta, k);
      if (!current) throw new NotFoundError(meta.name, k);
      if (current.retired === retired) throw retired ? new AlreadyRetiredError(meta.name, k) : new NotRetiredError(meta.name, k);
      throw new StaleVclockError(expectedVclock!, current.vclock as number, current);
    }
    const row = decodeRow(meta, raw);
    return { vclock: row.vclock as number, row: row as Row<T> };
  });
}

/**
 * Retires a record: a tick that ends its existence (records are never deleted).
 * Current listings hide it; reads as of a moment it was retired say so.
 *
 * @example
 * await retire(db, friend, 3, { reason: "Duplicate of #7", actor: "ops" });
 */
export function retire<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  activity?: ActivityInput,
  options: { expectedVclock?: number } = {},
): Promise<{ vclock: number; row: Row<T> }> {
  return setRetired(db, table, key, true, activity, options.expectedVclock);
}

/**
 * Restores a retired record: a tick that starts its existence again.
 *
 * @example
 * await restore(db, friend, 3, { reason: "Retired by mistake", actor: "ops" });
 */
export function restore<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  activity?: ActivityInput,
  options: { expectedVclock?: number } = {},
): Promise<{ vclock: number; row: Row<T> }> {
  return setRetired(db, table, key, false, activity, options.expectedVclock);
}
