/**
 * Turns form input (strings) into typed values for a table's fields, with zod:
 * every server action parses its input here before anything reaches the database.
 */
import { z } from "zod";
import type { AdminTable, Field } from "./registry";

const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

function fieldSchema(field: Field): z.ZodType<unknown> {
  const text = z.string().trim();
  let schema: z.ZodType<unknown>;
  switch (field.kind) {
    case "integer":
    case "reference":
      schema = z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(-2147483648).max(2147483647);
      break;
    case "decimal":
    case "money":
      schema = text.regex(/^-?\d{1,12}(\.\d{1,2})?$/, field.kind === "money" ? "Enter an amount such as 123.45." : "Enter a number.");
      break;
    case "boolean":
      schema = z.enum(["true", "false"], { error: "Choose yes or no." }).transform((v) => v === "true");
      break;
    case "date":
      schema = text
        .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date (YYYY-MM-DD).")
        .refine((v) => !Number.isNaN(Date.parse(v)), "Enter a real date.");
      break;
    case "datetime":
      schema = z.coerce.date({ error: "Enter a date and time." });
      break;
    case "enum":
      schema = z.enum(field.enumValues as [string, ...string[]], { error: `Choose one of: ${field.enumValues.join(", ")}.` });
      break;
    case "json":
      schema = text.transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: "custom", message: "Enter valid JSON." });
          return z.NEVER;
        }
      });
      break;
    case "tags":
      schema = z.string().transform((v) => [
        ...new Set(
          v
            .split(",")
            .map((t) => t.trim())
            .filter(Boolean),
        ),
      ]);
      break;
    case "uuid":
      schema = text.uuid("Enter a UUID.");
      break;
    default:
      schema = text.max(field.maxLength ?? 10_000, `At most ${field.maxLength ?? 10_000} characters.`);
  }
  if (field.kind === "tags") return field.required ? schema : z.preprocess((v) => v ?? "", schema);
  // Blank becomes null first, so a required field says "Required." (not a type error, and never coerced to 0).
  return field.required
    ? z.preprocess(
        blankToNull,
        schema.nullable().refine((v) => v !== null, "Required."),
      )
    : z.preprocess(blankToNull, schema.nullable());
}

export type FieldErrors = Record<string, string>;

/** The editable fields of a table (tracked or not), in declaration order. */
export function editableFields(admin: AdminTable): Field[] {
  return admin.fields.filter((f) => !f.system && !f.readOnly && f.prop !== "createdAt");
}

/**
 * Parses submitted values for `fields`. Missing inputs are left out (so a create
 * form can leave defaults to the database); empty required ones are errors.
 */
export function parseValues(
  fields: Field[],
  input: Record<string, unknown>,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of fields) {
    if (!(field.prop in input)) continue;
    const raw = input[field.prop];
    if (field.hasDefault && !field.required && typeof raw === "string" && raw.trim() === "" && field.kind !== "tags") continue;
    const result = fieldSchema(field).safeParse(raw);
    if (result.success) values[field.prop] = result.data;
    else errors[field.prop] = result.error.issues[0]?.message ?? "Invalid value.";
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values };
}

/** Reads `field.<prop>` entries of a form into an object. */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("field.") && typeof value === "string") out[name.slice("field.".length)] = value;
  }
  return out;
}
