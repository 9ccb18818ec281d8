/**
 * The pieces server actions build their input schemas from (each schema sits above
 * its action, named `<action>Schema`): the reason, the version a form was loaded at,
 * a submitted form, and the table or record an action is bound to. Server side: it
 * reads the registry.
 */
import { z } from "zod";
import type { Role } from "@/lib/auth/roles";
import { ACTIVITY_LIMITS, type Key } from "@temporal-records/drizzle";
import { formFields } from "./form";
import { adminTable, parseRecordId, type AdminTable } from "./registry";

/** The reason of an activity, as a form asks for it: `missing` says what to write. */
export function reasonSchema(missing: string) {
  const max = ACTIVITY_LIMITS.reason;
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, `At most ${max.toLocaleString("en-US")} characters.`);
}

/** The version a form was loaded at (a hidden input): only a stale or forged page gets it wrong. */
export const vclockSchema = z.coerce
  .number({ error: "This form does not say which version it edits: reload the page and try again." })
  .int("This form does not say which version it edits: reload the page and try again.")
  .min(1, "This form does not say which version it edits: reload the page and try again.");

/** Moves a nested result's issues onto `ctx`, so each stays keyed by its own field. */
function forward(ctx: z.RefinementCtx, error: z.ZodError | undefined) {
  for (const issue of error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
}

const NOT_A_FORM = "This action takes a submitted form: reload the page and try again.";

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

/**
 * A submitted form, parsed by `shape`: each named control is read as text, a missing
 * one as "" (so a forged request gets the same messages as an empty field).
 *
 * @example
 * const createPersonSchema = formSchema({ name: z.string().trim().min(1, "Enter their name.") });
 */
export function formSchema<Shape extends z.ZodRawShape>(shape: Shape) {
  const controls = z.object(shape);
  return z.instanceof(FormData, { error: NOT_A_FORM }).transform((form, ctx) => {
    const parsed = controls.safeParse(Object.fromEntries(Object.keys(shape).map((name) => [name, text(form.get(name))])));
    if (parsed.success) return parsed.data;
    forward(ctx, parsed.error);
    return z.NEVER;
  });
}

/**
 * What an action bound to a page's target receives, `{ bound, form }`, where a forged
 * call may send anything: `form` must be a submitted form (else a message, not a field error).
 */
export const boundInput = z.object({ bound: z.unknown(), form: z.unknown() }, { error: NOT_A_FORM }).transform((input, ctx) => {
  if (input.form instanceof FormData) return { bound: input.bound, form: input.form };
  ctx.addIssue({ code: "custom", message: NOT_A_FORM });
  return z.NEVER;
});

/** The slug of a bound argument that may be anything (a forged request): a table's slug, or `{ table }`. */
function slugOf(bound: unknown): string | undefined {
  if (typeof bound === "string") return bound;
  const table = typeof bound === "object" && bound !== null ? (bound as { table?: unknown }).table : undefined;
  return typeof table === "string" ? table : undefined;
}

/**
 * The role writes to a bound table need. An unknown table needs an editor, the lowest
 * role that writes: nobody below learns whether a table exists.
 */
export function roleToWrite(bound: unknown): Role {
  const slug = slugOf(bound);
  return (slug !== undefined && adminTable(slug)?.manageRole) || "editor";
}

const NO_TABLE = "This table does not exist: open it from the list of tables.";

/** Where a create form is bound: a table that takes new records here. */
export function creatableTable(bound: unknown): { admin: AdminTable } | string {
  const admin = typeof bound === "string" ? adminTable(bound) : undefined;
  if (!admin) return NO_TABLE;
  return admin.creatable ? { admin } : `New ${admin.label.toLowerCase()} are not added here.`;
}

const recordTarget = z.object({ table: z.string().max(100), id: z.string().max(200) });

/** Where a record's forms are bound: `{ table, id }` of a record id that fits the table's key. */
export function boundRecord(bound: unknown): { admin: AdminTable; key: Key; path: string } | string {
  const target = recordTarget.safeParse(bound);
  if (!target.success) return "This action needs the table and the id of a record: open the record from its table.";
  const admin = adminTable(target.data.table);
  if (!admin) return NO_TABLE;
  const key = parseRecordId(admin, target.data.id);
  if (!key) return `"${target.data.id}" is not the id of a ${admin.singular.toLowerCase()}: open the record from its table.`;
  return { admin, key, path: `/t/${admin.slug}/${target.data.id}` };
}

/**
 * The input of an action bound to a table or a record, as `{ bound, form }`: `bound`
 * (what the page bound, which a forged request can make anything) is located first;
 * then the form's `hidden` inputs (set by the page), its `fields` (what the person
 * fills in) and, with `values`, the table's `field.<prop>` inputs are parsed together.
 * A problem with `bound` or `hidden` is no field's fault: it becomes the result's
 * message. Every field error shows at once, keyed by control name or property.
 *
 * @example
 * const updateRecordSchema = boundFormSchema({
 *   bound: boundRecord,
 *   hidden: { vclock: vclockSchema },
 *   fields: { reason: reasonSchema("Say why.") },
 *   values: ({ admin }) => valuesSchema(admin, "update"),
 * });
 */
export function boundFormSchema<
  Target extends object,
  Hidden extends z.ZodRawShape,
  Fields extends z.ZodRawShape,
  Values = undefined,
>(spec: {
  bound: (bound: unknown) => Target | string;
  hidden: Hidden;
  fields: Fields;
  values?: (target: Target) => z.ZodType<Values, Record<string, unknown>>;
}) {
  const hiddenSchema = formSchema(spec.hidden);
  const fieldsSchema = formSchema(spec.fields);
  return boundInput.transform((input, ctx) => {
    const target = spec.bound(input.bound);
    if (typeof target === "string") {
      ctx.addIssue({ code: "custom", message: target });
      return z.NEVER;
    }
    const hidden = hiddenSchema.safeParse(input.form);
    const fields = fieldsSchema.safeParse(input.form);
    const values = spec.values?.(target).safeParse(formFields(input.form));
    if (!hidden.success || !fields.success || (values && !values.success)) {
      for (const issue of hidden.error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message });
      forward(ctx, fields.error);
      forward(ctx, values?.error);
      return z.NEVER;
    }
    // `values` is undefined exactly when the spec has no `values` schema, which is what `Values` defaults to.
    return { ...target, ...hidden.data, ...fields.data, values: values?.data as Values };
  });
}
