/**
 * A table view of the past: one page of the table as it was at a moment (lib/temporal's tableAsOf,
 * with the list's own filters and order on the table then), and in compare mode the same records
 * at the other moment, so each row can say what changed. Server-only.
 */
import "server-only";
import { and, eq, inArray, or } from "drizzle-orm";
import { tableAsOf, type TemporalDb } from "@temporal-records/drizzle";
import { shownMoment, type PastView } from "./as-of-params";
import type { ListQuery } from "./list-query";
import { filtersWhere, sortOrder, type Columns } from "./queries";
import { recordId, type AdminTable } from "./registry";
import type { Row } from "./types";

export type PastPage = {
  rows: Row[];
  total: number;
  /** Compare mode: each shown record as it was at asOf, by record id; a missing id did not exist then. */
  before?: Map<string, Row>;
};

function keysIn(admin: AdminTable, rows: Row[], then: Columns) {
  const columns = then as unknown as Record<string, Parameters<typeof eq>[0]>;
  const [only] = admin.key;
  if (admin.key.length === 1 && only)
    return inArray(
      columns[only.prop]!,
      rows.map((r) => r[only.prop]),
    );
  return or(...rows.map((r) => and(...admin.key.map((k) => eq(columns[k.prop]!, r[k.prop])))));
}

/** The page of the table as it was, and the total that matched then. */
async function pageAt(db: TemporalDb, admin: AdminTable, query: ListQuery, view: PastView): Promise<{ rows: Row[]; total: number }> {
  const comparing = view.compareTo !== undefined;
  const { rows, total } = await tableAsOf(db, admin.table, shownMoment(view), {
    where: (then) => filtersWhere(admin, query.filters, then),
    orderBy: (then) => sortOrder(admin, query.sort, then),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
    // Only changed rows are the records created, changed, retired or restored in between: retired ones are among them.
    includeRetired: query.includeRetired || (comparing && view.changedOnly),
    changedSince: comparing && view.changedOnly ? view.asOf : undefined,
  });
  return { rows: rows as Row[], total: total ?? 0 };
}

/**
 * One page of a past table view. A page past the end (a stale link, or the filters shrank the
 * list) shows the last page, as the current list does; the returned query says which page it is.
 */
export async function listRecordsAsOf(
  db: TemporalDb,
  admin: AdminTable,
  requested: ListQuery,
  view: PastView,
): Promise<PastPage & { query: ListQuery }> {
  let query = requested;
  let { rows, total } = await pageAt(db, admin, query, view);
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  if (query.page > pageCount) {
    query = { ...query, page: pageCount };
    ({ rows, total } = await pageAt(db, admin, query, view));
  }
  if (view.compareTo === undefined || rows.length === 0) return { query, rows, total };
  const then = await tableAsOf(db, admin.table, view.asOf, {
    where: (t) => keysIn(admin, rows, t),
    includeRetired: true,
    limit: rows.length,
    count: false,
  });
  const before = new Map((then.rows as Row[]).map((row) => [recordId(admin, row), row]));
  return { query, rows, total, before };
}
