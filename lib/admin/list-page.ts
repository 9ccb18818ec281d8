/**
 * What the table view reads for one request: a page of records (now from the entity table, or as
 * they were through lib/temporal), the choices of its reference filters, and the names of the
 * records the page's references point to. Server-only.
 */
import "server-only";
import type { TemporalDb } from "@temporal-records/drizzle";
import type { PastView } from "./as-of-params";
import type { ListQuery } from "./list-query";
import { listRecords, referenceLabels, referenceOptions } from "./queries";
import type { AdminTable, Field } from "./registry";
import { listRecordsAsOf } from "./table-past";
import type { Labels, Row } from "./types";

export type TablePage = {
  /** The query shown: the requested one, on its last page when it asked for a page past the end. */
  query: ListQuery;
  rows: Row[];
  total: number;
  /** Compare mode: the shown records as they were at asOf, by record id. */
  before?: Map<string, Row>;
  choices: (readonly [string, { value: string; label: string }[]])[];
  labels: Labels;
};

async function currentPage(db: TemporalDb, admin: AdminTable, requested: ListQuery) {
  let query = requested;
  let { rows, total } = await listRecords(db, admin, query);
  const pageCount = Math.max(1, Math.ceil(total / query.pageSize));
  if (query.page > pageCount) {
    // Past the end (a stale link, or the filters shrank the list): show the last page.
    query = { ...query, page: pageCount };
    ({ rows, total } = await listRecords(db, admin, query));
  }
  return { query, rows, total };
}

/** One table view: `view` undefined reads the table now, else as it was (and, comparing, as it was before). */
export async function loadTablePage(
  db: TemporalDb,
  admin: AdminTable,
  requested: ListQuery,
  view: PastView | undefined,
  fields: Field[],
  maxChoices: number,
): Promise<TablePage> {
  const references = fields.filter((f) => f.kind === "reference");
  const [page, choices] = await Promise.all([
    view ? listRecordsAsOf(db, admin, requested, view) : currentPage(db, admin, requested).then((p) => ({ ...p, before: undefined })),
    Promise.all(references.map(async (f) => [f.prop, await referenceOptions(db, f, maxChoices + 1)] as const)),
  ]);
  const labels = await referenceLabels(db, admin, [...page.rows, ...(page.before?.values() ?? [])]);
  return { ...page, choices, labels };
}
