/**
 * What the client grid receives: columns described by plain data and rows whose
 * cells are already display text (formatted on the server, in the viewer's zone),
 * so no formatting logic or database value crosses to the browser.
 */
import type { Choice } from "@/components/forms/record-fields";
import { formatValue, humanEnum } from "@/lib/admin/format";
import { recordId, type AdminTable, type Field, type FieldKind } from "@/lib/admin/registry";
import type { Labels, Row } from "@/lib/admin/types";

export type GridColumn = { prop: string; label: string; kind: FieldKind; title: boolean };

/** Display text, a link (title and reference cells), tags, or nothing. */
export type GridCell = { text: string; href?: string } | { tags: string[] } | null;

export type GridRow = { id: string; href: string; retired: boolean; cells: Record<string, GridCell> };

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

export function recordHref(admin: AdminTable, row: Row): string {
  return `/t/${admin.slug}/${encodeURIComponent(recordId(admin, row))}`;
}

export function gridColumns(admin: AdminTable, fields: Field[]): GridColumn[] {
  return fields.map((f) => ({ prop: f.prop, label: f.label, kind: f.kind, title: f.prop === admin.titleProp }));
}

function cellOf(field: Field, value: unknown, labels: Labels, timeZone: string): GridCell {
  if (value === null || value === undefined) return null;
  switch (field.kind) {
    case "tags":
      return (value as unknown[]).length === 0 ? null : { tags: (value as unknown[]).map(String) };
    case "reference": {
      const id = String(value);
      return { text: labels[field.prop]?.get(id) ?? `#${id}`, href: `/t/${field.reference!.slug}/${encodeURIComponent(id)}` };
    }
    case "json": {
      const text = JSON.stringify(value);
      return { text: text.length > JSON_PREVIEW ? `${text.slice(0, JSON_PREVIEW - 1)}…` : text };
    }
    default:
      return { text: formatValue(field, value, timeZone) };
  }
}

export function gridRow(admin: AdminTable, fields: Field[], row: Row, labels: Labels, timeZone: string): GridRow {
  const href = recordHref(admin, row);
  const cells: Record<string, GridCell> = {};
  for (const field of fields) {
    const cell = cellOf(field, row[field.prop], labels, timeZone);
    // The title always links to the record, even when it is empty.
    cells[field.prop] =
      field.prop === admin.titleProp ? { text: cell && "text" in cell ? cell.text : `#${recordId(admin, row)}`, href } : cell;
  }
  return { id: recordId(admin, row), href, retired: row.retired === true, cells };
}
