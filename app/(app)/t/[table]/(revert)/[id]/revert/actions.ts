"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { boundFormSchema, boundInput, boundRecord, reasonSchema, roleToWrite, vclockSchema } from "@/lib/admin/action-input";
import { chosenProperties, toVersionSchema } from "@/lib/admin/revert-input";
import { revertKind } from "@/lib/admin/revert-kind";
import { revert } from "@temporal-records/drizzle";

/** Which record a revert form sets back: the page binds it, so only a forged request gets it wrong. */
type RecordTarget = { table: string; id: string };

const revertForm = boundFormSchema({
  bound: boundRecord,
  hidden: { vclock: vclockSchema, to: toVersionSchema },
  fields: { reason: reasonSchema("Say why you are reverting this record.") },
});

const revertRecordSchema = boundInput.transform((input, ctx) => {
  const parsed = revertForm.safeParse(input);
  const chosen = parsed.success ? chosenProperties(parsed.data.admin, input.form) : undefined;
  if (!parsed.success || !chosen || "error" in chosen) {
    for (const issue of parsed.error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    if (chosen && "error" in chosen) ctx.addIssue({ code: "custom", message: chosen.error, path: chosen.path ? [chosen.path] : [] });
    return z.NEVER;
  }
  return { ...parsed.data, properties: chosen.properties };
});

/**
 * Sets the chosen properties of a record back to their values at an earlier version, as a
 * new tick (the old ones stay), refusing when the record changed since the preview was made.
 */
export async function revertRecord(where: RecordTarget, _: ActionState, form: FormData): Promise<ActionState> {
  const spec = { role: roleToWrite(where), input: revertRecordSchema };
  const result = await runAction(spec, { bound: where, form }, async ({ admin, key, path, reason, vclock, to, properties }, who) => {
    const activity = { reason, ...who, source: "admin-ui", kind: revertKind({ version: to }) };
    const done = await revert(
      await getDb(),
      admin.table,
      key,
      { toVclock: to, properties: properties as never, expectedVclock: vclock },
      activity,
    );
    revalidatePath(path);
    if (done.changed.length === 0)
      return { status: "ok", message: "Nothing changed: the record already holds those values.", vclock: done.vclock };
    redirect(`${path}/history`);
  });
  // The wrapper words a stale save for the edit form; a revert has its own way forward.
  if (result.status === "error" && result.conflict) {
    return {
      ...result,
      message: `Nothing was reverted: someone saved version ${result.conflict.vclock} meanwhile. Compare the values, then preview the revert again against the newer version, or drop it.`,
    };
  }
  return result;
}
