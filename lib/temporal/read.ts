import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { parseTimestamp } from "./columns";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError } from "./errors";
import {
  activityColumns,
  checkPoint,
  clockAt,
  clockRef,
  decodeActivity,
  historyKey,
  historyRef,
  holdsAt,
  ident,
  lateral,
  momentEnd,
  sameKey,
  type Point,
  type PropertyChange,
  type TickActivity,
} from "./sql-parts";
import { metaOf, type AnyTemporalTable, type TemporalMeta } from "./table";
import { decode, decodeRow, normalizeKey, type Key, type KeyInput } from "./values";
import type { Row, TrackedOf } from "./write";

export type AsOf<T extends AnyTemporalTable> = {
  key: Key;
  /** The record's version at that point. */
  vclock: number;
  /** When that version was made. */
  timestamp: Date;
  activityId: string;
  /** True when the record was retired at that point. */
  retired: boolean;
  /** The key and every tracked property as it was then (untracked columns are not kept). */
  record: Pick<Row<T>, TrackedOf<T>> & Partial<Row<T>>;
  /** Tracked properties whose tracking had not started yet at that point. */
  notTracked: TrackedOf<T>[];
};

function stateColumns(meta: TemporalMeta, prefix: string): SQL {
  return sql.join(
    meta.properties.map((p, i) =>
      sql.raw(`${prefix}${i}."${p.name}" AS "${prefix}v${i}", (${prefix}${i}."vclock" IS NOT NULL) AS "${prefix}t${i}"`),
    ),
    sql`, `,
  );
}

function stateJoins(meta: TemporalMeta, key: Key, point: Point, prefix: string, clockAlias: string): SQL {
  return sql.join(
    meta.properties.map((p, i) =>
      lateral(
        historyRef(meta, p),
        `${prefix}${i}`,
        (x) => sql`${historyKey(meta, key, x)} AND ${ident(clockAlias)}."tick" IS NOT NULL AND ${holdsAt(x, point, clockAlias)}`,
      ),
    ),
    sql` `,
  );
}

type State = { values: Record<string, unknown>; tracked: Set<string> };

function decodeState(meta: TemporalMeta, raw: Record<string, unknown>, prefix: string): State {
  const values: Record<string, unknown> = {};
  const tracked = new Set<string>();
  meta.properties.forEach((p, i) => {
    if (raw[`${prefix}t${i}`] !== true) return;
    tracked.add(p.prop);
    values[p.prop] = decode(p.column, raw[`${prefix}v${i}`]);
  });
  return { values, tracked };
}

/**
 * The whole record as it was at a version or a moment, or null when it did not
 * exist yet. A retired record is returned with `retired: true`.
 *
 * @example
 * const then = await asOf(db, friend, 2, { at: new Date("2015-01-01") });
 * then?.record.location // "New York"
 */
export async function asOf<T extends AnyTemporalTable>(db: TemporalDb, table: T, key: KeyInput, point: Point): Promise<AsOf<T> | null> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  checkPoint(point);
  const [raw] = await rows(
    db,
    sql`SELECT c."tick", c."timestamp", c."activity_id", ${stateColumns(meta, "s")}
          FROM ${clockAt(meta, k, point)} c ${stateJoins(meta, k, point, "s", "c")}`,
  );
  if (!raw) return null;
  const state = decodeState(meta, raw, "s");
  return {
    key: k,
    vclock: Number(raw.tick),
    timestamp: parseTimestamp(raw.timestamp),
    activityId: String(raw.activity_id),
    retired: state.values.retired === true,
    record: { ...k, ...state.values } as AsOf<T>["record"],
    notTracked: meta.tracked.filter((p) => !state.tracked.has(p.prop)).map((p) => p.prop) as TrackedOf<T>[],
  };
}

export type Diff = {
  from: { vclock: number; timestamp: Date } | null;
  to: { vclock: number; timestamp: Date } | null;
  /** Properties whose value differs; `undefined` stands for "did not exist / not tracked". */
  changes: PropertyChange[];
};

/**
 * What changed in a record between any two versions or moments (in either order).
 *
 * @example
 * const { changes } = await diff(db, friend, 1, { vclock: 1 }, { vclock: 3 });
 * // [{ property: "location", before: "Tucson", after: "Berkeley" }]
 */
export async function diff<T extends AnyTemporalTable>(db: TemporalDb, table: T, key: KeyInput, from: Point, to: Point): Promise<Diff> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  checkPoint(from);
  checkPoint(to);
  const distinct = sql.join(
    meta.properties.map((p, i) =>
      sql.raw(
        `((f${i}."vclock" IS NULL) <> (t${i}."vclock" IS NULL) OR ${p.compare(`f${i}`)} IS DISTINCT FROM ${p.compare(`t${i}`)}) AS "d${i}"`,
      ),
    ),
    sql`, `,
  );
  const [raw] = await rows(
    db,
    sql`SELECT cf."tick" AS "f_tick", cf."timestamp" AS "f_ts", ct."tick" AS "t_tick", ct."timestamp" AS "t_ts",
               ${stateColumns(meta, "f")}, ${stateColumns(meta, "t")}, ${distinct}
          FROM (SELECT 1) one
          LEFT JOIN LATERAL ${clockAt(meta, k, from)} cf ON true
          LEFT JOIN LATERAL ${clockAt(meta, k, to)} ct ON true
          ${stateJoins(meta, k, from, "f", "cf")} ${stateJoins(meta, k, to, "t", "ct")}`,
  );
  const point = (tick: unknown, ts: unknown) =>
    tick === null || tick === undefined ? null : { vclock: Number(tick), timestamp: parseTimestamp(ts) };
  const before = decodeState(meta, raw!, "f");
  const after = decodeState(meta, raw!, "t");
  const changes = meta.properties
    .filter((_, i) => raw![`d${i}`] === true)
    .map((p) => ({ property: p.prop, before: before.values[p.prop], after: after.values[p.prop] }));
  return { from: point(raw!.f_tick, raw!.f_ts), to: point(raw!.t_tick, raw!.t_ts), changes };
}

export type TableAsOfOptions<T extends AnyTemporalTable> = {
  /** A filter over the table as it was then, e.g. `(t) => eq(t.location, "Oakland")`. */
  where?: (then: T) => SQL | undefined;
  /** Sort order (default: the primary key, which pages fastest). */
  orderBy?: (then: T) => SQL | SQL[];
  limit?: number;
  offset?: number;
  /** Include records that were retired at that moment (hidden by default). */
  includeRetired?: boolean;
  /**
   * Keyset paging: start after this key (the last row of the previous page), so every
   * page costs what the first does. Only with the default order (the primary key).
   */
  after?: KeyInput;
  /**
   * Count every match (default true). Counting visits the whole table as it was then;
   * with `count: false` a page sorted by the primary key reads only the records it shows
   * (plus one, for `hasMore`), so it stays fast at any table size.
   */
  count?: boolean;
};

export type TableAsOf<T extends AnyTemporalTable> = {
  rows: (Row<T> & { vclock: number })[];
  /** Every match, or null when `count: false`. */
  total: number | null;
  /** Whether a page after this one has rows. */
  hasMore: boolean;
};

/**
 * Every record of a table as it was at a moment, filtered, sorted and paged in
 * the database. Untracked columns are null (their past is not kept).
 *
 * The query walks the entity table (records are never deleted, so every record that
 * existed then is there) and looks up each property's value then in its history's
 * GiST index, so a page in key order touches only the records on it.
 *
 * @example
 * const { rows, total } = await tableAsOf(db, friend, new Date("2016-01-01"), { where: (t) => eq(t.location, "San Francisco") });
 */
export async function tableAsOf<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  at: Date,
  options: TableAsOfOptions<T> = {},
): Promise<TableAsOf<T>> {
  const meta = metaOf(table);
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const counting = options.count ?? true;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new InvalidArgumentError("limit must be a whole number from 1 to 10000.");
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidArgumentError("offset must be a whole number of at least 0.");
  if (options.after !== undefined && options.orderBy) {
    throw new InvalidArgumentError("after pages in primary-key order: leave orderBy out, or page with offset.");
  }
  const moment = momentEnd(at);
  const after = options.after === undefined ? undefined : normalizeKey(meta, options.after);
  const afterSql = after
    ? sql`WHERE (${sql.raw(meta.key.map((k) => `e."${k.name}"`).join(", "))}) > (${sql.join(
        meta.key.map((k) => sql`${sql.param(after[k.prop], k.column)}::${sql.raw(k.sqlType)}`),
        sql`, `,
      )})`
    : sql``;
  const retiredIndex = meta.properties.indexOf(meta.retired);
  const aliasOf = (i: number) => (i === retiredIndex ? "r" : `h${i}`);
  const select = meta.columns.map((c) => {
    if (meta.key.includes(c)) return sql.raw(`e."${c.name}" AS "${c.name}"`);
    const propertyIndex = meta.properties.indexOf(c);
    if (propertyIndex >= 0) return sql.raw(`${aliasOf(propertyIndex)}."${c.name}" AS "${c.name}"`);
    if (c === meta.vclock) {
      const lowers = meta.properties.map((_, i) => `lower(${aliasOf(i)}."vclock")`).join(", ");
      return sql.raw(`GREATEST(${lowers}) AS "vclock"`);
    }
    return sql.raw(`NULL::${c.sqlType} AS "${c.name}"`);
  });
  const byEntity = (x: string) => sql.raw(meta.key.map((k, i) => `${x}."${meta.keyNames[i]}" = e."${k.name}"`).join(" AND "));
  const atMoment = (x: string) => sql`${byEntity(x)} AND ${ident(x)}."effective" @> ${moment}`;
  const joins = meta.properties
    .filter((_, i) => i !== retiredIndex)
    .map((p) => lateral(historyRef(meta, p), aliasOf(meta.properties.indexOf(p)), atMoment));
  // The retired flag's row then: none means the record did not exist yet.
  const existed = sql`JOIN LATERAL (SELECT "r_x".* FROM ${historyRef(meta, meta.retired)} "r_x" WHERE ${atMoment("r_x")} LIMIT 1) r ON true`;
  const then = alias(table, "then") as unknown as T;
  const conditions = [options.includeRetired ? undefined : sql`NOT "then"."retired"`, options.where?.(then)].filter(Boolean) as SQL[];
  const order = options.orderBy?.(then);
  const orderSql = order
    ? Array.isArray(order)
      ? sql.join(order, sql`, `)
      : order
    : sql.raw(meta.key.map((k) => `"then"."${k.name}"`).join(", "));
  const asOfThen = sql`WITH "then" AS (
          SELECT ${sql.join(select, sql`, `)}
            FROM ${table} e
            ${existed}
            ${sql.join(joins, sql` `)}
            ${afterSql})`;
  const filter = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const page = async (): Promise<TableAsOf<T>> => {
    const result = await rows(
      db,
      sql`${asOfThen} SELECT "then".* FROM "then" ${filter} ORDER BY ${orderSql} LIMIT ${limit + 1} OFFSET ${offset}`,
    );
    return {
      rows: result.slice(0, limit).map((raw) => decodeRow(meta, raw) as Row<T> & { vclock: number }),
      total: null,
      hasMore: result.length > limit,
    };
  };
  if (!counting) return page();
  const result = await rows(
    db,
    sql`${asOfThen}
        SELECT "then".*, count(*) OVER () AS "__total" FROM "then"
        ${filter}
        ORDER BY ${orderSql} LIMIT ${limit} OFFSET ${offset}`,
  );
  // A page past the end has no row to carry the window count: count the matches on their own.
  const [counted] =
    result.length === 0 && offset > 0 ? await rows(db, sql`${asOfThen} SELECT count(*) AS "__total" FROM "then" ${filter}`) : result;
  const total = counted ? Number(counted.__total) : 0;
  return {
    rows: result.map((raw) => decodeRow(meta, raw) as Row<T> & { vclock: number }),
    total,
    hasMore: offset + result.length < total,
  };
}

export type Blame = {
  property: string;
  /** The version at which the current value was set. */
  vclock: number;
  timestamp: Date;
  activity: TickActivity;
};

/**
 * Who set each tracked property's current value, when and why.
 *
 * @example
 * const byProperty = await blame(db, friend, 2); // [{ property: "location", vclock: 2, activity: { reason, actor, ... } }, ...]
 */
export async function blame<T extends AnyTemporalTable>(db: TemporalDb, table: T, key: KeyInput): Promise<Blame[]> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const parts = meta.properties.map(
    (p, i) => sql`SELECT ${i} AS "i", lower(h."vclock") AS "tick", c."timestamp", ${activityColumns}
        FROM ${historyRef(meta, p)} h
        JOIN ${clockRef(meta)} c ON ${sameKey(meta, "c", "h")} AND c."tick" = lower(h."vclock")
        JOIN "temporal_activity" a ON a."id" = c."activity_id"
       WHERE ${historyKey(meta, k, "h")} AND upper_inf(h."vclock")`,
  );
  const result = await rows(db, sql.join(parts, sql` UNION ALL `));
  return result
    .sort((a, b) => Number(a.i) - Number(b.i))
    .map((raw) => ({
      property: meta.properties[Number(raw.i)]!.prop,
      vclock: Number(raw.tick),
      timestamp: parseTimestamp(raw.timestamp),
      activity: decodeActivity(raw),
    }));
}
