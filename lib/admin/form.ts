/**
 * Turns form input (strings) into typed values for a table's fields, with zod.
 * Safe for client components too (zod and types only): the server actions build
 * their schemas from these in lib/admin/action-input.ts.
 */
import { z } from "zod";
import { followsRule } from "@/db/rules";
import type { AnyTemporalTable, Changes, NewRow } from "@temporal-records/drizzle";
import type { AdminTable, Field } from "./registry";

const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/** Digits before the point of a numeric string ("-0012.50" has 2). */
const wholeDigits = (text: string) =>
  text
    .replace(/^-/, "")
    .split(".")[0]!
    .replace(/^0+(?=\d)/, "").length;

/**
 * The field's rule (db/rules.ts), then its column's size: a value the database would refuse
 * gets the message here, on its field, before anything is sent to the database.
 */
function withLimits(schema: z.ZodType<unknown>, field: Field): z.ZodType<unknown> {
  const { rule, digits } = field;
  if (!rule && !digits) return schema;
  return schema.superRefine((value, ctx) => {
    if (rule && !followsRule(rule, value)) {
      ctx.addIssue({ code: "custom", message: rule.message });
    } else if (digits && typeof value === "string" && wholeDigits(value) > digits.precision - digits.scale) {
      const most = digits.precision - digits.scale;
      ctx.addIssue({
        code: "custom",
        message: `Too large: this field holds at most ${most} digit${most === 1 ? "" : "s"} before the decimal point.`,
      });
    }
  });
}

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
  schema = withLimits(schema, field);
  if (field.kind === "tags") return field.required ? schema : z.preprocess((v) => v ?? "", schema);
  // Blank becomes null first, so a required field says "Required." (not a type error, and never coerced to 0).
  return field.required
    ? z.preprocess(
        blankToNull,
        schema.nullable().refine((v) => v !== null, "Required."),
      )
    : z.preprocess(blankToNull, schema.nullable());
}

/** Field name → the first thing wrong with it, as the forms show it. */
export type FieldErrors = Record<string, string>;

/** The first message of every field of a zod error (`z.flattenError`), and the form-level ones. */
export function flattenErrors(error: z.ZodError): { formErrors: string[]; fieldErrors: FieldErrors } {
  const flat = z.flattenError(error);
  const fieldErrors: FieldErrors = {};
  for (const [name, messages] of Object.entries(flat.fieldErrors as Record<string, string[] | undefined>)) {
    if (messages?.[0]) fieldErrors[name] = messages[0];
  }
  return { formErrors: flat.formErrors, fieldErrors };
}

/** The editable fields of a table (tracked or not), in declaration order. */
export function editableFields(admin: Pick<AdminTable, "fields">): Field[] {
  return admin.fields.filter((f) => !f.system && !f.readOnly && f.prop !== "createdAt");
}

/** A field with a default may be left blank on create: blank then means "the default", not null. */
const leftToDefault = (field: Field) => (value: unknown) =>
  field.hasDefault && !field.required && field.kind !== "tags" && typeof value === "string" && value.trim() === "" ? undefined : value;

/**
 * The zod schema of `fields`' input strings, keyed by property. Missing inputs are
 * left out (so a create form can leave defaults to the database, and an edit form
 * sends only what changed); empty required ones are errors.
 */
function valuesObject<Values>(fields: Field[]) {
  const shape = Object.fromEntries(fields.map((f) => [f.prop, z.preprocess(leftToDefault(f), fieldSchema(f).optional())]));
  return z.object(shape).transform(
    (values) =>
      // The fields are read from the table's own Drizzle columns at run time (lib/admin/registry.ts),
      // which TypeScript cannot follow from the table's type: this is the one place that says they match.
      Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Values,
  );
}

/** What a form's values become: a new row on create, a change set on update. */
export type FormValues<T extends AnyTemporalTable, Mode extends "create" | "update"> = Mode extends "create" ? NewRow<T> : Changes<T>;

/**
 * The schema of a table's form values (its editable fields, keyed by property),
 * typed as what `create` or `tick` take for that table.
 *
 * @example
 * const parsed = valuesSchema(admin, "update").safeParse({ location: "Reno" });
 * if (parsed.success) await tick(db, admin.table, key, parsed.data, activity);
 */
export function valuesSchema<T extends AnyTemporalTable, Mode extends "create" | "update">(
  admin: { table: T; fields: Field[] },
  _mode: Mode,
): z.ZodType<FormValues<T, Mode>, Record<string, unknown>> {
  return valuesObject<FormValues<T, Mode>>(editableFields(admin));
}

/** Parses submitted values for `fields` into a plain result (see `valuesSchema` for the rules). */
export function parseValues(
  fields: Field[],
  input: Record<string, unknown>,
): { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const result = valuesObject<Record<string, unknown>>(fields).safeParse(input);
  return result.success ? { ok: true, values: result.data } : { ok: false, errors: flattenErrors(result.error).fieldErrors };
}

/** Reads `field.<prop>` entries of a form into an object. */
export function formFields(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("field.") && typeof value === "string") out[name.slice("field.".length)] = value;
  }
  return out;
}
