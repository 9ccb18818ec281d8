"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { boundFormSchema, creatableTable, reasonSchema, roleToWrite } from "@/lib/admin/action-input";
import { valuesSchema } from "@/lib/admin/form";
import { recordId } from "@/lib/admin/registry";
import { create } from "@temporal-records/drizzle";

const createRecordSchema = boundFormSchema({
  bound: creatableTable,
  hidden: {},
  fields: { reason: reasonSchema("Say why you are creating this record.") },
  values: ({ admin }) => valuesSchema(admin, "create"),
});

/** Creates a record of any registered table as its first version, with a reason, then opens it. */
export async function createRecord(table: string, _: ActionState, form: FormData): Promise<ActionState> {
  const spec = { role: roleToWrite(table), input: createRecordSchema };
  return runAction(spec, { bound: table, form }, async ({ admin, reason, values }, who) => {
    const row = await create(await getDb(), admin.table, values, { reason, ...who, source: "admin-ui" });
    revalidatePath(`/t/${admin.slug}`);
    redirect(`/t/${admin.slug}/${encodeURIComponent(recordId(admin, row))}`);
  });
}
