/**
 * Reads one page of a change set: the activity, how much it touched per table,
 * and the changes on the requested page grouped by record, with record titles
 * and reference labels. History comes from lib/temporal only; titles and labels
 * are current values from ./queries.
 */
import "server-only";
import { changeset, getActivity, type ActivitySummary, type ChangesetEntry, type TemporalDb } from "@temporal-records/drizzle";
import { getRecords, referenceLabels } from "./queries";
import { adminTables, recordId, type AdminTable } from "./registry";
import type { Labels, Row } from "./types";

/** Changes (ticks) per page: a bulk activity can touch thousands of records. */
export const CHANGES_PER_PAGE = 100;

export type RecordChanges = {
  id: string;
  key: Record<string, unknown>;
  title: string;
  href: string;
  current?: Row;
  entries: ChangesetEntry[];
};
export type TableChanges = { admin: AdminTable; total: number; records: RecordChanges[]; labels: Labels };
export type ChangesetPage = {
  activity: ActivitySummary;
  totalChanges: number;
  page: number;
  pages: number;
  /** Index (from 0) of the first change on this page. */
  first: number;
  tables: TableChanges[];
};

function groupByRecord(admin: AdminTable, entries: ChangesetEntry[]): RecordChanges[] {
  const records = new Map<string, RecordChanges>();
  for (const entry of entries) {
    const id = recordId(admin, entry.key);
    let record = records.get(id);
    if (!record) {
      record = { id, key: entry.key, title: `${admin.singular} ${id}`, href: `/t/${admin.slug}/${encodeURIComponent(id)}`, entries: [] };
      records.set(id, record);
    }
    record.entries.push(entry);
  }
  return [...records.values()];
}

/** The values of reference fields that appear in these changes, as rows referenceLabels can read. */
function referencedValues(admin: AdminTable, entries: ChangesetEntry[]): Row[] {
  const references = new Set(admin.fields.filter((f) => f.reference).map((f) => f.prop));
  const rows: Row[] = [];
  for (const entry of entries) {
    for (const change of entry.changes) {
      if (!references.has(change.property)) continue;
      rows.push({ [change.property]: change.before }, { [change.property]: change.after });
    }
  }
  return rows;
}

async function loadTable(db: TemporalDb, admin: AdminTable, id: string, total: number, skip: number, take: number): Promise<TableChanges> {
  const { entries: pageEntries } = await changeset(db, id, { tables: [admin.table], limit: take, offset: skip });
  const records = groupByRecord(admin, pageEntries);
  const [current, labels] = await Promise.all([
    getRecords(
      db,
      admin,
      records.map((r) => r.key),
    ),
    referenceLabels(db, admin, referencedValues(admin, pageEntries)),
  ]);
  const byId = new Map(current.map((row) => [recordId(admin, row), row]));
  for (const record of records) {
    record.current = byId.get(record.id);
    const title = record.current?.[admin.titleProp];
    if (title !== null && title !== undefined && String(title).trim() !== "") record.title = String(title);
  }
  return { admin, total, records, labels };
}

/** One page of the change set, or undefined when no activity has this id. */
export async function loadChangeset(db: TemporalDb, id: string, requestedPage: number): Promise<ChangesetPage | undefined> {
  const activity = await getActivity(db, id);
  if (!activity) return undefined;
  const counted = adminTables()
    .map((admin) => ({ admin, total: activity.ticks[admin.slug] ?? 0 }))
    .filter((t) => t.total > 0);
  const totalChanges = counted.reduce((sum, t) => sum + t.total, 0);
  const pages = Math.max(1, Math.ceil(totalChanges / CHANGES_PER_PAGE));
  const page = Math.min(Math.max(1, requestedPage), pages);
  const first = (page - 1) * CHANGES_PER_PAGE;
  const end = first + CHANGES_PER_PAGE;
  // Tables follow one another in the change set; fetch only the slices this page shows.
  const slices: { admin: AdminTable; total: number; skip: number; take: number }[] = [];
  let offset = 0;
  for (const { admin, total } of counted) {
    const skip = Math.max(0, first - offset);
    const take = Math.min(total, end - offset) - skip;
    if (take > 0) slices.push({ admin, total, skip, take });
    offset += total;
  }
  const tables = await Promise.all(slices.map((s) => loadTable(db, s.admin, id, s.total, s.skip, s.take)));
  return { activity, totalChanges, page, pages, first, tables };
}
