import { sql, type SQL } from "drizzle-orm";
import { activityCtes, inActivity, ownStatementActivity, validateActivity, type ActivityInput } from "./activity";
import { toSqlText } from "./columns";
import { rows, translated, type TemporalDb } from "./db";
import { NO_MATCH_SETTING } from "./ddl";
import {
  AlreadyRetiredError,
  InvalidArgumentError,
  MissingActivityError,
  NotFoundError,
  NotRetiredError,
  StaleVclockError,
} from "./errors";
import { col, ident, quoteIdent } from "./names";
import { entityRef } from "./sql-parts";
import { metaOf, type AnyTemporalTable, type ColumnInfo, type TemporalMeta } from "./table";
import { checkChanges, decodeRow, keyCondition, normalizeKey, type Key, type KeyInput } from "./values";

export type Row<T extends AnyTemporalTable> = T["$inferSelect"];
export type NewRow<T extends AnyTemporalTable> = Omit<T["$inferInsert"], "vclock" | "retired">;
export type Changes<T extends AnyTemporalTable> = Partial<Omit<Row<T>, "vclock" | "retired">>;
export type TrackedOf<T extends AnyTemporalTable> = T["$temporal"]["tracked"][number];

export type TickResult<T extends AnyTemporalTable> = {
  /** The record's version after the call (unchanged when nothing tracked changed). */
  vclock: number;
  /** The tracked properties whose value changed. Empty for a no-op. */
  changed: TrackedOf<T>[];
  row: Row<T>;
};

/** Postgres allows 65,535 bind parameters per statement; stay well below. */
const MAX_PARAMS = 30_000;

function selectList(meta: TemporalMeta, alias: string): SQL {
  return sql.join(
    meta.columns.map((c) => sql`${ident(alias)}.${ident(c.name)}`),
    sql`, `,
  );
}

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

/** Flags named by position: a property's own name could pass Postgres' 63-byte limit once prefixed. */
const changedAlias = (i: number) => `__temporal_changed_${i}`;
const ORDER = "__temporal_ord";

function changedFlags(meta: TemporalMeta, after: string, before: string): SQL {
  return sql.join(
    meta.tracked.map(
      (p, i) => sql`(${sql.raw(p.compare(after))} IS DISTINCT FROM ${sql.raw(p.compare(before))}) AS ${ident(changedAlias(i))}`,
    ),
    sql`, `,
  );
}

function changedList(meta: TemporalMeta, raw: Record<string, unknown>): string[] {
  return meta.tracked.filter((_, i) => raw[changedAlias(i)] === true).map((p) => p.prop);
}

async function currentRow(db: TemporalDb, meta: TemporalMeta, key: Key): Promise<Record<string, unknown> | undefined> {
  const [raw] = await rows(db, sql`SELECT ${selectList(meta, "e")} FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, key, "e")}`);
  return raw ? decodeRow(meta, raw) : undefined;
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
  const expected = options.expectedVclock;
  if (expected !== undefined && (!Number.isInteger(expected) || expected < 1)) {
    throw new InvalidArgumentError("expectedVclock must be a whole number of at least 1.");
  }
  const assignments = () =>
    sql.join(
      entries.map(([column, value]) => sql`${ident(column.name)} = ${sql.param(value, column.column)}::${sql.raw(column.sqlType)}`),
      sql`, `,
    );
  const missingOrStale = async (tx: TemporalDb): Promise<never> => {
    const current = await currentRow(tx, meta, k);
    if (!current) throw new NotFoundError(meta.name, k);
    throw new StaleVclockError(expected!, current.vclock as number, current);
  };
  const result = (raw: Record<string, unknown>): TickResult<T> => {
    const row = decodeRow(meta, raw);
    return { vclock: row.vclock as number, changed: changedList(meta, raw) as TrackedOf<T>[], row: row as Row<T> };
  };
  const sameRow = sql.raw(meta.key.map((c) => `${col("e", c.name)} = ${col("prev", c.name)}`).join(" AND "));

  // Its own activity, outside any transaction: one statement, so one round trip. It locks the row
  // (checking the expected version), inserts the activity only if the row is there, sets it for
  // the statement's own transaction, and updates the row; the after-statement trigger records the
  // tick. Nothing matched means nothing was written, not even the activity.
  if (entries.length > 0 && ownStatementActivity(db, activity)) {
    const input = validateActivity(activity);
    const guard = expected === undefined ? sql`` : sql` AND e."vclock" = ${expected}`;
    try {
      const [raw] = await rows(
        db,
        sql`WITH prev AS (SELECT * FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, k, "e")}${guard} FOR UPDATE),
            ${activityCtes(input, "prev")}
            UPDATE ${entityRef(meta)} AS e SET ${assignments()}
              FROM prev, bound
             WHERE ${sameRow} AND bound."setting" IS NOT NULL AND (SELECT set_config(${NO_MATCH_SETTING}, 'on', true)) = 'on'
         RETURNING ${selectList(meta, "e")}, ${changedFlags(meta, "e", "prev")}`,
        { prepared: true },
      );
      return raw ? result(raw) : missingOrStale(db);
    } catch (error) {
      // No row matched, so no activity was made: the UPDATE of no rows passes its after-statement trigger (the
      // uncorrelated set_config runs once, before the join). A trigger generated before NO_MATCH_SETTING refuses it
      // for want of an activity instead: either way the statement wrote nothing. Say why nothing matched.
      if (error instanceof MissingActivityError) return missingOrStale(db);
      throw error;
    }
  }

  return inActivity(db, activity, async (tx) => {
    if (entries.length === 0) {
      const current = await currentRow(tx, meta, k);
      if (!current) throw new NotFoundError(meta.name, k);
      if (expected !== undefined && current.vclock !== expected) throw new StaleVclockError(expected, current.vclock as number, current);
      return { vclock: current.vclock as number, changed: [], row: current as Row<T> };
    }
    const guard = expected === undefined ? sql`` : sql` AND prev."vclock" = ${expected}`;
    const [raw] = await rows(
      tx,
      sql`WITH prev AS (SELECT * FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, k, "e")} FOR UPDATE)
          UPDATE ${entityRef(meta)} AS e SET ${assignments()}
            FROM prev
           WHERE ${sameRow}${guard}
       RETURNING ${selectList(meta, "e")}, ${changedFlags(meta, "e", "prev")}`,
      { prepared: true },
    );
    return raw ? result(raw) : missingOrStale(tx);
  });
}

export type TickManyEntry<T extends AnyTemporalTable> = {
  key: KeyInput;
  changes: Changes<T>;
  expectedVclock?: number;
};

/**
 * Changes many records in one set-based UPDATE (a constant number of statements,
 * whatever the count) under one activity. All or nothing: an unknown key or a
 * stale `expectedVclock` refuses the whole call.
 *
 * @example
 * await tickMany(db, member, [{ key: 1, changes: { plan: "gold" } }, { key: 2, changes: { premium: "120.00" } }],
 *   { reason: "2027 renewals", actor: "ops@clover" });
 */
export function tickMany<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  entries: TickManyEntry<T>[],
  activity?: ActivityInput,
): Promise<TickResult<T>[]> {
  return tickManyWith(db, table, entries, activity, "change");
}

/** tickMany's engine; reverts may also set `retired`. */
export async function tickManyWith<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  entries: TickManyEntry<T>[],
  activity: ActivityInput | undefined,
  purpose: "change" | "revert",
): Promise<TickResult<T>[]> {
  const meta = metaOf(table);
  if (!Array.isArray(entries)) throw new InvalidArgumentError("tickMany expects an array of { key, changes }.");
  const prepared = entries.map((entry) => {
    if (entry.expectedVclock !== undefined && (!Number.isInteger(entry.expectedVclock) || entry.expectedVclock < 1)) {
      throw new InvalidArgumentError("expectedVclock must be a whole number of at least 1.");
    }
    return {
      key: normalizeKey(meta, entry.key),
      changes: new Map(checkChanges(meta, entry.changes as Record<string, unknown>, purpose)),
      expectedVclock: entry.expectedVclock ?? null,
    };
  });
  const seen = new Set<string>();
  for (const entry of prepared) {
    const id = JSON.stringify(meta.key.map((k) => String(entry.key[k.prop])));
    if (seen.has(id)) throw new InvalidArgumentError(`tickMany lists the key ${id} twice: merge its changes into one entry.`);
    seen.add(id);
  }
  if (prepared.length === 0) return [];
  const columns: ColumnInfo[] = meta.columns.filter((c) => prepared.some((e) => e.changes.has(c)));

  return inActivity(db, activity, async (tx) => {
    // One text[] per column (cast on the server to the column's type) keeps the statement count constant.
    const arrays: SQL[] = [];
    const fields: string[] = [];
    const typed: string[] = [];
    meta.key.forEach((k, i) => {
      arrays.push(sql`${sql.param(prepared.map((e) => toSqlText(k.column, e.key[k.prop])))}::text[]`);
      fields.push(`k${i}`);
      typed.push(`u."k${i}"::${k.sqlType} AS "k${i}"`);
    });
    columns.forEach((c, i) => {
      arrays.push(sql`${sql.param(prepared.map((e) => (e.changes.has(c) ? toSqlText(c.column, e.changes.get(c)) : null)))}::text[]`);
      arrays.push(sql`${sql.param(prepared.map((e) => e.changes.has(c)))}::boolean[]`);
      fields.push(`c${i}`, `h${i}`);
      typed.push(`u."c${i}"::${c.sqlType} AS "c${i}"`, `u."h${i}" AS "h${i}"`);
    });
    arrays.push(sql`${sql.param(prepared.map((e) => e.expectedVclock))}::integer[]`);
    arrays.push(sql`${sql.param(prepared.map((_, i) => i))}::integer[]`);
    fields.push("ev", "ord");
    typed.push(`u."ev" AS "ev"`, `u."ord" AS "ord"`);

    const keyMatch = (a: string, b: string) => meta.key.map((k, i) => `${col(a, k.name)} = ${b}."k${i}"`).join(" AND ");
    const assignments = columns.map((c, i) => `${quoteIdent(c.name)} = CASE WHEN v."h${i}" THEN v."c${i}" ELSE ${col("e", c.name)} END`);
    // Every entry empty: still lock, check keys and expectedVclock, and return the rows (a no-op, like tick with {}).
    if (assignments.length === 0) assignments.push(`${quoteIdent(meta.vclock.name)} = ${col("e", meta.vclock.name)}`);
    const result = await rows(
      tx,
      sql`WITH v AS (SELECT ${sql.raw(typed.join(", "))} FROM unnest(${sql.join(arrays, sql`, `)}) AS u(${sql.raw(fields.map(quoteIdent).join(", "))})),
          prev AS (SELECT e.*, v."ord", v."ev" FROM ${entityRef(meta)} e JOIN v ON ${sql.raw(keyMatch("e", "v"))}
                   ORDER BY ${sql.raw(meta.key.map((k) => col("e", k.name)).join(", "))} FOR UPDATE OF e)
          UPDATE ${entityRef(meta)} AS e SET ${sql.raw(assignments.join(", "))}
            FROM v JOIN prev ON prev."ord" = v."ord"
           WHERE ${sql.raw(keyMatch("e", "v"))} AND (v."ev" IS NULL OR prev."vclock" = v."ev")
       RETURNING ${selectList(meta, "e")}, v."ord" AS ${ident(ORDER)}, ${changedFlags(meta, "e", "prev")}`,
    );
    if (result.length !== prepared.length) {
      const done = new Set(result.map((r) => Number(r[ORDER])));
      const missing = prepared.find((_, i) => !done.has(i))!;
      const current = await currentRow(tx, meta, missing.key);
      if (!current) throw new NotFoundError(meta.name, missing.key);
      // Two spellings of one key (a UUID in upper case, "07" for 7) get past the duplicate check at the top: the row was updated by the other entry.
      const sameKey = (row: Record<string, unknown>) => meta.key.every((k) => String(row[k.prop]) === String(current[k.prop]));
      if (result.some((raw) => sameKey(decodeRow(meta, raw, meta.key)))) {
        const id = JSON.stringify(meta.key.map((k) => String(current[k.prop])));
        throw new InvalidArgumentError(`tickMany lists the key ${id} twice: merge its changes into one entry.`);
      }
      throw new StaleVclockError(missing.expectedVclock!, current.vclock as number, current);
    }
    const ordered: TickResult<T>[] = new Array(prepared.length);
    for (const raw of result) {
      const row = decodeRow(meta, raw);
      ordered[Number(raw[ORDER])] = { vclock: row.vclock as number, changed: changedList(meta, raw) as TrackedOf<T>[], row: row as Row<T> };
    }
    return ordered;
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
