/**
 * The changes page's read: one page of a property's changes across a table (lib/temporal's
 * propertyChanges), with each record's current title and the names its references point to.
 * Server-only.
 */
import "server-only";
import { propertyChanges, type PropertyChangeEntry, type TemporalDb } from "@temporal-records/drizzle";
import type { ChangesParams } from "./changes-params";
import { getRecords, referenceLabels } from "./queries";
import { recordId, type AdminTable } from "./registry";
import type { Labels } from "./types";

export const CHANGES_PAGE_SIZE = 50;

export type ListedChange = PropertyChangeEntry<unknown> & { id: string; title: string; href: string };

export type ChangesPage = { items: ListedChange[]; nextCursor: string | null; labels: Labels };

export async function loadPropertyChanges(db: TemporalDb, admin: AdminTable, params: ChangesParams): Promise<ChangesPage> {
  const page = await propertyChanges(db, admin.table, params.field.prop as never, {
    from: params.from,
    to: params.to,
    actor: params.actor,
    cursor: params.cursor ?? null,
    limit: CHANGES_PAGE_SIZE,
  });
  const entries = page.items as PropertyChangeEntry<unknown>[];
  const keys = [...new Map(entries.map((e) => [recordId(admin, e.key), e.key])).values()];
  const values = entries.flatMap((e) => [{ [params.field.prop]: e.before }, { [params.field.prop]: e.after }]);
  const [current, labels] = await Promise.all([getRecords(db, admin, keys), referenceLabels(db, admin, values)]);
  const titles = new Map(current.map((row) => [recordId(admin, row), row[admin.titleProp]]));
  const items = entries.map((entry) => {
    const id = recordId(admin, entry.key);
    const title = titles.get(id);
    return {
      ...entry,
      id,
      title: title === null || title === undefined || String(title).trim() === "" ? `${admin.singular} ${id}` : String(title),
      href: `/t/${admin.slug}/${encodeURIComponent(id)}`,
    };
  });
  return { items, nextCursor: page.nextCursor, labels };
}
