/**
 * Reads of current values for the admin screens. History is read only through
 * lib/temporal; these queries touch the entity tables alone.
 */
import "server-only";
import { and, asc, count, desc, eq, gt, gte, ilike, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { AnyTemporalTable, TemporalDb } from "@temporal-records/drizzle";
import type { ListQuery } from "./list-query";
import { adminTable, type AdminTable, type Field } from "./registry";
import type { Labels, Row } from "./types";

/** A table's columns by property: the table itself, or an alias of it (tableAsOf's `then`). */
export type Columns = AnyTemporalTable;

function column(admin: AdminTable, prop: string, source: Columns = admin.table): PgColumn {
  return (source as unknown as Record<string, PgColumn>)[prop]!;
}

const COMPARISON = /^(>=|<=|>|<|=)?\s*(.+)$/;

/**
 * A filter box's text as a condition: text contains, enums/booleans/references equal, numbers and dates compare
 * (">100", "<=2024-06-01"). On `source`'s columns: the table now, or tableAsOf's alias for the table then.
 */
export function filterCondition(admin: AdminTable, field: Field, text: string, source: Columns = admin.table): SQL | undefined {
  const value = text.trim();
  if (value === "") return undefined;
  const col = column(admin, field.prop, source);
  switch (field.kind) {
    case "text":
    case "uuid":
      return ilike(sql`${col}::text`, `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    case "enum":
      return field.enumValues.includes(value) ? eq(col, value) : sql`false`;
    case "boolean":
      return value === "true" || value === "false" ? eq(col, value === "true") : undefined;
    case "tags":
      return sql`${col} @> ARRAY[${value}]::text[]`;
    case "reference": {
      if (/^#?\d{1,9}$/.test(value)) return eq(col, Number(value.replace("#", "")));
      // Otherwise match the referenced records by name (for targets too large for a select).
      const target = adminTable(field.reference!.slug);
      if (!target) return sql`false`;
      const pattern = `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return sql`${col} in (select ${column(target, target.key[0]!.prop)} from ${target.table} where ${column(target, target.titleProp)}::text ilike ${pattern})`;
    }
    case "integer":
    case "decimal":
    case "money":
    case "date": {
      const [, op = "=", operand = ""] = COMPARISON.exec(value) ?? [];
      const valid = field.kind === "date" ? /^\d{4}-\d{2}-\d{2}$/.test(operand) : /^-?\d+(\.\d+)?$/.test(operand);
      if (!valid) return sql`false`;
      const operandValue = field.kind === "integer" ? Number(operand) : operand;
      const compare = { ">": gt, "<": lt, ">=": gte, "<=": lte, "=": eq }[op as ">" | "<" | ">=" | "<=" | "="];
      return compare(col, operandValue);
    }
    default:
      return undefined;
  }
}

/** The filter boxes' conditions together, on `source`'s columns. */
export function filtersWhere(admin: AdminTable, filters: ListQuery["filters"], source: Columns = admin.table): SQL | undefined {
  const conditions: (SQL | undefined)[] = [];
  for (const [prop, text] of Object.entries(filters)) {
    const field = admin.fields.find((f) => f.prop === prop && f.listed);
    if (field) conditions.push(filterCondition(admin, field, text, source));
  }
  return and(...conditions.filter(Boolean));
}

/** The list's order on `source`'s columns (without the key that breaks ties). */
export function sortOrder(admin: AdminTable, sort: ListQuery["sort"], source: Columns = admin.table): SQL {
  const sortField = admin.fields.find((f) => f.prop === sort.prop) ?? admin.fields.find((f) => f.prop === admin.defaultSort.prop)!;
  return (sort.desc ? desc : asc)(column(admin, sortField.prop, source));
}

function whereOf(admin: AdminTable, query: Pick<ListQuery, "filters" | "includeRetired">): SQL | undefined {
  return and(query.includeRetired ? undefined : eq(column(admin, "retired"), false), filtersWhere(admin, query.filters));
}

/** One page of current records, filtered and sorted in the database, with the total count. */
export async function listRecords(db: TemporalDb, admin: AdminTable, query: ListQuery): Promise<{ rows: Row[]; total: number }> {
  const where = whereOf(admin, query);
  const order = [sortOrder(admin, query.sort), ...admin.key.map((k) => asc(column(admin, k.prop)))];
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(admin.table)
      .where(where)
      .orderBy(...order)
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(admin.table).where(where),
  ]);
  return { rows: rows as Row[], total: Number(total?.n ?? 0) };
}

/** A record by key, retired or not. */
export async function getRecord(db: TemporalDb, admin: AdminTable, key: Record<string, unknown>): Promise<Row | undefined> {
  const conditions = admin.key.map((k) => eq(column(admin, k.prop), key[k.prop]));
  const [row] = await db
    .select()
    .from(admin.table)
    .where(and(...conditions))
    .limit(1);
  return row as Row | undefined;
}

/** Records by key, retired or not, in one query (for titles of many records at once). Missing keys are left out. */
export async function getRecords(db: TemporalDb, admin: AdminTable, keys: Record<string, unknown>[]): Promise<Row[]> {
  if (keys.length === 0) return [];
  const [only] = admin.key;
  const where =
    admin.key.length === 1 && only
      ? inArray(
          column(admin, only.prop),
          keys.map((k) => k[only.prop]),
        )
      : or(...keys.map((k) => and(...admin.key.map((f) => eq(column(admin, f.prop), k[f.prop])))));
  return (await db.select().from(admin.table).where(where)) as Row[];
}

/** Live and retired record counts for every table. */
export async function countRecords(db: TemporalDb, tables: AdminTable[]): Promise<Record<string, { live: number; retired: number }>> {
  const counts = await Promise.all(
    tables.map(async (admin) => {
      const rows = await db
        .select({ retired: column(admin, "retired"), n: count() })
        .from(admin.table)
        .groupBy(column(admin, "retired"));
      const live = Number(rows.find((r) => r.retired === false)?.n ?? 0);
      const retired = Number(rows.find((r) => r.retired === true)?.n ?? 0);
      return [admin.slug, { live, retired }] as const;
    }),
  );
  return Object.fromEntries(counts);
}

/** Names of the records that reference fields point to, for the given rows: `labels[prop].get(String(id))`. */
export async function referenceLabels(db: TemporalDb, admin: AdminTable, rows: Row[]): Promise<Labels> {
  const labels: Labels = {};
  for (const field of admin.fields.filter((f) => f.reference)) {
    const target = adminTable(field.reference!.slug);
    if (!target) continue;
    const ids = [...new Set(rows.map((r) => r[field.prop]).filter((v) => v !== null && v !== undefined))];
    const map = new Map<string, string>();
    if (ids.length > 0) {
      const keyColumn = column(target, target.key[0]!.prop);
      const found = await db
        .select({ id: keyColumn, label: column(target, target.titleProp) })
        .from(target.table)
        .where(inArray(keyColumn, ids));
      for (const f of found) map.set(String(f.id), String(f.label));
    }
    labels[field.prop] = map;
  }
  return labels;
}

/** Choices for a reference field in a form (live records of the target table, by name). */
export async function referenceOptions(db: TemporalDb, field: Field, limit = 2000): Promise<{ value: string; label: string }[]> {
  const target = field.reference && adminTable(field.reference.slug);
  if (!target) return [];
  const keyColumn = column(target, target.key[0]!.prop);
  const rows = await db
    .select({ id: keyColumn, label: column(target, target.titleProp) })
    .from(target.table)
    .where(eq(column(target, "retired"), false))
    .orderBy(asc(column(target, target.titleProp)))
    .limit(limit);
  return rows.map((r) => ({ value: String(r.id), label: `${String(r.label)} (#${String(r.id)})` }));
}
