"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { boundFormSchema, boundRecord, reasonSchema, roleToWrite, vclockSchema } from "@/lib/admin/action-input";
import { valuesSchema } from "@/lib/admin/form";
import { setRecordRetired, tickRecord } from "@/lib/admin/record-writes";

/** Which record a form edits: the page binds it, so only a forged request gets it wrong. */
type RecordTarget = { table: string; id: string };

const updateRecordSchema = boundFormSchema({
  bound: boundRecord,
  hidden: { vclock: vclockSchema },
  fields: { reason: reasonSchema("Say why you are making this change.") },
  values: ({ admin }) => valuesSchema(admin, "update"),
});

/** Saves the changed fields of a record as one tick, refusing if it changed since the form was loaded. */
export async function updateRecord(where: RecordTarget, _: ActionState, form: FormData): Promise<ActionState> {
  const spec = { role: roleToWrite(where), input: updateRecordSchema };
  return runAction(spec, { bound: where, form }, async ({ admin, key, path, reason, vclock, values }, who) => {
    const activity = { reason, ...who, source: "admin-ui" };
    const done = await tickRecord(await getDb(), admin, key, values, activity, { expectedVclock: vclock });
    revalidatePath(path);
    return done.changed.length === 0
      ? { status: "ok", message: "Nothing changed: the values were already the same.", vclock: done.vclock }
      : { status: "ok", message: `Saved as version ${done.vclock}.`, vclock: done.vclock };
  });
}

const setRetiredSchema = boundFormSchema({
  bound: boundRecord,
  hidden: {
    vclock: vclockSchema,
    retired: z
      .enum(["true", "false"], { error: "This form does not say whether to retire or restore: reload the page." })
      .transform((v) => v === "true"),
  },
  fields: { reason: reasonSchema("Say why you are making this change.") },
});

/** Retires or restores a record (a tick with a reason); records are never deleted. */
export async function setRetired(where: RecordTarget, _: ActionState, form: FormData): Promise<ActionState> {
  const spec = { role: roleToWrite(where), input: setRetiredSchema };
  return runAction(spec, { bound: where, form }, async ({ admin, key, path, reason, vclock, retired }, who) => {
    const activity = { reason, ...who, source: "admin-ui" };
    const done = await setRecordRetired(await getDb(), admin, key, retired, activity, { expectedVclock: vclock });
    revalidatePath(path);
    return { status: "ok", message: `${retired ? "Retired" : "Restored"} as version ${done.vclock}.`, vclock: done.vclock };
  });
}
