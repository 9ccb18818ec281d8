/** What happened to a record between two moments, from its values at each. Pure. */
import type { AdminTable, Field } from "./registry";
import type { Row } from "./types";

/**
 * `added`: it did not exist at the first moment; `retired` / `restored`: its retired flag flipped;
 * `changed`: tracked values differ; `changed back`: it was changed in between, but every tracked value
 * is the same again; `unchanged`: the same version at both moments.
 */
export type RowChangeKind = "added" | "changed" | "retired" | "restored" | "changed back" | "unchanged";

export type RowComparison = { kind: RowChangeKind; changed: Field[] };

/** Values as the database gives them (numeric as text, jsonb as objects, arrays): equal when they encode alike. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** How `after` differs from `before`, the same record at an earlier point (undefined: it did not exist then). */
export function compareRows(admin: AdminTable, after: Row, before: Row | undefined): RowComparison {
  if (!before) return { kind: "added", changed: [] };
  const changed = admin.fields.filter((f) => f.tracked && !sameValue(before[f.prop], after[f.prop]));
  if (before.retired !== after.retired) return { kind: after.retired === true ? "retired" : "restored", changed };
  if (changed.length > 0) return { kind: "changed", changed };
  return { kind: before.vclock === after.vclock ? "unchanged" : "changed back", changed };
}
