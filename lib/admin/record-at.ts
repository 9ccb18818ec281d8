/**
 * A record as it was at a version or a moment (`/t/<table>/<id>?version=7` or `?asOf=…`):
 * its values then, who had set each one, the tick in force and what has changed since.
 * Every read is a lib/temporal read in one database round of the request.
 */
import "server-only";
import { readDatabase } from "@/db/client";
import { asOf, blame, diff, timeline, type Blame, type Point, type PropertyChange, type TimelineEntry } from "@temporal-records/drizzle";
import { referenceLabels } from "./queries";
import type { AdminTable } from "./registry";
import type { Labels, Row } from "./types";

export type RecordAt =
  /** The record at that point: values of tracked properties (untracked ones are not kept). */
  | {
      state: "found";
      vclock: number;
      timestamp: Date;
      retired: boolean;
      values: Row;
      notTracked: string[];
      /** The tick in force at that point (its who, why and what it changed). */
      tick: TimelineEntry;
      blames: Blame[];
      /** From that point to the current version; empty when nothing changed since. */
      since: PropertyChange[];
      /** Ticks up to and including that point, newest first. */
      earlier: TimelineEntry[];
      labels: Labels;
    }
  /** A moment before the record was created. */
  | { state: "not-yet"; created: { vclock: number; timestamp: Date } }
  /** A version the record has not reached. */
  | { state: "no-such-version"; latest: number };

export async function loadRecordAt(admin: AdminTable, key: Record<string, unknown>, current: Row, point: Point): Promise<RecordAt> {
  const latest = Number(current.vclock);
  return readDatabase(async (db) => {
    const then = await asOf(db, admin.table, key, point);
    if (!then) {
      if ("vclock" in point) return { state: "no-such-version", latest };
      const first = await asOf(db, admin.table, key, { vclock: 1 });
      return { state: "not-yet", created: { vclock: 1, timestamp: first!.timestamp } };
    }
    const at = { vclock: then.vclock };
    const [blames, changes, ticks] = await Promise.all([
      blame(db, admin.table, key, at),
      diff(db, admin.table, key, at, { vclock: latest }),
      timeline(db, admin.table, key, { limit: 10, cursor: then.vclock + 1 }),
    ]);
    const values = then.record as Row;
    const since = changes.changes.filter((c) => c.property !== "retired");
    const labelRows: Row[] = [values, ...since.map((c) => ({ [c.property]: c.before })), ...since.map((c) => ({ [c.property]: c.after }))];
    for (const entry of ticks.items) for (const c of entry.changes) labelRows.push({ [c.property]: c.before }, { [c.property]: c.after });
    return {
      state: "found",
      vclock: then.vclock,
      timestamp: then.timestamp,
      retired: then.retired,
      values,
      notTracked: then.notTracked,
      tick: ticks.items[0]!,
      blames,
      since,
      earlier: ticks.items,
      labels: await referenceLabels(db, admin, labelRows),
    };
  });
}
