"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { formSchema, reasonSchema } from "@/lib/admin/action-input";
import { ROLES } from "@/lib/auth/roles";
import { getAuth, PASSWORD_LENGTH } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";

const createPersonSchema = formSchema({
  name: z.string().trim().min(1, "Enter their name.").max(120, "At most 120 characters."),
  email: z.string().trim().max(254, "At most 254 characters.").email("Enter an email address."),
  role: z.enum(ROLES, { error: "Choose a role." }),
  password: z
    .string()
    .min(PASSWORD_LENGTH.min, `At least ${PASSWORD_LENGTH.min} characters.`)
    .max(PASSWORD_LENGTH.max, `At most ${PASSWORD_LENGTH.max} characters.`),
  reason: reasonSchema("Say why this person gets access."),
});

/** Adds a person who can sign in, with one role (admins only). Recorded as the first version of their staff row. */
export async function createPerson(_: ActionState, form: FormData): Promise<ActionState> {
  return runAction({ role: "admin", input: createPersonSchema }, form, async ({ reason, ...person }, who) => {
    const created = await createStaff(await getDb(), await getAuth(), person, { reason, ...who, source: "admin-ui" });
    revalidatePath("/t/staff");
    redirect(`/t/staff/${encodeURIComponent(created.id)}`);
  });
}
