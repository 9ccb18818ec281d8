/**
 * A write the database refused, as a form shows it: on the field it concerns, in plain
 * words, never the database's own message. Unique indexes, foreign keys and the CHECK
 * constraints of db/rules.ts are found by their constraint names, read from the
 * registered tables. Server-only: it reads the registry.
 */
import "server-only";
import { is, SQL } from "drizzle-orm";
import { getTableConfig, IndexedColumn, type PgColumn } from "drizzle-orm/pg-core";
import { ruleConstraint } from "@/db/rules";
import { ConstraintViolationError, InvalidValueError } from "@temporal-records/drizzle";
import type { FieldErrors } from "./form";
import { adminTable, adminTables, type AdminTable, type Field } from "./registry";

export type Refusal = { code: "CONSTRAINT_VIOLATION" | "INVALID_VALUE"; message: string; fieldErrors?: FieldErrors };

/** Each constraint name of the registered tables, and what its refusal says on which field. */
function refusalsByConstraint(): Map<string, { prop: string; message: string }> {
  const found = new Map<string, { prop: string; message: string }>();
  const fieldByColumn = (admin: AdminTable, column: string) => admin.fields.find((f) => f.column === column);
  const unique = (admin: AdminTable, field: Field) =>
    `Another ${admin.singular.toLowerCase()} already has this ${field.label}: each ${admin.singular.toLowerCase()} needs its own. Enter another.`;
  for (const admin of adminTables()) {
    const config = getTableConfig(admin.table);
    for (const index of config.indexes) {
      const columns = index.config.columns.filter((c): c is IndexedColumn | PgColumn => !is(c, SQL));
      const name = columns.length === 1 ? columns[0]!.name : undefined;
      const field = name ? fieldByColumn(admin, name) : undefined;
      if (index.config.unique && index.config.name && field)
        found.set(index.config.name, { prop: field.prop, message: unique(admin, field) });
    }
    for (const constraint of config.uniqueConstraints) {
      const field = constraint.columns.length === 1 ? fieldByColumn(admin, constraint.columns[0]!.name) : undefined;
      const name = constraint.getName();
      if (field && name) found.set(name, { prop: field.prop, message: unique(admin, field) });
    }
    for (const fk of config.foreignKeys) {
      const { columns } = fk.reference();
      const field = columns.length === 1 ? fieldByColumn(admin, columns[0]!.name) : undefined;
      const target = field?.reference ? adminTable(field.reference.slug) : undefined;
      if (field && target) {
        const message = `No ${target.singular.toLowerCase()} has this ID (it may never have existed): choose one from the list.`;
        found.set(fk.getName(), { prop: field.prop, message });
      }
    }
    for (const field of admin.fields) {
      if (field.rule) found.set(ruleConstraint(admin.slug, field.column), { prop: field.prop, message: field.rule.message });
    }
  }
  return found;
}

let byConstraint: Map<string, { prop: string; message: string }> | undefined;

/** The SQLSTATE of a database error inside `error`'s causes, if any. */
function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}

/**
 * What a form shows for a refused write, or undefined when `error` is none of these
 * refusals: a unique, foreign-key or rule constraint of a registered table (on its field),
 * or a number too large for its column.
 */
export function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof ConstraintViolationError && error.constraint) {
    byConstraint ??= refusalsByConstraint();
    const known = byConstraint.get(error.constraint);
    if (known)
      return {
        code: "CONSTRAINT_VIOLATION",
        message: "Nothing was saved: fix the fields marked below.",
        fieldErrors: { [known.prop]: known.message },
      };
  }
  if (error instanceof InvalidValueError && !error.column && sqlState(error.cause) === "22003") {
    return { code: "INVALID_VALUE", message: "Nothing was saved: a number is too large for its field. Check the amounts and try again." };
  }
  return undefined;
}
