/**
 * The admin is generic: every temporal table in db/schema.ts becomes a screen.
 * Its fields come from the Drizzle columns (type, enum values, nullability,
 * foreign keys); db/display.ts adds labels and formats where a table needs them.
 * Server-only: it holds the Drizzle tables; components get its types, or plain data.
 */
import "server-only";
import { getTableColumns, is } from "drizzle-orm";
import { getTableConfig, PgArray, PgEnumColumn, type PgColumn } from "drizzle-orm/pg-core";
import * as schema from "@/db/schema";
import { display, type FieldDisplay, type TableDisplay } from "@/db/display";
import { ruleOf, type ValueRule } from "@/db/rules";
import type { Role } from "@/db/roles";
import { isTemporalTable, type AnyTemporalTable } from "@temporal-records/drizzle";

export type FieldKind =
  "text" | "integer" | "decimal" | "money" | "boolean" | "date" | "datetime" | "enum" | "json" | "tags" | "reference" | "uuid";

export type Field = {
  prop: string;
  column: string;
  label: string;
  kind: FieldKind;
  enumValues: readonly string[];
  required: boolean;
  tracked: boolean;
  /**
   * A table as of a moment sorts by it: the key, or a property declared sortable (temporalTable's `sortable`,
   * a sort index in its history table). The past view offers only these sorts.
   */
  pastSortable: boolean;
  /** Part of the key, or managed by the library: never in a form. */
  system: boolean;
  /** Has a database or client default: may be left out on create. */
  hasDefault: boolean;
  listed: boolean;
  reference?: { slug: string; prop: string };
  maxLength?: number;
  /** A numeric column's declared size: `precision` digits in all, `scale` of them after the point. */
  digits?: { precision: number; scale: number };
  /** What the value must be beyond its type (db/rules.ts): the form checks it, a CHECK constraint enforces it. */
  rule?: ValueRule;
  readOnly: boolean;
};

export type AdminTable = {
  slug: string;
  table: AnyTemporalTable;
  label: string;
  singular: string;
  description?: string;
  fields: Field[];
  key: Field[];
  /** The field that names a record in lists, titles and links. */
  titleProp: string;
  defaultSort: { prop: string; desc: boolean };
  manageRole: Role;
  creatable: boolean;
  /** Where "New …" leads: the generic form, a page of the table's own, or nowhere. */
  createHref?: string;
};

const humanize = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/ (\w)/g, (_, c: string) => ` ${c.toLowerCase()}`)
    .replace(/\bid\b/gi, "ID");

function kindOf(column: PgColumn, options: FieldDisplay | undefined, referenced: boolean): FieldKind {
  if (referenced) return "reference";
  if (options?.format === "money") return "money";
  if (is(column, PgEnumColumn)) return "enum";
  if (is(column, PgArray)) return "tags";
  switch (column.columnType) {
    case "PgInteger":
    case "PgSerial":
    case "PgSmallInt":
    case "PgSmallSerial":
    case "PgBigInt53":
    case "PgBigSerial53":
      return "integer";
    case "PgNumeric":
    case "PgNumericNumber":
    case "PgReal":
    case "PgDoublePrecision":
      return "decimal";
    case "PgBoolean":
      return "boolean";
    case "PgDate":
    case "PgDateString":
      return "date";
    case "PgTimestamp":
    case "PgTimestampString":
      return "datetime";
    case "PgJson":
    case "PgJsonb":
      return "json";
    case "PgUUID":
      return "uuid";
    default:
      return "text";
  }
}

function digitsOf(column: PgColumn): Field["digits"] {
  const { precision, scale } = column as { precision?: number; scale?: number };
  return column.columnType === "PgNumeric" && precision !== undefined ? { precision, scale: scale ?? 0 } : undefined;
}

function describe(slug: string, table: AnyTemporalTable, options: TableDisplay, tables: Map<AnyTemporalTable, string>): AdminTable {
  const config = getTableConfig(table);
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const tracked = new Set<string>(table.$temporal.tracked);
  const sortable = new Set<string>(table.$temporal.sortable);
  const keyNames = new Set(config.primaryKeys[0]?.columns.map((c) => c.name) ?? config.columns.filter((c) => c.primary).map((c) => c.name));
  const references = new Map<string, { slug: string; prop: string }>();
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    const target = tables.get(ref.foreignTable as AnyTemporalTable);
    if (target && ref.columns.length === 1) {
      const targetTitle = display[target]?.title ?? "id";
      references.set(ref.columns[0]!.name, { slug: target, prop: targetTitle });
    }
  }
  const fields: Field[] = Object.entries(columns).map(([prop, column]) => {
    const fieldOptions = options.fields?.[prop];
    const system = keyNames.has(column.name) || prop === "vclock" || prop === "retired";
    return {
      prop,
      column: column.name,
      label: fieldOptions?.label ?? humanize(prop),
      kind: kindOf(column, fieldOptions, references.has(column.name)),
      enumValues: (column as { enumValues?: readonly string[] }).enumValues ?? [],
      required: column.notNull && !column.hasDefault,
      tracked: tracked.has(prop),
      pastSortable: sortable.has(prop) || keyNames.has(column.name),
      system,
      hasDefault: column.hasDefault,
      listed: fieldOptions?.listed ?? ((!system || keyNames.has(column.name)) && prop !== "retired" && prop !== "vclock"),
      reference: references.get(column.name),
      maxLength: (column as { length?: number }).length,
      digits: digitsOf(column),
      rule: ruleOf(slug, prop),
      readOnly: fieldOptions?.readOnly ?? false,
    };
  });
  const key = fields.filter((f) => keyNames.has(f.column));
  const titleProp = options.title ?? fields.find((f) => f.kind === "text" && !f.system)?.prop ?? key[0]!.prop;
  return {
    slug,
    table,
    label: options.label ?? humanize(slug),
    singular: options.singular ?? humanize(slug),
    description: options.description,
    fields,
    key,
    titleProp,
    defaultSort: options.defaultSort ?? { prop: key[0]!.prop, desc: false },
    manageRole: options.manageRole ?? "editor",
    creatable: options.creatable ?? true,
    createHref: options.createPath ?? (options.creatable === false ? undefined : `/t/${slug}/new`),
  };
}

function build(): AdminTable[] {
  const tables = (Object.values(schema) as unknown[]).filter(isTemporalTable);
  const slugs = new Map(tables.map((t) => [t, getTableConfig(t).name]));
  const ordered = [...tables].sort((a, b) => (display[slugs.get(a)!]?.order ?? 99) - (display[slugs.get(b)!]?.order ?? 99));
  return ordered.map((t) => describe(slugs.get(t)!, t, display[slugs.get(t)!] ?? {}, slugs));
}

const registry = build();

export function adminTables(): AdminTable[] {
  return registry;
}

export function adminTable(slug: string): AdminTable | undefined {
  return registry.find((t) => t.slug === slug);
}

export function fieldOf(admin: AdminTable, prop: string): Field | undefined {
  return admin.fields.find((f) => f.prop === prop);
}

/** The URL id of a record: its key values, joined for composite keys. */
export function recordId(admin: AdminTable, row: Record<string, unknown>): string {
  return admin.key.map((k) => String(row[k.prop])).join("~");
}

/** Parses a URL id back into a key, or undefined when it cannot be one. */
export function parseRecordId(admin: AdminTable, id: string): Record<string, unknown> | undefined {
  const parts = decodeURIComponent(id).split("~");
  if (parts.length !== admin.key.length) return undefined;
  const key: Record<string, unknown> = {};
  for (const [i, field] of admin.key.entries()) {
    const text = parts[i]!;
    if (field.kind === "integer" || field.kind === "reference") {
      if (!/^\d{1,15}$/.test(text)) return undefined;
      key[field.prop] = Number(text);
    } else if (field.kind === "uuid") {
      if (!/^[0-9a-f-]{36}$/i.test(text)) return undefined;
      key[field.prop] = text;
    } else key[field.prop] = text;
  }
  return key;
}
