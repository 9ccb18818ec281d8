"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { editableFields, formFields, parseValues } from "@/lib/admin/form";
import { adminTable, parseRecordId } from "@/lib/admin/registry";
import { retire, restore, tick } from "@/lib/temporal";

const target = z.object({ table: z.string().max(100), id: z.string().max(200) });
const reason = z.string().trim().min(1, "Say why you are making this change.").max(2000, "At most 2,000 characters.");
const vclock = z.coerce.number().int().min(1);

function locate(input: { table: string; id: string }) {
  const { table, id } = target.parse(input);
  const admin = adminTable(table);
  const key = admin && parseRecordId(admin, id);
  if (!admin || !key) throw new Error("Unknown table or record.");
  return { admin, key, path: `/t/${admin.slug}/${id}` };
}

const updateRecordSchema = z.object({ reason, vclock });

/** The first problem of a form, shown on its field. */
function fieldError(error: z.ZodError): ActionState {
  const issue = error.issues[0]!;
  return { status: "error", message: issue.message, fieldErrors: { [String(issue.path[0])]: issue.message } };
}

/** Saves the changed fields of a record as one tick, refusing if it changed since the form was loaded. */
export async function updateRecord(where: { table: string; id: string }, _: ActionState, form: FormData): Promise<ActionState> {
  const { admin, key, path } = locate(where);
  // The role first: someone who may not edit learns nothing from validating their input.
  const result = await runAction(admin.manageRole, async (who) => {
    const parsed = updateRecordSchema.safeParse({ reason: form.get("reason"), vclock: form.get("vclock") });
    if (!parsed.success) return fieldError(parsed.error);
    const values = parseValues(editableFields(admin), formFields(form));
    if (!values.ok) return { status: "error", message: "Some values need fixing.", fieldErrors: values.errors };
    const done = await tick(
      await getDb(),
      admin.table,
      key,
      values.values as never,
      { reason: parsed.data.reason, ...who, source: "admin-ui" },
      { expectedVclock: parsed.data.vclock },
    );
    return done.changed.length === 0
      ? { status: "ok", message: "Nothing changed: the values were already the same.", vclock: done.vclock }
      : { status: "ok", message: `Saved as version ${done.vclock}.`, vclock: done.vclock };
  });
  if (result.status === "ok") revalidatePath(path);
  return result;
}

const setRetiredSchema = z.object({ reason, vclock, retired: z.enum(["true", "false"]) });

/** Retires or restores a record (a tick with a reason); records are never deleted. */
export async function setRetired(where: { table: string; id: string }, _: ActionState, form: FormData): Promise<ActionState> {
  const { admin, key, path } = locate(where);
  const result = await runAction(admin.manageRole, async (who) => {
    const parsed = setRetiredSchema.safeParse({ reason: form.get("reason"), vclock: form.get("vclock"), retired: form.get("retired") });
    if (!parsed.success) return fieldError(parsed.error);
    const retiring = parsed.data.retired === "true";
    const activity = { reason: parsed.data.reason, ...who, source: "admin-ui" };
    const options = { expectedVclock: parsed.data.vclock };
    const done = retiring
      ? await retire(await getDb(), admin.table, key, activity, options)
      : await restore(await getDb(), admin.table, key, activity, options);
    return { status: "ok", message: `${retiring ? "Retired" : "Restored"} as version ${done.vclock}.`, vclock: done.vclock };
  });
  if (result.status === "ok") revalidatePath(path);
  return result;
}
