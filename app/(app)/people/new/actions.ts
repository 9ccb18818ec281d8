"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { runAction, type ActionState } from "@/lib/admin/action";
import { ROLES } from "@/lib/auth/roles";
import { getAuth, PASSWORD_LENGTH } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";

const createPersonSchema = z.object({
  name: z.string().trim().min(1, "Enter their name.").max(120, "At most 120 characters."),
  email: z.string().trim().max(254).email("Enter an email address."),
  role: z.enum(ROLES, { error: "Choose a role." }),
  password: z
    .string()
    .min(PASSWORD_LENGTH.min, `At least ${PASSWORD_LENGTH.min} characters.`)
    .max(PASSWORD_LENGTH.max, `At most ${PASSWORD_LENGTH.max} characters.`),
  reason: z.string().trim().min(1, "Say why this person gets access.").max(2000, "At most 2,000 characters."),
});

/** Adds a person who can sign in, with one role (admins only). Recorded as the first version of their staff row. */
export async function createPerson(_: ActionState, form: FormData): Promise<ActionState> {
  const result = await runAction("admin", async (who) => {
    const parsed = createPersonSchema.safeParse(
      Object.fromEntries(["name", "email", "role", "password", "reason"].map((k) => [k, form.get(k) ?? ""])),
    );
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0])] ??= issue.message;
      return { status: "error", message: "Nothing was saved: fix the fields marked below.", fieldErrors };
    }
    const { reason, ...person } = parsed.data;
    const created = await createStaff(await getDb(), await getAuth(), person, { reason, ...who, source: "admin-ui" });
    return { status: "ok", message: `Added ${created.name}.`, id: created.id };
  });
  if (result.status !== "ok" || !result.id) return result;
  revalidatePath("/t/staff");
  redirect(`/t/staff/${encodeURIComponent(result.id)}`);
}
