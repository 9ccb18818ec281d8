/**
 * The pieces the revert actions build their input schemas from: the properties a
 * record revert restores (checkboxes named `property`), the activity an undo is bound
 * to, and the person's choice for each conflict (`conflict.<n>`: now | old, with
 * `conflict.<n>.ref` naming the record, the property and the version they saw).
 * Server side: it reads the registry.
 */
import { z } from "zod";
import type { AdminTable } from "./registry";
import { adminTable, parseRecordId } from "./registry";
import { revertableFields } from "./revert";
import type { UndoChoice } from "./revert-activity";

/** The version a revert sets the record back to (a hidden input). */
export const toVersionSchema = z.coerce
  .number({ error: "This form does not say which version to revert to: open it again from the history." })
  .int("This form does not say which version to revert to: open it again from the history.")
  .min(1, "This form does not say which version to revert to: open it again from the history.");

/** The checked properties of a record revert: at least one, each one the table can revert. */
export function chosenProperties(admin: AdminTable, form: FormData): { properties: string[] } | { error: string; path?: string } {
  const allowed = new Set(revertableFields(admin).map((f) => f.prop));
  const chosen = [...new Set(form.getAll("property").map(String))];
  const unknown = chosen.find((p) => !allowed.has(p));
  if (unknown !== undefined) return { error: `"${unknown.slice(0, 100)}" is not a property this record can revert: reload the page.` };
  if (chosen.length === 0) return { error: "Choose at least one property to restore.", path: "property" };
  return { properties: chosen };
}

/** The id of the activity an undo is bound to. */
export function boundActivity(bound: unknown): { id: string } | string {
  return typeof bound === "string" && /^[0-9]{1,18}$/.test(bound)
    ? { id: bound }
    : "This action needs the id of an activity: open it from the activity log.";
}

const refSchema = z.object({
  table: z.string().max(100),
  id: z.string().max(200),
  property: z.string().max(100),
  seen: z.number().int().min(1),
});

const MAX_CHOICES = 10_000;

/**
 * The conflict choices of an undo form. A malformed reference is a forged or stale page
 * (the result's message); a conflict left without a choice is that radio group's error.
 */
export function conflictChoices(form: FormData): { choices: UndoChoice[]; missing: string[] } | { error: string } {
  const choices: UndoChoice[] = [];
  const missing: string[] = [];
  const names = [...form.keys()].filter((name) => /^conflict\.[0-9]{1,5}\.ref$/.test(name));
  if (names.length > MAX_CHOICES) return { error: `At most ${MAX_CHOICES.toLocaleString("en-US")} conflicts can be settled at once.` };
  for (const name of names) {
    const control = name.slice(0, -".ref".length);
    let raw: unknown;
    try {
      raw = JSON.parse(String(form.get(name)));
    } catch {
      raw = undefined;
    }
    const ref = refSchema.safeParse(raw);
    const admin = ref.success ? adminTable(ref.data.table) : undefined;
    const key = admin && ref.success ? parseRecordId(admin, ref.data.id) : undefined;
    if (!ref.success || !admin || !key) return { error: "This form names a record it cannot undo: reload the page and try again." };
    const take = form.get(control);
    if (take !== "now" && take !== "old") {
      missing.push(control);
      continue;
    }
    choices.push({ table: admin.slug, key, property: ref.data.property, seenVclock: ref.data.seen, take });
  }
  return { choices, missing };
}
