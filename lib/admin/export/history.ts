/** A record's history export: every tick recorded before `until`, newest first, with what it changed and why. */
import "server-only";
import { timelineBatches, type TemporalDb, type TimelineEntry } from "@temporal-records/drizzle";
import { recordId, type AdminTable } from "../registry";
import type { RowWriter } from "./encode";
import type { HistoryExportParams } from "./params";
import { fileSafe, type ExportPlan } from "./plan";

/**
 * A CSV record per property change (a tick that changed three properties is three records,
 * its tick and activity repeated); a JSON element per tick with its changes in a list. In CSV
 * an absent `before` (the record's creation) and a null one are both empty: JSON leaves an
 * absent one out and writes a null one as null.
 */
export const historyWriter: RowWriter<TimelineEntry> = {
  columns: [
    "vclock",
    "timestamp",
    "kind",
    "property",
    "before",
    "after",
    "activity_id",
    "actor",
    "actor_name",
    "reason",
    "recorded_at",
    "backdated",
    "source",
    "activity_kind",
  ],
  csv: (tick) => {
    const { activity: a } = tick;
    const record = (property: string | null, before: unknown, after: unknown) => [
      tick.vclock,
      tick.timestamp,
      tick.kind,
      property,
      before,
      after,
      a.id,
      a.actor,
      a.actorName,
      a.reason,
      a.recordedAt,
      a.backdated,
      a.source,
      a.kind,
    ];
    // A tick that changed nothing tracked still gets its line: it happened, with a reason.
    if (tick.changes.length === 0) return [record(null, null, null)];
    return tick.changes.map((c) => record(c.property, c.before, c.after));
  },
  json: (tick) => ({
    vclock: tick.vclock,
    timestamp: tick.timestamp,
    kind: tick.kind,
    changes: tick.changes.map((c) => ({ property: c.property, before: c.before, after: c.after })),
    activity: {
      id: tick.activity.id,
      actor: tick.activity.actor,
      actorName: tick.activity.actorName,
      reason: tick.activity.reason,
      at: tick.activity.at,
      recordedAt: tick.activity.recordedAt,
      backdated: tick.activity.backdated,
      source: tick.activity.source,
      kind: tick.activity.kind,
    },
  }),
  moment: (tick) => tick.timestamp,
};

/** The plan for `/t/<table>/<id>/history/export`, for a record that exists (the route answers 404 first). */
export function historyExportPlan(
  db: TemporalDb,
  record: { admin: AdminTable; key: Record<string, unknown> },
  params: HistoryExportParams,
  options: { batchSize?: number } = {},
): ExportPlan<TimelineEntry> {
  const until = params.until ?? new Date();
  const { admin, key } = record;
  const id = recordId(admin, key);
  return {
    kind: "history",
    format: params.format,
    until,
    scope: `${admin.slug}-${fileSafe(id)}-history`,
    path: `/t/${admin.slug}/${encodeURIComponent(id)}/history/export`,
    query: new URLSearchParams({ format: params.format, until: until.toISOString() }),
    filters: { table: admin.slug, id },
    window: { from: null, to: null },
    batches: () => timelineBatches(db, admin.table, key, { recordedBefore: until, batchSize: options.batchSize }),
    writer: historyWriter,
  };
}
