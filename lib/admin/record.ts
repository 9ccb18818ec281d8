/** The record a route names (`/t/<table>/<id>`), read once per request, and the labels its pages show. */
import "server-only";
import { cache } from "react";
import { readDatabase } from "@/db/client";
import type { PropertyChange } from "@temporal-records/drizzle";
import { getRecord, referenceLabels } from "./queries";
import { adminTable, parseRecordId, type AdminTable } from "./registry";
import type { Labels, Row } from "./types";

/** The table and current row a record route names, or undefined for a 404. Cached per request (layout and page share it). */
export const loadRecord = cache(
  async (slug: string, id: string): Promise<{ admin: AdminTable; key: Record<string, unknown>; row: Row } | undefined> => {
    const admin = adminTable(slug);
    const key = admin && parseRecordId(admin, id);
    if (!admin || !key) return undefined;
    const row = await readDatabase((db) => getRecord(db, admin, key));
    return row ? { admin, key, row } : undefined;
  },
);

/** Labels for every referenced id in the current row and in the given changes (past values too). */
export async function labelsFor(admin: AdminTable, row: Row, changes: PropertyChange[]): Promise<Labels> {
  const rows: Row[] = [row];
  for (const change of changes) {
    rows.push({ [change.property]: change.before }, { [change.property]: change.after });
  }
  return readDatabase((db) => referenceLabels(db, admin, rows));
}

export const recordTitle = (admin: AdminTable, row: Row) =>
  String(row[admin.titleProp] ?? `#${admin.key.map((k) => String(row[k.prop])).join("~")}`);
