import { sql, type SQL } from "drizzle-orm";
import { parseTimestamp } from "./columns";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError, NotFoundError, UnknownPropertyError } from "./errors";
import { col, ident } from "./names";
import {
  activityColumns,
  checkPage,
  clockRef,
  decodeActivity,
  decodeKey,
  decodeTickChanges,
  historyKey,
  historyRef,
  keyColumns,
  moment,
  momentEnd,
  sameKey,
  tickChangeJoins,
  tickKind,
  type PropertyChange,
  type TickActivity,
  type TickKind,
} from "./sql-parts";
import { metaOf, registeredTables, type AnyTemporalTable, type TemporalMeta } from "./table";
import { decode, normalizeKey, type Key, type KeyInput } from "./values";
import type { Row } from "./write";

/** One page of a newest-first read; pass `nextCursor` back as `cursor` for the next (null: this was the last). */
export type Page<T, C = number> = { items: T[]; nextCursor: C | null };

export type HistoryEntry<V> = {
  value: V;
  vclock: { from: number; to: number | null };
  effective: { from: Date; to: Date | null };
  /** The activity of the tick that set this value. */
  activity: TickActivity | null;
  /** True for the row a migration opened when tracking of this property started. */
  trackingStarted: boolean;
};

/**
 * Every value one property has held, newest first, with the activity that set it;
 * with `from`/`to`, only the values held during that window.
 *
 * @example
 * const { items } = await history(db, friend, 1, "location");
 * items.map((h) => h.value) // ["Berkeley", "San Francisco", "Tucson"]
 */
export async function history<T extends AnyTemporalTable, P extends T["$temporal"]["tracked"][number] | "retired">(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  property: P,
  options?: { limit?: number; cursor?: number | null; from?: Date; to?: Date },
): Promise<Page<HistoryEntry<Row<T>[P]>>> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const p = meta.properties.find((c) => c.prop === property);
  if (!p)
    throw new UnknownPropertyError(
      meta.name,
      String(property),
      meta.properties.map((c) => c.prop),
      "tracked property",
    );
  const { limit, cursor } = checkPage(options);
  const window = effectiveWindow(options?.from, options?.to);
  const result = await rows(
    db,
    sql`SELECT h.${ident(p.name)} AS "value", lower(h."vclock") AS "vfrom", upper(h."vclock") AS "vto",
               lower(h."effective") AS "efrom", upper(h."effective") AS "eto",
               (lower(h."effective") <> c."timestamp") AS "tracking_started", ${activityColumns}
          FROM (SELECT * FROM ${historyRef(meta, p)} h
                 WHERE ${historyKey(meta, k, "h")} ${cursor === null ? sql`` : sql`AND lower(h."vclock") < ${cursor}`} ${window}
                 ORDER BY lower(h."vclock") DESC LIMIT ${limit + 1}) h
          LEFT JOIN ${clockRef(meta)} c ON ${sameKey(meta, "c", "h")} AND c."tick" = lower(h."vclock")
          LEFT JOIN "temporal_activity" a ON a."id" = c."activity_id"
         ORDER BY lower(h."vclock") DESC`,
    { prepared: true },
  );
  const items = result.slice(0, limit).map((raw) => ({
    value: decode(p.column, raw.value) as Row<T>[P],
    vclock: { from: Number(raw.vfrom), to: raw.vto === null ? null : Number(raw.vto) },
    effective: { from: parseTimestamp(raw.efrom), to: raw.eto === null ? null : parseTimestamp(raw.eto) },
    activity: raw.a_id === null ? null : decodeActivity(raw),
    trackingStarted: raw.tracking_started === true,
  }));
  return { items, nextCursor: result.length > limit ? items[items.length - 1]!.vclock.from : null };
}

/** `AND` the history row held during [from, to) (either end open when left out); from after to is refused. */
export function effectiveWindow(from: Date | undefined, to: Date | undefined, alias = "h"): SQL {
  if (from === undefined && to === undefined) return sql``;
  if (from && to && from.getTime() >= to.getTime()) throw new InvalidArgumentError("The window's from must be before its to.");
  // A Date covers its whole millisecond: the window starts with the value held at its end, as asOf reads it.
  const lower = from === undefined ? sql`NULL` : momentEnd(from);
  const upper = to === undefined ? sql`NULL` : moment(to);
  return sql`AND ${sql.identifier(alias)}."effective" && tstzrange(${lower}, ${upper}, '[)')`;
}

export type TimelineEntry = {
  vclock: number;
  timestamp: Date;
  kind: TickKind;
  activity: TickActivity;
  /** What this tick changed, before → after (before is undefined at creation). */
  changes: PropertyChange[];
};

function decodeTick(meta: TemporalMeta, raw: Record<string, unknown>): TimelineEntry {
  const changes = decodeTickChanges(meta, raw);
  const vclock = Number(raw.tick);
  return { vclock, timestamp: parseTimestamp(raw.timestamp), kind: tickKind(vclock, changes), activity: decodeActivity(raw), changes };
}

export type TimelineOptions = {
  /** 1 to 1000; 50 when left out. */
  limit?: number;
  /** A vclock returned as nextCursor: the ticks before it. */
  cursor?: number | null;
  /**
   * Only ticks whose activity was recorded (really written) before this moment, so a
   * later write, back-dated or not, never changes a listing bounded by it.
   */
  recordedBefore?: Date;
};

/**
 * A record's ticks, newest first: when, who, why, and what changed.
 *
 * @example
 * const { items, nextCursor } = await timeline(db, friend, 2, { limit: 20 });
 */
export async function timeline<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  options?: TimelineOptions,
): Promise<Page<TimelineEntry>> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const { limit, cursor } = checkPage(options);
  const recorded = options?.recordedBefore === undefined ? null : moment(options.recordedBefore);
  const { joins, columns } = tickChangeJoins(meta, "c");
  const result = await rows(
    db,
    // The page of ticks first (an index range of the clock), then the lookups for those ticks only.
    sql`SELECT c."tick", c."timestamp", ${activityColumns}, ${columns}
          FROM (SELECT c.* FROM ${clockRef(meta)} c
                 ${recorded === null ? sql`` : sql`JOIN "temporal_activity" r ON r."id" = c."activity_id" AND r."recorded_at" < ${recorded}`}
                 WHERE ${historyKey(meta, k, "c")} ${cursor === null ? sql`` : sql`AND c."tick" < ${cursor}`}
                 ORDER BY c."tick" DESC LIMIT ${limit + 1}) c
          JOIN "temporal_activity" a ON a."id" = c."activity_id"
          ${joins}
         ORDER BY c."tick" DESC`,
    { prepared: true },
  );
  const items = result.slice(0, limit).map((raw) => decodeTick(meta, raw));
  return { items, nextCursor: result.length > limit ? items[items.length - 1]!.vclock : null };
}

export type ChangesetEntry = TimelineEntry & { table: string; key: Key };
export type Changeset = { activity: TickActivity; entries: ChangesetEntry[]; truncated: boolean };

/**
 * Everything one activity did: every record and property it touched, before → after.
 * Spans all temporal tables declared in this process unless `tables` is given;
 * `limit` and `offset` page through the ticks of each table (page one table at a time).
 *
 * @example
 * const { activity, entries } = await changeset(db, "42");
 */
export async function changeset(
  db: TemporalDb,
  activityId: string | number | bigint,
  options: { tables?: AnyTemporalTable[]; limit?: number; offset?: number } = {},
): Promise<Changeset> {
  const id = String(activityId);
  if (!/^[0-9]{1,18}$/.test(id)) throw new InvalidArgumentError("An activity id is a whole number.");
  const limit = options.limit ?? 1000;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError("limit must be a whole number of at least 1.");
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidArgumentError("offset must be a whole number of at least 0.");
  const [head] = await rows(db, sql`SELECT ${activityColumns} FROM "temporal_activity" a WHERE a."id" = ${id}::bigint`);
  if (!head) throw new NotFoundError("temporal_activity", id, "activity");
  const metas = options.tables ? options.tables.map(metaOf) : registeredTables();
  const entries: ChangesetEntry[] = [];
  let truncated = false;
  for (const meta of metas) {
    const { joins, columns } = tickChangeJoins(meta, "c");
    const result = await rows(
      db,
      sql`SELECT ${keyColumns(meta, "c")}, c."tick", c."timestamp", ${activityColumns}, ${columns}
            FROM ${clockRef(meta)} c
            JOIN "temporal_activity" a ON a."id" = c."activity_id"
            ${joins}
           WHERE c."activity_id" = ${id}::bigint
           ORDER BY ${sql.raw(meta.keyNames.map((k) => col("c", k)).join(", "))}, c."tick" LIMIT ${limit + 1} OFFSET ${offset}`,
    );
    if (result.length > limit) truncated = true;
    for (const raw of result.slice(0, limit)) entries.push({ table: meta.name, key: decodeKey(meta, raw), ...decodeTick(meta, raw) });
  }
  return { activity: decodeActivity(head), entries, truncated };
}
