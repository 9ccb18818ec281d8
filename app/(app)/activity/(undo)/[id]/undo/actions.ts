"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { boundInput, formSchema, reasonSchema } from "@/lib/admin/action-input";
import { applyUndo, NothingToUndoError, roleToUndo } from "@/lib/admin/revert-activity";
import { boundActivity, conflictChoices } from "@/lib/admin/revert-input";
import { revertKind } from "@/lib/admin/revert-kind";
import { InvalidArgumentError } from "@temporal-records/drizzle";

const reasonForm = formSchema({ reason: reasonSchema("Say why you are undoing this activity.") });

const undoActivitySchema = boundInput.transform((input, ctx) => {
  const target = boundActivity(input.bound);
  if (typeof target === "string") {
    ctx.addIssue({ code: "custom", message: target });
    return z.NEVER;
  }
  const fields = reasonForm.safeParse(input.form);
  const settled = conflictChoices(input.form);
  if ("error" in settled) {
    ctx.addIssue({ code: "custom", message: settled.error });
    return z.NEVER;
  }
  for (const issue of fields.error?.issues ?? []) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
  for (const control of settled.missing) {
    ctx.addIssue({ code: "custom", message: "Choose: keep it as it is now, or take the old value.", path: [control] });
  }
  if (!fields.success || settled.missing.length > 0) return z.NEVER;
  return { id: target.id, reason: fields.data.reason, choices: settled.choices };
});

/**
 * Undoes one activity's changes as a new activity, while later changes stay: each
 * conflict (a later change to the same property) is settled by the person's choice.
 */
export async function undoActivity(activityId: string, _: ActionState, form: FormData): Promise<ActionState> {
  const spec = { role: async () => roleToUndo(await getDb(), activityId), input: undoActivitySchema };
  return runAction(spec, { bound: activityId, form }, async ({ id, reason, choices }, who) => {
    const activity = { reason, ...who, source: "admin-ui", kind: revertKind({ activity: id }) };
    let done: { activityId: string };
    try {
      done = await applyUndo(await getDb(), id, activity, choices);
    } catch (error) {
      if (error instanceof NothingToUndoError) return { status: "error", code: "INVALID_INPUT", message: error.message };
      // A choice for something that is no conflict: a forged or mangled form, never a page of ours.
      if (error instanceof InvalidArgumentError) {
        return {
          status: "error",
          code: "INVALID_INPUT",
          message: "This form settles a change that is not in conflict: reload the page and try again.",
        };
      }
      throw error;
    }
    revalidatePath(`/activity/${id}`);
    redirect(`/activity/${done.activityId}`);
  });
}
