"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { editableFields, formFields, parseValues, type FieldErrors } from "@/lib/admin/form";
import { adminTable, recordId } from "@/lib/admin/registry";
import { create } from "@/lib/temporal";

const createRecordSchema = z.object({
  table: z
    .string()
    .max(100)
    .refine((slug) => adminTable(slug) !== undefined, "Unknown table."),
  reason: z.string().trim().min(1, "Say why you are creating this record.").max(2000, "At most 2,000 characters."),
});

/** Creates a record of any registered table as its first version, with a reason, then opens it. */
export async function createRecord(table: string, _: ActionState, form: FormData): Promise<ActionState> {
  const result = await runAction(adminTable(table)?.manageRole ?? "editor", async (who) => {
    const parsed = createRecordSchema.safeParse({ table, reason: form.get("reason") ?? "" });
    const admin = adminTable(table);
    if (!admin) return { status: "error", message: "This table does not exist." };
    if (!admin.creatable) return { status: "error", message: `New ${admin.label.toLowerCase()} are not added here.` };
    const values = parseValues(editableFields(admin), formFields(form));
    const fieldErrors: FieldErrors = values.ok ? {} : { ...values.errors };
    if (!parsed.success) for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
    if (!parsed.success || !values.ok) {
      return { status: "error", message: "Nothing was saved: fix the fields marked below.", fieldErrors };
    }
    const row = await create(await getDb(), admin.table, values.values as never, {
      reason: parsed.data.reason,
      ...who,
      source: "admin-ui",
    });
    return { status: "ok", message: `Created ${admin.singular.toLowerCase()}.`, id: recordId(admin, row as Record<string, unknown>) };
  });
  if (result.status !== "ok" || !result.id) return result;
  revalidatePath(`/t/${table}`);
  // redirect() throws, so it runs after runAction has returned, never inside its try.
  redirect(`/t/${table}/${encodeURIComponent(result.id)}`);
}
