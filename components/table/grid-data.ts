/**
 * What the client grid receives: columns described by plain data and rows whose
 * cells are already display text (formatted on the server, in the viewer's zone),
 * so no formatting logic or database value crosses to the browser.
 */
import type { Choice } from "@/components/forms/record-fields";
import { compareRows, type RowChangeKind } from "@/lib/admin/row-compare";
import { EMPTY, formatValue, humanEnum } from "@/lib/admin/format";
import { recordId, type AdminTable, type Field, type FieldKind } from "@/lib/admin/registry";
import type { Labels, Row } from "@/lib/admin/types";

/** `sortable`: its header sorts the list (a past view sorts only by the key and the sortable properties). */
export type GridColumn = { prop: string; label: string; kind: FieldKind; title: boolean; sortable: boolean };

/** Compare mode: what happened to the row's record between the two moments, in words. */
export type GridChange = { kind: RowChangeKind; text: string; detail?: string };

/** Display text, a link (title and reference cells), tags, or nothing. */
export type GridCell = { text: string; href?: string } | { tags: string[] } | null;

export type GridRow = {
  id: string;
  href: string;
  retired: boolean;
  cells: Record<string, GridCell>;
  change?: GridChange;
  /** Compare mode: the earlier value of each changed cell, as display text. */
  was?: Record<string, string>;
};

/** A past view's rows: links carry the moment; in compare mode each row is compared with its record then. */
export type PastRowOptions = { asOf: string; compare?: { before: Row | undefined } };

const JSON_PREVIEW = 80;

/** A filter box for a listed field: free text, or a choice list for enums, booleans and references. */
export type FilterControl = { prop: string; label: string; kind: FieldKind; choices?: Choice[] };

/** Kinds that lib/admin/queries.ts `filterCondition` can filter on. */
const FILTERABLE = new Set<FieldKind>(["text", "uuid", "enum", "boolean", "tags", "reference", "integer", "decimal", "money", "date"]);

/** A reference filter is a select up to this many targets, else a text box that matches names. */
export const MAX_REFERENCE_CHOICES = 300;

export function filterControls(fields: Field[], referenceChoices: Record<string, Choice[]>): FilterControl[] {
  return fields
    .filter((f) => FILTERABLE.has(f.kind))
    .map((f) => {
      const choices =
        f.kind === "enum"
          ? f.enumValues.map((v) => ({ value: v, label: humanEnum(v) }))
          : f.kind === "boolean"
            ? [
                { value: "true", label: "Yes" },
                { value: "false", label: "No" },
              ]
            : f.kind === "reference"
              ? referenceChoices[f.prop] // undefined (a text box) when the target is too large for a select
              : undefined;
      return { prop: f.prop, label: f.label, kind: f.kind, choices };
    });
}

export function recordHref(admin: AdminTable, row: Row, asOf?: string): string {
  const href = `/t/${admin.slug}/${encodeURIComponent(recordId(admin, row))}`;
  return asOf ? `${href}?asOf=${encodeURIComponent(asOf)}` : href;
}

export function gridColumns(admin: AdminTable, fields: Field[], sortFields: Field[] = fields): GridColumn[] {
  return fields.map((f) => ({
    prop: f.prop,
    label: f.label,
    kind: f.kind,
    title: f.prop === admin.titleProp,
    sortable: sortFields.includes(f),
  }));
}

function cellOf(field: Field, value: unknown, labels: Labels, timeZone: string, asOf?: string): GridCell {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case "tags":
      return (value as unknown[]).length === 0 ? null : { tags: (value as unknown[]).map(String) };
    case "reference": {
      const id = String(value);
      const href = `/t/${field.reference!.slug}/${encodeURIComponent(id)}`;
      return { text: labels[field.prop]?.get(id) ?? `#${id}`, href: asOf ? `${href}?asOf=${encodeURIComponent(asOf)}` : href };
    }
    case "json": {
      const text = JSON.stringify(value);
      return { text: text.length > JSON_PREVIEW ? `${text.slice(0, JSON_PREVIEW - 1)}…` : text };
    }
    default:
      return { text: formatValue(field, value, timeZone) };
  }
}

/** A value as one line of text (the old value a changed cell shows on hover and focus). */
function textOf(field: Field, value: unknown, labels: Labels, timeZone: string): string {
  const cell = cellOf(field, value, labels, timeZone);
  if (cell === null) return EMPTY;
  return "tags" in cell ? cell.tags.join(", ") : cell.text;
}

const CHANGE_TEXT: Record<RowChangeKind, string> = {
  added: "Added",
  changed: "Changed",
  retired: "Retired",
  restored: "Restored",
  "changed back": "Changed, then back",
  unchanged: "Unchanged",
};

function comparedRow(admin: AdminTable, fields: Field[], row: Row, before: Row | undefined, labels: Labels, timeZone: string) {
  const { kind, changed } = compareRows(admin, row, before);
  const shown = new Set(fields.map((f) => f.prop));
  const was: Record<string, string> = {};
  for (const field of changed) if (shown.has(field.prop)) was[field.prop] = textOf(field, before?.[field.prop], labels, timeZone);
  // Changes in properties the grid has no column for are named on the row.
  const hidden = changed.filter((f) => !shown.has(f.prop)).map((f) => f.label);
  const detail =
    hidden.length > 0 ? `${kind === "changed" && Object.keys(was).length === 0 ? "" : "also "}${hidden.join(", ")}` : undefined;
  return { change: { kind, text: CHANGE_TEXT[kind], detail }, was };
}

export function gridRow(admin: AdminTable, fields: Field[], row: Row, labels: Labels, timeZone: string, past?: PastRowOptions): GridRow {
  const href = recordHref(admin, row, past?.asOf);
  const cells: Record<string, GridCell> = {};
  for (const field of fields) {
    const cell = cellOf(field, row[field.prop], labels, timeZone, past?.asOf);
    // The title always links to the record, even when it is empty.
    cells[field.prop] =
      field.prop === admin.titleProp ? { text: cell && "text" in cell ? cell.text : `#${recordId(admin, row)}`, href } : cell;
  }
  const grid: GridRow = { id: recordId(admin, row), href, retired: row.retired === true, cells };
  return past?.compare ? { ...grid, ...comparedRow(admin, fields, row, past.compare.before, labels, timeZone) } : grid;
}
