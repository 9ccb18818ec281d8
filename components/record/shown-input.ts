import type { Choice } from "@/components/forms/record-fields";
import { EMPTY, formatValue, inputValue } from "@/lib/admin/format";
import type { Field } from "@/lib/admin/registry";

/** A record's values as the strings its form inputs hold, by property. */
export type Inputs = Record<string, string>;

export const asInputs = (fields: Field[], values: Record<string, unknown>): Inputs =>
  Object.fromEntries(fields.map((f) => [f.prop, inputValue(f, values[f.prop])]));

/** An input string as the value it stands for, or undefined when it is not one yet (a half-typed edit). */
function valueOf(field: Field, text: string): unknown {
  switch (field.kind) {
    case "boolean":
      return text === "true";
    case "money":
    case "decimal":
      return Number.isFinite(Number(text)) ? text : undefined;
    case "date":
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined;
    case "datetime": {
      const moment = new Date(text);
      return Number.isNaN(moment.getTime()) ? undefined : moment;
    }
    case "json":
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return undefined;
      }
    case "tags":
      return text
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
    default:
      return text;
  }
}

/**
 * An input string as a person reads it, exactly as the record page shows the value (labels,
 * money, dates, Yes/No, a reference's name), or a dash for nothing. Text that is no value of
 * the field's kind yet is shown as typed.
 */
export function shownInput(field: Field, text: string | undefined, options: Record<string, Choice[]>, timeZone: string): string {
  if (!text) return EMPTY;
  if (field.kind === "reference") return options[field.prop]?.find((o) => o.value === text)?.label ?? `#${text}`;
  const value = valueOf(field, text);
  return value === undefined ? text : formatValue(field, value, timeZone);
}
