/** The activity log's export: every activity the log's filters match, recorded before `until`, newest first. */
import "server-only";
import { activityBatches, type ActivitySummary, type TemporalDb } from "@temporal-records/drizzle";
import { activityFilter } from "../activity-params";
import { adminTables } from "../registry";
import type { RowWriter } from "./encode";
import { ACTIVITY_EXPORT_PATH } from "./links";
import type { ActivityExportParams } from "./params";
import type { ExportPlan } from "./plan";

/** One CSV column per table for its tick count, so a spreadsheet can sum them. */
export function activityWriter(slugs: readonly string[]): RowWriter<ActivitySummary> {
  return {
    columns: [
      "id",
      "at",
      "recorded_at",
      "backdated",
      "actor",
      "actor_name",
      "reason",
      "source",
      "kind",
      "ticks",
      ...slugs.map((s) => `ticks_${s}`),
    ],
    csv: (a) => [
      [
        a.id,
        a.at,
        a.recordedAt,
        a.backdated,
        a.actor,
        a.actorName,
        a.reason,
        a.source,
        a.kind,
        Object.values(a.ticks).reduce((sum, n) => sum + n, 0),
        ...slugs.map((s) => a.ticks[s] ?? 0),
      ],
    ],
    json: (a) => ({
      id: a.id,
      at: a.at,
      recordedAt: a.recordedAt,
      backdated: a.backdated,
      actor: a.actor,
      actorName: a.actorName,
      reason: a.reason,
      source: a.source,
      kind: a.kind,
      ticks: Object.fromEntries(slugs.filter((s) => a.ticks[s] !== undefined).map((s) => [s, a.ticks[s]])),
    }),
    moment: (a) => a.at,
  };
}

/**
 * The plan for `/activity/export`: the From and To days are read in `tz` (the viewer's zone
 * unless the query names one), and the manifest's URL names the zone and the bound, so it
 * returns the same bytes for anyone, later.
 */
export function activityExportPlan(
  db: TemporalDb,
  params: ActivityExportParams,
  viewerZone: string,
  options: { batchSize?: number } = {},
): ExportPlan<ActivitySummary> {
  const until = params.until ?? new Date();
  const tz = params.tz ?? viewerZone;
  const { filters } = params;
  // The page's filter, less its page (limit, cursor): the batches page through everything.
  const { actor, search, table, from, to } = activityFilter(filters, tz, 1);
  const filter = { actor, search, table, from, to };
  const tables = adminTables();
  const query = new URLSearchParams({ format: params.format });
  for (const name of ["actor", "q", "table", "from", "to"] as const) if (filters[name]) query.set(name, filters[name]);
  query.set("tz", tz);
  query.set("until", until.toISOString());
  return {
    kind: "activity",
    format: params.format,
    until,
    scope: "activity",
    path: ACTIVITY_EXPORT_PATH,
    query,
    filters: {
      actor: filters.actor ?? null,
      q: filters.q ?? null,
      table: filters.table ?? null,
      from: filters.from ?? null,
      to: filters.to ?? null,
      tz,
    },
    window: { from: filter.from ?? null, to: filter.to ?? null },
    batches: () =>
      activityBatches(db, { ...filter, recordedBefore: until }, { batchSize: options.batchSize, tables: tables.map((t) => t.table) }),
    writer: activityWriter(tables.map((t) => t.slug)),
  };
}
