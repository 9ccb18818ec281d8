/** SQL fragments shared by the read engines. Private to the library. */
import { sql, type SQL } from "drizzle-orm";
import type { Activity } from "./activity-table";
import { parseTimestamp } from "./columns";
import { InvalidArgumentError } from "./errors";
import { col, ident } from "./names";
import type { ColumnInfo, TemporalMeta } from "./table";
import { decode, type Key } from "./values";

/** A point in a record's life: a version (tick) or a moment. */
export type Point = { vclock: number } | { at: Date };

export function entityRef(meta: TemporalMeta): SQL {
  return meta.schema ? sql`${ident(meta.schema)}.${ident(meta.name)}` : sql`${ident(meta.name)}`;
}

function inHistorySchema(meta: TemporalMeta, name: string): SQL {
  const schema = meta.historySchema ?? meta.schema;
  return schema ? sql`${ident(schema)}.${ident(name)}` : sql`${ident(name)}`;
}

export const clockRef = (meta: TemporalMeta) => inHistorySchema(meta, meta.clockName);
export const historyRef = (meta: TemporalMeta, p: ColumnInfo) => inHistorySchema(meta, meta.history.get(p.prop)!.name);

/** `a.k = b.k AND ...` between two clock/history aliases. */
export function sameKey(meta: TemporalMeta, a: string, b: string): SQL {
  return sql.raw(meta.keyNames.map((k) => `${col(a, k)} = ${col(b, k)}`).join(" AND "));
}

/** `alias.k = $key AND ...` on a clock/history alias. */
export function historyKey(meta: TemporalMeta, key: Key, alias: string): SQL {
  return sql.join(
    meta.key.map((k, i) => sql`${ident(alias)}.${ident(meta.keyNames[i]!)} = ${sql.param(key[k.prop], k.column)}::${sql.raw(k.sqlType)}`),
    sql` AND `,
  );
}

/**
 * A moment as the library reads it: JS Dates have millisecond precision while
 * Postgres keeps microseconds, so a Date covers its whole millisecond. Reading
 * "as of" a tick's own timestamp then always includes that tick.
 */
export function momentEnd(at: Date): SQL {
  return sql`(${moment(at)} + interval '999 microseconds')`;
}

/** A validated Date as a timestamptz parameter. */
export function moment(at: Date): SQL {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new InvalidArgumentError("A moment must be a valid Date.");
  return sql`${at.toISOString()}::timestamptz`;
}

export function checkPoint(point: Point): Point {
  if (point && "vclock" in point) {
    if (!Number.isInteger(point.vclock) || point.vclock < 1) throw new InvalidArgumentError("vclock must be a whole number of at least 1.");
    return point;
  }
  if (point && "at" in point) {
    momentEnd(point.at);
    return point;
  }
  throw new InvalidArgumentError("Pass a point as { vclock } or { at }.");
}

/**
 * The clock row of a record at a point, as a subquery (no row when it did not exist yet).
 * By time it is the newest tick at or before the moment, read backwards from the clock's
 * (key, "timestamp") index: a record's ticks are in time order, so ordering by time finds
 * the same tick as ordering by tick would, without walking every later tick.
 */
export function clockAt(meta: TemporalMeta, key: Key, point: Point): SQL {
  const where = "vclock" in point ? sql`c."tick" = ${point.vclock}` : sql`c."timestamp" <= ${momentEnd(point.at)}`;
  const order = "vclock" in point ? sql`` : sql`c."timestamp" DESC, `;
  return sql`(SELECT * FROM ${clockRef(meta)} c WHERE ${historyKey(meta, key, "c")} AND ${where} ORDER BY ${order}c."tick" DESC LIMIT 1)`;
}

/** The condition that picks the history row holding at a point. */
export function holdsAt(alias: string, point: Point, clockAlias: string): SQL {
  return "vclock" in point
    ? sql`${ident(alias)}."vclock" @> ${ident(clockAlias)}."tick"`
    : sql`${ident(alias)}."effective" @> ${momentEnd(point.at)}`;
}

export type TickActivity = Activity;

export const activityColumns = sql.raw(
  `a."id" AS "a_id", a."reason" AS "a_reason", a."actor" AS "a_actor", a."actor_name" AS "a_actor_name", a."source" AS "a_source", a."kind" AS "a_kind", a."at" AS "a_at", a."backdated" AS "a_backdated", a."recorded_at" AS "a_recorded_at"`,
);

export function decodeActivity(raw: Record<string, unknown>): TickActivity {
  return {
    id: String(raw.a_id),
    reason: raw.a_reason as string,
    actor: raw.a_actor as string,
    actorName: (raw.a_actor_name as string | null) ?? null,
    source: (raw.a_source as string | null) ?? null,
    kind: (raw.a_kind as string | null) ?? null,
    at: parseTimestamp(raw.a_at),
    backdated: raw.a_backdated === true,
    recordedAt: parseTimestamp(raw.a_recorded_at),
  };
}

/** Key columns of a clock/history alias, selected as k0, k1, ... */
export function keyColumns(meta: TemporalMeta, alias: string): SQL {
  return sql.raw(meta.keyNames.map((k, i) => `${col(alias, k)} AS "k${i}"`).join(", "));
}

export function decodeKey(meta: TemporalMeta, raw: Record<string, unknown>): Key {
  return Object.fromEntries(meta.key.map((k, i) => [k.prop, decode(k.column, raw[`k${i}`])]));
}

/**
 * `LEFT JOIN LATERAL (... LIMIT 1) alias ON true`: each history lookup is planned on
 * its own, so a table with many properties does not make the planner search every
 * join order (with 18 properties that took over half a second per query).
 */
export function lateral(table: SQL, alias: string, where: (inner: string) => SQL): SQL {
  const inner = `${alias}_x`;
  return sql`LEFT JOIN LATERAL (SELECT ${ident(inner)}.* FROM ${table} ${ident(inner)} WHERE ${where(inner)} LIMIT 1) ${ident(alias)} ON true`;
}

/** A change of one property at one tick. `before` is undefined when the record did not exist before. */
export type PropertyChange = { property: string; before: unknown; after: unknown };

/**
 * Joins that find, for each property, the row a tick opened (after) and the row it
 * closed (before). Rows opened by "tracking started" migrations are not changes.
 * Each lookup names both the version and the time range, so whichever of the two
 * GiST exclusion indexes the planner picks finds the row directly: with only the key
 * to go on, a record with 10,000 ticks would be scanned once per property per tick.
 */
export function tickChangeJoins(meta: TemporalMeta, clockAlias: string): { joins: SQL; columns: SQL } {
  const joins: SQL[] = [];
  const columns: SQL[] = [];
  meta.properties.forEach((p, i) => {
    const h = historyRef(meta, p);
    const value = (alias: string) => sql.raw(col(alias, p.name));
    const c = ident(clockAlias);
    joins.push(
      lateral(
        h,
        `ha${i}`,
        (x) =>
          sql`${sameKey(meta, x, clockAlias)} AND ${ident(x)}."vclock" @> ${c}."tick" AND ${ident(x)}."effective" @> ${c}."timestamp" AND lower(${ident(x)}."vclock") = ${c}."tick" AND lower(${ident(x)}."effective") = ${c}."timestamp"`,
      ),
      // The row this tick closed ends where the tick begins, in versions and in time (ranges are never empty).
      lateral(
        h,
        `hb${i}`,
        (x) =>
          sql`${sameKey(meta, x, clockAlias)} AND ${ident(x)}."vclock" -|- int4range(${c}."tick", NULL) AND ${ident(x)}."effective" -|- tstzrange(${c}."timestamp", NULL) AND upper(${ident(x)}."vclock") = ${c}."tick"`,
      ),
    );
    columns.push(
      sql`${value(`ha${i}`)} AS ${ident(`a${i}`)}, (ha${sql.raw(String(i))}."vclock" IS NOT NULL) AS ${ident(`ca${i}`)}, ${value(`hb${i}`)} AS ${ident(`b${i}`)}, (hb${sql.raw(String(i))}."vclock" IS NOT NULL) AS ${ident(`cb${i}`)}`,
    );
  });
  return { joins: sql.join(joins, sql` `), columns: sql.join(columns, sql`, `) };
}

export function decodeTickChanges(meta: TemporalMeta, raw: Record<string, unknown>): PropertyChange[] {
  const changes: PropertyChange[] = [];
  meta.properties.forEach((p, i) => {
    if (raw[`ca${i}`] !== true) return;
    changes.push({
      property: p.prop,
      before: raw[`cb${i}`] === true ? decode(p.column, raw[`b${i}`]) : undefined,
      after: decode(p.column, raw[`a${i}`]),
    });
  });
  return changes;
}

export type TickKind = "created" | "changed" | "retired" | "restored";

export function tickKind(tick: number, changes: PropertyChange[]): TickKind {
  if (tick === 1) return "created";
  const retired = changes.find((c) => c.property === "retired");
  if (retired) return retired.after === true ? "retired" : "restored";
  return "changed";
}

export function checkPage(options: { limit?: number; cursor?: number | null } | undefined, fallback = 50) {
  const limit = options?.limit ?? fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidArgumentError("limit must be a whole number from 1 to 1000.");
  const cursor = options?.cursor ?? null;
  if (cursor !== null && (!Number.isInteger(cursor) || cursor < 1))
    throw new InvalidArgumentError("cursor must be a value returned as nextCursor.");
  return { limit, cursor };
}
