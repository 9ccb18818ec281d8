/**
 * Reads for reverting one record to an earlier version (`/t/<table>/<id>/revert?to=N`):
 * every tracked property now and then, which differ, and the reason the form starts
 * with; and the links both ways between a revert and what it reverted (read from the
 * activities' `kind`, see ./revert-kind). History comes from lib/temporal only.
 */
import "server-only";
import {
  ACTIVITY_LIMITS,
  asOf,
  changeset,
  listActivities,
  type ActivitySummary,
  type TemporalDb,
  type TimelineEntry,
} from "@temporal-records/drizzle";
import { getRecord, referenceLabels } from "./queries";
import { adminTables, recordId, type AdminTable, type Field } from "./registry";
import { parseRevertKind, revertKind, revertReason, type RevertTarget } from "./revert-kind";
import type { Labels, Row } from "./types";

export type RevertField = {
  field: Field;
  now: unknown;
  then: unknown;
  /** The value at the version differs from now: reverting it changes something. */
  differs: boolean;
  /** Tracking had not started at that version: there is no old value to restore. */
  notTracked: boolean;
};

export type RecordRevertPreview =
  | {
      state: "ready";
      /** The version the record goes back to, and the current version the preview was made against. */
      toVclock: number;
      latest: number;
      timestamp: Date;
      retiredNow: boolean;
      fields: RevertField[];
      labels: Labels;
      defaultReason: string;
    }
  | { state: "no-such-version" | "is-current"; latest: number };

/** The properties a person can revert: tracked, and neither the key nor the library's own. */
export const revertableFields = (admin: AdminTable) => admin.fields.filter((f) => f.tracked && !f.system);

/** What reverting `row` to version `toVclock` would change, property by property. */
export async function loadRecordRevert(
  db: TemporalDb,
  admin: AdminTable,
  key: Record<string, unknown>,
  row: Row,
  title: string,
  toVclock: number,
): Promise<RecordRevertPreview> {
  const latest = Number(row.vclock);
  if (toVclock >= latest) return { state: toVclock === latest ? "is-current" : "no-such-version", latest };
  const then = await asOf(db, admin.table, key, { vclock: toVclock });
  if (!then) return { state: "no-such-version", latest };
  const values = then.record as Row;
  const notTracked = new Set<string>(then.notTracked);
  const fields = revertableFields(admin).map((field) => {
    const untracked = notTracked.has(field.prop);
    const now = row[field.prop];
    const old = untracked ? undefined : values[field.prop];
    return { field, now, then: old, differs: !untracked && !sameValue(now, old), notTracked: untracked };
  });
  return {
    state: "ready",
    toVclock,
    latest,
    timestamp: then.timestamp,
    retiredNow: row.retired === true,
    fields,
    labels: await referenceLabels(db, admin, [row, values]),
    defaultReason: revertReason({ record: title, version: toVclock }, ACTIVITY_LIMITS.reason),
  };
}

/** Values as the database returns them (text, numbers, arrays, json): equal when their JSON is. */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => JSON.stringify(v instanceof Date ? v.toISOString() : (v ?? null));
  return norm(a) === norm(b);
}

/** A revert's side of a link: what it reverted. An original's side: the activities that reverted it. */
export type TickRevertLinks = { reverts: RevertTarget | null; revertedBy: string[] };

/**
 * For each tick of a record's feed: what it reverted (its activity's kind), and which
 * later activities reverted it: an undo of its activity, or a revert of this record
 * to a version before it that set back a property it changed (among the ticks given).
 */
export async function tickRevertLinks(db: TemporalDb, ticks: TimelineEntry[]): Promise<Record<number, TickRevertLinks>> {
  const links: Record<number, TickRevertLinks> = {};
  for (const tick of ticks) links[tick.vclock] = { reverts: parseRevertKind(tick.activity.kind), revertedBy: [] };
  if (ticks.length === 0) return links;
  const kinds = [...new Set(ticks.map((t) => revertKind({ activity: t.activity.id })))];
  const { items } = await listActivities(db, { kind: kinds, limit: 500 });
  for (const revert of items) {
    const target = parseRevertKind(revert.kind);
    if (!target || !("activity" in target)) continue;
    for (const tick of ticks) if (tick.activity.id === target.activity) add(links[tick.vclock]!, revert.id);
  }
  for (const revert of ticks) {
    const target = links[revert.vclock]!.reverts;
    if (!target || !("version" in target)) continue;
    const setBack = new Set(revert.changes.map((c) => c.property));
    for (const tick of ticks) {
      if (tick.vclock <= target.version || tick.vclock >= revert.vclock) continue;
      if (tick.changes.some((c) => setBack.has(c.property))) add(links[tick.vclock]!, revert.activity.id);
    }
  }
  return links;
}

const add = (link: TickRevertLinks, id: string) => {
  if (!link.revertedBy.includes(id)) link.revertedBy.push(id);
};

export type ActivityRevertLinks = {
  /** This activity undid another one, or set a record back to a version. */
  reverts: { activity: string } | { version: number; record: { title: string; href: string } | null } | null;
  /** The activities that undid this one, oldest first. */
  revertedBy: { id: string; reason: string }[];
};

/** The links of a change set: what it reverted, and what reverted it. */
export async function activityRevertLinks(
  db: TemporalDb,
  activity: Pick<ActivitySummary, "id" | "kind" | "ticks">,
): Promise<ActivityRevertLinks> {
  const target = parseRevertKind(activity.kind);
  const { items } = await listActivities(db, { kind: revertKind({ activity: activity.id }), limit: 500 });
  const revertedBy = items.map((i) => ({ id: i.id, reason: i.reason })).reverse();
  if (!target || "activity" in target) return { reverts: target, revertedBy };
  return { reverts: { version: target.version, record: await revertedRecord(db, activity) }, revertedBy };
}

/** The one record a record revert changed, with its title now. */
async function revertedRecord(
  db: TemporalDb,
  activity: Pick<ActivitySummary, "id" | "ticks">,
): Promise<{ title: string; href: string } | null> {
  const admin = adminTables().find((a) => (activity.ticks[a.slug] ?? 0) > 0);
  if (!admin) return null;
  const [entry] = (await changeset(db, activity.id, { tables: [admin.table], limit: 1 })).entries;
  if (!entry) return null;
  const id = recordId(admin, entry.key);
  const title = (await getRecord(db, admin, entry.key))?.[admin.titleProp];
  return {
    title: title === null || title === undefined ? `${admin.singular} ${id}` : String(title),
    href: `/t/${admin.slug}/${encodeURIComponent(id)}`,
  };
}
