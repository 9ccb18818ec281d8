import type { Choice } from "@/components/forms/record-fields";
import { EMPTY, inputValue } from "@/lib/admin/format";
import type { Field } from "@/lib/admin/registry";

/** A record's values as the strings its form inputs hold, by property. */
export type Inputs = Record<string, string>;

export const asInputs = (fields: Field[], values: Record<string, unknown>): Inputs =>
  Object.fromEntries(fields.map((f) => [f.prop, inputValue(f, values[f.prop])]));

/** An input string as a person reads it: a reference's label, Yes/No, or a dash for nothing. */
export function shownInput(field: Field, text: string | undefined, options: Record<string, Choice[]>): string {
  if (!text) return EMPTY;
  if (field.kind === "reference") return options[field.prop]?.find((o) => o.value === text)?.label ?? `#${text}`;
  if (field.kind === "boolean") return text === "true" ? "Yes" : "No";
  return text;
}
