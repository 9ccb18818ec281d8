import { sql, type SQL } from "drizzle-orm";
import { parseTimestamp } from "./columns";
import { rows, type TemporalDb } from "./db";
import {
  activityColumns,
  checkPoint,
  clockAt,
  clockRef,
  decodeActivity,
  historyKey,
  historyRef,
  holdsAt,
  lateral,
  sameKey,
  type Point,
  type PropertyChange,
  type TickActivity,
} from "./sql-parts";
import { col, ident, quoteIdent } from "./names";
import { metaOf, type AnyTemporalTable, type TemporalMeta } from "./table";
import { decode, normalizeKey, type Key, type KeyInput } from "./values";
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
      sql.raw(
        `${col(`${prefix}${i}`, p.name)} AS ${quoteIdent(`${prefix}v${i}`)}, (${prefix}${i}."vclock" IS NOT NULL) AS ${quoteIdent(`${prefix}t${i}`)}`,
      ),
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
    { prepared: true },
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
    { prepared: true },
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

export type Blame = {
  property: string;
  /** The version at which the value (current, or at the point asked for) was set. */
  vclock: number;
  timestamp: Date;
  activity: TickActivity;
};

/**
 * Who set each tracked property's value, when and why: the current values, or the values
 * at a version or moment (empty when the record did not exist yet then). A property whose
 * tracking had not started at that point has no entry.
 *
 * @example
 * const byProperty = await blame(db, friend, 2); // [{ property: "location", vclock: 2, activity: { reason, actor, ... } }, ...]
 * const then = await blame(db, friend, 2, { at: new Date("2015-01-01") });
 */
export async function blame<T extends AnyTemporalTable>(db: TemporalDb, table: T, key: KeyInput, point?: Point): Promise<Blame[]> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  // At a point: the history row whose ticks hold the record's tick at that point (one clock lookup per property).
  const holding = point
    ? (p: SQL) => sql`${clockAt(meta, k, checkPoint(point))} p JOIN ${p} h ON ${historyKey(meta, k, "h")} AND h."vclock" @> p."tick"`
    : (p: SQL) => sql`${p} h`;
  const current = point ? sql`` : sql`AND upper_inf(h."vclock")`;
  const parts = meta.properties.map(
    (p, i) => sql`SELECT ${i} AS "i", lower(h."vclock") AS "tick", c."timestamp", ${activityColumns}
        FROM ${holding(historyRef(meta, p))}
        JOIN ${clockRef(meta)} c ON ${sameKey(meta, "c", "h")} AND c."tick" = lower(h."vclock")
        JOIN "temporal_activity" a ON a."id" = c."activity_id"
       WHERE ${historyKey(meta, k, "h")} ${current}`,
  );
  const result = await rows(db, sql.join(parts, sql` UNION ALL `), { prepared: true });
  return result
    .sort((a, b) => Number(a.i) - Number(b.i))
    .map((raw) => ({
      property: meta.properties[Number(raw.i)]!.prop,
      vclock: Number(raw.tick),
      timestamp: parseTimestamp(raw.timestamp),
      activity: decodeActivity(raw),
    }));
}
