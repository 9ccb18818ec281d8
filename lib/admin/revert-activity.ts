/**
 * Undoing one activity (`/activity/<id>/undo`): what each record it touched would get
 * back, property by property, which later changes are in the way (for the person to
 * settle: keep now, or take the old value), and the write itself, in one transaction.
 */
import "server-only";
import {
  ACTIVITY_LIMITS,
  changeset,
  getActivity,
  planRevertActivity,
  revertActivity,
  withActivity,
  type ActivityInput,
  type ActivitySummary,
  type ChangesetEntry,
  type RevertConflict,
  type RevertResolution,
  type TemporalDb,
} from "@temporal-records/drizzle";
import { can, type Role } from "@/lib/auth/roles";
import { getRecords, referenceLabels } from "./queries";
import { adminTables, fieldOf, recordId, type AdminTable, type Field } from "./registry";
import { revertReason } from "./revert-kind";
import type { Labels, Row } from "./types";

/** Records without a conflict listed on the preview; the rest are counted (their changes go back all the same). */
export const UNDO_RECORDS_SHOWN = 100;
/** More conflicts than this are too many to settle one by one on a page. */
export const UNDO_CONFLICTS_MAX = 1000;

export type UndoConflict = {
  /** The latest later version that changed the property: the form sends it back, so a newer change is refused. */
  seenVclock: number;
  /** The later activities that changed it, newest last. */
  activityIds: string[];
};

export type UndoProperty = {
  field: Field;
  /** What the activity set it to (its last tick's value). */
  set: unknown;
  now: unknown;
  /** What undoing sets it back to. */
  old: unknown;
  conflict: UndoConflict | null;
};

export type UndoRecord = {
  id: string;
  title: string;
  href: string;
  /** The activity created the record (undo retires it), retired it (undo restores it), or changed it. */
  effect: "retire" | "restore" | "change";
  properties: UndoProperty[];
};

export type UndoTable = { slug: string; label: string; singular: string; records: UndoRecord[]; hidden: number; labels: Labels };

export type UndoPreview = {
  activity: ActivitySummary;
  tables: UndoTable[];
  recordCount: number;
  conflictCount: number;
  defaultReason: string;
  /** The lowest role that may undo it: the highest any touched table needs. */
  role: Role;
};

/** The role undoing an activity needs: an editor, or more where a table it touched needs more. */
export function roleFor(activity: Pick<ActivitySummary, "ticks">): Role {
  return adminTables()
    .filter((a) => (activity.ticks[a.slug] ?? 0) > 0)
    .reduce<Role>((role, a) => (can(role, a.manageRole) ? role : a.manageRole), "editor");
}

/** The role an undo action bound to `bound` needs; an id that names no activity needs an editor. */
export async function roleToUndo(db: TemporalDb, bound: unknown): Promise<Role> {
  if (typeof bound !== "string" || !/^[0-9]{1,18}$/.test(bound)) return "editor";
  const activity = await getActivity(db, bound);
  return activity ? roleFor(activity) : "editor";
}

/** What the activity last set each property of a record to. */
function lastSet(entries: ChangesetEntry[]): Map<string, unknown> {
  const set = new Map<string, unknown>();
  for (const entry of [...entries].sort((a, b) => a.vclock - b.vclock)) for (const c of entry.changes) set.set(c.property, c.after);
  return set;
}

function conflictOf(conflicts: RevertConflict[], property: string): UndoConflict | null {
  const mine = conflicts.filter((c) => c.property === property).sort((a, b) => a.changedAtVclock - b.changedAtVclock);
  if (mine.length === 0) return null;
  return { seenVclock: mine.at(-1)!.changedAtVclock, activityIds: [...new Set(mine.map((c) => c.activityId))] };
}

async function previewTable(
  db: TemporalDb,
  admin: AdminTable,
  planned: { key: Record<string, unknown>; changes: Record<string, unknown> }[],
  conflicts: RevertConflict[],
  entries: ChangesetEntry[],
): Promise<UndoTable> {
  const id = (key: Record<string, unknown>) => recordId(admin, key);
  const conflicted = new Set(conflicts.map((c) => id(c.key)));
  // Records in conflict first (each needs a choice), then the rest up to the limit.
  const ordered = [...planned.filter((p) => conflicted.has(id(p.key))), ...planned.filter((p) => !conflicted.has(id(p.key)))];
  const shown = ordered.filter((p, i) => conflicted.has(id(p.key)) || i < UNDO_RECORDS_SHOWN);
  const current = new Map(
    (
      await getRecords(
        db,
        admin,
        shown.map((p) => p.key),
      )
    ).map((row) => [id(row), row]),
  );
  const records = shown.map((p): UndoRecord => {
    const rid = id(p.key);
    const now: Row = current.get(rid) ?? {};
    const mine = conflicts.filter((c) => id(c.key) === rid);
    const set = lastSet(entries.filter((e) => id(e.key) === rid));
    const created = entries.some((e) => id(e.key) === rid && e.kind === "created");
    const property = (prop: string, old: unknown): UndoProperty | null => {
      const field = fieldOf(admin, prop);
      return field ? { field, set: set.get(prop), now: now[prop], old, conflict: conflictOf(mine, prop) } : null;
    };
    const props = created
      ? // Undoing a creation retires the record; later changes to it are what the person settles.
        [
          property("retired", true),
          ...[...new Set(mine.map((c) => c.property))].filter((c) => c !== "retired").map((c) => property(c, undefined)),
        ]
      : Object.entries(p.changes).map(([prop, old]) => property(prop, old));
    const title = now[admin.titleProp];
    return {
      id: rid,
      title: title === null || title === undefined || String(title).trim() === "" ? `${admin.singular} ${rid}` : String(title),
      href: `/t/${admin.slug}/${encodeURIComponent(rid)}`,
      effect: created ? "retire" : p.changes.retired === false ? "restore" : "change",
      properties: props.filter((x): x is UndoProperty => x !== null),
    };
  });
  const labelRows: Row[] = records.flatMap((r) =>
    r.properties.flatMap((p) => [{ [p.field.prop]: p.set }, { [p.field.prop]: p.now }, { [p.field.prop]: p.old }]),
  );
  return {
    slug: admin.slug,
    label: admin.label,
    singular: admin.singular,
    records,
    hidden: planned.length - shown.length,
    labels: await referenceLabels(db, admin, labelRows),
  };
}

/** The preview of undoing activity `id`, or undefined when there is no such activity. */
export async function loadUndoPreview(db: TemporalDb, id: string): Promise<UndoPreview | undefined> {
  const activity = await getActivity(db, id);
  if (!activity) return undefined;
  const plan = await planRevertActivity(db, id);
  const { entries } = await changeset(db, id, { limit: 100_000 });
  const tables: UndoTable[] = [];
  for (const admin of adminTables()) {
    const planned = plan.records.filter((r) => r.table === admin.slug);
    if (planned.length === 0) continue;
    const conflicts = plan.conflicts.filter((c) => c.table === admin.slug);
    tables.push(
      await previewTable(
        db,
        admin,
        planned,
        conflicts,
        entries.filter((e) => e.table === admin.slug),
      ),
    );
  }
  const conflictCount = tables.reduce((n, t) => n + t.records.reduce((m, r) => m + r.properties.filter((p) => p.conflict).length, 0), 0);
  return {
    activity,
    tables,
    recordCount: plan.records.length,
    conflictCount,
    defaultReason: revertReason({ activity: id, reason: activity.reason }, ACTIVITY_LIMITS.reason),
    role: roleFor(activity),
  };
}

/** What the person chose for one conflict, as the form sends it back. */
export type UndoChoice = { table: string; key: Record<string, unknown>; property: string; seenVclock: number; take: "now" | "old" };

/** Every choice made the record a no-op: nothing is written, not even the activity. */
export class NothingToUndoError extends Error {
  constructor() {
    super("Nothing was undone: with the values you chose to keep, no record would change.");
  }
}

/**
 * Undoes activity `id` with the person's choices, as one new activity (one transaction).
 * Throws RevertConflictError for a conflict the choices do not settle (a change made
 * since the preview), and NothingToUndoError when nothing would change.
 */
export async function applyUndo(
  db: TemporalDb,
  id: string,
  activity: ActivityInput,
  choices: UndoChoice[],
): Promise<{ activityId: string; records: number }> {
  const resolve: RevertResolution[] = choices.map((c) => ({ ...c }));
  return withActivity(db, activity, async (tx) => {
    const done = await revertActivity(tx, id, undefined, { resolve });
    if (done.reverted.length === 0) throw new NothingToUndoError();
    return { activityId: done.activityId, records: done.reverted.length };
  });
}
