import { sql, type SQL } from "drizzle-orm";
import { parseTimestamp } from "./columns";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError, InvalidValueError, UnknownPropertyError } from "./errors";
import { col, ident } from "./names";
import {
  activityColumns,
  clockRef,
  decodeActivity,
  decodeKey,
  historyRef,
  keyColumns,
  moment,
  sameKey,
  type TickActivity,
} from "./sql-parts";
import { metaOf, type AnyTemporalTable, type ColumnInfo, type TemporalMeta } from "./table";
import type { Page } from "./timeline";
import { decode, type Key } from "./values";
import type { Row } from "./write";

export type PropertyChangeEvent<V> = {
  key: Key;
  vclock: number;
  timestamp: Date;
  activityId: string;
  before: V | undefined;
  after: V;
};

/** A change with the activity that made it: who, when and why. */
export type PropertyChangeEntry<V> = PropertyChangeEvent<V> & { activity: TickActivity };

/** Which changes of the property: within [from, to), made by one actor. Every bound is optional. */
export type PropertyChangeFilter = { from?: Date; to?: Date; actor?: string };

type Property<T extends AnyTemporalTable> = T["$temporal"]["tracked"][number] | "retired";

/** Where a page ended: the last change's exact timestamp (microseconds), tick and key, as text. */
type Position = { timestamp: string; tick: number; key: string[] };

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BAD_CURSOR = "cursor must be a value returned as nextCursor.";

function propertyOf(meta: TemporalMeta, property: string): ColumnInfo {
  const p = meta.properties.find((c) => c.prop === property);
  if (!p)
    throw new UnknownPropertyError(
      meta.name,
      property,
      meta.properties.map((c) => c.prop),
      "tracked property",
    );
  return p;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.timestamp, position.tick, ...position.key])).toString("base64url");
}

function decodeCursor(meta: TemporalMeta, cursor: string): Position {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidArgumentError(BAD_CURSOR);
  }
  if (!Array.isArray(parts) || parts.length !== 2 + meta.key.length) throw new InvalidArgumentError(BAD_CURSOR);
  const [timestamp, tick, ...key] = parts as unknown[];
  const valid =
    typeof timestamp === "string" &&
    TIMESTAMP_TEXT.test(timestamp) &&
    Number.isInteger(tick) &&
    (tick as number) >= 1 &&
    key.every((k) => typeof k === "string");
  if (!valid) throw new InvalidArgumentError(BAD_CURSOR);
  return { timestamp, tick: tick as number, key: key as string[] };
}

type Scan = { filter: PropertyChangeFilter; limit: number; order: "asc" | "desc"; after?: Position; activity: boolean };

function conditions(meta: TemporalMeta, scan: Scan): SQL[] {
  const { filter, after } = scan;
  const where: SQL[] = [];
  if (filter.from !== undefined) where.push(sql`c."timestamp" >= ${moment(filter.from)}`);
  if (filter.to !== undefined) where.push(sql`c."timestamp" < ${moment(filter.to)}`);
  if (filter.actor !== undefined) {
    // Through the activity log's (actor, id) index: an actor's activities, then their ticks in this table.
    where.push(sql`c."activity_id" IN (SELECT a0."id" FROM "temporal_activity" a0 WHERE a0."actor" = ${filter.actor})`);
  }
  if (after) {
    const columns = sql.raw(['c."timestamp"', 'c."tick"', ...meta.keyNames.map((k) => col("c", k))].join(", "));
    const values = sql.join(
      [
        sql`${after.timestamp}::timestamptz`,
        sql`${after.tick}::integer`,
        ...meta.key.map((k, i) => sql`${after.key[i]}::${sql.raw(k.sqlType)}`),
      ],
      sql`, `,
    );
    where.push(scan.order === "desc" ? sql`(${columns}) < (${values})` : sql`(${columns}) > (${values})`);
  }
  return where;
}

/**
 * The engine: the changes of one property, in time order (then tick, then key), one page.
 * A change is a history row a tick opened; rows opened by "tracking started" migrations
 * (their time range does not start at the tick's timestamp) are not changes.
 */
async function scanChanges(db: TemporalDb, meta: TemporalMeta, p: ColumnInfo, scan: Scan) {
  const h = historyRef(meta, p);
  const where = conditions(meta, scan);
  const dir = sql.raw(scan.order === "desc" ? "DESC" : "ASC");
  const order = (alias: string) =>
    sql.join(
      [`${alias}."timestamp"`, `${alias}."tick"`, ...meta.keyNames.map((k) => col(alias, k))].map((c) => sql`${sql.raw(c)} ${dir}`),
      sql`, `,
    );
  // The page is cut before the "before" lookup: the planner estimates the clock/history join
  // at one row and would otherwise probe hb for every change in the window, not just the page.
  const keyText = sql.raw(meta.keyNames.map((k, i) => `${col("c", k)}::text AS "kt${i}"`).join(", "));
  const query = sql`SELECT ${keyColumns(meta, "c")}, ${keyText}, c."tick", c."timestamp", c."activity_id", c."after",
               to_char(c."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "timestamp_text",
               hb.${ident(p.name)} AS "before", (hb."vclock" IS NOT NULL) AS "had_before"
               ${scan.activity ? sql`, ${activityColumns}` : sql``}
          FROM (SELECT ${sql.raw(meta.keyNames.map((k) => col("c", k)).join(", "))}, c."tick", c."timestamp", c."activity_id", ha.${ident(p.name)} AS "after"
                  FROM ${clockRef(meta)} c
                  JOIN ${h} ha ON ${sameKey(meta, "ha", "c")} AND ha."vclock" @> c."tick" AND lower(ha."vclock") = c."tick" AND lower(ha."effective") = c."timestamp"
                 ${where.length > 0 ? sql`WHERE ${sql.join(where, sql` AND `)}` : sql``}
                 ORDER BY ${order("c")} LIMIT ${scan.limit}) c
          LEFT JOIN ${h} hb ON ${sameKey(meta, "hb", "c")} AND hb."vclock" @> (c."tick" - 1) AND upper(hb."vclock") = c."tick"
          ${scan.activity ? sql`JOIN "temporal_activity" a ON a."id" = c."activity_id"` : sql``}
         ORDER BY ${order("c")}`;
  try {
    return await rows(db, query);
  } catch (error) {
    // The cursor's key is cast to the key's type in SQL: text that is no such value was not a cursor of ours.
    if (scan.after && error instanceof InvalidValueError) throw new InvalidArgumentError(BAD_CURSOR);
    throw error;
  }
}

function decodeChange<V>(meta: TemporalMeta, p: ColumnInfo, raw: Record<string, unknown>): PropertyChangeEvent<V> {
  return {
    key: decodeKey(meta, raw),
    vclock: Number(raw.tick),
    timestamp: parseTimestamp(raw.timestamp),
    activityId: String(raw.activity_id),
    before: raw.had_before === true ? (decode(p.column, raw.before) as V) : undefined,
    after: decode(p.column, raw.after) as V,
  };
}

/**
 * Every change of one property across a table within [from, to), oldest first;
 * `actor` keeps only the changes that person (or process) made.
 *
 * @example
 * const moves = await changedIn(db, friend, "location", { from: new Date("2016-01-01"), to: new Date("2017-01-01") });
 */
export async function changedIn<T extends AnyTemporalTable, P extends Property<T>>(
  db: TemporalDb,
  table: T,
  property: P,
  range: { from: Date; to: Date; actor?: string; limit?: number },
): Promise<PropertyChangeEvent<Row<T>[P]>[]> {
  const meta = metaOf(table);
  const p = propertyOf(meta, String(property));
  const limit = range.limit ?? 10_000;
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError("limit must be a whole number of at least 1.");
  moment(range.from);
  moment(range.to);
  const result = await scanChanges(db, meta, p, { filter: range, limit, order: "asc", activity: false });
  return result.map((raw) => decodeChange<Row<T>[P]>(meta, p, raw));
}

/**
 * The changes of one property across every record of a table, newest first, a page at a
 * time, each with its activity (who, when, why). Keyset-paged: pass `nextCursor` back as
 * `cursor`, and every page costs what the first does, however deep.
 *
 * @example
 * const first = await propertyChanges(db, friend, "location", { from: new Date("2016-01-01"), actor: "joey", limit: 50 });
 * const next = await propertyChanges(db, friend, "location", { from: new Date("2016-01-01"), actor: "joey", limit: 50, cursor: first.nextCursor });
 */
export async function propertyChanges<T extends AnyTemporalTable, P extends Property<T>>(
  db: TemporalDb,
  table: T,
  property: P,
  options: PropertyChangeFilter & { limit?: number; cursor?: string | null } = {},
): Promise<Page<PropertyChangeEntry<Row<T>[P]>, string>> {
  const meta = metaOf(table);
  const p = propertyOf(meta, String(property));
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidArgumentError("limit must be a whole number from 1 to 1000.");
  if (options.actor !== undefined && (typeof options.actor !== "string" || options.actor === "")) {
    throw new InvalidArgumentError("actor must be a non-empty string.");
  }
  const after = options.cursor == null ? undefined : decodeCursor(meta, options.cursor);
  const result = await scanChanges(db, meta, p, { filter: options, limit: limit + 1, order: "desc", after, activity: true });
  const page = result.slice(0, limit);
  const items = page.map((raw) => ({ ...decodeChange<Row<T>[P]>(meta, p, raw), activity: decodeActivity(raw) }));
  const last = page[page.length - 1];
  const nextCursor =
    result.length > limit && last
      ? encodeCursor({
          timestamp: String(last.timestamp_text),
          tick: Number(last.tick),
          key: meta.keyNames.map((_, i) => String(last[`kt${i}`])),
        })
      : null;
  return { items, nextCursor };
}
