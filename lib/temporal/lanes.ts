import { sql } from "drizzle-orm";
import { parseTimestamp } from "./columns";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError, UnknownPropertyError } from "./errors";
import { ident } from "./names";
import { activityColumns, clockRef, decodeActivity, historyKey, historyRef, moment, momentEnd, type TickActivity } from "./sql-parts";
import { metaOf, type AnyTemporalTable, type ColumnInfo } from "./table";
import { decode, normalizeKey, type KeyInput } from "./values";

/** One value band of a lane: the value held from `from` until the next band starts. */
export type LaneBand = {
  value: unknown;
  from: Date;
  /** The version that set the value (the last of the slot's versions when `changes` > 1). */
  vclock: number;
  activity: TickActivity;
  /** How many values started within this band's slot: above 1, the band stands for several changes and shows the last. */
  changes: number;
  /** For numeric properties: the lowest and highest of the values that started within the slot. */
  min?: unknown;
  max?: unknown;
};

export type Lane = {
  property: string;
  bands: LaneBand[];
  /** True when some bands stand for several changes (more changes than slots). */
  reduced: boolean;
  /** Values held during the window in all, before reduction. */
  values: number;
};

export type LaneOptions = {
  /** The window; defaults to the record's creation until now. */
  from?: Date;
  to?: Date;
  /** How many slots the window is cut into (the width the lane is drawn at); 1 to 2,000, default 200. */
  slots?: number;
  /** Only these properties (tracked ones or `retired`); default all. */
  properties?: string[];
};

const NUMERIC = /^(numeric|decimal|integer|int|int2|int4|int8|smallint|bigint|real|double precision|float)/i;

/**
 * Each property's values over a window as bands, reduced in the database to at most one
 * band per slot: when several values start within one slot, the band holds the last of
 * them, counts them, and (for numbers) their lowest and highest. So a record with
 * 10,000 ticks comes back as at most `slots` bands per property, drawable at any width.
 *
 * @example
 * const [premium] = await lanes(db, member, 42, { properties: ["premium"], slots: 300 });
 * premium.bands.map((b) => [b.from, b.value, b.changes]);
 */
export async function lanes<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  options: LaneOptions = {},
): Promise<Lane[]> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const slots = options.slots ?? 200;
  if (!Number.isInteger(slots) || slots < 1 || slots > 2000) throw new InvalidArgumentError("slots must be a whole number from 1 to 2000.");
  const chosen: ColumnInfo[] = (options.properties ?? meta.properties.map((p) => p.prop)).map((prop) => {
    const p = meta.properties.find((c) => c.prop === prop);
    if (!p)
      throw new UnknownPropertyError(
        meta.name,
        prop,
        meta.properties.map((c) => c.prop),
        "tracked property",
      );
    return p;
  });
  const from = options.from
    ? momentEnd(options.from)
    : sql`(SELECT min(c."timestamp") FROM ${clockRef(meta)} c WHERE ${historyKey(meta, k, "c")})`;
  const to = options.to ? moment(options.to) : sql`now()`;
  if (options.from && options.to && options.from.getTime() >= options.to.getTime()) {
    throw new InvalidArgumentError("The window's from must be before its to.");
  }
  return Promise.all(
    chosen.map(async (p) => {
      const numeric = NUMERIC.test(p.sqlType);
      const range = numeric
        ? sql`, min(r."v") OVER (PARTITION BY r."slot") AS "lo", max(r."v") OVER (PARTITION BY r."slot") AS "hi"`
        : sql``;
      const result = await rows(
        db,
        sql`WITH w AS (SELECT ${from} AS "f", ${to} AS "t"),
                 r AS (
                   SELECT h.${ident(p.name)} AS "v", lower(h."vclock") AS "tick", greatest(lower(h."effective"), w."f") AS "start",
                          least(${slots - 1}, floor(extract(epoch FROM greatest(lower(h."effective"), w."f") - w."f")
                                / greatest(extract(epoch FROM w."t" - w."f") / ${slots}, 0.000001)))::int AS "slot"
                     FROM w, ${historyRef(meta, p)} h
                    WHERE ${historyKey(meta, k, "h")} AND w."f" < w."t" AND h."effective" && tstzrange(w."f", w."t", '[)')
                 ),
                 s AS (
                   SELECT DISTINCT ON (r."slot") r."slot", r."v", r."tick", count(*) OVER (PARTITION BY r."slot") AS "n",
                          min(r."start") OVER (PARTITION BY r."slot") AS "first" ${range}
                     FROM r
                    ORDER BY r."slot", r."tick" DESC
                 )
            SELECT s.*, ${activityColumns}
              FROM s
              JOIN ${clockRef(meta)} c ON ${historyKey(meta, k, "c")} AND c."tick" = s."tick"
              JOIN "temporal_activity" a ON a."id" = c."activity_id"
             ORDER BY s."slot"`,
      );
      const bands = result.map((raw) => ({
        value: decode(p.column, raw.v),
        from: parseTimestamp(raw.first),
        vclock: Number(raw.tick),
        activity: decodeActivity(raw),
        changes: Number(raw.n),
        ...(numeric ? { min: decode(p.column, raw.lo), max: decode(p.column, raw.hi) } : {}),
      }));
      return {
        property: p.prop,
        bands,
        reduced: bands.some((b) => b.changes > 1),
        values: bands.reduce((sum, b) => sum + b.changes, 0),
      };
    }),
  );
}
