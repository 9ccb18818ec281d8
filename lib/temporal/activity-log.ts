import { sql, type SQL } from "drizzle-orm";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError } from "./errors";
import { activityColumns, clockRef, decodeActivity, moment, type TickActivity } from "./sql-parts";
import { metaOf, registeredTables, type AnyTemporalTable, type TemporalMeta } from "./table";

export type ActivitySummary = TickActivity & {
  /** How many ticks the activity made, per table name (tables it did not touch are left out). */
  ticks: Record<string, number>;
};

export type ActivityFilter = {
  /** Exact actor. */
  actor?: string;
  /** Exact kind, or any of several (say, the reverts of a page of activities). */
  kind?: string | string[];
  /** Case-insensitive text to find in the reason. */
  search?: string;
  /** Only activities that touched this table. */
  table?: AnyTemporalTable;
  /** Activities at or after this moment. */
  from?: Date;
  /** Activities before this moment. */
  to?: Date;
  /**
   * Only activities recorded (really written, whatever moment they are about) before this
   * moment: a later write, back-dated or not, never changes a listing bounded by it.
   */
  recordedBefore?: Date;
  /** 1 to 1000; 50 when left out. */
  limit?: number;
  /** An activity id returned as nextCursor. */
  cursor?: string | null;
};

function tablesOf(options: { tables?: AnyTemporalTable[] }): TemporalMeta[] {
  return options.tables ? options.tables.map(metaOf) : registeredTables();
}

/**
 * The activity log, newest first, filtered and cursor-paginated, with how many
 * ticks each activity made in each table.
 *
 * @example
 * const { items, nextCursor } = await listActivities(db, { actor: "ops@clover", search: "renewal", limit: 50 });
 * const reverts = await listActivities(db, { kind: ["revert:activity:41", "revert:activity:42"] });
 */
export async function listActivities(
  db: TemporalDb,
  filter: ActivityFilter = {},
  options: { tables?: AnyTemporalTable[] } = {},
): Promise<{ items: ActivitySummary[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new InvalidArgumentError("limit must be a whole number from 1 to 1000.");
  if (filter.cursor != null && !/^[0-9]{1,18}$/.test(filter.cursor))
    throw new InvalidArgumentError("cursor must be a value returned as nextCursor.");
  const conditions: SQL[] = [];
  if (filter.actor) conditions.push(sql`a."actor" = ${filter.actor}`);
  if (typeof filter.kind === "string") conditions.push(sql`a."kind" = ${filter.kind}`);
  else if (Array.isArray(filter.kind)) conditions.push(sql`a."kind" = ANY(${sql.param(filter.kind)}::text[])`);
  if (filter.search) conditions.push(sql`a."reason" ILIKE ${`%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (filter.from) conditions.push(sql`a."at" >= ${moment(filter.from)}`);
  if (filter.to) conditions.push(sql`a."at" < ${moment(filter.to)}`);
  if (filter.recordedBefore) conditions.push(sql`a."recorded_at" < ${moment(filter.recordedBefore)}`);
  if (filter.cursor) conditions.push(sql`a."id" < ${filter.cursor}::bigint`);
  if (filter.table) {
    conditions.push(sql`EXISTS (SELECT 1 FROM ${clockRef(metaOf(filter.table))} c WHERE c."activity_id" = a."id")`);
  }
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const page = await rows(db, sql`SELECT ${activityColumns} FROM "temporal_activity" a ${where} ORDER BY a."id" DESC LIMIT ${limit + 1}`);
  const items: ActivitySummary[] = page.slice(0, limit).map((raw) => ({ ...decodeActivity(raw), ticks: {} }));
  await countTicks(db, items, options);
  return { items, nextCursor: page.length > limit ? items[items.length - 1]!.id : null };
}

/**
 * One activity with its tick counts per table, or null when there is none with that id.
 *
 * @example
 * const activity = await getActivity(db, "42"); // { reason, actor, at, ticks: { member: 583 }, ... }
 */
export async function getActivity(
  db: TemporalDb,
  activityId: string | number | bigint,
  options: { tables?: AnyTemporalTable[] } = {},
): Promise<ActivitySummary | null> {
  const id = String(activityId);
  if (!/^[0-9]{1,18}$/.test(id)) throw new InvalidArgumentError("An activity id is a whole number.");
  const [raw] = await rows(db, sql`SELECT ${activityColumns} FROM "temporal_activity" a WHERE a."id" = ${id}::bigint`);
  if (!raw) return null;
  const activity: ActivitySummary = { ...decodeActivity(raw), ticks: {} };
  await countTicks(db, [activity], options);
  return activity;
}

async function countTicks(db: TemporalDb, items: ActivitySummary[], options: { tables?: AnyTemporalTable[] }): Promise<void> {
  const tables = tablesOf(options);
  if (items.length === 0 || tables.length === 0) return;
  const ids = sql.param(items.map((i) => i.id));
  // One round trip for every table (an export counts a batch of 1,000 activities at a time).
  const counts = await rows<{ id: string | number; table: string; n: string | number }>(
    db,
    sql.join(
      tables.map(
        (meta) =>
          sql`(SELECT c."activity_id" AS "id", ${meta.name}::text AS "table", count(*) AS "n" FROM ${clockRef(meta)} c WHERE c."activity_id" = ANY(${ids}::bigint[]) GROUP BY c."activity_id")`,
      ),
      sql` UNION ALL `,
    ),
  );
  const byId = new Map(items.map((i) => [i.id, i]));
  // In the tables' order, whatever order the rows came in: an export's bytes (its JSON keys) must repeat exactly.
  const order = new Map(tables.map((meta, i) => [meta.name, i]));
  counts.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
  for (const count of counts) {
    const item = byId.get(String(count.id));
    if (item) item.ticks[count.table] = Number(count.n);
  }
}

/** The distinct actors in the activity log with the name each was last shown by, for filters. */
export async function listActors(db: TemporalDb, options: { limit?: number } = {}): Promise<{ actor: string; name: string | null }[]> {
  const result = await rows<{ actor: string; name: string | null }>(
    db,
    sql`SELECT DISTINCT ON (a."actor") a."actor", a."actor_name" AS "name"
          FROM "temporal_activity" a ORDER BY a."actor", a."id" DESC LIMIT ${options.limit ?? 500}`,
  );
  return result.map((r) => ({ actor: r.actor, name: r.name ?? null }));
}

export type DailyTicks = { day: string; table: string; ticks: number };

/**
 * How many ticks each table recorded per calendar day in a time zone, for charts.
 *
 * @example
 * await ticksPerDay(db, { from: new Date("2026-01-01"), to: new Date(), timeZone: "Europe/Berlin" });
 */
export async function ticksPerDay(
  db: TemporalDb,
  range: { from: Date; to: Date; timeZone?: string },
  options: { tables?: AnyTemporalTable[] } = {},
): Promise<DailyTicks[]> {
  const zone = range.timeZone ?? "UTC";
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) throw new InvalidArgumentError("timeZone must be an IANA zone name such as Europe/Berlin.");
  const parts = tablesOf(options).map(
    (
      meta,
    ) => sql`SELECT to_char(c."timestamp" AT TIME ZONE ${zone}, 'YYYY-MM-DD') AS "day", ${meta.name}::text AS "table", count(*) AS "ticks"
        FROM ${clockRef(meta)} c
       WHERE c."timestamp" >= ${moment(range.from)} AND c."timestamp" < ${moment(range.to)}
       GROUP BY 1`,
  );
  if (parts.length === 0) return [];
  const result = await rows<{ day: string; table: string; ticks: string | number }>(
    db,
    sql`${sql.join(parts, sql` UNION ALL `)} ORDER BY 1, 2`,
  );
  return result.map((r) => ({ day: r.day, table: r.table, ticks: Number(r.ticks) }));
}
