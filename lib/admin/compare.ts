/**
 * Two versions or moments of one record side by side (`/t/<table>/<id>/compare`):
 * every field's value at each, which changed (the library's `diff`), how (by kind), and
 * the activities in between with their reasons.
 */
import "server-only";
import { readDatabase } from "@/db/client";
import { asOf, diff, timeline, type Point, type TimelineEntry } from "@temporal-records/drizzle";
import { referenceLabels } from "./queries";
import type { AdminTable, Field } from "./registry";
import type { Labels, Row } from "./types";
import { valueDiff, type ValueDiff } from "./value-diff";

/** How many activities between the two sides the page lists (the full history has the rest). */
export const BETWEEN_LIMIT = 50;

export type Side = { vclock: number; timestamp: Date; retired: boolean } | null;

export type ComparedField = { field: Field; before: unknown; after: unknown; changed: boolean; diff: ValueDiff };

export type Comparison = {
  from: Side;
  to: Side;
  fields: ComparedField[];
  /** The ticks after the older side up to the newer one, newest first. */
  between: TimelineEntry[];
  /** How many ticks lie between in all (more than `between` holds when the gap is wide). */
  betweenCount: number;
  labels: Labels;
};

export async function compareRecord(admin: AdminTable, key: Record<string, unknown>, from: Point, to: Point): Promise<Comparison> {
  return readDatabase(async (db) => {
    const [before, after, changes] = await Promise.all([
      asOf(db, admin.table, key, from),
      asOf(db, admin.table, key, to),
      diff(db, admin.table, key, from, to),
    ]);
    const changed = new Set(changes.changes.map((c) => c.property));
    const older = Math.min(before?.vclock ?? 0, after?.vclock ?? 0);
    const newer = Math.max(before?.vclock ?? 0, after?.vclock ?? 0);
    const ticks =
      newer > older
        ? await timeline(db, admin.table, key, { limit: Math.min(BETWEEN_LIMIT, newer - older), cursor: newer + 1 })
        : { items: [] };
    const valuesBefore = (before?.record ?? {}) as Row;
    const valuesAfter = (after?.record ?? {}) as Row;
    const fields = admin.fields
      .filter((f) => f.tracked && f.prop !== "vclock" && f.prop !== "retired")
      .map((field) => {
        const b = valuesBefore[field.prop];
        const a = valuesAfter[field.prop];
        const isChanged = changed.has(field.prop);
        return { field, before: b, after: a, changed: isChanged, diff: isChanged ? valueDiff(field, b, a) : ({ kind: "plain" } as const) };
      });
    const labelRows: Row[] = [valuesBefore, valuesAfter];
    for (const tick of ticks.items) for (const c of tick.changes) labelRows.push({ [c.property]: c.before }, { [c.property]: c.after });
    const side = (found: typeof before): Side =>
      found ? { vclock: found.vclock, timestamp: found.timestamp, retired: found.retired } : null;
    return {
      from: side(before),
      to: side(after),
      fields,
      between: ticks.items,
      betweenCount: newer - older,
      labels: await referenceLabels(db, admin, labelRows),
    };
  });
}
